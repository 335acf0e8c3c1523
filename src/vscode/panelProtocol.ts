// The one message protocol between the incident panel's webview and the extension; the webview `import type`s it.
import type { TimelineHeader, TimelineRow } from '../incident/timeline';

/** The incident the panel shows. */
export interface PanelIncident {
  header: TimelineHeader;
  /** Why no note can be added: the incident is resolved, or it is not the active one. */
  readOnly?: 'resolved' | 'not-active';
  /** Problems reading the log, for a line under the header. */
  problems: string[];
}

/** Rows of the first `rows` message (a screenful, drawn at once) and of each later one (see `npm run bench`). */
export const FIRST_CHUNK = 200;
export const CHUNK = 10_000;

/**
 * Extension → webview. A `load` message starts showing an incident; its rows follow in `rows` chunks (the first
 * small, so the first screen renders at once), then `appended` as the log grows. Messages of an older load are stale.
 */
export type ToPanel =
  | { type: 'empty'; message: string }
  | { type: 'load'; load: number; incident: PanelIncident; total: number }
  | { type: 'rows'; load: number; rows: TimelineRow[] }
  | { type: 'appended'; load: number; rows: TimelineRow[] }
  | { type: 'header'; load: number; incident: PanelIncident }
  | { type: 'expand'; id: string }
  | { type: 'noteSaved' }
  | { type: 'noteFailed'; message: string };

/** Webview → extension. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'reveal'; step: string; playbook?: string }
  | { type: 'addNote'; text: string }
  | { type: 'rendered'; snapshot: PanelSnapshot };

/**
 * What the webview rendered, posted after each render: the integration tests read the panel through it, and the
 * benchmark times the first render with it. Facts, not styling: the text of the rows in the DOM (the virtualised
 * list holds only those on screen), and whether anything inserted by data became markup or ran.
 */
export interface PanelSnapshot {
  incident?: string;
  header: string;
  rows: string[];
  /** Rows loaded and rows passing the filter. */
  total: number;
  shown: number;
  readOnly: boolean;
  /** `<script>` elements in the document besides the one VS Code injects for `acquireVsCodeApi`: only the panel's own. */
  scripts: number;
  /** Elements that only markup in data could have made (img, a, iframe, object, embed, svg). */
  injected: number;
  /** Whether `window.__playbookCanary` was set, as the XSS test's payloads try to. */
  canary: boolean;
}

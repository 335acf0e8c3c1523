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
  | { type: 'noteFailed'; message: string }
  | { type: 'describe'; request: number };

/** Webview → extension. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'reveal'; step: string; playbook?: string }
  | { type: 'addNote'; text: string }
  | { type: 'described'; request: number; snapshot: PanelSnapshot };

/**
 * What the webview shows, sent only when asked (`describe`), so the page does no work for it otherwise: how the
 * integration tests read the panel, which runs in a frame the extension host cannot reach. Facts, not styling:
 * the text of the rows in the DOM (the virtualised list holds only those on screen), and whether anything
 * inserted by data became markup or ran.
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

/** The longest note the panel sends; a longer one is refused rather than cut. */
export const MAX_NOTE_LENGTH = 100_000;

/**
 * A message from the webview, checked: the page is ours, but its messages carry text typed in it and fields read from
 * the log, so nothing is trusted by its declared type. Undefined for anything malformed.
 */
export function parseFromPanel(value: unknown): FromPanel | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      if (!isShortString(m.step) || (m.playbook !== undefined && !isShortString(m.playbook))) return undefined;
      return m.playbook === undefined ? { type: 'reveal', step: m.step } : { type: 'reveal', step: m.step, playbook: m.playbook };
    case 'addNote':
      return typeof m.text === 'string' && m.text.length <= MAX_NOTE_LENGTH ? { type: 'addNote', text: m.text } : undefined;
    case 'described':
      return typeof m.snapshot === 'object' && m.snapshot !== null && typeof m.request === 'number'
        ? { type: 'described', request: m.request, snapshot: m.snapshot as PanelSnapshot }
        : undefined;
    default:
      return undefined;
  }
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 1000;
}

// The incident panel's webview: header, filters, the virtualised timeline and the note box, fed by the extension's
// messages. All data is untrusted text and goes in through textContent.
import { formatDuration } from '../../src/playbook/duration';
import {
  EMPTY_FILTER,
  elapsedMs,
  KIND_LABELS,
  VERDICT_LABELS,
  type RowKind,
  type TimelineFilter,
  type TimelineRow,
} from '../../src/incident/timeline';
import type { FromPanel, PanelIncident, PanelSnapshot, ToPanel } from '../../src/panel/protocol';
import { byId, el, leafText, setOptions } from './panel/dom';
import { VirtualList } from './panel/list';
import { ROW_HEIGHT } from './panel/row';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the view being hidden or reloaded, per incident. */
interface SavedState {
  incident?: string;
  filter: TimelineFilter;
  expanded: string[];
  scrollTop: number;
}

const vscode = acquireVsCodeApi();
const scroller = byId('scroller');
const filters = {
  kind: byId<HTMLSelectElement>('filter-kind'),
  verdict: byId<HTMLSelectElement>('filter-verdict'),
  step: byId<HTMLSelectElement>('filter-step'),
  text: byId<HTMLInputElement>('filter-text'),
};
const noteForm = byId<HTMLFormElement>('note');
const noteText = byId<HTMLTextAreaElement>('note-text');

/** The script VS Code injects into every webview to define acquireVsCodeApi. */
const VSCODE_API_SCRIPT = '_vscodeApiScript';

let load = -1;
let incident: PanelIncident | undefined;
let saved: SavedState = vscode.getState() ?? { filter: EMPTY_FILTER, expanded: [], scrollTop: 0 };
let restoring = false;
const steps = new Set<string>();

const list = new VirtualList(scroller, byId('list'), {
  reveal: (row) => row.step && vscode.postMessage({ type: 'reveal', step: row.step, playbook: row.playbook }),
  rendered: saveState,
});

setOptions(filters.kind, [['', 'All kinds'], ...(Object.entries(KIND_LABELS) as [RowKind, string][])]);
setOptions(filters.verdict, [['', 'All results'], ...Object.entries(VERDICT_LABELS)]);
setOptions(filters.step, [['', 'All steps']]);
for (const input of Object.values(filters)) input.addEventListener('input', debounce(applyFilter, 120));
byId<HTMLFormElement>('filters').addEventListener('submit', (e) => e.preventDefault());
noteForm.addEventListener('submit', (e) => {
  e.preventDefault();
  submitNote();
});
noteText.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submitNote();
});
window.addEventListener('message', (e: MessageEvent<ToPanel>) => receive(e.data));
setInterval(showElapsed, 15_000);
vscode.postMessage({ type: 'ready' });

function receive(message: ToPanel): void {
  switch (message.type) {
    case 'empty':
      return showEmpty(message.message);
    case 'load':
      return startLoad(message.load, message.incident);
    case 'rows':
    case 'appended':
      if (message.load === load) addRows(message.rows, message.type === 'rows');
      return;
    case 'header':
      if (message.load === load) showIncident(message.incident);
      return;
    case 'expand':
      return list.expand(message.id);
    case 'noteSaved':
      noteText.value = '';
      noteForm.classList.remove('busy');
      return;
    case 'noteFailed':
      noteForm.classList.remove('busy');
      byId('note-error').textContent = message.message;
      return;
    case 'describe':
      vscode.postMessage({ type: 'described', request: message.request, snapshot: snapshot() });
      return;
  }
}

function showEmpty(message: string): void {
  load = -1;
  incident = undefined;
  list.clear();
  document.body.classList.add('no-incident');
  byId('empty').textContent = message;
}

function startLoad(next: number, shown: PanelIncident): void {
  const sameIncident = saved.incident === shown.header.id;
  load = next;
  document.body.classList.remove('no-incident');
  steps.clear();
  setOptions(filters.step, [['', 'All steps']]);
  list.clear();
  if (!sameIncident) saved = { incident: shown.header.id, filter: EMPTY_FILTER, expanded: [], scrollTop: 0 };
  restoring = saved.scrollTop > 0;
  filters.kind.value = saved.filter.kind;
  filters.verdict.value = saved.filter.verdict;
  filters.text.value = saved.filter.text;
  list.setFilter(saved.filter);
  list.setExpanded(saved.expanded);
  showIncident(shown);
}

function addRows(rows: TimelineRow[], loading: boolean): void {
  const before = steps.size;
  for (const row of rows) if (row.step) steps.add(row.step);
  if (steps.size !== before) {
    setOptions(filters.step, [['', 'All steps'], ...[...steps].sort().map((s): [string, string] => [s, s])]);
    if (saved.filter.step && steps.has(saved.filter.step)) filters.step.value = saved.filter.step;
  }
  list.add(rows);
  // The saved scroll position is restored once the rows above it have arrived.
  if (loading && restoring && list.total * ROW_HEIGHT > saved.scrollTop) {
    restoring = false;
    requestAnimationFrame(() => (scroller.scrollTop = saved.scrollTop));
  }
  showCount();
}

function showIncident(shown: PanelIncident): void {
  incident = shown;
  const { header } = shown;
  byId('incident-id').textContent = `${header.id}${header.drill ? ' (drill)' : ''}`;
  byId('incident-title').textContent = header.title || '(untitled)';
  const badge = byId('badge');
  badge.hidden = !shown.readOnly;
  badge.textContent = shown.readOnly ? 'read-only' : '';
  badge.title = shown.readOnly === 'resolved' ? 'The incident is resolved' : 'Not the active incident: notes go to the active one';
  const facts = byId('facts');
  facts.replaceChildren(
    fact('severity', header.severity || '?'),
    fact('status', header.status),
    fact('commander', header.commander || 'unassigned'),
    ...header.roles.filter(([role]) => role !== 'commander').map(([role, person]) => fact(role, person)),
    fact('elapsed', ''),
  );
  facts.lastElementChild?.classList.add('elapsed');
  byId('problems').textContent = shown.problems.join(' ');
  noteForm.hidden = Boolean(shown.readOnly);
  document.body.classList.toggle('read-only', Boolean(shown.readOnly));
  showElapsed();
  showCount();
}

function fact(name: string, value: string): HTMLElement {
  const item = el('span', `fact fact-${name.replace(/[^a-z0-9-]/gi, '')}`);
  item.append(el('span', 'fact-name', name), ' ', el('span', 'fact-value', value));
  return item;
}

function showElapsed(): void {
  const value = document.querySelector('.fact.elapsed .fact-value');
  const ms = incident ? elapsedMs(incident.header, Date.now()) : undefined;
  if (value) value.textContent = ms === undefined ? '?' : formatDuration(ms, 'minutes');
}

function showCount(): void {
  const total = list.total.toLocaleString();
  byId('count').textContent = list.shown === list.total ? `${total} events` : `${list.shown.toLocaleString()} of ${total} events`;
}

function applyFilter(): void {
  const filter: TimelineFilter = {
    kind: filters.kind.value as TimelineFilter['kind'],
    verdict: filters.verdict.value as TimelineFilter['verdict'],
    step: filters.step.value,
    text: filters.text.value,
  };
  saved = { ...saved, filter };
  list.setFilter(filter);
  showCount();
}

function submitNote(): void {
  const text = noteText.value.trim();
  if (!text || noteForm.classList.contains('busy')) return;
  noteForm.classList.add('busy');
  byId('note-error').textContent = '';
  vscode.postMessage({ type: 'addNote', text });
}

function saveState(): void {
  if (!incident) return;
  if (!restoring) saved = { ...saved, scrollTop: scroller.scrollTop };
  saved = { ...saved, incident: incident.header.id, expanded: list.expandedIds };
  vscode.setState(saved);
}

function snapshot(): PanelSnapshot {
  return {
    incident: incident?.header.id,
    header: leafText(byId('header')),
    rows: list.renderedText(),
    total: list.total,
    shown: list.shown,
    readOnly: Boolean(incident?.readOnly),
    scripts: [...document.scripts].filter((script) => script.id !== VSCODE_API_SCRIPT).length,
    injected: document.querySelectorAll('img, a, iframe, object, embed, svg').length,
    canary: (window as unknown as { __playbookCanary?: unknown }).__playbookCanary !== undefined,
  };
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

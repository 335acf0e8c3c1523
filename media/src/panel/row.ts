// One timeline row as DOM: a fixed-height summary, and when expanded the details and the recorded output.
import { KIND_LABELS, resultCode, type TimelineRow } from '../../../src/incident/timeline';
import { formatDuration } from '../../../src/playbook/duration';
import { el } from './dom';

/** Height of a collapsed row in pixels; must match `.row` in panel.css. */
export const ROW_HEIGHT = 44;

const VERDICT_MARKS: Record<string, string> = { passed: '✓', failed: '✗', 'timed-out': '⏱', cancelled: '⊘', skipped: '↷', unknown: '?' };

/** The row's element; `expanded` adds its details. Carries its row id in `dataset.id`. */
export function renderRow(row: TimelineRow, expanded: boolean): HTMLElement {
  const element = el(
    'div',
    `row kind-${row.kind.replace('.', '-')}${row.verdict ? ` verdict-${row.verdict}` : ''}${expanded ? ' expanded' : ''}`,
  );
  element.setAttribute('role', 'listitem');
  element.setAttribute('aria-expanded', String(expanded));
  element.tabIndex = -1;
  element.dataset.id = row.id;
  element.append(firstLine(row), el('div', 'summary', row.summary));
  if (expanded) element.append(details(row));
  return element;
}

function firstLine(row: TimelineRow): HTMLElement {
  const line = el('div', 'line');
  line.append(el('span', 'time', row.at ? clock(row.at) : '--:--:--'), el('span', 'kind', KIND_LABELS[row.kind]));
  // Who acted, on every row: with teammates' events synced in, a timeline has several responders.
  if (row.actor) line.append(el('span', 'actor', row.actor));
  if (row.step) {
    const step = el('button', 'step', row.step);
    step.type = 'button';
    step.tabIndex = -1;
    step.title = `Show step ${row.step} in the playbook`;
    line.append(step);
  }
  if (row.verdict) line.append(el('span', `verdict verdict-${row.verdict}`, `${VERDICT_MARKS[row.verdict] ?? ''} ${row.verdict}`));
  const code = resultCode(row);
  if (code) line.append(el('span', 'code', code));
  if (row.durationMs !== undefined) line.append(el('span', 'duration', formatDuration(row.durationMs)));
  if (row.attempt !== undefined) line.append(el('span', 'attempt', `attempt ${row.attempt}`));
  return line;
}

function details(row: TimelineRow): HTMLElement {
  const box = el('div', 'details');
  box.append(field('When', row.at ?? 'unknown'), field('Who', row.actor ?? 'unknown'));
  if (row.kind === 'step.run') box.append(field('Command', row.summary, 'pre'));
  else box.append(field('Text', row.summary, 'pre'));
  for (const c of row.confirmations ?? []) box.append(field(c.confirmed ? 'Confirmed' : 'Declined', c.reason));
  if (row.output) box.append(output(row.output));
  return box;
}

function field(label: string, text: string, tag: 'div' | 'pre' = 'div'): HTMLElement {
  const wrapper = el('div', 'field');
  wrapper.append(el('span', 'label', label), el(tag, 'value', text));
  return wrapper;
}

function output(excerpt: NonNullable<TimelineRow['output']>): HTMLElement {
  const pre = el('pre', 'output');
  pre.tabIndex = -1;
  const parts = [excerpt.head];
  if (excerpt.omittedBytes > 0) parts.push(`\n… ${excerpt.omittedBytes.toLocaleString()} bytes omitted …\n`);
  if (excerpt.tail) parts.push(excerpt.tail);
  const text = parts.join('');
  pre.textContent = text.length > 0 ? text : '(no output)';
  return pre;
}

/** `14:02:11` in the viewer's time zone. */
function clock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

// The incident panel's view model: log entries → timeline rows and a header, and the filters over rows. Plain data,
// no Node and no DOM: the extension builds rows with it and the webview filters and formats with it.
import type { Confirmation, IncidentEvent, IncidentStatus, LogEntry, OutputExcerpt, Verdict } from './events';
import type { IncidentState } from './state';

export type RowKind = IncidentEvent['kind'] | 'unknown';

/** One event as the timeline shows it. Everything in it is data from the log: untrusted text. */
export interface TimelineRow {
  /** The event id, or `#<position>` for an entry without one. */
  id: string;
  kind: RowKind;
  at?: string;
  actor?: string;
  /** One line saying what happened: the command of a run, the text of a note, `investigating → mitigated`... */
  summary: string;
  step?: string;
  /** Workspace-relative playbook of a run, when it was recorded. */
  playbook?: string;
  verdict?: Verdict;
  durationMs?: number;
  /** `null`: the shell did not report one. */
  exitCode?: number | null;
  httpStatus?: number;
  attempt?: number;
  output?: OutputExcerpt;
  confirmations?: Confirmation[];
}

/** The incident at the top of the panel. */
export interface TimelineHeader {
  id: string;
  title: string;
  severity: string;
  status: IncidentStatus;
  commander: string;
  drill: boolean;
  startedAt?: string;
  resolvedAt?: string;
  /** Role → person, commander first. */
  roles: [string, string][];
  events: number;
  unknown: number;
}

/** What the timeline shows; an empty field does not filter. */
export interface TimelineFilter {
  kind: RowKind | '';
  verdict: Verdict | '';
  step: string;
  /** Matched case-insensitively against the summary, step, actor and output. */
  text: string;
}

export const EMPTY_FILTER: TimelineFilter = { kind: '', verdict: '', step: '', text: '' };

/** The label of each kind, in the order the kind filter lists them. */
export const KIND_LABELS: Record<RowKind, string> = {
  'step.run': 'Run',
  'step.ticked': 'Tick',
  'checklist.ticked': 'Checklist',
  'note.added': 'Note',
  'status.changed': 'Status',
  'severity.changed': 'Severity',
  'role.assigned': 'Role',
  'notify.sent': 'Message',
  'incident.started': 'Started',
  'incident.resolved': 'Resolved',
  'incident.reopened': 'Reopened',
  unknown: 'Unknown',
};

/** The label of each verdict, for the result filter. */
export const VERDICT_LABELS: Record<Verdict, string> = {
  passed: 'Passed',
  failed: 'Failed',
  'timed-out': 'Timed out',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  unknown: 'Unknown',
};

/** The row of one log entry; `position` is its place in the log, for entries without an id. */
export function toRow(entry: LogEntry, position: number): TimelineRow {
  if (entry.kind === 'unknown') {
    const what =
      entry.reason === 'newer-version'
        ? 'from a newer version'
        : entry.reason === 'unknown-kind'
          ? 'of an unknown kind'
          : `malformed (${entry.field ?? 'line'})`;
    return { id: entry.id ?? `#${position}`, kind: 'unknown', at: entry.at, summary: `${entry.originalKind ?? 'entry'}: ${what}` };
  }
  const row: TimelineRow = { id: entry.id, kind: entry.kind, at: entry.at, actor: entry.actor, summary: summarize(entry) };
  if (entry.kind === 'step.run') {
    Object.assign(row, {
      step: entry.step,
      playbook: entry.playbook,
      verdict: entry.verdict,
      durationMs: entry.durationMs,
      exitCode: entry.exitCode,
      httpStatus: entry.httpStatus,
      attempt: entry.attempt,
      output: entry.output,
      confirmations: entry.confirmations,
    });
  } else if (entry.kind === 'step.ticked') {
    row.step = entry.step;
  }
  return withoutUndefined(row);
}

/** Rows of entries that follow `offset` entries already shown. */
export function toRows(entries: readonly LogEntry[], offset = 0): TimelineRow[] {
  return entries.map((entry, i) => toRow(entry, offset + i));
}

function summarize(e: IncidentEvent): string {
  switch (e.kind) {
    case 'incident.started':
      return `${e.drill ? 'Drill' : 'Incident'} started: ${e.title} (severity ${e.severity}, commander ${e.commander || 'unassigned'})`;
    case 'step.run':
      return e.command;
    case 'step.ticked':
      return e.comment ? `Done: ${e.comment}` : 'Done';
    case 'checklist.ticked':
      return `${e.checked ? 'Ticked' : 'Unticked'} “${e.item}” (${e.checklist})`;
    case 'note.added':
      return e.text;
    case 'status.changed':
      return `${e.from} → ${e.to}`;
    case 'severity.changed':
      return `${e.from} → ${e.to}`;
    case 'role.assigned':
      return e.person ? `${e.person} is ${e.role}` : `${e.role} unassigned`;
    case 'notify.sent':
      return `${e.template} ${e.ok ? (e.channel === 'webhook' ? 'posted to the webhook' : 'copied to the clipboard') : `not sent: ${e.error ?? 'failed'}`}`;
    case 'incident.resolved':
      return e.summary ? `Resolved: ${e.summary}` : 'Resolved';
    case 'incident.reopened':
      return e.reason ? `Reopened: ${e.reason}` : 'Reopened';
  }
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/** The header of an incident's state; `fallbackId` (the file's name) when the log lost its first line. */
export function timelineHeader(state: IncidentState, fallbackId: string): TimelineHeader {
  const roles = [...state.roles].sort(([a], [b]) => (a === 'commander' ? -1 : b === 'commander' ? 1 : a.localeCompare(b)));
  return withoutUndefined({
    id: state.id ?? fallbackId,
    title: state.title,
    severity: state.severity,
    status: state.status,
    commander: state.commander,
    drill: state.drill,
    startedAt: state.startedAt,
    resolvedAt: state.resolvedAt,
    roles,
    events: state.events,
    unknown: state.unknown,
  });
}

/** Time from start to resolution, or to `now` while the incident is open. */
export function elapsedMs(header: TimelineHeader, now: number): number | undefined {
  if (!header.startedAt) return undefined;
  const end = header.resolvedAt ? Date.parse(header.resolvedAt) : now;
  return Math.max(0, end - Date.parse(header.startedAt));
}

/** The result of a run as a short code: `exit 0`, `exit ?`, `HTTP 503`. */
export function resultCode(row: TimelineRow): string | undefined {
  if (row.httpStatus !== undefined) return `HTTP ${row.httpStatus}`;
  if (row.exitCode === undefined) return undefined;
  return row.exitCode === null ? 'exit ?' : `exit ${row.exitCode}`;
}

/** Everything the text filter looks in, lower-cased; callers may cache it per row. */
export function searchText(row: TimelineRow): string {
  const parts = [row.summary, row.step, row.actor, KIND_LABELS[row.kind], row.verdict, row.output?.head, row.output?.tail];
  return parts
    .filter((p) => p !== undefined)
    .join('\n')
    .toLowerCase();
}

/** Whether a row passes the filter; pass `haystack` (from `searchText`) to avoid lower-casing the row again. */
export function matchesFilter(row: TimelineRow, filter: TimelineFilter, haystack?: string): boolean {
  if (filter.kind && row.kind !== filter.kind) return false;
  if (filter.verdict && row.verdict !== filter.verdict) return false;
  if (filter.step && row.step !== filter.step) return false;
  const needle = filter.text.trim().toLowerCase();
  return !needle || (haystack ?? searchText(row)).includes(needle);
}

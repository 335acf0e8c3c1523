// Folds an incident's events, in log order, into its current state.
import type { IncidentEvent, IncidentStatus, LogEntry, StepRun, Verdict } from './events';

/** The latest thing recorded for one step: a run with its verdict, or a manual tick. */
export type StepLatest =
  | {
      type: 'run';
      at: string;
      verdict: Verdict;
      exitCode: number | null;
      httpStatus?: number;
      durationMs: number;
      runs: number;
      eventId: string;
    }
  | { type: 'ticked'; at: string; comment?: string; runs: number; eventId: string };

/** Who ticked a checklist item, and when. */
export interface ChecklistTick {
  at: string;
  actor: string;
}

/** The key of a checklist item in `IncidentState.checklists`. */
export function checklistKey(checklist: string, item: string): string {
  return `${checklist}\u0000${item}`;
}

/** What an incident looks like after its events so far. */
export interface IncidentState {
  /** Undefined until an `incident.started` event is seen (e.g. a log whose first line was lost). */
  id?: string;
  title: string;
  severity: string;
  status: IncidentStatus;
  commander: string;
  /** Role → person; `commander` is one of them. */
  roles: ReadonlyMap<string, string>;
  playbook?: string;
  drill: boolean;
  startedAt?: string;
  /** Set while resolved; cleared by a reopen. */
  resolvedAt?: string;
  lastEventAt?: string;
  /** Step id → latest result. */
  steps: ReadonlyMap<string, StepLatest>;
  /** Ticked checklist items by `checklistKey`; unticking removes one. */
  checklists: ReadonlyMap<string, ChecklistTick>;
  notes: number;
  events: number;
  /** Entries this version could not interpret (newer versions, damaged lines). */
  unknown: number;
}

interface Draft extends Omit<IncidentState, 'roles' | 'steps' | 'checklists'> {
  roles: Map<string, string>;
  steps: Map<string, StepLatest>;
  checklists: Map<string, ChecklistTick>;
}

/** The state of an incident with no events yet. */
export function emptyIncidentState(): IncidentState {
  return {
    title: '',
    severity: '',
    status: 'investigating',
    commander: '',
    roles: new Map(),
    drill: false,
    steps: new Map(),
    checklists: new Map(),
    notes: 0,
    events: 0,
    unknown: 0,
  };
}

/** Folds entries (sorted, as `parseIncidentLog` returns them) into a state. Pure. */
export function foldIncident(entries: Iterable<LogEntry>): IncidentState {
  const draft = toDraft(emptyIncidentState());
  for (const entry of entries) apply(draft, entry);
  return draft;
}

/** The state after one more entry, leaving `state` untouched; for following a log as it grows. */
export function applyEntry(state: IncidentState, entry: LogEntry): IncidentState {
  const draft = toDraft(state);
  apply(draft, entry);
  return draft;
}

function toDraft(state: IncidentState): Draft {
  return { ...state, roles: new Map(state.roles), steps: new Map(state.steps), checklists: new Map(state.checklists) };
}

function apply(draft: Draft, entry: LogEntry): void {
  draft.events++;
  if (entry.kind === 'unknown') {
    draft.unknown++;
    return;
  }
  if (!draft.lastEventAt || Date.parse(entry.at) >= Date.parse(draft.lastEventAt)) draft.lastEventAt = entry.at;
  applyEvent(draft, entry);
}

function applyEvent(draft: Draft, event: IncidentEvent): void {
  switch (event.kind) {
    case 'incident.started':
      start(draft, event);
      return;
    case 'step.run':
      draft.steps.set(event.step, runResult(event, runsOf(draft, event.step)));
      return;
    case 'step.ticked':
      draft.steps.set(event.step, tickResult(event, runsOf(draft, event.step)));
      return;
    case 'checklist.ticked':
      if (event.checked) draft.checklists.set(checklistKey(event.checklist, event.item), { at: event.at, actor: event.actor });
      else draft.checklists.delete(checklistKey(event.checklist, event.item));
      return;
    case 'note.added':
      draft.notes++;
      return;
    case 'status.changed':
      setStatus(draft, event.to, event.at);
      return;
    case 'severity.changed':
      draft.severity = event.to;
      return;
    case 'role.assigned':
      assignRole(draft, event.role, event.person);
      return;
    case 'incident.resolved':
      setStatus(draft, 'resolved', event.at);
      return;
    case 'incident.reopened':
      setStatus(draft, 'investigating', event.at);
      return;
    case 'notify.sent':
      return;
  }
}

function start(draft: Draft, event: IncidentEvent & { kind: 'incident.started' }): void {
  draft.id = event.incident;
  draft.title = event.title;
  draft.severity = event.severity;
  draft.drill = event.drill;
  draft.startedAt = event.at;
  if (event.playbook !== undefined) draft.playbook = event.playbook;
  assignRole(draft, 'commander', event.commander);
}

function runsOf(draft: Draft, step: string): number {
  return (draft.steps.get(step)?.runs ?? 0) + 1;
}

function runResult(event: StepRun, runs: number): StepLatest {
  const result: StepLatest = {
    type: 'run',
    at: event.at,
    verdict: event.verdict,
    exitCode: event.exitCode,
    durationMs: event.durationMs,
    runs,
    eventId: event.id,
  };
  if (event.httpStatus !== undefined) result.httpStatus = event.httpStatus;
  return result;
}

function tickResult(event: IncidentEvent & { kind: 'step.ticked' }, runs: number): StepLatest {
  const result: StepLatest = { type: 'ticked', at: event.at, runs, eventId: event.id };
  if (event.comment !== undefined) result.comment = event.comment;
  return result;
}

function setStatus(draft: Draft, status: IncidentStatus, at: string): void {
  draft.status = status;
  if (status === 'resolved') draft.resolvedAt ??= at;
  else delete draft.resolvedAt;
}

function assignRole(draft: Draft, role: string, person: string): void {
  if (person === '') draft.roles.delete(role);
  else draft.roles.set(role, person);
  if (role === 'commander') draft.commander = person;
}

// The incident log's event types, and the validator that turns any parsed line into a typed entry.
import { newEventId } from './ids';

/** The schema version this code writes; readers keep lines of other versions as `unknown` entries. */
export const EVENT_VERSION = 1;

export const INCIDENT_STATUSES = ['investigating', 'identified', 'mitigated', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const VERDICTS = ['passed', 'failed', 'unknown', 'timed-out', 'cancelled', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const STEP_RUN_KINDS = ['shell', 'http'] as const;
export type StepRunKind = (typeof STEP_RUN_KINDS)[number];

/** Fields every event has. `actor` is the person who acted (for a run, the operator). */
export interface EventBase {
  v: typeof EVENT_VERSION;
  /** Unique across responders (see `newEventId`); duplicates from merged files are the same event. */
  id: string;
  /** ISO 8601 time the event happened. */
  at: string;
  actor: string;
}

export interface IncidentStarted extends EventBase {
  kind: 'incident.started';
  incident: string;
  title: string;
  severity: string;
  commander: string;
  /** Workspace-relative path of the playbook, when the incident started from one. */
  playbook?: string;
  drill: boolean;
}

/** Recorded output: the first and last part of it, never more than the capture limit. */
export interface OutputExcerpt {
  head: string;
  /** Empty when the whole output fitted in `head`. */
  tail: string;
  /** Bytes left out between head and tail. */
  omittedBytes: number;
}

/** One question asked before a run, e.g. for a destructive command, and the answer. */
export interface Confirmation {
  reason: string;
  confirmed: boolean;
  at: string;
}

export interface StepRun extends EventBase {
  kind: 'step.run';
  step: string;
  stepKind: StepRunKind;
  /** The expanded command (for HTTP, `METHOD URL`), with secrets already redacted. */
  command: string;
  start: string;
  end: string;
  durationMs: number;
  /** null when the shell did not report one: unknown is never recorded as success. */
  exitCode: number | null;
  httpStatus?: number;
  verdict: Verdict;
  /** Output with secrets already redacted and ANSI escapes stripped. */
  output: OutputExcerpt;
  /** Questions asked before the run; a declined one leaves the verdict `skipped`. */
  confirmations: Confirmation[];
  /** 1-based attempt of a repeated step (`repeat:`); absent for a single run. */
  attempt?: number;
  playbook?: string;
}

export interface StepTicked extends EventBase {
  kind: 'step.ticked';
  step: string;
  comment?: string;
}

/** An item of one of the playbook's checklists ticked (or unticked again); the item is named by its text. */
export interface ChecklistTicked extends EventBase {
  kind: 'checklist.ticked';
  checklist: string;
  item: string;
  checked: boolean;
}

export interface NoteAdded extends EventBase {
  kind: 'note.added';
  text: string;
}

export interface StatusChanged extends EventBase {
  kind: 'status.changed';
  from: IncidentStatus;
  to: IncidentStatus;
}

export interface SeverityChanged extends EventBase {
  kind: 'severity.changed';
  from: string;
  to: string;
}

export interface RoleAssigned extends EventBase {
  kind: 'role.assigned';
  role: string;
  person: string;
}

export interface NotifySent extends EventBase {
  kind: 'notify.sent';
  template: string;
  channel: 'clipboard' | 'webhook';
  ok: boolean;
  /** Why posting failed; never the webhook URL, which is a secret. */
  error?: string;
}

export interface IncidentResolved extends EventBase {
  kind: 'incident.resolved';
  summary?: string;
}

export interface IncidentReopened extends EventBase {
  kind: 'incident.reopened';
  reason?: string;
}

/** Every event this version understands. */
export type IncidentEvent =
  | IncidentStarted
  | StepRun
  | StepTicked
  | ChecklistTicked
  | NoteAdded
  | StatusChanged
  | SeverityChanged
  | RoleAssigned
  | NotifySent
  | IncidentResolved
  | IncidentReopened;

export type EventKind = IncidentEvent['kind'];

export type UnknownReason = 'newer-version' | 'unknown-kind' | 'malformed';

/**
 * A line that parsed as JSON but is not an event this version understands: written by a newer version,
 * or damaged. Kept (not dropped) so nothing recorded is lost and a newer reader still sees it.
 */
export interface UnknownEntry {
  kind: 'unknown';
  reason: UnknownReason;
  /** The first field that failed, for `malformed`. */
  field?: string;
  /** The line's own `id`, `at` and `kind` when they are strings. */
  id?: string;
  at?: string;
  originalKind?: string;
  raw: unknown;
}

export type LogEntry = IncidentEvent | UnknownEntry;

type Check = (value: unknown) => boolean;
type Body<E> = Omit<E, keyof EventBase | 'kind'>;
type FieldChecks<E> = { [F in keyof Body<E>]-?: Check };
type ChecksByKind = { [K in EventKind]: FieldChecks<Extract<IncidentEvent, { kind: K }>> };

const str: Check = (v) => typeof v === 'string';
const text: Check = (v) => typeof v === 'string' && v.length > 0;
const bool: Check = (v) => typeof v === 'boolean';
const count: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const positive: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const iso: Check = (v) => typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v));
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const shape =
  (checks: Record<string, Check>): Check =>
  (v) =>
    isRecord(v) && firstBadField(v, checks) === undefined;
const listOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);

const CHECKS: ChecksByKind = {
  'incident.started': {
    incident: text,
    title: str,
    severity: text,
    commander: str,
    playbook: optional(str),
    drill: bool,
  },
  'step.run': {
    step: text,
    stepKind: oneOf(STEP_RUN_KINDS),
    command: str,
    start: iso,
    end: iso,
    durationMs: count,
    exitCode: (v) => v === null || Number.isInteger(v),
    httpStatus: optional(count),
    verdict: oneOf(VERDICTS),
    output: shape({ head: str, tail: str, omittedBytes: count }),
    confirmations: listOf(shape({ reason: str, confirmed: bool, at: iso })),
    attempt: optional(positive),
    playbook: optional(str),
  },
  'step.ticked': { step: text, comment: optional(str) },
  'checklist.ticked': { checklist: text, item: text, checked: bool },
  'note.added': { text: str },
  'status.changed': { from: oneOf(INCIDENT_STATUSES), to: oneOf(INCIDENT_STATUSES) },
  'severity.changed': { from: str, to: text },
  'role.assigned': { role: text, person: str },
  'notify.sent': { template: text, channel: oneOf(['clipboard', 'webhook']), ok: bool, error: optional(str) },
  'incident.resolved': { summary: optional(str) },
  'incident.reopened': { reason: optional(str) },
};

const BASE_CHECKS: Record<string, Check> = { v: (v) => v === EVENT_VERSION, id: text, at: iso, actor: str, kind: str };

/**
 * Turns one parsed log line into an event, or an `unknown` entry saying why it is not one. Never throws.
 * Extra fields are allowed and kept, so a newer version may add optional fields within version 1.
 */
export function validateEvent(value: unknown): LogEntry {
  if (!isRecord(value)) return unknown(value, 'malformed', '(line)');
  if (typeof value.v === 'number' && value.v > EVENT_VERSION) return unknown(value, 'newer-version');
  const baseProblem = firstBadField(value, BASE_CHECKS);
  if (baseProblem) return unknown(value, 'malformed', baseProblem);
  const kind = value.kind as string;
  if (!Object.hasOwn(CHECKS, kind)) return unknown(value, 'unknown-kind');
  const fieldProblem = firstBadField(value, CHECKS[kind as EventKind] as Record<string, Check>);
  if (fieldProblem) return unknown(value, 'malformed', fieldProblem);
  return value as unknown as IncidentEvent;
}

function unknown(raw: unknown, reason: UnknownReason, field?: string): UnknownEntry {
  const entry: UnknownEntry = { kind: 'unknown', reason, raw };
  if (field !== undefined) entry.field = field;
  if (isRecord(raw)) {
    if (typeof raw.id === 'string') entry.id = raw.id;
    if (typeof raw.at === 'string') entry.at = raw.at;
    if (typeof raw.kind === 'string') entry.originalKind = raw.kind;
  }
  return entry;
}

function firstBadField(value: Record<string, unknown>, checks: Record<string, Check>): string | undefined {
  return Object.keys(checks).find((field) => !checks[field](value[field]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields an event of kind `K` carries besides the common ones. */
export type EventBody<K extends EventKind> = Body<Extract<IncidentEvent, { kind: K }>>;

/** Who and when, for `createEvent`; the id is made fresh unless given. */
export interface EventMeta {
  actor: string;
  at?: Date;
  id?: string;
}

/** Builds a version-1 event with a fresh id and the current time (both overridable for tests). */
export function createEvent<K extends EventKind>(kind: K, body: EventBody<K>, meta: EventMeta): Extract<IncidentEvent, { kind: K }> {
  const at = meta.at ?? new Date();
  const base = { v: EVENT_VERSION, id: meta.id ?? newEventId(at), at: at.toISOString(), kind, actor: meta.actor };
  return { ...base, ...body } as unknown as Extract<IncidentEvent, { kind: K }>;
}

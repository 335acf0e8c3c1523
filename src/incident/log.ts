// The JSON Lines text of an incident log: one event to one line, and a whole file back to sorted, unique entries.
import { validateEvent, type IncidentEvent, type LogEntry } from './events';

export type LogProblemCode = 'TRUNCATED_LAST_LINE' | 'CORRUPT_LINE' | 'CONFLICTING_DUPLICATE' | 'UNREADABLE_FILE';

/** Something wrong with a log file; `line` is 1-based (0 when the whole file is concerned). */
export interface LogProblem {
  code: LogProblemCode;
  line: number;
  message: string;
}

/** A log file's entries, sorted by time then id with duplicates removed, and what was skipped. */
export interface LogReadResult {
  events: LogEntry[];
  problems: LogProblem[];
}

/** One event as one line, newline included; JSON escapes every newline inside strings. */
export function serializeEvent(event: IncidentEvent): string {
  return `${JSON.stringify(event)}\n`;
}

interface Kept {
  entry: LogEntry;
  text: string;
  key: string;
  time: number;
}

/**
 * Reads a log's text. Blank lines are ignored; a line that is not JSON is reported and skipped (as a
 * truncated last line when it lacks its newline, which is what a crash mid-write leaves); lines with
 * the same event id are one event, as `git merge=union` or concatenating two responders' files produces.
 */
export function parseIncidentLog(text: string): LogReadResult {
  const entries = new LogEntries();
  const lines = text.split('\n');
  const lastIndex = text.endsWith('\n') ? -1 : lines.length - 1;
  lines.forEach((line, index) => entries.addLine(line, index + 1, index === lastIndex));
  return { events: entries.sorted(), problems: entries.problems };
}

/**
 * The entries of a log as its lines arrive, kept unique and in log order exactly as `parseIncidentLog` keeps them;
 * the incremental reader feeds it only the lines a file gained. `takeAppended` tells whether the new entries all
 * sort after the old ones (the common case: a responder appended), so a follower can pass on just those.
 */
export class LogEntries {
  private readonly kept = new Map<string, Kept>();
  private ordered: Kept[] = [];
  private inOrder = true;
  private appended: LogEntry[] = [];
  private reordered = false;
  readonly problems: LogProblem[] = [];

  /** One line (1-based number `line`) without its newline; `last` when it is a final line lacking its newline. */
  addLine(rawLine: string, line: number, last: boolean): void {
    const text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (text.trim() === '') return;
    const parsed = parseJson(text);
    if (!parsed.ok) {
      this.problems.push(corruptLine(line, last));
      return;
    }
    this.keep(toKept(validateEvent(parsed.value), text), line);
  }

  /** Every entry, sorted by time then id. */
  sorted(): LogEntry[] {
    if (!this.inOrder) {
      this.ordered = [...this.kept.values()].sort(compareKept);
      this.inOrder = true;
    }
    return this.ordered.map((k) => k.entry);
  }

  /** The entries added since the last call, in order, or `reordered` when any of them sorts before an older one. */
  takeAppended(): { reordered: true } | { reordered: false; entries: LogEntry[] } {
    const result = this.reordered ? { reordered: true as const } : { reordered: false as const, entries: this.appended };
    this.appended = [];
    this.reordered = false;
    return result;
  }

  // Of two different lines claiming one id, the smaller text wins, so the result does not depend on line order.
  private keep(candidate: Kept, line: number): void {
    const existing = this.kept.get(candidate.key);
    if (existing && existing.text === candidate.text) return;
    if (existing) {
      this.problems.push({
        code: 'CONFLICTING_DUPLICATE',
        line,
        message: `Line ${line} reuses the id of a different event (${candidate.key.slice(3)}); one of the two was kept.`,
      });
      if (existing.text <= candidate.text) return;
      this.inOrder = false;
      this.reordered = true;
    }
    this.kept.set(candidate.key, candidate);
    if (existing) return;
    const previous = this.ordered[this.ordered.length - 1];
    if (previous && compareKept(previous, candidate) > 0) {
      this.inOrder = false;
      this.reordered = true;
    }
    this.ordered.push(candidate);
    this.appended.push(candidate.entry);
  }
}

/** Whether a line's text parses as JSON (the follower keeps a final line without newline once it does). */
export function isJsonLine(rawLine: string): boolean {
  return parseJson(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine).ok;
}

function parseJson(line: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false };
  }
}

/** The problem of a line that is not JSON: truncated when it is the last line and lacks its newline. */
export function corruptLine(line: number, truncated: boolean): LogProblem {
  return truncated
    ? {
        code: 'TRUNCATED_LAST_LINE',
        line,
        message: `Line ${line} ends without a newline and is incomplete (a write was interrupted); skipped.`,
      }
    : { code: 'CORRUPT_LINE', line, message: `Line ${line} is not valid JSON; skipped.` };
}

function toKept(entry: LogEntry, text: string): Kept {
  // An entry with no id of its own is only a duplicate of an identical line.
  const key = typeof entry.id === 'string' ? `id:${entry.id}` : `line:${text}`;
  const time = typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
  return { entry, text, key, time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time };
}

function compareKept(a: Kept, b: Kept): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return compareText(a.entry.at ?? '', b.entry.at ?? '') || compareText(a.key, b.key);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

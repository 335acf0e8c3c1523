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
  const problems: LogProblem[] = [];
  const kept = new Map<string, Kept>();
  const lines = text.split('\n');
  const lastIndex = text.endsWith('\n') ? -1 : lines.length - 1;
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    if (!parsed.ok) {
      problems.push(corruptLine(index + 1, index === lastIndex));
      return;
    }
    keep(kept, toKept(validateEvent(parsed.value), line), index + 1, problems);
  });
  return { events: [...kept.values()].sort(compareKept).map((k) => k.entry), problems };
}

function parseJson(line: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false };
  }
}

function corruptLine(line: number, truncated: boolean): LogProblem {
  return truncated
    ? { code: 'TRUNCATED_LAST_LINE', line, message: `Line ${line} ends without a newline and is incomplete (a write was interrupted); skipped.` }
    : { code: 'CORRUPT_LINE', line, message: `Line ${line} is not valid JSON; skipped.` };
}

function toKept(entry: LogEntry, text: string): Kept {
  // An entry with no id of its own is only a duplicate of an identical line.
  const key = typeof entry.id === 'string' ? `id:${entry.id}` : `line:${text}`;
  const time = typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
  return { entry, text, key, time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time };
}

// Of two different lines claiming one id, the smaller text wins, so the result does not depend on line order.
function keep(kept: Map<string, Kept>, candidate: Kept, line: number, problems: LogProblem[]): void {
  const existing = kept.get(candidate.key);
  if (existing && existing.text === candidate.text) return;
  if (existing) {
    problems.push({
      code: 'CONFLICTING_DUPLICATE',
      line,
      message: `Line ${line} reuses the id of a different event (${candidate.key.slice(3)}); one of the two was kept.`,
    });
    if (existing.text <= candidate.text) return;
  }
  kept.set(candidate.key, candidate);
}

function compareKept(a: Kept, b: Kept): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return compareText(a.entry.at ?? '', b.entry.at ?? '') || compareText(a.key, b.key);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

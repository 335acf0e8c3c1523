// Allocates incident ids (`INC-YYYY-MMDD-NNNN`, per workspace per day) and event ids unique across responders.
import { randomBytes } from 'node:crypto';

/** The parts of an incident id; `seq` starts at 1 each day. */
export interface IncidentIdParts {
  year: number;
  month: number;
  day: number;
  seq: number;
}

// Four digits at least; the 10,000th incident of a day widens to five rather than wrapping or failing.
const INCIDENT_ID = /^INC-(\d{4})-(\d{2})(\d{2})-(\d{4,})$/;

/** Parses an incident id, or a log file name such as `INC-2026-1124-0003.jsonl`; undefined when it is neither. */
export function parseIncidentId(text: string): IncidentIdParts | undefined {
  const match = INCIDENT_ID.exec(text.endsWith('.jsonl') ? text.slice(0, -'.jsonl'.length) : text);
  if (!match) return undefined;
  const [year, month, day, seq] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || seq < 1) return undefined;
  return { year, month, day, seq };
}

/** Formats an incident id; the day is the UTC day, like every time in the log. */
export function formatIncidentId(date: Date, seq: number): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
  return `INC-${day}-${pad(seq, 4)}`;
}

/**
 * The next incident id for `now`'s UTC day, given the ids or file names already in the workspace.
 * It follows the highest sequence of that day and never fills gaps: a deleted incident's id may still
 * be referenced in chat, tickets or git history, so it is not handed out again.
 */
export function nextIncidentId(existing: Iterable<string>, now: Date): string {
  let highest = 0;
  for (const name of existing) {
    const parts = parseIncidentId(name);
    if (!parts || !sameUtcDay(parts, now)) continue;
    highest = Math.max(highest, parts.seq);
  }
  return formatIncidentId(now, highest + 1);
}

/** Orders incident ids by day, then by sequence as a number (so `…-10000` follows `…-9999`). */
export function compareIncidentIds(a: string, b: string): number {
  const pa = parseIncidentId(a);
  const pb = parseIncidentId(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pa.year - pb.year || pa.month - pb.month || pa.day - pb.day || pa.seq - pb.seq;
}

function sameUtcDay(parts: IncidentIdParts, date: Date): boolean {
  return parts.year === date.getUTCFullYear() && parts.month === date.getUTCMonth() + 1 && parts.day === date.getUTCDate();
}

/** Source of random bytes, injectable so tests are deterministic. */
export type RandomSource = (size: number) => Uint8Array;

// Milliseconds since the epoch in base 36 fit in 9 characters until the year 5188, so the prefix sorts as text.
const TIME_WIDTH = 9;
const RANDOM_BYTES = 8;

/**
 * A new event id: a time-sortable prefix and 64 random bits, e.g. `0mhxk2c1a-9f86d081884c7d65`.
 * Two responders writing to their own copies of a log never collide, so their files merge by union.
 */
export function newEventId(now: Date = new Date(), random: RandomSource = randomBytes): string {
  const time = Math.max(0, now.getTime()).toString(36).padStart(TIME_WIDTH, '0');
  return `${time}-${Buffer.from(random(RANDOM_BYTES)).toString('hex')}`;
}

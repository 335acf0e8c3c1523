// Durations, in one place: reads the format's (`30s`, `1h30m`, `immediate`) as milliseconds, and writes milliseconds
// for people in named styles, so the lens, tree, terminal, panel, report and status bar say the same thing.

/** A parsed duration, or why the text is not one. */
export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

// Same language as the schema's `duration` pattern, so whatever validates also runs.
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Parses `30s`, `15m`, `1h30m`, `1.5h`, `500ms`, `0` or `immediate`; a bare `0` number (unquoted YAML) is accepted too. */
export function parseDuration(input: unknown): DurationResult {
  if (input === 0) return { ok: true, ms: 0 };
  if (typeof input !== 'string') return { ok: false, error: `expected a duration such as \`30s\` or \`15m\`, got ${describe(input)}` };
  const text = input.trim();
  if (text === '0' || text === 'immediate') return { ok: true, ms: 0 };
  if (!WHOLE.test(text))
    return { ok: false, error: `\`${input}\` is not a duration; write it like \`30s\`, \`15m\`, \`1h30m\` or \`500ms\`` };
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit];
  return { ok: true, ms: Math.round(ms) };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How a duration reads:
 * - `precise` for how long something took (a run, a check): `850 ms`, `3.2 s`, `1 min 05 s`, `2 h 03 min`, `3 d 04 h`;
 * - `minutes` for spans of an incident (elapsed, time to a deadline): `0 min`, `12 min`, `1 h 05 min`, `3 d 04 h`.
 * Both truncate, so a duration is never overstated (59.97 s is `59.9 s`, not `60.0 s`; 14 min 59 s is `14 min`).
 */
export type DurationStyle = 'precise' | 'minutes';

/** Writes a duration for people; negative input (a clock that went backwards) reads as 0, non-finite as `unknown`. */
export function formatDuration(ms: number, style: DurationStyle = 'precise'): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const value = Math.max(0, ms);
  if (value >= DAY) return pair(value, DAY, 'd', HOUR, 'h');
  if (value >= HOUR) return pair(value, HOUR, 'h', MINUTE, 'min');
  if (style === 'minutes') return `${Math.floor(value / MINUTE)} min`;
  if (value >= MINUTE) return pair(value, MINUTE, 'min', SECOND, 's');
  if (value >= SECOND) return `${(Math.floor(value / 100) / 10).toFixed(1)} s`;
  return `${Math.floor(value)} ms`;
}

function pair(ms: number, big: number, bigUnit: string, small: number, smallUnit: string): string {
  const whole = Math.floor(ms / big);
  const rest = Math.floor((ms - whole * big) / small);
  return `${whole} ${bigUnit} ${String(rest).padStart(2, '0')} ${smallUnit}`;
}

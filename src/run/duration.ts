// Reads the format's durations (`30s`, `1h30m`, `immediate`) as milliseconds and writes milliseconds for people.

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
  if (!WHOLE.test(text)) return { ok: false, error: `\`${input}\` is not a duration; write it like \`30s\`, \`15m\`, \`1h30m\` or \`500ms\`` };
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
 * Writes a duration for people: `850 ms`, `3.2 s`, `1 m 05 s`, `2 h 03 m`, `3 d 04 h`.
 * Negative or non-finite input (a clock that went backwards, an unknown end) reads `0 ms` / `unknown`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const value = Math.max(0, ms);
  if (value < SECOND) return `${Math.round(value)} ms`;
  if (value < MINUTE) return formatSeconds(value);
  if (value < HOUR) return pair(value, MINUTE, 'm', SECOND, 's');
  if (value < DAY) return pair(value, HOUR, 'h', MINUTE, 'm');
  return pair(value, DAY, 'd', HOUR, 'h');
}

function formatSeconds(ms: number): string {
  const tenths = Math.floor(ms / 100) / 10;
  // Truncate rather than round so 59.97 s never shows as `60.0 s`.
  return `${tenths.toFixed(1)} s`;
}

function pair(ms: number, big: number, bigUnit: string, small: number, smallUnit: string): string {
  const whole = Math.floor(ms / big);
  const rest = Math.floor((ms - whole * big) / small);
  return `${whole} ${bigUnit} ${String(rest).padStart(2, '0')} ${smallUnit}`;
}

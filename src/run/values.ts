// Small value rules shared by expectations and conditions: JSON paths, numeric coercion, deep equality, safe regexes.
import { splitPath } from '../playbook/condition';

/** A looked-up value: `found: false` means the path does not exist (not the same as JSON `null`). */
export type Lookup = { found: true; value: unknown } | { found: false };

/** Reads `memoryUsage.heapSizeMB` or `modules[0].status` from parsed JSON; an empty path is the whole value. */
export function getPath(root: unknown, path: string | string[]): Lookup {
  const segments = typeof path === 'string' ? splitPath(path) : path;
  let current: unknown = root;
  for (const segment of segments) {
    const next = child(current, segment);
    if (!next.found) return next;
    current = next.value;
  }
  return { found: true, value: current };
}

function child(value: unknown, segment: string): Lookup {
  if (Array.isArray(value)) {
    if (!/^\d+$/.test(segment)) return { found: false };
    const index = Number(segment);
    return index < value.length ? { found: true, value: value[index] } : { found: false };
  }
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, segment)) {
    return { found: true, value: (value as Record<string, unknown>)[segment] };
  }
  return { found: false };
}

const NUMERIC_TEXT = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/**
 * Numeric coercion: numbers are themselves; strings that are plain decimal numbers (`"42"`, `" 1.5 "`, `"1e3"`)
 * become numbers; everything else (booleans, null, `""`, `"0x10"`, `"Infinity"`, objects) is not a number.
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value);
  return undefined;
}

/** Structural equality of JSON-like values; numbers compare by value, types must otherwise match. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as text for `contains`/`matches`: strings as they are, scalars printed, objects and arrays as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Shows a value in a message: strings quoted, long values shortened. */
export function show(value: unknown, max = 80): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Compiles a user-written regular expression without throwing. */
export function compileRegExp(pattern: string): { ok: true; regex: RegExp } | { ok: false; error: string } {
  try {
    return { ok: true, regex: new RegExp(pattern) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `\`${pattern}\` is not a valid regular expression (${reason})` };
  }
}

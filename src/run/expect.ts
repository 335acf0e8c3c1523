// Judges a step's outcome against its `expect`: each check described for people, and one verdict.
import type { Expectation, JsonCheck } from '../playbook/types';
import { formatDuration, parseDuration } from '../playbook/duration';
import { asText, compileRegExp, deepEqual, getPath, show, toNumber } from './values';

/** A step's verdict: `unknown` when a result could not be established (never counted as passed). */
export type Verdict = 'passed' | 'failed' | 'unknown';

/** One check of an expectation, readable on its own ("status 503 is not 200"). */
export interface Check {
  description: string;
  passed: boolean;
  /** True when the check could not be decided (an exit code the shell did not report); `passed` is then false. */
  unknown?: boolean;
  /** The observed value, as text, when there is one worth showing. */
  actual?: string;
}

/** The checks made and the verdict: failed if any check failed, unknown if any was undecided, else passed. */
export interface ExpectResult {
  verdict: Verdict;
  checks: Check[];
}

/** How a run ended when it did not end by itself. */
export type Interruption = 'timeout' | 'cancelled';

/** What a `run` step produced. */
export interface ShellOutcome {
  /** `undefined` when the shell did not report one. */
  exitCode: number | undefined;
  output: string;
  durationMs: number;
  interrupted?: Interruption;
}

/** What an `http` step produced. */
export interface HttpOutcome {
  /** `undefined` when no response arrived. */
  status: number | undefined;
  body: string;
  durationMs: number;
  /** Why no response arrived (`ECONNREFUSED`, `request timed out`). */
  error?: string;
  interrupted?: Interruption;
}

/** Judges a `run` step: exit code (default 0), output checks, `max_duration`. */
export function judgeShell(expect: Expectation | undefined, outcome: ShellOutcome): ExpectResult {
  const checks: Check[] = [
    ...interruptionChecks(outcome.interrupted, outcome.durationMs),
    exitCodeCheck(expect?.exit_code, outcome.exitCode),
  ];
  checks.push(...outputChecks(expect, outcome.output), ...durationChecks(expect?.max_duration, outcome.durationMs));
  return verdictOf(checks);
}

/** Judges an `http` step: status (default any 2xx), `body_contains`, `json` checks, `max_duration`. */
export function judgeHttp(expect: Expectation | undefined, outcome: HttpOutcome): ExpectResult {
  const checks = interruptionChecks(outcome.interrupted, outcome.durationMs);
  if (outcome.status === undefined) {
    checks.push({ description: `no response${outcome.error ? `: ${outcome.error}` : ''}`, passed: false });
    return verdictOf(checks);
  }
  checks.push(statusCheck(expect?.status, outcome.status));
  if (expect?.body_contains !== undefined) checks.push(containsCheck('body', outcome.body, expect.body_contains, true));
  if (expect?.json) checks.push(...jsonChecks(expect.json, outcome.body));
  checks.push(...durationChecks(expect?.max_duration, outcome.durationMs));
  return verdictOf(checks);
}

function verdictOf(checks: Check[]): ExpectResult {
  const failed = checks.some((c) => !c.passed && !c.unknown);
  const unknown = checks.some((c) => c.unknown);
  return { verdict: failed ? 'failed' : unknown ? 'unknown' : 'passed', checks };
}

function interruptionChecks(interrupted: Interruption | undefined, durationMs: number): Check[] {
  if (interrupted === 'timeout') return [{ description: `timed out after ${formatDuration(durationMs)}`, passed: false }];
  if (interrupted === 'cancelled') return [{ description: `cancelled after ${formatDuration(durationMs)}`, passed: false }];
  return [];
}

function listOf<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function oneOf(values: number[]): string {
  return values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`;
}

function exitCodeCheck(expected: number | number[] | undefined, actual: number | undefined): Check {
  const allowed = listOf(expected ?? 0);
  if (actual === undefined) {
    return { description: `exit code unknown (the shell did not report it), expected ${oneOf(allowed)}`, passed: false, unknown: true };
  }
  const passed = allowed.includes(actual);
  return { description: `exit code ${actual} ${passed ? 'is' : 'is not'} ${oneOf(allowed)}`, passed, actual: String(actual) };
}

function statusCheck(expected: number | number[] | undefined, actual: number): Check {
  if (expected === undefined) {
    const passed = actual >= 200 && actual < 300;
    return { description: `status ${actual} ${passed ? 'is' : 'is not'} 2xx`, passed, actual: String(actual) };
  }
  const allowed = listOf(expected);
  const passed = allowed.includes(actual);
  return { description: `status ${actual} ${passed ? 'is' : 'is not'} ${oneOf(allowed)}`, passed, actual: String(actual) };
}

function outputChecks(expect: Expectation | undefined, output: string): Check[] {
  const checks: Check[] = [];
  for (const text of listOf(expect?.output_contains ?? [])) checks.push(containsCheck('output', output, text, true));
  for (const text of listOf(expect?.output_not_contains ?? [])) checks.push(containsCheck('output', output, text, false));
  if (expect?.output_matches !== undefined) checks.push(matchCheck('output', output, expect.output_matches));
  return checks;
}

function containsCheck(what: string, text: string, needle: unknown, wanted: boolean): Check {
  const needleText = asText(needle);
  const found = text.includes(needleText);
  const verb = found ? 'contains' : 'does not contain';
  return { description: `${what} ${verb} ${show(needleText)}`, passed: found === wanted };
}

function matchCheck(what: string, text: string, pattern: string): Check {
  const compiled = compileRegExp(String(pattern));
  if (!compiled.ok) return { description: `${what} cannot be matched: ${compiled.error}`, passed: false };
  const passed = compiled.regex.test(text);
  return { description: `${what} ${passed ? 'matches' : 'does not match'} /${pattern}/`, passed };
}

function durationChecks(limit: string | undefined, durationMs: number): Check[] {
  if (limit === undefined) return [];
  const parsed = parseDuration(limit);
  if (!parsed.ok) return [{ description: `max_duration cannot be checked: ${parsed.error}`, passed: false }];
  const passed = durationMs <= parsed.ms;
  const took = formatDuration(durationMs);
  return [{ description: `took ${took}, ${passed ? 'within' : 'more than'} ${limit}`, passed, actual: took }];
}

function jsonChecks(checks: JsonCheck[], body: string): Check[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return checks.map((c) => ({ description: `json ${c.path}: the response body is not JSON`, passed: false }));
  }
  return checks.flatMap((c) => jsonCheck(c, json));
}

type Operator = 'equals' | 'not_equals' | 'matches' | 'exists' | 'gt' | 'gte' | 'lt' | 'lte';
const OPERATORS: Operator[] = ['exists', 'equals', 'not_equals', 'matches', 'gt', 'gte', 'lt', 'lte'];

/** One Check per operator given; a check with no operator only requires the field to exist. */
function jsonCheck(check: JsonCheck, json: unknown): Check[] {
  const found = getPath(json, String(check.path ?? ''));
  const given = OPERATORS.filter((op) => check[op] !== undefined);
  if (given.length === 0) return [existsCheck(check.path, found.found, true)];
  return given.map((op) => {
    if (op === 'exists') return existsCheck(check.path, found.found, check.exists === true);
    if (!found.found) return { description: `json ${check.path} is absent`, passed: false };
    return valueCheck(check.path, op, found.value, check[op]);
  });
}

function existsCheck(path: string, found: boolean, wanted: boolean): Check {
  return { description: `json ${path} ${found ? 'exists' : 'is absent'}`, passed: found === wanted };
}

const NUMERIC: Record<string, [string, (a: number, b: number) => boolean]> = {
  gt: ['>', (a, b) => a > b],
  gte: ['>=', (a, b) => a >= b],
  lt: ['<', (a, b) => a < b],
  lte: ['<=', (a, b) => a <= b],
};

function valueCheck(path: string, op: Operator, actual: unknown, expected: unknown): Check {
  const shown = show(actual);
  if (op === 'equals' || op === 'not_equals') {
    const equal = deepEqual(actual, expected);
    const passed = equal === (op === 'equals');
    return { description: `json ${path} is ${shown}${equal ? ', equal to' : ', not'} ${show(expected)}`, passed, actual: shown };
  }
  if (op === 'matches') {
    const verdict = matchCheck(`json ${path} (${shown})`, asText(actual), String(expected));
    return { ...verdict, actual: shown };
  }
  return numericCheck(path, op, actual, expected);
}

/**
 * `gt`/`gte`/`lt`/`lte`: the field and the limit must both be numbers or decimal numeric strings (see `toNumber`);
 * anything else (true, null, "n/a", an object) fails the check and says so.
 */
function numericCheck(path: string, op: Operator, actual: unknown, expected: unknown): Check {
  const [symbol, compare] = NUMERIC[op];
  const a = toNumber(actual);
  const b = toNumber(expected);
  const shown = show(actual);
  if (b === undefined)
    return { description: `json ${path} ${symbol} ${show(expected)}: the limit is not a number`, passed: false, actual: shown };
  if (a === undefined)
    return { description: `json ${path} is ${shown}, not a number to compare ${symbol} ${b}`, passed: false, actual: shown };
  const passed = compare(a, b);
  return { description: `json ${path} is ${a}, ${passed ? '' : 'not '}${symbol} ${b}`, passed, actual: shown };
}

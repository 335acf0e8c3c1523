// Runs one `run` or `http` step: expansion, `when`, repeats, timeouts, judging and redaction, with side effects injected.
import * as path from 'node:path';
import type { Playbook, Shell, Step } from '../playbook/types';
import type { StepKind } from '../playbook/model';
import { findDestructive } from '../playbook/destructive';
import { parseDuration } from '../playbook/duration';
import { evaluateWhen, type ConditionContext, type StepFacts } from './evaluate';
import { judgeHttp, judgeShell, type Check, type ExpectResult, type Interruption } from './expect';
import { runHttp, type HttpCall, type HttpRunOutcome } from './httpRunner';
import { DEFAULT_OUTPUT_LIMIT, OutputCapture, type CapturedOutput } from './output';
import { statusOf } from './plan';
import { runProcess, type ProcessOutcome } from './processRunner';
import { planProxy, type ProxyPlan } from './proxy';
import { planRedaction, redact, type NamedSecret, type RedactionPlan } from './redact';
import { expand, stepEnvironment, type VariableResolution } from './variables';

/** Default step timeout when neither the step nor the playbook gives one: 5 minutes. */
export const DEFAULT_STEP_TIMEOUT_MS = 5 * 60_000;

/** A step's final verdict. */
export type StepVerdict = 'passed' | 'failed' | 'unknown' | 'timed-out' | 'cancelled' | 'skipped';

/** The kinds this runner runs; `manual` and `notify` steps belong to the adapter. */
export type RunnableKind = Extract<StepKind, 'run' | 'http'>;

/** What an `http` step sent, secrets redacted. */
export interface RequestSummary {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What every run records, whether a whole step or one attempt of a repeated step. */
interface RunRecord {
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  exitCode: number | null;
  httpStatus?: number;
  /** Redacted, ANSI-stripped, head and tail kept. */
  output: CapturedOutput;
  checks: Check[];
  /** The parsed JSON response body (read from the redacted body). */
  json?: unknown;
}

/** The result of one attempt of a repeated step (a step without `repeat` has one attempt). */
export interface AttemptResult extends RunRecord {
  /** From 1. */
  attempt: number;
  of: number;
  verdict: Exclude<StepVerdict, 'skipped'>;
}

/** Everything recorded about a step run. */
export interface StepResult extends RunRecord {
  stepId: string;
  kind: RunnableKind;
  verdict: StepVerdict;
  /** The expanded command, secrets redacted (`run` steps). */
  command?: string;
  /** The expanded request, secrets redacted (`http` steps). */
  request?: RequestSummary;
  /** Attempts made: 0 when skipped or not started, more than 1 for repeats. */
  attempts: number;
  /** Why a step was skipped or not started, and notes from evaluating its condition. */
  notes: string[];
}

/** Runs a command: the child-process runner in the core, a terminal in the adapter. */
export type ShellEffect = (
  command: string,
  env: Record<string, string>,
  cwd: string | undefined,
  timeoutMs: number,
  signal: AbortSignal,
  shell?: Shell,
) => Promise<ProcessOutcome>;

/** Makes a request; `runHttp` in production. */
export type HttpEffect = (request: HttpCall, signal: AbortSignal) => Promise<HttpRunOutcome>;

/** Time, injectable so repeats run instantly in tests. */
export interface Clock {
  now(): Date;
  /** Waits; resolves early (to false) when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
}

/** The side effects a step runner may cause. */
export interface StepEffects {
  shell: ShellEffect;
  http: HttpEffect;
  clock?: Clock;
}

/** What a run knows besides the step. */
export interface StepContext {
  variables: Pick<VariableResolution, 'values' | 'secrets'> & Partial<Pick<VariableResolution, 'missing'>>;
  /** More values to redact (remembered prompt answers the resolution does not list as secret). */
  secrets?: readonly NamedSecret[];
  /** Last results of earlier steps, for `when`. */
  results?: ConditionContext['steps'];
  severity?: string;
  incident?: { status?: string };
  defaults?: Playbook['defaults'];
  /** The workspace folder: the working directory of `run` steps, and what a relative `cwd` is relative to. */
  workspaceDir?: string;
  /** Used when neither the step nor `defaults.timeout` gives one. */
  defaultTimeoutMs?: number;
  outputLimitBytes?: number;
  signal?: AbortSignal;
  /** Each attempt as it ends, for progress and recording. */
  onAttempt?(attempt: AttemptResult): void;
}

/** Runs one step. */
export interface StepRunner {
  /** The step's result; `undefined` for `manual` and `notify` steps, which the adapter handles. */
  run(step: Step, ctx: StepContext): Promise<StepResult | undefined>;
}

/** A step runner over the given side effects. */
export function createStepRunner(effects: StepEffects): StepRunner {
  return { run: (step, ctx) => runStep(step, ctx, effects) };
}

/** The kind this runner would run, or undefined for manual, notify and malformed steps. */
export function runnableKind(step: Step): RunnableKind | undefined {
  if (typeof step.run === 'string' && step.http === undefined) return 'run';
  if (step.http !== undefined && step.run === undefined) return 'http';
  return undefined;
}

/** Whether the step must be confirmed before it runs. */
export function isDestructive(step: Step): boolean {
  return step.confirm === true || step.destructive === true || (typeof step.run === 'string' && findDestructive(step.run).length > 0);
}

/** A step with its placeholders expanded, ready to run. */
export interface ExpandedStep {
  kind: RunnableKind;
  command?: string;
  env?: Record<string, string>;
  cwd?: string;
  request?: HttpCall;
  /** Names without a value that stop the step from running. */
  missing: string[];
}

/** Expands `${NAME}` in the command, cwd and env, or in every string of the request. */
export function expandStep(step: Step, ctx: Pick<StepContext, 'variables' | 'defaults' | 'workspaceDir'>): ExpandedStep | undefined {
  const kind = runnableKind(step);
  if (kind === undefined) return undefined;
  const values = ctx.variables.values;
  const missing = new Set<string>();
  const text = (raw: string): string => {
    const expansion = expand(raw, values);
    expansion.missing.forEach((name) => missing.add(name));
    return expansion.text;
  };
  if (kind === 'http') return { kind, request: expandRequest(step, text), missing: blocking([...missing], ctx, false) };
  // Secrets stay `${NAME}` in the command: the shell reads them from the exported environment, so a secret never
  // appears on a command line (visible to `ps`) or in the temporary script a multi-line command is written to.
  const secretNames = new Set(ctx.variables.secrets.map((s) => s.name));
  const commandValues = Object.fromEntries(Object.entries(values).filter(([name]) => !secretNames.has(name)));
  const commandExpansion = expand(step.run as string, commandValues);
  commandExpansion.missing.filter((name) => !secretNames.has(name)).forEach((name) => missing.add(name));
  const command = commandExpansion.text;
  const cwd = step.cwd ?? ctx.defaults?.cwd;
  const expandedCwd = workingDirectory(cwd === undefined ? undefined : text(cwd), ctx.workspaceDir);
  const env = stepEnvironment(values, step.env);
  env.missing.forEach((name) => missing.add(name));
  return { kind, command, env: env.env, cwd: expandedCwd, missing: blocking([...missing], ctx, true) };
}

function workingDirectory(cwd: string | undefined, workspaceDir: string | undefined): string | undefined {
  if (workspaceDir === undefined) return cwd;
  return cwd === undefined ? workspaceDir : path.resolve(workspaceDir, cwd);
}

function expandRequest(step: Step, text: (raw: string) => string): HttpCall {
  const http = step.http as NonNullable<Step['http']>;
  const call: HttpCall = { method: http.method ?? 'GET', url: text(http.url) };
  if (http.headers) call.headers = mapValues(http.headers, (v) => text(String(v)));
  if (http.query) call.query = mapValues(http.query, (v) => text(String(v)));
  if (http.body !== undefined) call.body = text(http.body);
  if (http.json !== undefined) call.json = expandJson(http.json, text);
  if (http.follow_redirects !== undefined) call.followRedirects = http.follow_redirects;
  return call;
}

function expandJson(value: unknown, text: (raw: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => expandJson(item, text));
  if (value !== null && typeof value === 'object') return mapValues(value as Record<string, unknown>, (v) => expandJson(v, text));
  return value;
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/**
 * Missing names that stop the step. In a command an undeclared `${NAME}` is the shell's business (the script may
 * set it); elsewhere it is an error. A declared optional variable without a value never blocks.
 */
function blocking(missing: string[], ctx: Pick<StepContext, 'variables'>, inCommand: boolean): string[] {
  const declaredMissing = new Map((ctx.variables.missing ?? []).map((m) => [m.name, m.required]));
  return missing.filter((name) => (declaredMissing.has(name) ? declaredMissing.get(name) === true : !inCommand));
}

/** The exact text to show in a confirmation modal: the expanded command, or the request line and body. */
export function describeForConfirmation(step: Step, expanded: ExpandedStep, secrets: readonly NamedSecret[] = []): string {
  const hide = (text: string): string => redact(text, secrets);
  if (expanded.kind === 'run') return hide(expanded.command ?? step.run ?? '');
  const request = expanded.request as HttpCall;
  const lines = [`${request.method ?? 'GET'} ${request.url}${queryText(request.query)}`];
  for (const [key, value] of Object.entries(request.headers ?? {})) lines.push(`${key}: ${value}`);
  const body = request.json !== undefined ? JSON.stringify(request.json, null, 2) : request.body;
  if (body !== undefined) lines.push('', body);
  return hide(lines.join('\n'));
}

function queryText(query: HttpCall['query']): string {
  const entries = Object.entries(query ?? {});
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

/** The facts a later `when` reads from a result. */
export function toFacts(result: StepResult): StepFacts {
  const facts: StepFacts = { verdict: statusOf(result.verdict).verdict, durationMs: result.durationMs, output: result.output.text };
  if (result.exitCode !== null) facts.exitCode = result.exitCode;
  if (result.httpStatus !== undefined) facts.status = result.httpStatus;
  if (result.json !== undefined) facts.json = result.json;
  return facts;
}

/** A clock over real time. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

async function runStep(step: Step, ctx: StepContext, effects: StepEffects): Promise<StepResult | undefined> {
  const expanded = expandStep(step, ctx);
  if (!expanded) return undefined;
  const clock = effects.clock ?? systemClock;
  const plan = planRedaction([...ctx.variables.secrets, ...(ctx.secrets ?? [])]);
  const base = baseResult(step, expanded, plan, clock.now());
  if (step.when !== undefined) {
    const evaluation = evaluateWhen(step.when, conditionContext(ctx));
    if (!evaluation.value) return { ...base, verdict: 'skipped', notes: [`skipped: \`when: ${step.when}\` is false`, ...evaluation.notes] };
  }
  if (expanded.missing.length > 0) {
    const check = { description: `not run: no value for ${expanded.missing.map((n) => `\${${n}}`).join(', ')}`, passed: false };
    return { ...base, verdict: 'failed', checks: [check], notes: [check.description] };
  }
  return repeatAttempts(step, expanded, ctx, { ...effects, clock }, { base, plan });
}

function baseResult(step: Step, expanded: ExpandedStep, plan: RedactionPlan, now: Date): StepResult {
  const result: StepResult = {
    stepId: step.id,
    kind: expanded.kind,
    verdict: 'unknown',
    startedAt: now,
    endedAt: now,
    durationMs: 0,
    exitCode: null,
    output: { text: '', totalBytes: 0, omittedBytes: 0 },
    checks: [],
    attempts: 0,
    notes: [],
  };
  if (expanded.command !== undefined) result.command = redact(expanded.command, plan);
  if (expanded.request) result.request = requestSummary(expanded.request, plan);
  return result;
}

function requestSummary(call: HttpCall, plan: RedactionPlan): RequestSummary {
  const summary: RequestSummary = {
    method: (call.method ?? 'GET').toUpperCase(),
    url: redact(`${call.url}${queryText(call.query)}`, plan),
    headers: mapValues(call.headers ?? {}, (v) => redact(v, plan)),
  };
  const body = call.json !== undefined ? JSON.stringify(call.json) : call.body;
  if (body !== undefined) summary.body = redact(body, plan);
  return summary;
}

function conditionContext(ctx: StepContext): ConditionContext {
  const context: ConditionContext = { steps: ctx.results ?? {}, vars: ctx.variables.values };
  if (ctx.severity !== undefined) context.severity = ctx.severity;
  if (ctx.incident !== undefined) context.incident = ctx.incident;
  return context;
}

interface RepeatPlan {
  times: number;
  everyMs: number;
  until: 'passed' | 'failed';
}

function repeatPlan(step: Step): RepeatPlan {
  if (!step.repeat) return { times: 1, everyMs: 0, until: 'passed' };
  const every = parseDuration(step.repeat.every);
  const times = Number.isInteger(step.repeat.times) && step.repeat.times > 0 ? step.repeat.times : 1;
  return { times, everyMs: every.ok ? every.ms : 0, until: step.repeat.until ?? 'passed' };
}

async function repeatAttempts(
  step: Step,
  expanded: ExpandedStep,
  ctx: StepContext,
  effects: Required<StepEffects>,
  shared: { base: StepResult; plan: RedactionPlan },
): Promise<StepResult> {
  const repeat = repeatPlan(step);
  const signal = ctx.signal ?? new AbortController().signal;
  let last: AttemptResult | undefined;
  let attempts = 0;
  let cancelledBetween = false;
  for (let i = 1; i <= repeat.times; i++) {
    if ((i > 1 && !(await effects.clock.sleep(repeat.everyMs, signal))) || signal.aborted) {
      cancelledBetween = true;
      break;
    }
    last = await runAttempt(step, expanded, ctx, effects, { attempt: i, of: repeat.times, plan: shared.plan, signal });
    attempts = i;
    ctx.onAttempt?.(last);
    if (last.verdict === 'cancelled' || last.verdict === repeat.until || (repeat.until === 'failed' && last.verdict !== 'passed')) break;
  }
  const endedAt = effects.clock.now();
  const result: StepResult = {
    ...shared.base,
    endedAt,
    durationMs: Math.max(0, endedAt.getTime() - shared.base.startedAt.getTime()),
    attempts,
  };
  if (!last) return { ...result, verdict: 'cancelled', checks: [{ description: 'cancelled before it ran', passed: false }] };
  if (!cancelledBetween) return withAttempt(result, last);
  // Cancelled while waiting for the next attempt: the step did not finish, whatever the last attempt said.
  const merged = withAttempt(result, last);
  return {
    ...merged,
    verdict: 'cancelled',
    checks: [...merged.checks, { description: `cancelled after attempt ${attempts} of ${repeat.times}`, passed: false }],
  };
}

function withAttempt(result: StepResult, last: AttemptResult): StepResult {
  const merged: StepResult = { ...result, verdict: last.verdict, exitCode: last.exitCode, output: last.output, checks: last.checks };
  if (last.httpStatus !== undefined) merged.httpStatus = last.httpStatus;
  if (last.json !== undefined) merged.json = last.json;
  return merged;
}

interface AttemptInput {
  attempt: number;
  of: number;
  plan: RedactionPlan;
  signal: AbortSignal;
}

function runAttempt(
  step: Step,
  expanded: ExpandedStep,
  ctx: StepContext,
  effects: Required<StepEffects>,
  input: AttemptInput,
): Promise<AttemptResult> {
  const timeoutMs = stepTimeout(step, ctx);
  return expanded.kind === 'run'
    ? shellAttempt(step, expanded, effects, input, timeoutMs, ctx)
    : httpAttempt(step, expanded, effects, input, timeoutMs, ctx);
}

/** The step's `timeout`, then `defaults.timeout`, then the context's default; an HTTP `timeout` wins for requests. */
export function stepTimeout(step: Step, ctx: Pick<StepContext, 'defaults' | 'defaultTimeoutMs'>): number {
  for (const candidate of [step.http?.timeout, step.timeout, ctx.defaults?.timeout]) {
    if (candidate === undefined) continue;
    const parsed = parseDuration(candidate);
    if (parsed.ok && parsed.ms > 0) return parsed.ms;
  }
  return ctx.defaultTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
}

async function shellAttempt(
  step: Step,
  expanded: ExpandedStep,
  effects: Required<StepEffects>,
  input: AttemptInput,
  timeoutMs: number,
  ctx: StepContext,
): Promise<AttemptResult> {
  const shellName = step.shell ?? ctx.defaults?.shell;
  const outcome = await effects.shell(expanded.command as string, expanded.env ?? {}, expanded.cwd, timeoutMs, input.signal, shellName);
  // The runner already redacts, but an injected one (a terminal) may not: redacting twice is harmless.
  const output = { ...outcome.output, text: redact(outcome.output.text, input.plan) };
  const interrupted: Interruption | undefined = outcome.cancelled ? 'cancelled' : outcome.timedOut ? 'timeout' : undefined;
  const judged = judgeShell(step.expect, {
    exitCode: outcome.exitCode ?? undefined,
    output: output.text,
    durationMs: outcome.durationMs,
    interrupted,
  });
  const failedToRun = startChecks(outcome);
  const checks = [...failedToRun, ...judged.checks];
  const verdict = verdictOf(interrupted, { checks, verdict: failedToRun.length > 0 ? 'failed' : judged.verdict });
  return {
    attempt: input.attempt,
    of: input.of,
    verdict,
    startedAt: outcome.startedAt,
    endedAt: outcome.endedAt,
    durationMs: outcome.durationMs,
    exitCode: outcome.exitCode,
    output,
    checks,
  };
}

/** A process that never started, or that died of a signal nobody sent, failed: its exit code is not merely unknown. */
function startChecks(outcome: ProcessOutcome): Check[] {
  if (outcome.spawnError !== undefined) return [{ description: `could not start: ${outcome.spawnError}`, passed: false }];
  if (outcome.exitCode === null && outcome.signal !== null && !outcome.timedOut && !outcome.cancelled) {
    return [{ description: `killed by ${outcome.signal}`, passed: false, actual: outcome.signal }];
  }
  return [];
}

async function httpAttempt(
  step: Step,
  expanded: ExpandedStep,
  effects: Required<StepEffects>,
  input: AttemptInput,
  timeoutMs: number,
  ctx: StepContext,
): Promise<AttemptResult> {
  const outcome = await effects.http({ ...(expanded.request as HttpCall), timeoutMs }, input.signal);
  const body = redact(outcome.body, input.plan);
  const error = outcome.error === undefined ? undefined : redact(outcome.error, input.plan);
  const judged = judgeHttp(step.expect, {
    status: outcome.status,
    body,
    durationMs: outcome.durationMs,
    error,
    interrupted: outcome.interrupted,
  });
  const capture = new OutputCapture(ctx.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT);
  capture.write(body);
  const result: AttemptResult = {
    attempt: input.attempt,
    of: input.of,
    verdict: verdictOf(outcome.interrupted, judged),
    startedAt: outcome.startedAt,
    endedAt: outcome.endedAt,
    durationMs: outcome.durationMs,
    exitCode: null,
    output: capture.result(),
    checks: judged.checks,
  };
  if (outcome.status !== undefined) result.httpStatus = outcome.status;
  const json = parseQuietly(body);
  if (outcome.json !== undefined && json !== undefined) result.json = json;
  return result;
}

function parseQuietly(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function verdictOf(interrupted: Interruption | undefined, judged: ExpectResult): AttemptResult['verdict'] {
  if (interrupted === 'timeout') return 'timed-out';
  if (interrupted === 'cancelled') return 'cancelled';
  return judged.verdict;
}

/** Options for the child-process and undici effects the CLI and the pseudoterminal use. */
export interface DefaultEffectOptions {
  secrets?: readonly NamedSecret[];
  outputLimitBytes?: number;
  killGraceMs?: number;
  onOutput?(redactedChunk: string): void;
  /** How requests reach the network; by default the HTTP(S)_PROXY and NO_PROXY variables of this process. */
  proxy?: ProxyPlan;
}

/** Side effects over `runProcess` and `runHttp`. */
export function defaultEffects(options: DefaultEffectOptions = {}): StepEffects {
  const proxy = options.proxy ?? planProxy({ env: process.env });
  return {
    shell: (command, env, cwd, timeoutMs, signal, shell) =>
      runProcess(command, {
        shell,
        env,
        cwd,
        timeoutMs,
        signal,
        secrets: options.secrets,
        outputLimitBytes: options.outputLimitBytes,
        killGraceMs: options.killGraceMs,
        onOutput: options.onOutput,
      }),
    http: (request, signal) => runHttp(request, { signal, bodyLimitBytes: options.outputLimitBytes, proxy }),
    clock: systemClock,
  };
}

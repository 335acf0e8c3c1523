// Runs one `run` or `http` step and records it: the single core behind the editor's ▶ Run and `playbook run`.
// The caller gathers input (variables, a way to confirm) and shows output; everything recorded is decided here.
import type { Confirmation, EventBody, EventKind, OutputExcerpt, StepRunKind } from '../incident/events';
import type { Playbook, Step } from '../playbook/types';
import type { StepFacts } from './evaluate';
import { resultLabel } from './resultLabel';
import {
  createStepRunner,
  describeForConfirmation,
  expandStep,
  isDestructive,
  runnableKind,
  toFacts,
  type AttemptResult,
  type StepEffects,
  type StepResult,
  type StepVerdict,
} from './stepRunner';
import type { VariableResolution } from './variables';

/** Where events go: the active incident's log (editor) or the named incident's (CLI). */
export interface Recorder {
  record<K extends EventKind>(kind: K, body: EventBody<K>): Promise<void>;
}

/** Why a step must be confirmed, as recorded and shown. */
export function confirmationReason(step: Step): string {
  return step.confirm || step.destructive ? 'the step asks for confirmation' : 'the command looks destructive';
}

/**
 * Asks whether a destructive step may run, showing `command`. `note` is added to the recorded reason
 * (the CLI says how it was answered: `confirmed by --yes`).
 */
export type Confirm = (request: { step: Step; command: string; reason: string }) => Promise<{ confirmed: boolean; note?: string }>;

/** Everything one recorded run needs. */
export interface RecordRunInput {
  step: Step;
  playbook: Pick<Playbook, 'defaults'>;
  /** Workspace-relative path of the playbook, recorded with each run. */
  playbookPath: string;
  variables: VariableResolution;
  /** The working directory of `run` steps; a step's relative `cwd` counts from here. */
  workspaceDir: string;
  effects: StepEffects;
  recorder: Recorder;
  confirm: Confirm;
  /** Facts of earlier runs, read by `when:`; this step's facts are written back after it ran. */
  facts: Map<string, StepFacts>;
  signal?: AbortSignal;
  defaultTimeoutMs?: number;
  outputLimitBytes?: number;
  /** Just before the process or request starts, with the command as shown (secrets redacted). */
  onStart?(command: string): void | Promise<void>;
  /** Each attempt of a repeated step as it ends, with its label. */
  onAttempt?(attempt: AttemptResult, label: string): void;
}

/** How a recorded run ended. */
export type RecordedRun =
  | { outcome: 'not-runnable' }
  | { outcome: 'declined'; command: string; confirmations: Confirmation[] }
  | { outcome: 'ran'; command: string; result: StepResult; label: string };

/** Expands, confirms, runs and records one step; never throws for what a person typed. */
export async function recordRun(input: RecordRunInput): Promise<RecordedRun> {
  const { step, variables } = input;
  const kind = runnableKind(step);
  const expanded = expandStep(step, { variables, defaults: input.playbook.defaults, workspaceDir: input.workspaceDir });
  if (!kind || !expanded) return { outcome: 'not-runnable' };
  const command = describeForConfirmation(step, expanded, variables.secrets);
  // A step that cannot run for want of a value is recorded as failed by the runner; asking first would be pointless.
  const confirmations = expanded.missing.length > 0 ? [] : await confirmationsFor(input, command);
  const record = (run: RunFields, attempt?: number): Promise<void> =>
    input.recorder.record('step.run', stepRunBody(input, kind, command, confirmations, run, attempt));
  if (confirmations.some((c) => !c.confirmed)) {
    const now = new Date();
    await record({
      startedAt: now,
      endedAt: now,
      durationMs: 0,
      exitCode: null,
      verdict: 'skipped',
      output: { text: '', omittedBytes: 0 },
    });
    input.facts.set(step.id, { verdict: 'skipped' });
    return { outcome: 'declined', command, confirmations };
  }
  await input.onStart?.(command);
  // A repeated step records every attempt as it ends; the last attempt then stands for the result.
  let attempts: Promise<void> = Promise.resolve();
  let lastAttempt: AttemptResult | undefined;
  const result = await createStepRunner(input.effects).run(step, {
    variables,
    defaults: input.playbook.defaults,
    signal: input.signal,
    results: Object.fromEntries(input.facts),
    workspaceDir: input.workspaceDir,
    defaultTimeoutMs: input.defaultTimeoutMs,
    outputLimitBytes: input.outputLimitBytes,
    onAttempt: step.repeat
      ? (attempt) => {
          lastAttempt = attempt;
          input.onAttempt?.(attempt, labelOf(attempt));
          attempts = attempts.then(() => record(attempt, attempt.attempt));
        }
      : undefined,
  });
  await attempts;
  if (!result) return { outcome: 'not-runnable' };
  // ...unless the run ended otherwise (cancelled between attempts, not run at all).
  if (!lastAttempt || lastAttempt.verdict !== result.verdict) await record(result);
  input.facts.set(step.id, toFacts(result));
  return { outcome: 'ran', command, result, label: labelOf(result) };
}

async function confirmationsFor(input: RecordRunInput, command: string): Promise<Confirmation[]> {
  if (!isDestructive(input.step)) return [];
  const reason = confirmationReason(input.step);
  const answer = await input.confirm({ step: input.step, command, reason });
  return [{ reason: answer.note ? `${reason}; ${answer.note}` : reason, confirmed: answer.confirmed, at: new Date().toISOString() }];
}

/** What one recorded run (a whole step, or one attempt of a repeated step) carries. */
type RunFields = Pick<StepResult, 'startedAt' | 'endedAt' | 'durationMs' | 'exitCode' | 'httpStatus' | 'verdict'> & {
  output: { text: string; omittedBytes: number };
};

function stepRunBody(
  input: RecordRunInput,
  kind: 'run' | 'http',
  command: string,
  confirmations: Confirmation[],
  run: RunFields,
  attempt?: number,
): EventBody<'step.run'> {
  const stepKind: StepRunKind = kind === 'run' ? 'shell' : 'http';
  return {
    step: input.step.id,
    stepKind,
    command,
    playbook: input.playbookPath,
    confirmations,
    start: run.startedAt.toISOString(),
    end: run.endedAt.toISOString(),
    // Durations come from `performance.now()` (fractional) and a clock may step back: the log holds whole, non-negative ms.
    durationMs: Math.max(0, Math.round(run.durationMs)),
    exitCode: run.exitCode,
    httpStatus: run.httpStatus,
    verdict: run.verdict,
    output: excerpt(run.output.text, run.output.omittedBytes),
    attempt,
  };
}

/** The recorded output: the capture already keeps head and tail, joined by a marker. */
function excerpt(text: string, omittedBytes: number): OutputExcerpt {
  return { head: text, tail: '', omittedBytes };
}

/** `✓ exit 0 · 3.2 s · 14:03` for a result or an attempt. */
export function labelOf(run: Pick<StepResult, 'exitCode' | 'httpStatus' | 'durationMs' | 'endedAt'> & { verdict: StepVerdict }): string {
  return resultLabel({
    verdict: run.verdict,
    exitCode: run.exitCode,
    httpStatus: run.httpStatus,
    durationMs: run.durationMs,
    end: run.endedAt.toISOString(),
  });
}

// Decides which steps "Run all" and "Run next" take, and whether "Run all" stops after a step.
import type { PhaseModel, ScenarioModel, StepModel } from '../playbook/model';
import type { StepVerdict } from './stepRunner';

/** A scenario or one of its phases: what "Run all" and "Run next" act on. */
export type RunTarget = ScenarioModel | PhaseModel;

/** The last outcome of a step, as planning needs it. */
export interface StepStatus {
  verdict: 'passed' | 'failed' | 'skipped' | 'unknown';
  /** The person stopped the run; "Run all" then stops whatever the step says. */
  cancelled?: boolean;
}

/** A verdict as planning weighs it: timeouts and cancellations fail, and a cancellation also stops "Run all". */
export function statusOf(verdict: StepVerdict): StepStatus {
  const plain = verdict === 'passed' || verdict === 'skipped' || verdict === 'unknown' ? verdict : 'failed';
  return { verdict: plain, cancelled: verdict === 'cancelled' };
}

/** The steps of a target that can run (they have an id and exactly one kind), in document order. */
export function planRunAll(target: RunTarget): StepModel[] {
  return stepsOf(target).filter(isRunnable);
}

/**
 * The first runnable step that has not passed yet. A skipped step counts as done: its `when` was false, and
 * offering it again would make "Run next" skip it forever.
 */
export function planRunNext(target: RunTarget, results: Readonly<Record<string, StepStatus | undefined>>): StepModel | undefined {
  return planRunAll(target).find((step) => {
    const verdict = step.id === undefined ? undefined : results[step.id]?.verdict;
    return verdict !== 'passed' && verdict !== 'skipped';
  });
}

/**
 * Whether "Run all" stops after this step: on a cancellation always; on `failed` or `unknown` (an exit code nobody
 * saw is no reason to go on to a restart) unless the step says `continue_on_failure: true`.
 */
export function shouldStopAfter(step: StepModel, status: StepStatus): boolean {
  if (status.cancelled) return true;
  if (status.verdict === 'passed' || status.verdict === 'skipped') return false;
  return !continuesOnFailure(step);
}

/** The step's `continue_on_failure`, read from its YAML node (only a real `true` counts). */
export function continuesOnFailure(step: StepModel): boolean {
  return step.node.get('continue_on_failure') === true;
}

function stepsOf(target: RunTarget): StepModel[] {
  if (!('phases' in target)) return [...target.steps];
  const all = [...target.steps, ...target.phases.flatMap((phase) => phase.steps)];
  return all.sort((a, b) => a.order - b.order);
}

function isRunnable(step: StepModel): boolean {
  return step.id !== undefined && step.kind !== undefined;
}

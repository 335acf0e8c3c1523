import * as assert from 'node:assert/strict';
import type { EventBody, EventKind } from '../../../src/incident/events';
import type { Step } from '../../../src/playbook/types';
import type { StepFacts } from '../../../src/run/evaluate';
import { statusOf } from '../../../src/run/plan';
import { recordRun, type Confirm, type RecordRunInput } from '../../../src/run/recordRun';
import type { ProcessOutcome } from '../../../src/run/processRunner';
import type { StepEffects } from '../../../src/run/stepRunner';
import type { VariableResolution } from '../../../src/run/variables';

type Recorded = { kind: EventKind; body: EventBody<'step.run'> };

function outcome(over: Partial<ProcessOutcome> = {}): ProcessOutcome {
  const startedAt = new Date(Date.UTC(2026, 11, 4, 9, 0, 0));
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    cancelled: false,
    startedAt,
    endedAt: new Date(startedAt.getTime() + 12),
    durationMs: 12.4,
    output: { text: 'ok\n', totalBytes: 3, omittedBytes: 0 },
    ...over,
  };
}

/** Fake effects answering each shell call in turn, and an input that records into `events`. */
function setup(
  step: Step,
  options: { answers?: Partial<ProcessOutcome>[]; confirm?: Confirm; variables?: Partial<VariableResolution> } = {},
) {
  const events: Recorded[] = [];
  const cwds: (string | undefined)[] = [];
  const answers = [...(options.answers ?? [{}])];
  const effects: StepEffects = {
    shell: async (_command, _env, cwd) => {
      cwds.push(cwd);
      return outcome(answers.length > 1 ? answers.shift() : answers[0]);
    },
    http: async () => {
      throw new Error('no http in these tests');
    },
    clock: { now: () => new Date(), sleep: async () => true },
  };
  const facts = new Map<string, StepFacts>();
  const input: RecordRunInput = {
    step,
    playbook: {},
    playbookPath: 'ops/api.playbook.yaml',
    workspaceDir: '/srv/ws',
    effects,
    facts,
    variables: { values: {}, secrets: [], missing: [], sources: {}, ...options.variables } as VariableResolution,
    recorder: { record: async (kind, body) => void events.push({ kind, body: body as unknown as EventBody<'step.run'> }) },
    confirm: options.confirm ?? (async () => ({ confirmed: true })),
  };
  return { input, events, facts, cwds };
}

describe('recording a run (the core shared by the editor and the CLI)', () => {
  it('records one step.run with the playbook, the command, whole milliseconds and no confirmations', async () => {
    const { input, events, facts, cwds } = setup({ id: 'hello', run: 'echo ok', cwd: 'svc' });
    const run = await recordRun(input);
    assert.equal(run.outcome, 'ran');
    assert.equal(events.length, 1);
    const body = events[0].body;
    assert.equal(events[0].kind, 'step.run');
    assert.deepEqual(
      [body.step, body.stepKind, body.command, body.playbook, body.verdict, body.exitCode],
      ['hello', 'shell', 'echo ok', 'ops/api.playbook.yaml', 'passed', 0],
    );
    assert.ok(Number.isInteger(body.durationMs) && body.durationMs >= 0);
    assert.deepEqual(body.confirmations, []);
    assert.deepEqual(body.output, { head: 'ok\n', tail: '', omittedBytes: 0 });
    assert.equal(cwds[0], '/srv/ws/svc', 'a relative cwd counts from the workspace');
    assert.equal(facts.get('hello')?.verdict, 'passed');
  });

  it('records whole milliseconds, and a negative duration (a clock that stepped back) as zero', async () => {
    const { input, events } = setup(
      { id: 'x', run: 'true', repeat: { every: '1s', times: 2, until: 'failed' } },
      { answers: [{ durationMs: 12.4 }, { durationMs: -3.6, exitCode: 1 }] },
    );
    await recordRun(input);
    assert.deepEqual(
      events.map((e) => e.body.durationMs),
      [12, 0],
    );
  });

  it('records a declined confirmation as skipped with its reason and the answer’s note, and runs nothing', async () => {
    const asked: string[] = [];
    const { input, events, facts, cwds } = setup(
      { id: 'flush', run: 'redis-cli FLUSHDB' },
      {
        confirm: async ({ command, reason }) => {
          asked.push(`${reason}: ${command}`);
          return { confirmed: false, note: 'refused: run with --yes to allow' };
        },
      },
    );
    const run = await recordRun(input);
    assert.equal(run.outcome, 'declined');
    assert.deepEqual(asked, ['the command looks destructive: redis-cli FLUSHDB']);
    assert.equal(cwds.length, 0);
    assert.equal(events[0].body.verdict, 'skipped');
    assert.equal(events[0].body.confirmations[0].reason, 'the command looks destructive; refused: run with --yes to allow');
    assert.equal(events[0].body.confirmations[0].confirmed, false);
    assert.equal(facts.get('flush')?.verdict, 'skipped');
  });

  it('records the confirmation with the run when the person agrees', async () => {
    const { input, events } = setup({ id: 'restart', run: 'docker-compose restart', confirm: true });
    await recordRun(input);
    assert.equal(events[0].body.verdict, 'passed');
    assert.deepEqual(
      events[0].body.confirmations.map((c) => [c.reason, c.confirmed]),
      [['the step asks for confirmation', true]],
    );
  });

  it('records every attempt of a repeated step, and the result only when it differs from the last attempt', async () => {
    const { input, events } = setup(
      { id: 'wait', run: 'check', repeat: { every: '1s', times: 3 } },
      { answers: [{ exitCode: 1 }, { exitCode: 1 }, { exitCode: 0 }] },
    );
    const labels: string[] = [];
    input.onAttempt = (attempt, label) => labels.push(`${attempt.attempt}/${attempt.of} ${label.split(' · ')[0]}`);
    await recordRun(input);
    assert.deepEqual(
      events.map((e) => [e.body.attempt, e.body.verdict]),
      [
        [1, 'failed'],
        [2, 'failed'],
        [3, 'passed'],
      ],
    );
    assert.deepEqual(labels, ['1/3 ✗ exit 1', '2/3 ✗ exit 1', '3/3 ✓ exit 0']);
  });

  it('records a step that lacks a required value as failed without asking to confirm it', async () => {
    let asked = false;
    const { input, events } = setup(
      { id: 'drop', run: 'psql -h ${DB_HOST} -c "DROP TABLE x"' },
      {
        confirm: async () => ((asked = true), { confirmed: true }),
        variables: { missing: [{ name: 'DB_HOST', required: true }] } as Partial<VariableResolution>,
      },
    );
    await recordRun(input);
    assert.equal(asked, false);
    assert.equal(events[0].body.verdict, 'failed');
  });
});

describe('statusOf', () => {
  it('weighs timeouts and cancellations as failures, and a cancellation also stops', () => {
    assert.deepEqual(statusOf('timed-out'), { verdict: 'failed', cancelled: false });
    assert.deepEqual(statusOf('cancelled'), { verdict: 'failed', cancelled: true });
    assert.deepEqual(statusOf('unknown'), { verdict: 'unknown', cancelled: false });
    assert.deepEqual(statusOf('skipped'), { verdict: 'skipped', cancelled: false });
  });
});

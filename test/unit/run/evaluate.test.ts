import * as assert from 'node:assert/strict';
import { evaluateWhen, type ConditionContext } from '../../../src/run/evaluate';

const context: ConditionContext = {
  steps: {
    health: {
      verdict: 'failed',
      status: 503,
      durationMs: 2500,
      json: { status: 'down', memoryUsage: { heapSizeMB: 2100 }, modules: [{ status: 'ok' }], tags: ['a', 'b'], count: '7' },
    },
    logs: { verdict: 'passed', exitCode: 0, durationMs: 400, output: 'java.lang.OutOfMemory at line 3' },
    restart: { verdict: 'skipped' },
    odd: { verdict: 'unknown', output: 'x' },
  },
  vars: { ENV: 'production', PORT: '5002', DRY_RUN: 'true' },
  severity: 'P1',
  incident: { status: 'investigating' },
};

const holds = (text: string) => evaluateWhen(text, context).value;

describe('condition evaluation', () => {
  const truths = [
    'steps.health.failed',
    'not steps.health.passed',
    'steps.logs.passed',
    'steps.restart.skipped',
    'steps.logs.output contains "OutOfMemory"',
    'steps.health.json.memoryUsage.heapSizeMB > 2000',
    'steps.health.json.modules[0].status == "ok"',
    'steps.health.status == 503',
    'steps.health.duration > 2',
    'steps.health.duration == 2.5',
    'steps.logs.exit_code == 0',
    'severity == "P1"',
    'vars.ENV == "production"',
    'incident.status == "investigating"',
    'vars.PORT == 5002',
    'steps.health.json.count >= 7',
    'severity == "P0" or vars.ENV == "production"',
    '(steps.logs.exit_code != 0 or steps.health.duration > 2) and not steps.restart.failed',
    'steps.health.json.tags contains "b"',
    'steps.logs.output matches "OutOf\\\\w+"',
    'not steps.never.passed',
    'not steps.never.exit_code == 0',
    'vars.DRY_RUN == true',
    'steps.health.json.count == 7',
  ];
  for (const text of truths) it(`holds: ${text}`, () => assert.equal(holds(text), true));

  const falsities = [
    'steps.health.passed',
    'steps.never.passed',
    'steps.never.failed',
    'steps.never.skipped',
    'steps.never.exit_code == 0',
    'steps.never.exit_code != 0',
    'steps.health.json.absent == 1',
    'steps.health.json.absent != 1',
    'steps.logs.json.status == "ok"',
    'vars.MISSING == "x"',
    'vars.MISSING != "x"',
    'steps.odd.passed',
    'steps.odd.failed',
    'steps.health.json.status > 1',
    'vars.ENV == "staging"',
    'steps.health.json.memoryUsage.heapSizeMB < 2000',
    'steps.logs.output contains "Segfault"',
    'vars.PORT == "5003"',
    'steps.health.status',
    'steps.logs.exit_code == true',
    'vars.DRY_RUN == false',
    'vars.ENV == true',
  ];
  for (const text of falsities) it(`does not hold: ${text}`, () => assert.equal(holds(text), false));

  it('treats an invalid regular expression as false with a note', () => {
    const r = evaluateWhen('steps.logs.output matches "(["', context);
    assert.equal(r.value, false);
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0], /is not a valid regular expression/);
  });

  it('notes a numeric comparison of text', () => {
    assert.deepEqual(evaluateWhen('vars.ENV > 3', context).notes, ['`>` compares numbers, but got "production" and 3']);
  });

  it('is false with a note when the condition does not parse', () => {
    assert.deepEqual(evaluateWhen('steps.a.passed and', context), {
      value: false,
      notes: ['the condition does not parse: the condition ends too early'],
    });
  });

  it('compares a JSON null with the null literal, but an absent field with nothing', () => {
    const ctx: ConditionContext = { steps: { db: { verdict: 'passed', json: { error: null } } }, vars: {} };
    assert.equal(evaluateWhen('steps.db.json.error == null', ctx).value, true);
    assert.equal(evaluateWhen('steps.db.json.other == null', ctx).value, false);
  });

  it('does not read inherited properties as steps or variables', () => {
    assert.equal(evaluateWhen('steps.constructor.failed', context).value, false);
    assert.equal(evaluateWhen('vars.toString == "x"', context).value, false);
  });
});

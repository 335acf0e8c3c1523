import * as assert from 'node:assert/strict';
import type { StepModel } from '../../../src/playbook/model';
import { continuesOnFailure, planRunAll, planRunNext, shouldStopAfter } from '../../../src/run/plan';
import { analyze, joinLines } from '../helpers';

const text = joinLines(
  'version: 1',
  'title: Test',
  'scenarios:',
  '  - id: down',
  '    title: Down',
  '    phases:',
  '      - id: diagnose',
  '        title: Diagnose',
  '        steps:',
  '          - { id: health, title: Health, http: { url: "http://127.0.0.1/h" }, continue_on_failure: true }',
  '          - { id: logs, title: Logs, run: tail log }',
  '      - id: fix',
  '        title: Fix',
  '        steps:',
  '          - { id: restart, title: Restart, run: ./restart.sh, continue_on_failure: "yes" }',
  '          - { id: broken, title: Broken }',
  '          - { id: tick, title: Tick, manual: Check dashboards }',
  '  - id: flat',
  '    title: Flat',
  '    steps:',
  '      - { id: one, title: One, run: "true" }',
  '      - { id: two, title: Two, run: "true" }',
);

const model = analyze(text).model;
const [down, flat] = model.scenarios;
const ids = (steps: (StepModel | undefined)[]) => steps.map((s) => s?.id);
const step = (id: string) => model.steps.find((s) => s.id === id) as StepModel;

describe('run planning', () => {
  it('runs every runnable step of a scenario in document order', () => {
    assert.deepEqual(ids(planRunAll(down)), ['health', 'logs', 'restart', 'tick']);
  });

  it('runs the steps of one phase', () => {
    assert.deepEqual(ids(planRunAll(down.phases[1])), ['restart', 'tick']);
  });

  it('runs steps placed directly under a scenario', () => {
    assert.deepEqual(ids(planRunAll(flat)), ['one', 'two']);
  });

  it('leaves out a step without a kind', () => {
    assert.ok(!ids(planRunAll(down)).includes('broken'));
  });

  it('offers the first step that has not passed as next', () => {
    assert.equal(planRunNext(down, {})?.id, 'health');
    assert.equal(planRunNext(down, { health: { verdict: 'passed' } })?.id, 'logs');
    assert.equal(planRunNext(down, { health: { verdict: 'passed' }, logs: { verdict: 'failed' } })?.id, 'logs');
  });

  it('counts a skipped step as done for run next', () => {
    assert.equal(planRunNext(down.phases[1], { restart: { verdict: 'skipped' } })?.id, 'tick');
  });

  it('offers nothing when every step passed', () => {
    assert.equal(planRunNext(flat, { one: { verdict: 'passed' }, two: { verdict: 'passed' } }), undefined);
  });

  it('reads continue_on_failure only when it is true', () => {
    assert.equal(continuesOnFailure(step('health')), true);
    assert.equal(continuesOnFailure(step('restart')), false);
    assert.equal(continuesOnFailure(step('logs')), false);
  });

  it('stops after a failure unless the step continues on failure', () => {
    assert.equal(shouldStopAfter(step('logs'), { verdict: 'failed' }), true);
    assert.equal(shouldStopAfter(step('health'), { verdict: 'failed' }), false);
  });

  it('stops after an unknown verdict like after a failure', () => {
    assert.equal(shouldStopAfter(step('logs'), { verdict: 'unknown' }), true);
    assert.equal(shouldStopAfter(step('health'), { verdict: 'unknown' }), false);
  });

  it('goes on after a passed or skipped step', () => {
    assert.equal(shouldStopAfter(step('logs'), { verdict: 'passed' }), false);
    assert.equal(shouldStopAfter(step('logs'), { verdict: 'skipped' }), false);
  });

  it('always stops after a cancellation', () => {
    assert.equal(shouldStopAfter(step('health'), { verdict: 'failed', cancelled: true }), true);
  });
});

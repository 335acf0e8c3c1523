import * as assert from 'node:assert/strict';
import { parseCondition, splitPath } from '../../../src/playbook/condition';

describe('condition parser', () => {
  it('parses a bare step result as a reference', () => {
    const r = parseCondition('steps.check-health.failed');
    assert.ok(r.ok);
    assert.deepEqual(
      r.refs.map((x) => x.path),
      [['steps', 'check-health', 'failed']],
    );
  });

  it('gives and higher precedence than or', () => {
    const r = parseCondition('steps.a.passed or steps.b.passed and steps.c.passed');
    assert.ok(r.ok);
    assert.equal(r.ast.type, 'or');
  });

  it('parses comparisons with numbers, strings and word operators', () => {
    const r = parseCondition('steps.m.json.memoryUsage.heapSizeMB >= 2000 and steps.l.output contains "OOM" and vars.ENV == \'prod\'');
    assert.ok(r.ok);
    assert.equal(r.refs.length, 3);
  });

  it('records reference offsets in the condition text', () => {
    const text = 'not (steps.a.failed)';
    const r = parseCondition(text);
    assert.ok(r.ok);
    assert.equal(text.slice(r.refs[0].start, r.refs[0].end), 'steps.a.failed');
  });

  it('reports an unbalanced parenthesis at the opening one', () => {
    const r = parseCondition('(steps.a.passed');
    assert.ok(!r.ok);
    assert.deepEqual([r.error.start, r.error.end], [0, 1]);
  });

  it('reports an unexpected character at its offset', () => {
    const r = parseCondition('steps.a.passed @ 1');
    assert.ok(!r.ok);
    assert.equal(r.error.start, 15);
  });

  it('reports an empty condition and a dangling operator', () => {
    assert.ok(!parseCondition('   ').ok);
    assert.ok(!parseCondition('steps.a.exit_code ==').ok);
  });

  it('splits array indexes in paths', () => {
    assert.deepEqual(splitPath('steps.a.json.modules[0].status'), ['steps', 'a', 'json', 'modules', '0', 'status']);
  });
});

import * as assert from 'node:assert/strict';
import { analyze, covered, joinLines, marked, problemsWith, withSteps } from '../helpers';

describe('schema validation', () => {
  it('accepts a minimal valid playbook without problems', () => {
    const text = withSteps('- id: check', '  title: Check', '  run: echo ok');
    assert.deepEqual(analyze(text).problems, []);
  });

  it('reports an unknown key at its own range and suggests the right one', () => {
    const m = marked(withSteps('- id: restart', '  title: Restart', '  ⟦rn⟧: echo hi'));
    const [p] = problemsWith(m.text, 'UNKNOWN_KEY');
    assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
    assert.match(p.message, /unknown key `rn` in step `restart`; did you mean `run`\?/);
  });

  it('reports a missing required key on the first key of the item, not the document', () => {
    const m = marked(withSteps('- ⟦title⟧: No id', '  run: echo hi'));
    const [p] = problemsWith(m.text, 'MISSING_KEY');
    assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
    assert.match(p.message, /missing the required key `id`/);
  });

  it('reports a malformed duration at the value with the accepted forms', () => {
    const m = marked(withSteps('- id: wait', '  title: Wait', '  run: sleep 1', '  timeout: ⟦5 minutes⟧'));
    const [p] = problemsWith(m.text, 'INVALID_VALUE');
    assert.equal(covered(m.text, p), '5 minutes');
    assert.match(p.message, /not a duration/);
  });

  it('reports a wrong type at the value', () => {
    const m = marked(withSteps('- id: x', '  title: X', '  run: echo', '  continue_on_failure: ⟦sometimes⟧'));
    const [p] = problemsWith(m.text, 'WRONG_TYPE');
    assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
  });

  it('reports an invalid enum value and suggests the nearest', () => {
    const m = marked(withSteps('- id: h', '  title: H', '  http:', '    method: ⟦GTE⟧', '    url: ${BASE_URL}'));
    const [p] = problemsWith(m.text, 'INVALID_VALUE');
    assert.equal(covered(m.text, p), 'GTE');
    assert.match(p.message, /did you mean `GET`/);
  });

  it('reports a wrong format version', () => {
    const text = withSteps('- id: a', '  title: A', '  run: echo').replace('version: 1', 'version: 2');
    const [p] = problemsWith(text, 'INVALID_VALUE');
    assert.equal(covered(text, p), '2');
  });

  it('puts an empty required value on its key', () => {
    const m = marked(withSteps('- id: a', '  title: A', '  run: echo', '  http:', '    ⟦url⟧:'));
    const problems = analyze(m.text).problems.filter((p) => p.code === 'WRONG_TYPE');
    assert.ok(problems.some((p) => p.start === m.ranges[0].start && p.end === m.ranges[0].end));
  });

  it('reports a oneOf mismatch once, in words', () => {
    const m = marked(withSteps('- id: a', '  title: A', '  run: echo', '  notes: ⟦42⟧'));
    const problems = analyze(m.text).problems.filter((p) => p.start === m.ranges[0].start);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /text or a list of text/);
  });

  it('reports an unknown key inside a oneOf branch that matched by type', () => {
    const text = joinLines(
      withSteps('- id: a', '  title: A', '  run: echo'),
      'checklists:',
      '  - id: c',
      '    items:',
      '      - text: Do it',
      '        rol: commander',
    );
    const [p] = problemsWith(text, 'UNKNOWN_KEY');
    assert.equal(covered(text, p), 'rol');
  });

  it('reports an invalid variable name at the name', () => {
    const text = withSteps('- id: a', '  title: A', '  run: echo').replace('  BASE_URL:', '  BASE-URL:');
    const p = analyze(text).problems.find((x) => x.message.includes('variable name'));
    assert.ok(p);
    assert.equal(covered(text, p), 'BASE-URL');
  });
});

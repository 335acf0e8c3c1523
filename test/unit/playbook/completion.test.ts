import * as assert from 'node:assert/strict';
import { complete } from '../../../src/playbook/completion';
import { cursorContext } from '../../../src/playbook/cursor';
import { PlaybookService } from '../../../src/playbook/service';
import { analyze, joinLines, marked, withSteps } from '../helpers';

const service = new PlaybookService();

function completionsAt(source: string) {
  const m = marked(source);
  // Completion reads the last good analysis of the document, as in the editor.
  const analysis = analyze(m.text.slice(0, m.cursor) + m.text.slice(m.cursor));
  return { m, items: complete(m.text, m.cursor, analysis, service.schema) };
}

describe('cursor context', () => {
  it('finds the path of a step key from indentation', () => {
    const m = marked(withSteps('- id: a', '  ru¦'));
    const ctx = cursorContext(m.text, m.cursor);
    assert.deepEqual(ctx?.path, ['scenarios', '*', 'steps', '*']);
    assert.equal(ctx?.position, 'key');
    assert.equal(ctx?.prefix, 'ru');
    assert.ok(ctx?.siblings.has('id'));
  });

  it('finds a new sequence item', () => {
    const m = marked(withSteps('- id: a', '  run: x', '- ¦'));
    assert.deepEqual(cursorContext(m.text, m.cursor)?.path, ['scenarios', '*', 'steps', '*']);
  });

  it('finds a value position', () => {
    const m = marked(withSteps('- id: a', '  http:', '    method: G¦'));
    const ctx = cursorContext(m.text, m.cursor);
    assert.deepEqual([ctx?.path, ctx?.position, ctx?.key, ctx?.prefix], [['scenarios', '*', 'steps', '*', 'http'], 'value', 'method', 'G']);
  });

  it('skips block scalar content when walking up', () => {
    const m = marked(withSteps('- id: a', '  run: |', '    echo one', '      nested: text', '  ¦'));
    assert.deepEqual(cursorContext(m.text, m.cursor)?.path, ['scenarios', '*', 'steps', '*']);
  });
});

describe('completion', () => {
  it('offers step keys not yet present, with schema documentation', () => {
    const { items } = completionsAt(withSteps('- id: a', '  ¦'));
    const labels = items.map((i) => i.label);
    for (const key of ['run', 'http', 'manual', 'notify', 'expect', 'when', 'timeout']) assert.ok(labels.includes(key), key);
    assert.ok(!labels.includes('id'));
    assert.ok(items.find((i) => i.label === 'run')?.documentation);
  });

  it('replaces the typed prefix', () => {
    const { m, items } = completionsAt(withSteps('- id: a', '  ru¦'));
    const run = items.find((i) => i.label === 'run');
    assert.equal(m.text.slice(run?.start, run?.end), 'ru');
  });

  it('offers top-level keys at the root', () => {
    const { items } = completionsAt(joinLines('version: 1', 'sev¦'));
    assert.ok(items.some((i) => i.label === 'severities'));
    assert.ok(!items.some((i) => i.label === 'version'));
  });

  it('offers enum values for an HTTP method', () => {
    const { items } = completionsAt(withSteps('- id: a', '  http:', '    method: ¦'));
    assert.deepEqual(items.map((i) => i.label).slice(0, 3), ['GET', 'HEAD', 'POST']);
  });

  it('offers severity ids where a severity is referenced', () => {
    const { items } = completionsAt(withSteps('- id: a', '  run: echo').replace('    title: Crash', '    title: Crash\n    severity: ¦'));
    assert.deepEqual(
      items.map((i) => i.label),
      ['P1'],
    );
  });

  it('offers template ids in notify and role ids in role', () => {
    assert.deepEqual(
      completionsAt(withSteps('- id: a', '  notify:', '    template: ¦')).items.map((i) => i.label),
      ['initial'],
    );
    assert.deepEqual(
      completionsAt(withSteps('- id: a', '  run: x', '  role: ¦')).items.map((i) => i.label),
      ['commander'],
    );
  });

  it('offers declared variables after ${, even inside a block scalar', () => {
    const { items } = completionsAt(withSteps('- id: a', '  run: |', '    curl ${BA¦'));
    assert.deepEqual(
      items.map((i) => i.label),
      ['BASE_URL'],
    );
    assert.equal(items[0].insertText, 'BASE_URL}');
  });

  it('offers step ids and then step fields in a when condition', () => {
    const steps = ['- id: check', '  title: Check', '  run: echo', '- id: b', '  run: echo'];
    const ids = completionsAt(withSteps(...steps, '  when: steps.¦')).items.map((i) => i.label);
    assert.ok(ids.includes('steps.check.'));
    const fields = completionsAt(withSteps(...steps, '  when: steps.check.¦')).items.map((i) => i.label);
    assert.ok(fields.includes('steps.check.failed') && fields.includes('steps.check.exit_code'));
  });

  it('offers incident placeholders after {{', () => {
    const { items } = completionsAt(withSteps('- id: a', '  run: x').replace('    body: "{{incident.id}}"', '    body: "{{inc¦"'));
    assert.ok(items.some((i) => i.label === 'incident.severity'));
  });
});

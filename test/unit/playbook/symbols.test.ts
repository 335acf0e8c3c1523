import * as assert from 'node:assert/strict';
import { documentSymbols, foldingSpans } from '../../../src/playbook/symbols';
import { analyze, joinLines } from '../helpers';

const text = joinLines(
  'version: 1',
  'title: T',
  'severities:',
  '  - id: P1',
  'scenarios:',
  '  - id: down',
  '    title: Service down',
  '    phases:',
  '      - id: diagnose',
  '        title: Diagnose',
  '        steps:',
  '          - id: health',
  '            title: Health',
  '            http: { url: "http://x" }',
  '    steps:',
  '      - id: after',
  '        title: After',
  '        manual: Tell people',
);

describe('document symbols', () => {
  it('nests scenarios, phases and steps in document order', () => {
    const symbols = documentSymbols(analyze(text).model);
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['version', 'title', 'severities', 'scenarios'],
    );
    const scenario = symbols[3].children[0];
    assert.equal(scenario.name, 'Service down');
    assert.deepEqual(
      scenario.children.map((c) => [c.kind, c.name]),
      [
        ['phase', 'Diagnose'],
        ['step', 'After'],
      ],
    );
    assert.deepEqual(
      scenario.children[0].children.map((c) => [c.name, c.stepKind]),
      [['Health', 'http']],
    );
    assert.equal(symbols[2].children[0].name, 'P1');
  });

  it('selects the id inside the item range', () => {
    const step = documentSymbols(analyze(text).model)[3].children[0].children[1];
    assert.equal(text.slice(step.selection.start, step.selection.end), 'after');
    assert.ok(step.span.start <= step.selection.start && step.selection.end <= step.span.end);
  });

  it('folds every scenario, phase and step', () => {
    const spans = foldingSpans(analyze(text).model);
    assert.ok(spans.length >= 4 + 1 + 1 + 2);
  });
});

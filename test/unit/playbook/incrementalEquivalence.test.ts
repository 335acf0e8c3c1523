import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { PlaybookAnalyzer, type Analysis } from '../../../src/playbook/analyze';
import { ChunkCache } from '../../../src/playbook/incremental';
import { LineIndex, type Positions } from '../../../src/playbook/lineIndex';
import { PieceAnalyzer } from '../../../src/playbook/pieces';
import { documentSymbols } from '../../../src/playbook/symbols';
import { joinLines } from '../helpers';

/** A small playbook using what the cross-scenario checks read: variables, severities, roles, templates, conditions. */
const BASE = joinLines(
  'version: 1',
  'title: Checkout',
  'variables:',
  '  BASE_URL:',
  '    default: http://localhost:5002',
  '  DB_HOST:',
  '    default: db.internal',
  'severities:',
  '  - id: P1',
  '    escalate_to: lead',
  '  - id: P2',
  'roles:',
  '  - id: lead',
  'scenarios:',
  '  # the usual one',
  '  - id: slow',
  '    title: Slow checkout',
  '    severity: P1',
  '    phases:',
  '      - id: look',
  '        title: Look',
  '        steps:',
  '          - id: health',
  '            title: Health',
  '            http:',
  '              url: ${BASE_URL}/health',
  '          - id: logs',
  '            title: Logs',
  '            run: |',
  '              tail -50 app.log | grep -i error',
  '              psql -h ${DB_HOST} -c "select 1"',
  '            when: steps.health.failed',
  '  - id: down',
  '    title: Checkout down',
  '    severity: P3',
  '    steps:',
  '      - id: restart',
  '        title: Restart',
  '        run: docker-compose restart checkout && redis-cli FLUSHDB',
  '        timout: 2m',
  '      - id: tell',
  '        notify:',
  '          template: initial',
  '      - id: tick',
  '        manual: Check the dashboard',
  '        when: steps.logs.passed and vars.REGION == "eu"',
  '  - id: empty',
  '    title: Nothing yet',
  'templates:',
  '  - id: initial',
  '    body: "{{incident.title}} at ${BASE_URL}: {{impact}}"',
  'checklists:',
  '  - id: after',
  '    items:',
  '      - text: Write the report',
  '        role: lead',
  '',
);

const SCENARIO_START = /^ {2}- id: /gm;

type EditKind = 'type' | 'typeInCommand' | 'typeInValue' | 'delete' | 'deleteAcross' | 'indent' | 'pasteScenario' | 'deleteScenario' | 'renameId' | 'newline' | 'emptyAtEnd' | 'plainItem';

interface Edit {
  kind: EditKind;
  /** Where, as a fraction of the text. */
  at: number;
  /** A length or a choice, as a fraction. */
  size: number;
  char: string;
}

const editArbitrary: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<EditKind>('type', 'typeInValue', 'typeInCommand', 'typeInCommand', 'delete', 'deleteAcross', 'indent', 'pasteScenario', 'deleteScenario', 'renameId', 'newline', 'emptyAtEnd', 'plainItem'),
  // Integers spread evenly (fast-check's doubles cluster at the extremes: the first and last offsets).
  at: fc.integer({ min: 0, max: 9999 }).map((n) => n / 10000),
  size: fc.integer({ min: 0, max: 9999 }).map((n) => n / 10000),
  char: fc.constantFrom('a', 'x', '1', ' ', ':', '-', '#', '"', '{', '|', '$', '\n'),
});

/** Applies an edit the way a person would make it: typing, deleting, re-indenting, pasting and cutting scenarios. */
function apply(text: string, edit: Edit): string {
  const offset = Math.floor(edit.at * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  switch (edit.kind) {
    case 'type':
      return text.slice(0, offset) + edit.char + text.slice(offset);
    case 'typeInCommand':
      return typeInCommand(text, edit);
    case 'typeInValue':
      return typeInValue(text, edit);
    case 'newline':
      return `${text.slice(0, offset)}\n${' '.repeat(Math.floor(edit.size * 14))}${text.slice(offset)}`;
    case 'delete':
      return text.slice(0, offset) + text.slice(offset + 1 + Math.floor(edit.size * 8));
    case 'deleteAcross':
      // From inside one step to inside a later one, or a later scenario.
      return text.slice(0, offset) + text.slice(offset + 20 + Math.floor(edit.size * 400));
    case 'indent':
      return edit.size < 0.5 ? `${text.slice(0, lineStart)}  ${text.slice(lineStart)}` : text.slice(0, lineStart) + text.slice(lineStart).replace(/^ {1,2}/, '');
    case 'emptyAtEnd':
      return emptyAtEnd(text, edit);
    case 'plainItem':
      return plainItem(text, edit);
    case 'renameId':
      return text.replace(/- id: ([\w-]+)/g, (m, id: string, index: number) => (index >= offset && index < offset + 40 ? `- id: ${id}${edit.char.trim() ? 'x' : ''}` : m));
    default:
      return scenarioEdit(text, edit);
  }
}

/** Types or deletes inside a line of a `run: |` block (lines indented 14 spaces in BASE), after its first character. */
function typeInCommand(text: string, edit: Edit): string {
  const lines = [...text.matchAll(/^ {14}\S.*$/gm)];
  if (lines.length === 0) return text;
  const line = lines[Math.floor(edit.at * lines.length)];
  const at = (line.index ?? 0) + 15 + Math.floor(edit.size * (line[0].length - 14));
  return edit.char === '\n' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + edit.char + text.slice(at);
}

/** Types or deletes inside, or at either end of, a one-line value (titles, ids, severities, durations, URLs). */
function typeInValue(text: string, edit: Edit): string {
  const values = [...text.matchAll(/^ +(?:- )?[a-z_]+: (\S.*)$/gm)];
  if (values.length === 0) return text;
  const line = values[Math.floor(edit.at * values.length)];
  const start = (line.index ?? 0) + line[0].length - line[1].length;
  const at = start + Math.floor(edit.size * (line[1].length + 1));
  return edit.char === '\n' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + edit.char + text.slice(at);
}

/**
 * Empties the value of a scenario's last line (as when `run:` has just been typed) and puts a comment after it, at
 * some indentation, or on the same line: the shape whose ranges reach to the next scenario's `-`.
 */
function emptyAtEnd(text: string, edit: Edit): string {
  const starts = [...text.matchAll(SCENARIO_START)].map((m) => m.index ?? 0);
  if (starts.length < 2) return text;
  const next = starts[1 + Math.floor(edit.size * (starts.length - 1))];
  const lineStart = text.lastIndexOf('\n', next - 2) + 1;
  const line = /^( +(?:- )?[a-z_]+:).*$/.exec(text.slice(lineStart, next - 1));
  if (!line) return text;
  const comment = ['\n# c', '\n    # c', ' # why', '\n\n  # c', ''][Math.floor(edit.at * 5)];
  return `${text.slice(0, lineStart)}${line[1]}${comment}\n${text.slice(next)}`;
}

/** Inserts a scenario item that is a plain string (not a mapping) before a scenario or after the last one. */
function plainItem(text: string, edit: Edit): string {
  const starts = [...text.matchAll(SCENARIO_START)].map((m) => m.index ?? 0);
  const after = text.search(/^[a-z]/m) === -1 ? text.length : [...text.matchAll(/^[a-z]\w*:/gm)].map((m) => m.index ?? 0).find((i) => i > (starts.at(-1) ?? 0)) ?? text.length;
  const targets = [...starts, after];
  const target = targets[Math.floor(edit.at * targets.length)];
  const item = ['  - foo\n', '  - foo # note\n', '  - "quoted"\n', '  - [a, b]\n'][Math.floor(edit.size * 4)];
  return text.slice(0, target) + item + text.slice(target);
}

function scenarioEdit(text: string, edit: Edit): string {
  const starts = [...text.matchAll(SCENARIO_START)].map((m) => m.index ?? 0);
  if (starts.length < 2) return text;
  const k = Math.floor(edit.size * (starts.length - 1));
  const block = text.slice(starts[k], starts[k + 1]);
  if (edit.kind === 'deleteScenario') return text.slice(0, starts[k]) + text.slice(starts[k + 1]);
  const target = starts[Math.floor(edit.at * starts.length)];
  return text.slice(0, target) + block + text.slice(target);
}

/** Everything the editor shows for a text, with line and character positions, to compare exactly. */
function observable(a: Analysis, lines: Positions) {
  const at = (offset: number) => lines.positionAt(offset);
  return {
    problems: a.problems.map((p) => ({ ...p, from: at(p.start), to: at(p.end) })),
    symbols: JSON.stringify(documentSymbols(a.model)),
    lenses: [
      ...a.model.scenarios.flatMap((s) => [[s.id, at(s.idSpan.start)], ...s.phases.map((p) => [s.id, p.id, at(p.idSpan.start)])]),
      ...a.model.steps.map((s) => [s.id, s.kind, s.order, s.path.join('/'), at(s.idSpan.start), s.span.start, s.span.end]),
    ],
    value: JSON.stringify(a.value),
  };
}

describe('incremental analysis equals analysis from scratch', () => {
  it('after each of thousands of random edits: diagnostics, symbols, lenses and positions', function () {
    this.timeout(120000);
    const scratch = new PlaybookAnalyzer();
    const incremental = new PlaybookAnalyzer();
    const ways = { 'in place': 0, 'one item': 0, relayout: 0, whole: 0 };
    let edits = 0;
    fc.assert(
      fc.property(fc.array(editArbitrary, { minLength: 5, maxLength: 12 }), (sequence) => {
        const pieces = new PieceAnalyzer();
        const chunks = new ChunkCache();
        let base = BASE;
        incremental.analyze(base, pieces);
        chunks.parse(base);
        for (const edit of sequence) {
          const text = apply(base, edit);
          const fromScratch = scratch.analyze(text);
          const actual = incremental.analyze(text, pieces);
          assert.deepEqual(observable(actual, actual.lines), observable(fromScratch, new LineIndex(text)));
          edits++;
          chunks.parse(text);
          ways[chunks.lastWay]++;
          // Broken YAML is compared too, but the next edit starts from readable text, as typing mostly does.
          if (!fromScratch.problems.some((p) => p.code === 'YAML_SYNTAX' || p.code === 'DUPLICATE_KEY')) base = text;
        }
      }),
      { numRuns: 260, seed: 61124 },
    );
    assert.ok(edits >= 2000, `only ${edits} edits`);
    // Every way must be taken often, or the test would compare the whole-text path with itself.
    assert.ok(ways['in place'] > edits / 8 && ways['one item'] > edits / 40 && ways.relayout > edits / 8, `too few edits analysed from pieces: ${JSON.stringify(ways)}`);
  });
});

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { PlaybookAnalyzer, type Analysis } from '../../../src/playbook/analyze';
import { ChunkCache, type ParseWay } from '../../../src/playbook/incremental';
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

type EditKind =
  | 'type'
  | 'typeInCommand'
  | 'typeInValue'
  | 'delete'
  | 'deleteAcross'
  | 'indent'
  | 'pasteScenario'
  | 'deleteScenario'
  | 'renameId'
  | 'newline'
  | 'emptyAtEnd'
  | 'plainItem';

interface Edit {
  kind: EditKind;
  /** Where, as a fraction of the text. */
  at: number;
  /** A length or a choice, as a fraction. */
  size: number;
  char: string;
}

const editArbitrary: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<EditKind>(
    'type',
    'typeInValue',
    'typeInCommand',
    'typeInCommand',
    'delete',
    'deleteAcross',
    'indent',
    'pasteScenario',
    'deleteScenario',
    'renameId',
    'newline',
    'emptyAtEnd',
    'plainItem',
  ),
  // Integers spread evenly (fast-check's doubles cluster at the extremes: the first and last offsets).
  at: fc.integer({ min: 0, max: 9999 }).map((n) => n / 10000),
  size: fc.integer({ min: 0, max: 9999 }).map((n) => n / 10000),
  char: fc.constantFrom('a', 'x', '1', ' ', ':', '-', '#', '"', '{', '|', '$', '\n'),
});

/**
 * Replaces `text` from `start` to `end` with `inserted`, its line breaks written as `eol`. A `\r\n` is one line
 * break, as for an editor: neither end falls between its two characters, so a CRLF text stays CRLF.
 */
function splice(text: string, start: number, end: number, inserted: string, eol: string): string {
  const inBreak = (i: number) => i > 0 && text[i - 1] === '\r' && text[i] === '\n';
  const from = inBreak(start) ? start - 1 : start;
  const to = Math.max(from, inBreak(end) ? end + 1 : end);
  return text.slice(0, from) + inserted.replace(/\n/g, eol) + text.slice(to);
}

/**
 * Applies an edit the way a person would make it: typing, deleting, re-indenting, pasting and cutting scenarios.
 * Line breaks it inserts are `eol`.
 */
function apply(text: string, edit: Edit, eol = '\n'): string {
  const offset = Math.floor(edit.at * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  switch (edit.kind) {
    case 'type':
      return splice(text, offset, offset, edit.char, eol);
    case 'typeInCommand':
      return typeInCommand(text, edit, eol);
    case 'typeInValue':
      return typeInValue(text, edit, eol);
    case 'newline':
      return splice(text, offset, offset, `\n${' '.repeat(Math.floor(edit.size * 14))}`, eol);
    case 'delete':
      return splice(text, offset, offset + 1 + Math.floor(edit.size * 8), '', eol);
    case 'deleteAcross':
      // From inside one step to inside a later one, or a later scenario.
      return splice(text, offset, offset + 20 + Math.floor(edit.size * 400), '', eol);
    case 'indent':
      return edit.size < 0.5
        ? `${text.slice(0, lineStart)}  ${text.slice(lineStart)}`
        : text.slice(0, lineStart) + text.slice(lineStart).replace(/^ {1,2}/, '');
    case 'emptyAtEnd':
      return emptyAtEnd(text, edit, eol);
    case 'plainItem':
      return plainItem(text, edit, eol);
    case 'renameId':
      return text.replace(/- id: ([\w-]+)/g, (m, id: string, index: number) =>
        index >= offset && index < offset + 40 ? `- id: ${id}${edit.char.trim() ? 'x' : ''}` : m,
      );
    default:
      return scenarioEdit(text, edit);
  }
}

/** Types or deletes inside a line of a `run: |` block (lines indented 14 spaces in BASE), after its first character. */
function typeInCommand(text: string, edit: Edit, eol: string): string {
  const lines = [...text.matchAll(/^ {14}\S.*$/gm)];
  if (lines.length === 0) return text;
  const line = lines[Math.floor(edit.at * lines.length)];
  const at = (line.index ?? 0) + 15 + Math.floor(edit.size * (line[0].length - 14));
  return edit.char === '\n' ? splice(text, at, at + 1, '', eol) : splice(text, at, at, edit.char, eol);
}

/** Types or deletes inside, or at either end of, a one-line value (titles, ids, severities, durations, URLs). */
function typeInValue(text: string, edit: Edit, eol: string): string {
  const values = [...text.matchAll(/^ +(?:- )?[a-z_]+: (\S.*)$/gm)];
  if (values.length === 0) return text;
  const line = values[Math.floor(edit.at * values.length)];
  const start = (line.index ?? 0) + line[0].length - line[1].length;
  const at = start + Math.floor(edit.size * (line[1].length + 1));
  return edit.char === '\n' ? splice(text, at, at + 1, '', eol) : splice(text, at, at, edit.char, eol);
}

/**
 * Empties the value of a scenario's last line (as when `run:` has just been typed) and puts a comment after it, at
 * some indentation, or on the same line: the shape whose ranges reach to the next scenario's `-`.
 */
function emptyAtEnd(text: string, edit: Edit, eol: string): string {
  const starts = [...text.matchAll(SCENARIO_START)].map((m) => m.index ?? 0);
  if (starts.length < 2) return text;
  const next = starts[1 + Math.floor(edit.size * (starts.length - 1))];
  const lineStart = text.lastIndexOf('\n', next - 2) + 1;
  const line = /^( +(?:- )?[a-z_]+:).*$/.exec(text.slice(lineStart, next - 1).replace(/\r$/, ''));
  if (!line) return text;
  const comment = ['\n# c', '\n    # c', ' # why', '\n\n  # c', ''][Math.floor(edit.at * 5)];
  return splice(text, lineStart, next, `${line[1]}${comment}\n`, eol);
}

/** Inserts a scenario item that is a plain string (not a mapping) before a scenario or after the last one. */
function plainItem(text: string, edit: Edit, eol: string): string {
  const starts = [...text.matchAll(SCENARIO_START)].map((m) => m.index ?? 0);
  const after =
    text.search(/^[a-z]/m) === -1
      ? text.length
      : ([...text.matchAll(/^[a-z]\w*:/gm)].map((m) => m.index ?? 0).find((i) => i > (starts.at(-1) ?? 0)) ?? text.length);
  const targets = [...starts, after];
  const target = targets[Math.floor(edit.at * targets.length)];
  const item = ['  - foo\n', '  - foo # note\n', '  - "quoted"\n', '  - [a, b]\n'][Math.floor(edit.size * 4)];
  return splice(text, target, target, item, eol);
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

/**
 * Applies random edit sequences to `start`, each edit's line breaks written as `eol`, and compares the incremental
 * analysis with the analysis from scratch after every edit; answers how many edits took each way.
 */
function compareAfterRandomEdits(
  start: string,
  eol: string,
  numRuns: number,
  seed: number,
): { edits: number; ways: Record<ParseWay, number> } {
  const scratch = new PlaybookAnalyzer();
  const incremental = new PlaybookAnalyzer();
  const ways: Record<ParseWay, number> = { 'in place': 0, 'one item': 0, relayout: 0, whole: 0 };
  let edits = 0;
  fc.assert(
    fc.property(fc.array(editArbitrary, { minLength: 5, maxLength: 12 }), (sequence) => {
      const pieces = new PieceAnalyzer();
      const chunks = new ChunkCache();
      let base = start;
      incremental.analyze(base, pieces);
      chunks.parse(base);
      for (const edit of sequence) {
        const text = apply(base, edit, eol);
        if (eol === '\r\n') assert.ok(!/(?:^|[^\r])\n|\r(?!\n)/.test(text), 'an edit wrote a line break other than CRLF');
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
    { numRuns, seed },
  );
  return { edits, ways };
}

/** Every way must be taken often, or the test would compare the whole-text path with itself. */
function assertPiecesUsed({ edits, ways }: { edits: number; ways: Record<ParseWay, number> }): void {
  assert.ok(
    ways['in place'] > edits / 8 && ways['one item'] > edits / 40 && ways.relayout > edits / 8,
    `too few edits analysed from pieces: ${JSON.stringify(ways)}`,
  );
}

describe('incremental analysis equals analysis from scratch', () => {
  it('after each of thousands of random edits: diagnostics, symbols, lenses and positions', function () {
    this.timeout(120000);
    const result = compareAfterRandomEdits(BASE, '\n', 260, 61124);
    assert.ok(result.edits >= 2000, `only ${result.edits} edits`);
    assertPiecesUsed(result);
  });

  it('with CRLF line endings, edits writing CRLF line breaks: the same, from pieces too', function () {
    this.timeout(60000);
    const result = compareAfterRandomEdits(BASE.replace(/\n/g, '\r\n'), '\r\n', 60, 20251124);
    assert.ok(result.edits >= 450, `only ${result.edits} edits`);
    assertPiecesUsed(result);
    // Typing in a `run: |` line between its text and the `\r\n` is patched in place as well (see blockEdit).
    assert.ok(result.ways['in place'] > result.edits / 6, `too few edits patched in place: ${JSON.stringify(result.ways)}`);
  });
});

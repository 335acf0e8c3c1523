import * as assert from 'node:assert/strict';
import { generatePlaybook, insertAt, prng } from '../../../bench/generate';
import { PlaybookAnalyzer, type Analysis } from '../../../src/playbook/analyze';
import { ChunkCache, findLayout } from '../../../src/playbook/incremental';
import { PieceAnalyzer } from '../../../src/playbook/pieces';
import { PlaybookService } from '../../../src/playbook/service';
import { documentSymbols } from '../../../src/playbook/symbols';
import { joinLines } from '../helpers';

/** Everything the editor shows for a text, in plain data, to compare incremental and from-scratch results exactly. */
function observable(a: Analysis) {
  return {
    problems: a.problems,
    symbols: JSON.stringify(documentSymbols(a.model)),
    steps: a.model.steps.map((s) => [s.id, s.kind, s.span.start, s.span.end, s.idSpan.start, s.order]),
    value: JSON.stringify(a.value),
  };
}

type Edit = (text: string, random: () => number) => string;

const pick = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)];
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));

const EDITS: Edit[] = [
  // Typing a character anywhere, mostly letters, sometimes YAML punctuation.
  (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + pick(r, ['a', 'x', ' ', ':', '-', '\n', '#', '"', '1', '{', '|']) + t.slice(i);
  },
  // Deleting a short run.
  (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + t.slice(i + 1 + Math.floor(r() * 6));
  },
  // Changing the indentation of a line.
  (t, r) => {
    const i = t.lastIndexOf('\n', at(t, r)) + 1;
    return r() < 0.5 ? `${t.slice(0, i)}  ${t.slice(i)}` : t.slice(0, i) + t.slice(i).replace(/^ {1,2}/, '');
  },
  // Pasting a whole scenario again, right after another one.
  (t, r) => {
    const starts = [...t.matchAll(/^ {2}- id: /gm)].map((m) => m.index ?? 0);
    if (starts.length < 2) return t;
    const k = Math.floor(r() * (starts.length - 1));
    const block = t.slice(starts[k], starts[k + 1]);
    return t.slice(0, starts[k + 1]) + block + t.slice(starts[k + 1]);
  },
  // Deleting a line.
  (t, r) => {
    const i = t.lastIndexOf('\n', at(t, r)) + 1;
    const j = t.indexOf('\n', i);
    return j === -1 ? t.slice(0, i) : t.slice(0, i) + t.slice(j + 1);
  },
  // Renaming a step id (changes references, duplicates and forward references elsewhere).
  (t, r) => t.replace(/- id: ([\w-]+)/g, (m, id: string) => (r() < 0.02 ? `- id: ${id}x` : m)),
];

describe('incremental analysis', () => {
  it('cuts a playbook into one chunk per scenario', () => {
    const text = joinLines(
      'version: 1',
      'title: T',
      'scenarios:',
      '  # first',
      '  - id: a',
      '    title: A',
      '  - id: b',
      '    title: B',
      'templates: []',
      '',
    );
    const layout = findLayout(text);
    assert.ok(layout);
    assert.deepEqual(
      layout.bounds.map((b) => text.slice(b, b + 9)),
      ['  # first', '  - id: b', 'templates'],
    );
  });

  it('reads each line as trimStart would: CRLF, a `-` alone, and other white space before a comment', () => {
    // A no-break space or a form feed before `#` is white space to trimStart: the line is a comment, not content at
    // column 0 that would end the scenarios; `-` alone before `\r\n` starts an item.
    for (const space of ['\u00a0', '\f']) {
      const text = `version: 1\r\nscenarios:\r\n  - id: a\r\n${space} # aside\r\n  -\r\n    id: b\r\ntail: 1\r\n`;
      const layout = findLayout(text);
      assert.ok(layout, JSON.stringify(space));
      assert.deepEqual(
        layout.bounds.map((b) => text.slice(b, b + 4)),
        ['  - ', '  -\r', 'tail'],
      );
      assert.equal(layout.itemIndent, 2);
    }
  });

  it('declines layouts where cutting could change the meaning', () => {
    assert.equal(findLayout('---\nversion: 1\nscenarios:\n  - id: a\n'), undefined);
    assert.equal(findLayout('version: 1\nscenarios: [a]\n'), undefined);
    assert.equal(findLayout('version: 1\nscenarios:\n  id: a\n'), undefined);
  });

  it('reuses unchanged scenarios: their nodes are the same objects after an edit elsewhere', () => {
    const { text } = generatePlaybook(60);
    const cache = new ChunkCache();
    const first = cache.parse(text);
    const edited = text.replace('title:', 'title: x');
    const second = cache.parse(edited);
    assert.ok(first && second);
    assert.equal(second.items.at(-1), first.items.at(-1));
  });

  it('edits commands and titles in place, re-parses only the item for other edits in a step, and cuts again past it', () => {
    const playbook = generatePlaybook(60);
    const cache = new ChunkCache();
    const first = cache.parse(playbook.text);
    // Typed inside the command of the middle step.
    const typed = insertAt(playbook.text, playbook.middle.editOffset, 'x');
    const second = cache.parse(typed);
    assert.ok(first && second);
    assert.equal(cache.lastWay, 'in place');
    assert.deepEqual(second.items.filter((item, i) => item !== first.items[i]).length, 1);
    assert.equal(second.head, first.head);
    // Typed at the end of its title.
    const titled = insertAt(typed, playbook.middle.lineEndOffset, 'y');
    assert.ok(cache.parse(titled));
    assert.equal(cache.lastWay, 'in place');
    // A new key in the step.
    const keyed = insertAt(titled, playbook.middle.lineEndOffset + 1, `\n${playbook.middle.indent}notes: more`);
    assert.ok(cache.parse(keyed));
    assert.equal(cache.lastWay, 'one item');
    // Pasting a scenario at an item's first line changes the cut.
    const { bounds } = findLayout(keyed) ?? { bounds: [] };
    assert.ok(cache.parse(insertAt(keyed, bounds[1], keyed.slice(bounds[0], bounds[1]))));
    assert.equal(cache.lastWay, 'relayout');
  });

  it('answers hover from the whole document assembled after an edit, as from scratch', () => {
    const playbook = generatePlaybook(60);
    const service = new PlaybookService();
    const uri = 'file:///p.playbook.yaml';
    service.analyze({ uri, version: 1, getText: () => playbook.text });
    const text = insertAt(playbook.text, playbook.middle.editOffset, 'x');
    const doc = { uri, version: 2, getText: () => text };
    const fresh = new PlaybookService();
    for (const offset of [text.indexOf('timeout:'), text.lastIndexOf('${BASE_URL}') + 3, text.lastIndexOf('severity: ') + 11]) {
      assert.deepEqual(service.hover(doc, offset), fresh.hover({ ...doc, uri: 'file:///fresh.playbook.yaml' }, offset));
      assert.ok(service.hover(doc, offset), `a hover at ${offset}`);
    }
  });

  it('gives exactly the from-scratch result after each of 200 random edits on a generated playbook', function () {
    this.timeout(120000);
    const random = prng(4242);
    const scratch = new PlaybookAnalyzer();
    const incremental = new PlaybookAnalyzer();
    const cache = new PieceAnalyzer();
    const chunks = new ChunkCache();
    let base = generatePlaybook(40).text;
    let reused = 0;
    for (let n = 0; n < 200; n++) {
      // Every edit is analysed; edits that keep the YAML readable become the base for the next ones,
      // so broken text is tested too without piling up until nothing parses.
      const text = pick(random, EDITS)(base, random);
      const fromScratch = scratch.analyze(text);
      assert.deepEqual(observable(incremental.analyze(text, cache)), observable(fromScratch), `after edit ${n}`);
      if (chunks.parse(text)) reused++;
      if (!fromScratch.problems.some((p) => p.code === 'YAML_SYNTAX' || p.code === 'DUPLICATE_KEY' || p.code === 'TABS')) base = text;
      if (n % 100 === 99) base = generatePlaybook(40, n).text;
    }
    // Most edits must go the fast way, or the test would only compare the fallback with itself.
    assert.ok(reused > 100, `only ${reused} edits were parsed incrementally`);
  });

  /** Analyses `texts` in order incrementally and from scratch; each must give the same, and the last must go `way`, when given. */
  function sameAsScratch(texts: string[], way?: string): void {
    const incremental = new PlaybookAnalyzer();
    const pieces = new PieceAnalyzer();
    const chunks = new ChunkCache();
    for (const text of texts) {
      const actual = incremental.analyze(text, pieces);
      chunks.parse(text);
      assert.deepEqual(observable(actual), observable(new PlaybookAnalyzer().analyze(text)));
    }
    if (way) assert.equal(chunks.lastWay, way);
  }

  const TWO = joinLines(
    'version: 1',
    'title: T',
    'scenarios:',
    '  - id: a',
    '    steps:',
    '      - id: s1',
    '        run: echo 1',
    '  - id: b',
    '    steps:',
    '      - id: s3',
    '        manual: do it',
    '',
  );

  it('ends a scenario where the whole parse does when it ends in an empty value and a comment before the next one', () => {
    // The empty value's range reaches to the next item's `-`: 86, not the 84 of the item parsed alone.
    const typed = TWO.replace('run: echo 1', 'run:\n# c');
    sameAsScratch([TWO, TWO.replace('run: echo 1', 'run: echo'), TWO.replace('run: echo 1', 'run:'), typed]);
    sameAsScratch([TWO, TWO.replace('run: echo 1', 'run: # why\n    # c')]);
    const steps = new PlaybookAnalyzer().analyze(typed).model.steps;
    assert.deepEqual([steps[0].span.end, typed.indexOf('- id: b')], [86, 86]);
  });

  it('ends the scenarios section where the whole parse does when the last item is a plain string', () => {
    // A plain scalar's range[1] stops before its line break; the sequence ends after it (153, not 152).
    sameAsScratch([TWO, `${TWO}  - foo\n`], 'relayout');
    sameAsScratch([TWO, `${TWO}  - foo\ntemplates: []\n`], 'relayout');
    sameAsScratch([TWO, `${TWO}  - foo # note\n  # after\ntemplates: []\n`], 'relayout');
  });
});

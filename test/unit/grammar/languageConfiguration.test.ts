// Checks language-configuration.json the way VS Code reads it: the regexes it builds and the rules it picks on Enter.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface OnEnterRule {
  beforeText: string;
  afterText?: string;
  action: { indent: 'none' | 'indent' | 'outdent' | 'indentOutdent'; appendText?: string };
}

interface LanguageConfiguration {
  comments: { lineComment: string };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  folding: { offSide: boolean; markers: { start: string; end: string } };
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  onEnterRules: OnEnterRule[];
  wordPattern: string;
}

const CONFIG: LanguageConfiguration = JSON.parse(fs.readFileSync(path.join(findRoot(__dirname), 'language-configuration.json'), 'utf8'));

function findRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** The text of the new line VS Code makes when Enter is pressed at the end of `line` (tab size 2, spaces). */
function pressEnter(line: string, after = ''): string {
  const indent = /^\s*/.exec(line)![0];
  const rule = CONFIG.onEnterRules.find(
    (r) => new RegExp(r.beforeText).test(line) && (r.afterText === undefined || new RegExp(r.afterText).test(after)),
  );
  if (!rule) return new RegExp(CONFIG.indentationRules.increaseIndentPattern).test(line) ? `${indent}  ` : indent;
  const base = rule.action.indent === 'indent' ? `${indent}  ` : indent;
  return base + (rule.action.appendText ?? '');
}

function words(text: string): string[] {
  return [...text.matchAll(new RegExp(CONFIG.wordPattern, 'g'))].map((m) => m[0]);
}

describe('playbook language configuration', () => {
  it('has patterns VS Code can compile, also in unicode mode', () => {
    const patterns = [
      CONFIG.wordPattern,
      CONFIG.indentationRules.increaseIndentPattern,
      CONFIG.indentationRules.decreaseIndentPattern,
      CONFIG.folding.markers.start,
      CONFIG.folding.markers.end,
      ...CONFIG.onEnterRules.flatMap((r) => [r.beforeText, r.afterText ?? '']),
    ];
    for (const pattern of patterns) assert.doesNotThrow(() => new RegExp(pattern, 'u'), pattern);
  });

  it('comments with `#` and folds by indentation, off-side', () => {
    assert.equal(CONFIG.comments.lineComment, '#');
    assert.equal(CONFIG.folding.offSide, true);
    assert.ok(new RegExp(CONFIG.folding.markers.start).test('  # region checks'));
    assert.ok(new RegExp(CONFIG.folding.markers.end).test('  # endregion'));
  });

  it('auto-closes and surrounds with brackets and both kinds of quotes', () => {
    const closing = new Map(CONFIG.autoClosingPairs.map((p) => [p.open, p.close]));
    const surrounding = new Map(CONFIG.surroundingPairs);
    for (const [open, close] of [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
      ['"', '"'],
      ["'", "'"],
    ]) {
      assert.equal(closing.get(open), close, open);
      assert.equal(surrounding.get(open), close, open);
    }
    assert.deepEqual(CONFIG.autoClosingPairs.find((p) => p.open === "'")?.notIn, ['string', 'comment']);
  });

  it('continues a plain list item with a new `- `', () => {
    assert.equal(pressEnter('    - Health endpoint returns 5xx'), '    - ');
  });

  it('does not add a dash when Enter splits an item in the middle', () => {
    assert.equal(pressEnter('    - Health endpoint', ' returns 5xx'), '    ');
  });

  it('aligns with the key after `- key: value`, to go on with the same mapping', () => {
    assert.equal(pressEnter('  - id: check-health'), '    ');
    assert.equal(pressEnter('      - url: http://localhost:8080/health'), '        ');
  });

  it('indents past the key after `- key:` and `- run: |`', () => {
    assert.equal(pressEnter('  - http:'), '      ');
    assert.equal(pressEnter('  - run: |'), '      ');
    assert.equal(pressEnter('  - run: >- # folded'), '      ');
  });

  it('indents after `key:` and after block scalar headers', () => {
    assert.equal(pressEnter('scenarios:'), '  ');
    assert.equal(pressEnter('    run: |'), '      ');
    assert.equal(pressEnter('    body: |-'), '      ');
    assert.equal(pressEnter('    description: > # long'), '      ');
    assert.equal(pressEnter('  - |'), '    ');
  });

  it('keeps the indentation after a finished `key: value` or a comment', () => {
    assert.equal(pressEnter('    url: http://localhost:8080/health'), '    ');
    assert.equal(pressEnter('    run: echo a | jq .'), '    ');
    assert.equal(pressEnter('    # note: keep'), '    ');
  });

  it('increases indentation for lines that open a nested block, and not for others', () => {
    const increase = new RegExp(CONFIG.indentationRules.increaseIndentPattern);
    for (const line of ['steps:', '  - http:', '    run: |', '    body: >2-', '"quoted key":', 'tags: [', '  - |'])
      assert.ok(increase.test(line), line);
    for (const line of ['title: x', 'url: http://x:80', '# a:', '  - item', 'run: cat x |']) assert.ok(!increase.test(line), line);
    assert.ok(new RegExp(CONFIG.indentationRules.decreaseIndentPattern).test('  ]'));
  });

  it('treats ids with `-` and `_` as one word, and stops at `.`, `$`, `{` and `:`', () => {
    assert.deepEqual(words('steps.check-health.failed'), ['steps', 'check-health', 'failed']);
    assert.deepEqual(words('url: ${BASE_URL}/health'), ['url', 'BASE_URL', 'health']);
    assert.deepEqual(words('  - id: post_incident_review'), ['id', 'post_incident_review']);
    assert.deepEqual(words('timeout: 1h30m'), ['timeout', '1h30m']);
  });
});

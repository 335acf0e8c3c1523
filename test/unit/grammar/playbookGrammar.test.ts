// Tokenizes playbook text with syntaxes/playbook.tmLanguage.json and a stub shell grammar, and checks exact scopes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import * as YAML from 'yaml';
import Ajv from 'ajv';

const ROOT = findRoot(__dirname);
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'playbook.tmLanguage.json');
const SCHEMA_PATH = path.join(ROOT, 'schemas', 'playbook.schema.json');
const FIXTURE_PATH = path.join(ROOT, 'test', 'fixtures', 'grammar', 'api-outage.playbook.yaml');

const BLOCK_SHELL = 'meta.embedded.block.shell';
const LINE_SHELL = 'meta.embedded.line.shell';
const KEY = 'entity.name.tag.yaml';
const SECTION_KEY = 'keyword.other.section.playbook';
const STEP_KIND_KEY = 'keyword.control.step-kind.playbook';
const PROPERTY_KEY = 'support.type.property-name.playbook';
const SEPARATOR = 'punctuation.separator.key-value.mapping.yaml';
const DASH = 'punctuation.definition.block.sequence.item.yaml';
const VARIABLE = 'variable.other.playbook';
const PLACEHOLDER = 'constant.other.placeholder.playbook';
const PLAIN = 'string.unquoted.plain.out.yaml';
const BLOCK_TEXT = 'string.unquoted.block.yaml';

/**
 * Stands in for VS Code's shellscript grammar: words are `stub.shell`, and a double quote opens a string that only
 * another double quote closes, so a test can see whether an unbalanced shell construct leaks out of its region.
 */
const STUB_SHELL = {
  scopeName: 'source.shell',
  patterns: [
    { begin: '"', end: '"', name: 'string.quoted.double.stub.shell' },
    { match: '[A-Za-z_][\\w-]*', name: 'stub.shell' },
  ],
};

interface Tok {
  text: string;
  /** Scopes below the root `source.playbook`. */
  scopes: string[];
}

let grammar: vsctm.IGrammar;

function findRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

let wasmLoaded: Promise<void> | undefined;

/** Loads the playbook grammar; `shell` decides whether a `source.shell` grammar is installed next to it. */
async function loadGrammar(shell: object | null = STUB_SHELL): Promise<vsctm.IGrammar> {
  wasmLoaded ??= oniguruma.loadWASM(fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm')));
  await wasmLoaded;
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'source.playbook') return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
      if (scopeName === 'source.shell' && shell) return vsctm.parseRawGrammar(JSON.stringify(shell), 'stub-shell.json');
      return null;
    },
  });
  const loaded = await registry.loadGrammar('source.playbook');
  if (!loaded) throw new Error('source.playbook did not load');
  return loaded;
}

const joinLines = (...lines: string[]): string => lines.join('\n');
const spaces = (n: number): string => ' '.repeat(n);

function tokenize(text: string, using: vsctm.IGrammar = grammar): Tok[][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = using.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) }));
  });
}

/** The scopes of the token whose text is exactly `text` on line `row` (the `nth` such token). */
function scopesOf(lines: Tok[][], row: number, text: string, nth = 0): string[] {
  const found = lines[row].filter((t) => t.text === text);
  assert.ok(found.length > nth, `no token ${JSON.stringify(text)} on line ${row}: ${JSON.stringify(lines[row].map((t) => t.text))}`);
  return found[nth].scopes;
}

const everyToken = (line: Tok[], scope: string): boolean => line.every((t) => t.scopes.includes(scope));
const anyToken = (line: Tok[], scope: string): boolean => line.some((t) => t.scopes.includes(scope));

function assertEmbeddedLines(lines: Tok[][], rows: number[], scope = BLOCK_SHELL): void {
  for (const row of rows) assert.ok(everyToken(lines[row], scope), `line ${row} is not all ${scope}: ${JSON.stringify(lines[row])}`);
}

function assertNotEmbedded(lines: Tok[][], row: number): void {
  assert.ok(
    !anyToken(lines[row], BLOCK_SHELL) && !anyToken(lines[row], LINE_SHELL),
    `line ${row} is embedded: ${JSON.stringify(lines[row])}`,
  );
}

describe('playbook grammar', () => {
  before(async () => {
    grammar = await loadGrammar();
  });

  describe('`run:` block scalars are embedded shell', () => {
    it('marks each content line of a top-level `run: |` as shell, and not the next key', () => {
      const lines = tokenize(joinLines('run: |', '  curl -s x', '  jq .status', 'title: next'));
      assert.deepEqual(scopesOf(lines, 0, 'run'), [KEY, STEP_KIND_KEY]);
      assert.deepEqual(scopesOf(lines, 0, '|'), ['keyword.control.flow.block-scalar.literal.yaml']);
      assert.ok(!anyToken(lines[0], BLOCK_SHELL));
      assertEmbeddedLines(lines, [1, 2]);
      assert.deepEqual(scopesOf(lines, 1, 'curl'), [BLOCK_SHELL, 'stub.shell']);
      assert.deepEqual(scopesOf(lines, 2, 'jq'), [BLOCK_SHELL, 'stub.shell']);
      assertNotEmbedded(lines, 3);
      assert.deepEqual(scopesOf(lines, 3, 'title'), [KEY, PROPERTY_KEY]);
    });

    for (const indent of [2, 4, 8, 13]) {
      it(`embeds a \`run: |\` block whose key is indented ${indent} spaces`, () => {
        const pad = spaces(indent);
        const lines = tokenize(joinLines(`${pad}run: |`, `${pad}  echo one`, `${pad}    echo deeper`, `${pad}timeout: 30s`));
        assertEmbeddedLines(lines, [1, 2]);
        assert.deepEqual(scopesOf(lines, 2, 'echo'), [BLOCK_SHELL, 'stub.shell']);
        assertNotEmbedded(lines, 3);
        assert.deepEqual(scopesOf(lines, 3, 'timeout'), [KEY, PROPERTY_KEY]);
        assert.deepEqual(scopesOf(lines, 3, '30s'), ['constant.numeric.duration.playbook']);
      });
    }

    it("embeds `- run: |` as the first key of a sequence item and ends at the item's next key", () => {
      const lines = tokenize(
        joinLines('steps:', '  - run: |', '      docker compose ps', '      docker compose logs api', '    id: look', '  - id: next'),
      );
      assert.deepEqual(scopesOf(lines, 1, '-'), [DASH]);
      assert.deepEqual(scopesOf(lines, 1, 'run'), [KEY, STEP_KIND_KEY]);
      assertEmbeddedLines(lines, [2, 3]);
      assert.deepEqual(scopesOf(lines, 2, 'docker'), [BLOCK_SHELL, 'stub.shell']);
      assertNotEmbedded(lines, 4);
      assert.deepEqual(scopesOf(lines, 4, 'id'), [KEY, PROPERTY_KEY]);
      assertNotEmbedded(lines, 5);
    });

    it('counts the width of `-   ` after the dash when deciding where the block ends', () => {
      const lines = tokenize(joinLines('-   run: >-', '      echo a', '    later: 1', '- id: x'));
      assertEmbeddedLines(lines, [1]);
      assertNotEmbedded(lines, 2);
      assert.deepEqual(scopesOf(lines, 2, 'later'), [KEY]);
    });

    it('keeps blank lines inside the block and goes on with shell after them', () => {
      const lines = tokenize(joinLines('    run: |', '      echo one', '', '   ', '      echo two', '    id: x'));
      assertEmbeddedLines(lines, [1, 2, 3, 4]);
      assert.deepEqual(scopesOf(lines, 4, 'echo'), [BLOCK_SHELL, 'stub.shell']);
      assertNotEmbedded(lines, 5);
    });

    it('ends the block at a line indented less than the `run:` key', () => {
      const lines = tokenize(joinLines('scenarios:', '  - id: s', '    steps:', '      - run: |', '          a', 'templates: []'));
      assertEmbeddedLines(lines, [4]);
      assertNotEmbedded(lines, 5);
      assert.deepEqual(scopesOf(lines, 5, 'templates'), [KEY, SECTION_KEY]);
    });

    it('treats `key: value` and `- item` lines inside the block as shell, not YAML', () => {
      const lines = tokenize(joinLines('run: |', '  title: not a key', '  - not an item', '  # a shell comment'));
      assertEmbeddedLines(lines, [1, 2, 3]);
      assert.ok(!anyToken(lines[1], KEY));
      assert.ok(!anyToken(lines[2], DASH));
    });

    for (const header of ['|', '|-', '|+', '>', '>-', '|2', '|-2', '>+1', '| # note']) {
      it(`accepts the block scalar header \`${header}\``, () => {
        const lines = tokenize(joinLines(`run: ${header}`, '  echo x', 'id: after'));
        assertEmbeddedLines(lines, [1]);
        assertNotEmbedded(lines, 2);
      });
    }

    it('scopes a comment after the block header as a YAML comment', () => {
      const lines = tokenize(joinLines('run: |- # restart', '  echo x'));
      assert.deepEqual(scopesOf(lines, 0, '-'), ['storage.modifier.block-scalar.header.yaml']);
      assert.deepEqual(scopesOf(lines, 0, '#'), ['comment.line.number-sign.yaml', 'punctuation.definition.comment.yaml']);
      assert.deepEqual(scopesOf(lines, 0, ' restart'), ['comment.line.number-sign.yaml']);
    });

    it('does not let an unterminated shell quote leak past the end of the block', () => {
      const lines = tokenize(joinLines('run: |', '  echo "unterminated', '  still quoted', 'id: after'));
      assert.deepEqual(scopesOf(lines, 2, '  still quoted'), [BLOCK_SHELL, 'string.quoted.double.stub.shell']);
      assertNotEmbedded(lines, 3);
      assert.deepEqual(scopesOf(lines, 3, 'id'), [KEY, PROPERTY_KEY]);
    });

    it('scopes `${VAR}` in the shell as a playbook variable, even inside a shell string', () => {
      const lines = tokenize(joinLines('run: |', '  curl ${BASE_URL}/health', '  echo "${TOKEN}"', '  echo $${LITERAL}'));
      assert.deepEqual(scopesOf(lines, 1, '${'), [BLOCK_SHELL, VARIABLE, 'punctuation.definition.variable.begin.playbook']);
      assert.deepEqual(scopesOf(lines, 1, 'BASE_URL'), [BLOCK_SHELL, VARIABLE]);
      assert.deepEqual(scopesOf(lines, 1, '}'), [BLOCK_SHELL, VARIABLE, 'punctuation.definition.variable.end.playbook']);
      assert.deepEqual(scopesOf(lines, 2, 'TOKEN'), [BLOCK_SHELL, 'string.quoted.double.stub.shell', VARIABLE]);
      assert.deepEqual(scopesOf(lines, 3, '$$'), [BLOCK_SHELL, 'constant.character.escape.variable.playbook']);
      assert.ok(!anyToken(lines[3], VARIABLE));
    });

    it('embeds shell exactly on the lines of generated `run:` blocks at any depth', () => {
      fc.assert(
        fc.property(runBlockCase(), (c) => {
          const lines = tokenize(c.text);
          assertEmbeddedLines(lines, c.contentRows);
          for (const row of c.contentRows) {
            for (const t of lines[row].filter((tok) => /[A-Za-z]/.test(tok.text))) {
              assert.ok(
                t.scopes.includes('stub.shell') || t.scopes.includes('string.quoted.double.stub.shell'),
                `${JSON.stringify(t)} on line ${row} is not shell`,
              );
            }
          }
          if (c.afterRow !== undefined) {
            assertNotEmbedded(lines, c.afterRow);
            assert.deepEqual(scopesOf(lines, c.afterRow, 'later'), [KEY]);
          }
          assert.deepEqual(scopesOf(lines, c.runRow, 'run'), [KEY, STEP_KIND_KEY]);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('one-line `run:` values are embedded shell', () => {
    it('embeds a plain command and keeps a trailing comment as YAML', () => {
      const lines = tokenize('run: curl -s http://x | jq . # check');
      assert.deepEqual(scopesOf(lines, 0, 'run'), [KEY, STEP_KIND_KEY]);
      assert.deepEqual(scopesOf(lines, 0, ':'), [SEPARATOR]);
      assert.deepEqual(scopesOf(lines, 0, 'curl'), [LINE_SHELL, 'stub.shell']);
      assert.deepEqual(scopesOf(lines, 0, ' | '), [LINE_SHELL]);
      assert.deepEqual(scopesOf(lines, 0, 'jq'), [LINE_SHELL, 'stub.shell']);
      assert.deepEqual(scopesOf(lines, 0, '#'), ['comment.line.number-sign.yaml', 'punctuation.definition.comment.yaml']);
    });

    it('embeds `- run: command` as the first key of a sequence item', () => {
      const lines = tokenize(joinLines('  - run: docker compose restart api', '    id: restart'));
      assert.deepEqual(scopesOf(lines, 0, '-'), [DASH]);
      assert.deepEqual(scopesOf(lines, 0, 'docker'), [LINE_SHELL, 'stub.shell']);
      assertNotEmbedded(lines, 1);
    });

    it('embeds a double-quoted command, with YAML escapes and the quotes outside the shell', () => {
      const lines = tokenize('run: "echo \\"hi\\" ${NAME}"');
      assert.deepEqual(scopesOf(lines, 0, '"', 0), ['string.quoted.double.yaml', 'punctuation.definition.string.begin.yaml']);
      assert.deepEqual(scopesOf(lines, 0, 'echo'), [LINE_SHELL, 'stub.shell']);
      assert.deepEqual(scopesOf(lines, 0, '\\"'), [LINE_SHELL, 'constant.character.escape.yaml']);
      assert.deepEqual(scopesOf(lines, 0, 'NAME'), [LINE_SHELL, VARIABLE]);
      assert.deepEqual(scopesOf(lines, 0, '"', 1), ['string.quoted.double.yaml', 'punctuation.definition.string.end.yaml']);
    });

    it('embeds a single-quoted command', () => {
      const lines = tokenize("run: 'redis-cli ping'");
      assert.deepEqual(scopesOf(lines, 0, "'", 0), ['string.quoted.single.yaml', 'punctuation.definition.string.begin.yaml']);
      assert.deepEqual(scopesOf(lines, 0, 'redis-cli'), [LINE_SHELL, 'stub.shell']);
      assert.deepEqual(scopesOf(lines, 0, "'", 1), ['string.quoted.single.yaml', 'punctuation.definition.string.end.yaml']);
    });

    it('stops the embedded region at the end of its line even after an unterminated shell quote', () => {
      const lines = tokenize(joinLines('run: echo "oops', 'id: next'));
      assertNotEmbedded(lines, 1);
      assert.deepEqual(scopesOf(lines, 1, 'id'), [KEY, PROPERTY_KEY]);
    });

    it('leaves `run:` without a value as a plain key', () => {
      const lines = tokenize('run:   # nothing yet');
      assert.deepEqual(scopesOf(lines, 0, 'run'), [KEY, STEP_KIND_KEY]);
      assert.ok(!anyToken(lines[0], LINE_SHELL));
    });
  });

  describe('keys', () => {
    it('gives section keys, step-kind keys, other known keys and unknown keys distinct scopes', () => {
      const lines = tokenize(joinLines('scenarios:', '  - http:', '    title: x', '    my_thing: y'));
      assert.deepEqual(scopesOf(lines, 0, 'scenarios'), [KEY, SECTION_KEY]);
      assert.deepEqual(scopesOf(lines, 0, ':'), [SEPARATOR]);
      assert.deepEqual(scopesOf(lines, 1, 'http'), [KEY, STEP_KIND_KEY]);
      assert.deepEqual(scopesOf(lines, 2, 'title'), [KEY, PROPERTY_KEY]);
      assert.deepEqual(scopesOf(lines, 3, 'my_thing'), [KEY]);
    });

    it('scopes every section and step-kind key', () => {
      for (const key of [
        'version',
        'defaults',
        'variables',
        'severities',
        'roles',
        'escalation',
        'scenarios',
        'phases',
        'steps',
        'templates',
        'checklists',
        'post_incident',
      ]) {
        assert.deepEqual(scopesOf(tokenize(`${key}:`), 0, key), [KEY, SECTION_KEY], key);
      }
      for (const key of ['run', 'http', 'manual', 'notify']) {
        assert.deepEqual(scopesOf(tokenize(`    ${key}: x`), 0, key), [KEY, STEP_KIND_KEY], key);
      }
    });

    it('knows every property name of the schema', () => {
      const names = schemaPropertyNames(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')));
      const known = [SECTION_KEY, STEP_KIND_KEY, PROPERTY_KEY];
      const unknown = [...names].filter((name) => !scopesOf(tokenize(`- ${name}: 1`), 0, name).some((s) => known.includes(s)));
      assert.deepEqual(unknown, []);
    });

    it('does not pick a known word out of the end of a longer key', () => {
      for (const key of ['pre-run', 'x run', 'my.steps', 'Content-Type']) {
        assert.deepEqual(scopesOf(tokenize(`${key}: 1`), 0, key), [KEY], key);
      }
    });

    it('scopes quoted keys as keys', () => {
      const lines = tokenize('"X-Api-Key": abc');
      assert.deepEqual(scopesOf(lines, 0, 'X-Api-Key'), [KEY, 'string.quoted.double.yaml']);
      assert.deepEqual(scopesOf(lines, 0, ':'), [SEPARATOR]);
    });

    it('scopes keys inside flow mappings', () => {
      const lines = tokenize('window: { from: 0m, to: 15m }');
      assert.deepEqual(scopesOf(lines, 0, 'from'), ['meta.flow-mapping.yaml', KEY, PROPERTY_KEY]);
      assert.deepEqual(scopesOf(lines, 0, '15m'), ['meta.flow-mapping.yaml', 'constant.numeric.duration.playbook']);
      assert.deepEqual(scopesOf(lines, 0, ','), ['meta.flow-mapping.yaml', 'punctuation.separator.sequence.yaml']);
    });
  });

  describe('values', () => {
    it('scopes `${BASE_URL}` in plain, double- and single-quoted URLs as a variable', () => {
      const lines = tokenize(joinLines('url: ${BASE_URL}/health', 'url: "${BASE_URL}/health"', "url: '${BASE_URL}/health'"));
      assert.deepEqual(scopesOf(lines, 0, 'BASE_URL'), [PLAIN, VARIABLE]);
      assert.deepEqual(scopesOf(lines, 0, '/health'), [PLAIN]);
      assert.deepEqual(scopesOf(lines, 1, 'BASE_URL'), ['string.quoted.double.yaml', VARIABLE]);
      assert.deepEqual(scopesOf(lines, 2, 'BASE_URL'), ['string.quoted.single.yaml', VARIABLE]);
      assert.deepEqual(scopesOf(lines, 2, '${'), ['string.quoted.single.yaml', VARIABLE, 'punctuation.definition.variable.begin.playbook']);
    });

    it('scopes `{{incident.id}}` in a template body as a placeholder, and body lines are not keys', () => {
      const lines = tokenize(
        joinLines(
          'templates:',
          '  - id: initial',
          '    body: |',
          '      [{{incident.severity}}] ({{incident.id}}) {{ now }}',
          '      Status: {{incident.status}}',
          '    channel: "#incidents"',
        ),
      );
      assert.deepEqual(scopesOf(lines, 3, '{{'), [BLOCK_TEXT, PLACEHOLDER, 'punctuation.definition.placeholder.begin.playbook']);
      assert.deepEqual(scopesOf(lines, 3, 'incident.id'), [BLOCK_TEXT, PLACEHOLDER]);
      assert.deepEqual(scopesOf(lines, 3, '}}', 1), [BLOCK_TEXT, PLACEHOLDER, 'punctuation.definition.placeholder.end.playbook']);
      assert.deepEqual(scopesOf(lines, 3, ' now '), [BLOCK_TEXT, PLACEHOLDER]);
      assert.ok(!anyToken(lines[4], KEY));
      assert.deepEqual(scopesOf(lines, 4, 'incident.status'), [BLOCK_TEXT, PLACEHOLDER]);
      assert.deepEqual(scopesOf(lines, 5, 'channel'), [KEY, PROPERTY_KEY]);
      assert.deepEqual(scopesOf(lines, 5, '#incidents'), ['string.quoted.double.yaml']);
    });

    it('scopes placeholders in quoted subjects and in `- |` sequence items', () => {
      const lines = tokenize(joinLines('subject: "[{{incident.severity}}] down"', 'notes:', '  - |', '    see {{now}}', '  - plain'));
      assert.deepEqual(scopesOf(lines, 0, 'incident.severity'), ['string.quoted.double.yaml', PLACEHOLDER]);
      assert.deepEqual(scopesOf(lines, 3, 'now'), [BLOCK_TEXT, PLACEHOLDER]);
      assert.deepEqual(scopesOf(lines, 4, 'plain'), [PLAIN]);
    });

    it('scopes durations, numbers, booleans and null', () => {
      const lines = tokenize(
        joinLines('a: 15m', 'b: 1h30m', 'c: 200', 'd: 0.5', 'e: true', 'f: False', 'g: null', 'h: ~', 'i: 15 minutes', 'j: -3'),
      );
      assert.deepEqual(scopesOf(lines, 0, '15m'), ['constant.numeric.duration.playbook']);
      assert.deepEqual(scopesOf(lines, 1, '1h30m'), ['constant.numeric.duration.playbook']);
      assert.deepEqual(scopesOf(lines, 2, '200'), ['constant.numeric.integer.decimal.yaml']);
      assert.deepEqual(scopesOf(lines, 3, '0.5'), ['constant.numeric.float.yaml']);
      assert.deepEqual(scopesOf(lines, 4, 'true'), ['constant.language.boolean.yaml']);
      assert.deepEqual(scopesOf(lines, 5, 'False'), ['constant.language.boolean.yaml']);
      assert.deepEqual(scopesOf(lines, 6, 'null'), ['constant.language.null.yaml']);
      assert.deepEqual(scopesOf(lines, 7, '~'), ['constant.language.null.yaml']);
      assert.deepEqual(scopesOf(lines, 8, '15 minutes'), [PLAIN]);
      assert.deepEqual(scopesOf(lines, 9, '-3'), ['constant.numeric.integer.decimal.yaml']);
    });

    it('scopes whole-line and trailing comments, but not `#` inside a plain value', () => {
      const lines = tokenize(joinLines('# heading', 'url: http://x/#frag # real comment'));
      assert.deepEqual(scopesOf(lines, 0, '#'), ['comment.line.number-sign.yaml', 'punctuation.definition.comment.yaml']);
      assert.deepEqual(scopesOf(lines, 0, ' heading'), ['comment.line.number-sign.yaml']);
      assert.deepEqual(scopesOf(lines, 1, 'http://x/#frag'), [PLAIN]);
      assert.deepEqual(scopesOf(lines, 1, ' real comment'), ['comment.line.number-sign.yaml']);
    });

    it('scopes anchors, aliases and tags', () => {
      const lines = tokenize(joinLines('base: &defaults', '  timeout: 30s', 'other: *defaults', 'n: !!str 1'));
      assert.deepEqual(scopesOf(lines, 0, '&'), ['meta.property.anchor.yaml', 'punctuation.definition.anchor.yaml']);
      assert.deepEqual(scopesOf(lines, 0, 'defaults'), ['meta.property.anchor.yaml', 'entity.name.type.anchor.yaml']);
      assert.deepEqual(scopesOf(lines, 2, '*'), ['variable.other.alias.yaml', 'punctuation.definition.alias.yaml']);
      assert.deepEqual(scopesOf(lines, 2, 'defaults'), ['variable.other.alias.yaml']);
      assert.deepEqual(scopesOf(lines, 3, '!!str'), ['storage.type.tag-handle.yaml']);
    });

    it('scopes sequence dashes, flow sequences and document markers', () => {
      const lines = tokenize(joinLines('---', 'tags: [db, "cache"]', 'symptoms:', '  - Slow pages', '...'));
      assert.deepEqual(scopesOf(lines, 0, '---'), ['entity.other.document.begin.yaml']);
      assert.deepEqual(scopesOf(lines, 1, '['), ['meta.flow-sequence.yaml', 'punctuation.definition.sequence.begin.yaml']);
      assert.deepEqual(scopesOf(lines, 1, 'db'), ['meta.flow-sequence.yaml', 'string.unquoted.plain.in.yaml']);
      assert.deepEqual(scopesOf(lines, 3, '-'), [DASH]);
      assert.deepEqual(scopesOf(lines, 3, 'Slow pages'), [PLAIN]);
      assert.deepEqual(scopesOf(lines, 4, '...'), ['entity.other.document.end.yaml']);
    });

    it('highlights the operators and references of a `when:` condition', () => {
      const lines = tokenize('when: steps.check-memory.json.heapSizeMB > 2000 and not steps.x.failed');
      assert.deepEqual(scopesOf(lines, 0, 'steps.check-memory.json.heapSizeMB'), [
        'meta.condition.playbook',
        'variable.other.reference.playbook',
      ]);
      assert.deepEqual(scopesOf(lines, 0, '>'), ['meta.condition.playbook', 'keyword.operator.comparison.playbook']);
      assert.deepEqual(scopesOf(lines, 0, '2000'), ['meta.condition.playbook', 'constant.numeric.playbook']);
      assert.deepEqual(scopesOf(lines, 0, 'and'), ['meta.condition.playbook', 'keyword.operator.logical.playbook']);
      assert.deepEqual(scopesOf(lines, 0, 'not'), ['meta.condition.playbook', 'keyword.operator.logical.playbook']);
    });
  });

  describe('the grammar file', () => {
    it('resolves every include to its own repository or to source.shell, and never needs source.yaml', () => {
      const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));
      assert.equal(raw.scopeName, 'source.playbook');
      const includes: string[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== 'object') return;
        const include = (node as { include?: unknown }).include;
        if (typeof include === 'string') includes.push(include);
        Object.values(node).forEach(walk);
      };
      walk(raw);
      const missing = includes.filter((i) => (i.startsWith('#') ? !(i.slice(1) in raw.repository) : i !== 'source.shell'));
      assert.deepEqual(missing, []);
    });

    it('still marks the embedded regions when no shell grammar is installed', async () => {
      const bare = await loadGrammar(null);
      const lines = tokenize(joinLines('run: |', '  curl ${BASE_URL}', 'id: x', 'run: echo hi'), bare);
      assert.deepEqual(scopesOf(lines, 1, '  curl '), [BLOCK_SHELL]);
      assert.deepEqual(scopesOf(lines, 1, 'BASE_URL'), [BLOCK_SHELL, VARIABLE]);
      assert.deepEqual(scopesOf(lines, 2, 'id'), [KEY, PROPERTY_KEY]);
      assert.deepEqual(scopesOf(lines, 3, 'echo hi'), [LINE_SHELL]);
    });
  });

  describe('on real playbooks, checked against the YAML parser', () => {
    const examples = path.join(ROOT, 'examples');
    const files = [
      FIXTURE_PATH,
      ...(fs.existsSync(examples)
        ? fs
            .readdirSync(examples)
            .filter((f) => f.endsWith('.playbook.yaml'))
            .map((f) => path.join(examples, f))
        : []),
    ];

    for (const file of files) {
      const name = path.relative(ROOT, file);
      const load = (ctx: Mocha.Context): string => {
        const text = fs.readFileSync(file, 'utf8');
        if (file !== FIXTURE_PATH && YAML.parseDocument(text).errors.length > 0) ctx.skip(); // another suite reports broken YAML
        return text;
      };

      it(`embeds shell on exactly the lines that are \`run\` values in ${name}`, function () {
        const text = load(this);
        const expected = runValueLines(text);
        const lines = tokenize(text);
        text.split('\n').forEach((source, row) => {
          if (source.trim() === '') return;
          assert.equal(anyToken(lines[row], BLOCK_SHELL), expected.block.has(row), `block shell on line ${row + 1}: ${source}`);
          assert.equal(anyToken(lines[row], LINE_SHELL), expected.line.has(row), `line shell on line ${row + 1}: ${source}`);
          if (expected.block.has(row)) assert.ok(everyToken(lines[row], BLOCK_SHELL), `all of line ${row + 1} is shell`);
        });
      });

      it(`scopes every key as a key and every block scalar line as text or shell in ${name}`, function () {
        const text = load(this);
        const doc = new TokenizedDoc(text);
        YAML.visit(YAML.parseDocument(text), {
          Pair(_, pair) {
            if (!YAML.isScalar(pair.key) || !pair.key.range) return;
            const offset = pair.key.range[0];
            assert.ok(doc.tokenAt(offset)?.scopes.includes(KEY), `key \`${pair.key.value}\` on line ${doc.rowOf(offset) + 1}`);
          },
          Scalar(_, scalar) {
            if (!scalar.range || (scalar.type !== 'BLOCK_LITERAL' && scalar.type !== 'BLOCK_FOLDED')) return;
            const [start, end] = scalar.range;
            for (let row = doc.rowOf(start) + 1; row <= doc.rowOf(Math.max(start, end - 1)); row++) {
              for (const t of doc.lines[row].filter((tok) => tok.text.trim() !== '')) {
                assert.ok(
                  t.scopes.some((x) => x === BLOCK_TEXT || x === BLOCK_SHELL),
                  `${JSON.stringify(t.text)} on line ${row + 1} is ${t.scopes.join(' ')}`,
                );
              }
            }
          },
        });
      });
    }

    it('has a grammar fixture that is itself a valid playbook, so it stays realistic', () => {
      const expected = runValueLines(fs.readFileSync(FIXTURE_PATH, 'utf8'));
      assert.ok(expected.block.size >= 8 && expected.line.size >= 3, 'the fixture exercises both forms of `run`');
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')));
      const doc = YAML.parseDocument(fs.readFileSync(FIXTURE_PATH, 'utf8'));
      assert.deepEqual(doc.errors, []);
      assert.ok(validate(doc.toJS()), JSON.stringify(validate.errors));
    });
  });
});

/** A tokenized document that maps `yaml` node offsets to lines and tokens. */
class TokenizedDoc {
  readonly lines: Tok[][];
  private readonly starts: number[] = [0];

  constructor(text: string) {
    this.lines = tokenize(text);
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  rowOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  tokenAt(offset: number): Tok | undefined {
    const row = this.rowOf(offset);
    let col = this.starts[row];
    for (const t of this.lines[row]) {
      if (offset < col + t.text.length) return t;
      col += t.text.length;
    }
    return undefined;
  }
}

function schemaPropertyNames(schema: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const props = (node as { properties?: unknown }).properties;
    if (props && typeof props === 'object' && !Array.isArray(props)) Object.keys(props).forEach((k) => names.add(k));
    Object.values(node).forEach(walk);
  };
  walk(schema);
  return names;
}

/** Zero-based rows holding `run` values, as the `yaml` parser sees them: block scalar content, or one-line values. */
function runValueLines(text: string): { block: Set<number>; line: Set<number> } {
  const rowOf = (offset: number): number => text.slice(0, offset).split('\n').length - 1;
  const block = new Set<number>();
  const line = new Set<number>();
  YAML.visit(YAML.parseDocument(text), {
    Pair(_, pair) {
      if (!YAML.isScalar(pair.key) || pair.key.value !== 'run' || !YAML.isScalar(pair.value) || !pair.value.range) return;
      const [start, end] = pair.value.range;
      if (pair.value.type === 'BLOCK_LITERAL' || pair.value.type === 'BLOCK_FOLDED') {
        for (let row = rowOf(start) + 1; row <= rowOf(end - 1); row++) block.add(row);
      } else {
        line.add(rowOf(start));
      }
    },
  });
  return { block, line };
}

interface RunBlockCase {
  text: string;
  runRow: number;
  contentRows: number[];
  afterRow?: number;
}

/**
 * Valid YAML with one `run:` block scalar: nested under random mapping levels, optionally as the first key of a
 * sequence item, with random content indentation, blank lines and YAML-looking shell, then a key that ends it.
 */
function runBlockCase(): fc.Arbitrary<RunBlockCase> {
  const contentLine = fc.oneof(
    fc.record({ blank: fc.constant(true as const), spaces: fc.integer({ min: 0, max: 3 }) }),
    fc.record({
      blank: fc.constant(false as const),
      extra: fc.integer({ min: 0, max: 3 }),
      words: fc.array(fc.constantFrom('echo', 'curl', 'jq', '"quoted', 'key: value', '- item', '#', '|', '$(date)'), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  );
  return fc
    .record({
      widths: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }),
      dash: fc.boolean(),
      afterDash: fc.integer({ min: 0, max: 2 }),
      header: fc.constantFrom('|', '|-', '|+', '>', '>-', '| # comment'),
      contentIndent: fc.integer({ min: 1, max: 4 }),
      firstWord: fc.constantFrom('echo', 'curl', 'docker'),
      lines: fc.array(contentLine, { maxLength: 6 }),
      ending: fc.constantFrom('sibling', 'outer', 'item', 'none'),
      outerPick: fc.nat(),
    })
    .map((g) => {
      const rows: string[] = [];
      const columns: number[] = [];
      let column = 0;
      g.widths.forEach((w, level) => {
        rows.push(`${spaces(column)}level${level}:`);
        columns.push(column);
        column += w;
      });
      const keyColumn = g.dash ? column + 2 + g.afterDash : column;
      const runRow = rows.length;
      rows.push(g.dash ? `${spaces(column)}- ${spaces(g.afterDash)}run: ${g.header}` : `${spaces(column)}run: ${g.header}`);
      const contentColumn = keyColumn + g.contentIndent;
      const contentRows = [rows.length];
      rows.push(`${spaces(contentColumn)}${g.firstWord} first`);
      for (const l of g.lines) {
        if (l.blank) rows.push(spaces(l.spaces));
        else {
          contentRows.push(rows.length);
          rows.push(`${spaces(contentColumn + l.extra)}${l.words.join(' ')}`);
        }
      }
      let afterRow: number | undefined = rows.length;
      if (g.ending === 'sibling' || (g.ending === 'item' && !g.dash) || (g.ending === 'outer' && columns.length === 0)) {
        rows.push(`${spaces(keyColumn)}later: 1`);
      } else if (g.ending === 'item') {
        rows.push(`${spaces(column)}- later: 1`);
      } else if (g.ending === 'outer') {
        rows.push(`${spaces(columns[g.outerPick % columns.length])}later: 1`);
      } else {
        afterRow = undefined;
      }
      return { text: rows.join('\n'), runRow, contentRows, afterRow };
    })
    .filter((c) => YAML.parseDocument(c.text).errors.length === 0);
}

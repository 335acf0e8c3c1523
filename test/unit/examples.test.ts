import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import * as ts from 'typescript';
import { parse } from 'yaml';
import schema from '../../schemas/playbook.schema.json';
import { analyze, SEEDS_DIR, seedsPresent } from './helpers';

const root = join(__dirname, '..', '..', '..');
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.playbook.yaml'))
  .sort();
const haveSeeds = seedsPresent(`comparing the ${examples.length} examples with the commands of their seeds`);

/** Which seed each example translates, read from its header comment `(seed NNN)`. */
function seedOf(text: string): string | undefined {
  return /\(seed (\d{3})\)/.exec(text.split('\n').slice(0, 5).join('\n'))?.[1];
}

/** Every text a step carries (commands, manual instructions, notes), to find a seed's lines in. */
function stepTexts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stepTexts(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stepTexts(v, out));
  return out;
}

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```(?:bash|sh|shell|zsh|console)[ \t]*\r?\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

describe('examples', () => {
  it('has one example per seed', () => {
    assert.equal(examples.length, 5);
  });

  for (const file of examples) {
    describe(file, () => {
      const text = readFileSync(join(examplesDir, file), 'utf8');

      it('has no errors and no warnings', () => {
        const problems = analyze(text).problems.filter((p) => p.severity !== 'info');
        assert.deepEqual(
          problems.map((p) => `${p.code}: ${p.message}`),
          [],
        );
      });

      it('validates against the JSON Schema alone', () => {
        const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
        assert.ok(validate(parse(text)), JSON.stringify(validate.errors));
      });

      it('keeps every shell line of its seed', function () {
        const seed = seedOf(text);
        assert.ok(seed, 'the header names its seed');
        if (!haveSeeds) this.skip();
        const seedFile = readdirSync(SEEDS_DIR).find((f) => f.startsWith(`${seed}_`));
        assert.ok(seedFile, `no seed ${seed}_* in ${SEEDS_DIR}`);
        const haystack = stepTexts(parse(text)).join('\n');
        const missing = shellBlocks(readFileSync(join(SEEDS_DIR, seedFile), 'utf8'))
          .flatMap((block) => block.split('\n'))
          // Comment and list markers may go: such lines become descriptions or manual steps.
          .map((line) =>
            line
              .trim()
              .replace(/^#\s*/, '')
              .replace(/^(?:[-*]|\d+\.)\s+/, '')
              .trim(),
          )
          .filter((line) => line.length > 0 && !haystack.includes(line));
        assert.deepEqual(missing, []);
      });
    });
  }
});

describe('TypeScript types of the format', function () {
  this.timeout(60000);

  it('accept every example, as the schema does', () => {
    const typesFile = join(root, 'src', 'playbook', 'types.ts');
    const sources = new Map<string, string>();
    examples.forEach((file, i) => {
      const json = JSON.stringify(parse(readFileSync(join(examplesDir, file), 'utf8')));
      sources.set(
        join(root, `__example${i}.ts`),
        `import type { Playbook } from ${JSON.stringify(typesFile.replace(/\.ts$/, ''))};\nexport const example: Playbook = ${json};\n`,
      );
    });
    const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022 };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (name) => sources.get(name) ?? read(name);
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => sources.has(name) || exists(name);
    const program = ts.createProgram([...sources.keys()], options, host);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(errors, []);
  });

  it('rejects a playbook the schema rejects', () => {
    const file = join(root, '__bad.ts');
    const typesFile = join(root, 'src', 'playbook', 'types.ts').replace(/\.ts$/, '');
    const source = `import type { Playbook } from ${JSON.stringify(typesFile)};\nexport const p: Playbook = {"version":1,"title":"t","scenarios":[{"id":"s","title":"S","steps":[{"id":"a","rn":"x"}]}]};\n`;
    const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [] };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? source : read(name));
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || exists(name);
    assert.ok(ts.getPreEmitDiagnostics(ts.createProgram([file], options, host)).length > 0);
  });
});

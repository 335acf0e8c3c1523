// Expands every snippet in snippets/playbook.code-snippets and checks the YAML it produces against the schema.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import Ajv from 'ajv';

const ROOT = findRoot(__dirname);
const SNIPPETS: Record<string, RawSnippet> = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'playbook.code-snippets'), 'utf8'));
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'playbook.schema.json'), 'utf8'));

interface RawSnippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

/** The parts of VS Code's snippet syntax the playbook snippets may use. */
type Part =
  | { kind: 'text'; text: string }
  | { kind: 'tabstop'; index: number; children?: Part[] }
  | { kind: 'choice'; index: number; options: string[] };

function findRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Parses snippet text; throws on a `$` that VS Code would read as a variable (an unescaped `${NAME}`). */
function parseSnippet(src: string): Part[] {
  let pos = 0;
  const parseParts = (inPlaceholder: boolean): Part[] => {
    const parts: Part[] = [];
    let text = '';
    const flush = (): void => {
      if (text) parts.push({ kind: 'text', text });
      text = '';
    };
    while (pos < src.length) {
      const ch = src[pos];
      if (ch === '\\' && pos + 1 < src.length && '$}\\'.includes(src[pos + 1])) {
        text += src[pos + 1];
        pos += 2;
      } else if (ch === '}' && inPlaceholder) {
        break;
      } else if (ch === '$') {
        flush();
        parts.push(parseDollar());
      } else {
        text += ch;
        pos++;
      }
    }
    flush();
    return parts;
  };
  const parseDollar = (): Part => {
    const simple = /^\$(\d+)/.exec(src.slice(pos));
    if (simple) {
      pos += simple[0].length;
      return { kind: 'tabstop', index: Number(simple[1]) };
    }
    const open = /^\$\{(\d+)([:|}])/.exec(src.slice(pos));
    if (!open) throw new Error(`unescaped \`$\` at ${pos}: ${JSON.stringify(src.slice(pos, pos + 20))} would be a snippet variable`);
    pos += open[0].length;
    const index = Number(open[1]);
    if (open[2] === '}') return { kind: 'tabstop', index };
    if (open[2] === '|') {
      const end = src.indexOf('|}', pos);
      if (end < 0) throw new Error(`unclosed choice at ${pos}`);
      const options = src
        .slice(pos, end)
        .split(/(?<!\\),/)
        .map((o) => o.replace(/\\([,|\\])/g, '$1'));
      pos = end + 2;
      return { kind: 'choice', index, options };
    }
    const children = parseParts(true);
    if (src[pos] !== '}') throw new Error(`unclosed placeholder $${index}`);
    pos++;
    return { kind: 'tabstop', index, children };
  };
  const parts = parseParts(false);
  if (pos !== src.length) throw new Error(`stray \`}\` at ${pos}`);
  return parts;
}

const bodyText = (s: RawSnippet): string => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

/** Every tab stop index, each choice, and how often each index appears. */
function inventory(parts: Part[], found = { indexes: new Set<number>(), choices: new Map<number, string[]>() }) {
  for (const p of parts) {
    if (p.kind === 'text') continue;
    found.indexes.add(p.index);
    if (p.kind === 'choice') found.choices.set(p.index, p.options);
    if (p.kind === 'tabstop' && p.children) inventory(p.children, found);
  }
  return found;
}

/**
 * The text VS Code inserts when the user tabs through: each placeholder keeps its default, a mirror (`$1` again)
 * repeats it, a choice takes its first option unless `picks` says otherwise, and `$0` is empty.
 */
function expand(parts: Part[], picks: ReadonlyMap<number, string> = new Map()): string {
  const values = new Map<number, string>();
  const collect = (ps: Part[]): void => {
    for (const p of ps) {
      if (p.kind === 'choice') values.set(p.index, picks.get(p.index) ?? p.options[0]);
      if (p.kind === 'tabstop' && p.children) {
        collect(p.children);
        if (!values.has(p.index)) values.set(p.index, render(p.children));
      }
    }
  };
  const render = (ps: Part[]): string =>
    ps
      .map((p) => (p.kind === 'text' ? p.text : (values.get(p.index) ?? (p.kind === 'tabstop' && p.children ? render(p.children) : ''))))
      .join('');
  collect(parts);
  return render(parts);
}

/** Inserts `text` the way VS Code does at a line holding only indentation: later lines get the same indentation. */
function insertAt(host: string, text: string): string {
  const marker = /^( *)<SNIPPET>$/m.exec(host);
  if (!marker) throw new Error('host has no <SNIPPET> line');
  const indent = marker[1];
  const indented = text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join('\n');
  return host.replace('<SNIPPET>', indented);
}

const PLAYBOOK_HEAD = 'version: 1\ntitle: Host playbook\n';
const HOSTS = {
  document: '<SNIPPET>\n',
  topLevel: `${PLAYBOOK_HEAD}scenarios:\n  - id: s\n    title: S\n<SNIPPET>\n`,
  scenario: `${PLAYBOOK_HEAD}scenarios:\n  - id: first\n    title: First\n  <SNIPPET>\n`,
  phase: `${PLAYBOOK_HEAD}scenarios:\n  - id: s\n    title: S\n    phases:\n      <SNIPPET>\n`,
  scenarioStep: `${PLAYBOOK_HEAD}scenarios:\n  - id: s\n    title: S\n    steps:\n      <SNIPPET>\n`,
  phaseStep: `${PLAYBOOK_HEAD}scenarios:\n  - id: s\n    title: S\n    phases:\n      - id: p\n        title: P\n        steps:\n          - id: first\n            run: echo first\n          <SNIPPET>\n`,
  variable: `${PLAYBOOK_HEAD}variables:\n  <SNIPPET>\nscenarios: []\n`,
  severity: `${PLAYBOOK_HEAD}severities:\n  <SNIPPET>\nscenarios: []\n`,
  role: `${PLAYBOOK_HEAD}roles:\n  <SNIPPET>\nscenarios: []\n`,
  template: `${PLAYBOOK_HEAD}templates:\n  <SNIPPET>\nscenarios: []\n`,
  checklist: `${PLAYBOOK_HEAD}checklists:\n  <SNIPPET>\nscenarios: []\n`,
  escalation: `${PLAYBOOK_HEAD}scenarios:\n  - id: s\n    title: S\n    escalation:\n      <SNIPPET>\n`,
} as const;
type Host = keyof typeof HOSTS;

/** Where each snippet is meant to be typed; a snippet missing here fails the suite, so new ones get checked too. */
const PLACEMENT: Record<string, Host[]> = {
  playbook: ['document'],
  scenario: ['scenario'],
  'scenario-phases': ['scenario'],
  phase: ['phase'],
  'step-run': ['scenarioStep', 'phaseStep'],
  'step-run-block': ['scenarioStep', 'phaseStep'],
  'step-http': ['scenarioStep', 'phaseStep'],
  'step-manual': ['scenarioStep', 'phaseStep'],
  'step-notify': ['scenarioStep', 'phaseStep'],
  'step-when': ['scenarioStep', 'phaseStep'],
  'step-repeat': ['scenarioStep', 'phaseStep'],
  'step-destructive': ['scenarioStep', 'phaseStep'],
  variable: ['variable'],
  'variable-secret': ['variable'],
  severity: ['severity'],
  severities: ['topLevel'],
  role: ['role'],
  template: ['template'],
  checklist: ['checklist'],
  escalation: ['escalation'],
  'post-incident': ['topLevel'],
};

const prefixOf = (s: RawSnippet): string => (Array.isArray(s.prefix) ? s.prefix[0] : s.prefix);
const entries = Object.entries(SNIPPETS);

function parseYaml(text: string): unknown {
  const doc = YAML.parseDocument(text);
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    `YAML errors in:\n${text}`,
  );
  return doc.toJS();
}

describe('playbook snippets', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(SCHEMA);
  const assertValidPlaybook = (text: string): unknown => {
    const value = parseYaml(text);
    assert.ok(validate(value), `${JSON.stringify(validate.errors, null, 2)}\nin:\n${text}`);
    return value;
  };

  it('gives every snippet a prefix, a description and at least one tab stop', () => {
    for (const [name, s] of entries) {
      assert.match(prefixOf(s), /^[a-z][a-z-]*$/, name);
      assert.ok((s.description ?? '').length > 10, `${name} has a description`);
      assert.ok(inventory(parseSnippet(bodyText(s))).indexes.size > 0, `${name} has tab stops`);
    }
  });

  it('uses each prefix once and offers the ones people look for', () => {
    const prefixes = entries.map(([, s]) => prefixOf(s));
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const wanted of ['playbook', 'scenario', 'phase', 'step-run', 'step-http', 'step-manual', 'step-notify', 'severity', 'template']) {
      assert.ok(prefixes.includes(wanted), wanted);
    }
  });

  it('has a placement for every snippet', () => {
    assert.deepEqual(
      entries.map(([, s]) => prefixOf(s)).filter((p) => !PLACEMENT[p]),
      [],
    );
  });

  it('numbers tab stops from 1 without gaps', () => {
    for (const [name, s] of entries) {
      const indexes = [...inventory(parseSnippet(bodyText(s))).indexes].filter((i) => i !== 0).sort((a, b) => a - b);
      assert.deepEqual(
        indexes,
        indexes.map((_, i) => i + 1),
        name,
      );
    }
  });

  it('indents with spaces only, since YAML forbids tabs', () => {
    for (const [name, s] of entries) assert.ok(!bodyText(s).includes('\t'), name);
  });

  for (const [, s] of entries) {
    const prefix = prefixOf(s);

    it(`\`${prefix}\` expands to YAML on its own`, () => {
      parseYaml(expand(parseSnippet(bodyText(s))));
    });

    for (const host of PLACEMENT[prefix] ?? []) {
      it(`\`${prefix}\` makes a valid playbook when typed in the ${host} position`, () => {
        assertValidPlaybook(insertAt(HOSTS[host], expand(parseSnippet(bodyText(s)))));
      });
    }

    const choices = inventory(parseSnippet(bodyText(s))).choices;
    if (choices.size > 0) {
      it(`\`${prefix}\` stays valid whichever choice is picked`, () => {
        const host = HOSTS[(PLACEMENT[prefix] ?? ['document'])[0]];
        for (const [index, options] of choices) {
          for (const option of options) {
            assertValidPlaybook(insertAt(host, expand(parseSnippet(bodyText(s)), new Map([[index, option]]))));
          }
        }
      });
    }
  }

  it("offers the schema's enum values as choices for the HTTP method and the template kind", () => {
    const choicesOf = (prefix: string): string[][] => {
      const found = entries.find(([, s]) => prefixOf(s) === prefix);
      assert.ok(found, prefix);
      return [...inventory(parseSnippet(bodyText(found[1]))).choices.values()];
    };
    assert.deepEqual(choicesOf('step-http')[0], SCHEMA.definitions.http.properties.method.enum);
    assert.deepEqual([...choicesOf('template')[0]].sort(), [...SCHEMA.definitions.template.properties.kind.enum].sort());
  });

  it('covers every kind of step the schema knows', () => {
    const bodies = entries
      .filter(([, s]) => prefixOf(s).startsWith('step-'))
      .map(([, s]) => parseYaml(expand(parseSnippet(bodyText(s)))) as Record<string, unknown>[]);
    const kinds = new Set(bodies.flatMap((items) => items.flatMap((step) => Object.keys(step))));
    for (const kind of ['run', 'http', 'manual', 'notify', 'when', 'repeat', 'confirm', 'destructive', 'checklist', 'expect'])
      assert.ok(kinds.has(kind), kind);
  });

  it('writes a multi-line `run: |` block in `step-run-block`', () => {
    const found = entries.find(([, s]) => prefixOf(s) === 'step-run-block');
    assert.ok(found);
    const [step] = parseYaml(expand(parseSnippet(bodyText(found[1])))) as { run: string }[];
    assert.equal(step.run, 'first command\nsecond command\n');
  });

  it('makes the whole-playbook snippet refer only to variables, severities, roles, templates and steps it defines', () => {
    const found = entries.find(([, s]) => prefixOf(s) === 'playbook');
    assert.ok(found);
    const text = expand(parseSnippet(bodyText(found[1])));
    const pb = assertValidPlaybook(text) as PlaybookShape;
    const steps = pb.scenarios.flatMap((sc) => [...(sc.steps ?? []), ...(sc.phases ?? []).flatMap((ph) => ph.steps)]);
    const ids = {
      variables: new Set(Object.keys(pb.variables ?? {})),
      severities: new Set((pb.severities ?? []).map((s) => s.id)),
      roles: new Set((pb.roles ?? []).map((r) => r.id)),
      templates: new Set((pb.templates ?? []).map((t) => t.id)),
      steps: new Set(steps.map((s) => s.id)),
    };
    assert.equal(ids.steps.size, steps.length, 'step ids are unique');
    for (const [, name] of text.matchAll(/\$\{([A-Za-z_]\w*)\}/g)) assert.ok(ids.variables.has(name), `variable ${name}`);
    for (const sc of pb.scenarios) if (sc.severity) assert.ok(ids.severities.has(sc.severity), `severity ${sc.severity}`);
    for (const sev of pb.severities ?? []) if (sev.escalate_to) assert.ok(ids.roles.has(sev.escalate_to), `role ${sev.escalate_to}`);
    for (const step of steps) {
      if (step.notify) assert.ok(ids.templates.has(step.notify.template), `template ${step.notify.template}`);
      for (const [, ref] of (step.when ?? '').matchAll(/steps\.([\w-]+)/g)) assert.ok(ids.steps.has(ref), `step ${ref}`);
    }
    assert.deepEqual([...ids.severities], ['P1', 'P2', 'P3']);
  });
});

interface PlaybookShape {
  variables?: Record<string, unknown>;
  severities?: { id: string; escalate_to?: string }[];
  roles?: { id: string }[];
  templates?: { id: string }[];
  scenarios: {
    severity?: string;
    steps?: StepShape[];
    phases?: { steps: StepShape[] }[];
  }[];
}

interface StepShape {
  id: string;
  when?: string;
  notify?: { template: string };
}

describe('snippet expansion used by these tests', () => {
  it('keeps defaults, mirrors, first choices and escaped dollars', () => {
    assert.equal(expand(parseSnippet('${1:a} $1 ${2|x,y|} \\${V\\} ${3:u\\}v}$0')), 'a a x ${V} u}v');
  });

  it('refuses an unescaped `${NAME}` that VS Code would treat as a snippet variable', () => {
    assert.throws(() => parseSnippet('url: ${BASE_URL}/health'), /unescaped/);
  });

  it('indents inserted lines like the editor does', () => {
    assert.equal(insertAt('a:\n  <SNIPPET>\n', '- x\n  y: 1'), 'a:\n  - x\n    y: 1\n');
  });
});

import * as assert from 'node:assert/strict';
import { PlaybookAnalyzer, type Analysis } from '../../../src/playbook/analyze';
import { PlaybookService } from '../../../src/playbook/service';
import {
  DELIBERATE_PROBLEMS,
  generatePlaybook,
  insertAt,
  prng,
  UNDEFINED_VARIABLE,
  UNKNOWN_KEY,
  withKeyLine,
  type GeneratedPlaybook,
} from '../../../bench/generate';

const MB = 1024 * 1024;

describe('benchmark playbook generator', () => {
  let playbook: GeneratedPlaybook;
  let analysis: Analysis;

  before(() => {
    playbook = generatePlaybook(1000);
    analysis = new PlaybookAnalyzer().analyze(playbook.text);
  });

  describe('determinism', () => {
    it('gives the same text for the same size and seed', () => {
      assert.equal(generatePlaybook(1000).text, playbook.text);
      assert.deepEqual(generatePlaybook(1000).middle, playbook.middle);
    });

    it('gives another text for another seed', () => {
      assert.notEqual(generatePlaybook(1000, 7).text, playbook.text);
    });

    it('has a PRNG that repeats its sequence for a seed and stays in [0, 1)', () => {
      const a = prng(42);
      const b = prng(42);
      const values = Array.from({ length: 1000 }, () => a());
      assert.deepEqual(
        Array.from({ length: 1000 }, () => b()),
        values,
      );
      assert.ok(values.every((v) => v >= 0 && v < 1));
      assert.ok(new Set(values).size > 990);
    });
  });

  describe('size', () => {
    it('makes 1,000 steps about 0.5 MB (±30%)', () => {
      const mb = Buffer.byteLength(playbook.text) / MB;
      assert.ok(mb > 0.35 && mb < 0.65, `${mb.toFixed(2)} MB`);
    });

    it('makes 10,000 steps about 5 MB (±30%)', () => {
      const big = generatePlaybook(10000);
      const mb = Buffer.byteLength(big.text) / MB;
      assert.ok(mb > 3.5 && mb < 6.5, `${mb.toFixed(2)} MB`);
      assert.equal(big.steps, 10000);
    });

    it('generates exactly the number of steps asked for', () => {
      assert.equal(playbook.steps, 1000);
      assert.equal(analysis.model.steps.length, 1000);
      assert.equal(new PlaybookAnalyzer().analyze(generatePlaybook(137).text).model.steps.length, 137);
    });

    it('refuses sizes too small to hold the planted mistakes', () => {
      assert.throws(() => generatePlaybook(10), RangeError);
    });
  });

  describe('deliberate mistakes', () => {
    it('has exactly one unknown key, one undefined variable and one duplicate id, and nothing else', () => {
      assert.deepEqual(analysis.problems.map((p) => p.code).sort(), [...DELIBERATE_PROBLEMS].sort());
    });

    it('places each mistake where it was planted', () => {
      const at = (code: string) => {
        const p = analysis.problems.find((x) => x.code === code);
        assert.ok(p, code);
        return playbook.text.slice(p.start, p.end);
      };
      assert.equal(at('UNKNOWN_KEY'), UNKNOWN_KEY);
      assert.equal(at('UNDEFINED_VARIABLE'), `\${${UNDEFINED_VARIABLE}}`);
      const duplicate = at('DUPLICATE_ID');
      assert.equal(analysis.model.steps.filter((s) => s.id === duplicate).length, 2);
    });

    it('stays that way at other sizes and seeds', () => {
      for (const [steps, seed] of [
        [40, 1],
        [500, 3],
        [2000, 11],
      ]) {
        const codes = new PlaybookAnalyzer()
          .analyze(generatePlaybook(steps, seed).text)
          .problems.map((p) => p.code)
          .sort();
        assert.deepEqual(codes, [...DELIBERATE_PROBLEMS].sort(), `${steps} steps, seed ${seed}`);
      }
    });
  });

  describe('realism', () => {
    it('uses every step kind, with shell the most common', () => {
      const kinds = new Map<string, number>();
      for (const step of analysis.model.steps) kinds.set(step.kind ?? 'none', (kinds.get(step.kind ?? 'none') ?? 0) + 1);
      assert.deepEqual([...kinds.keys()].sort(), ['http', 'manual', 'notify', 'run']);
      assert.ok((kinds.get('run') ?? 0) > (kinds.get('http') ?? 0));
    });

    it("writes shell steps as `run: |` blocks of 3 to 12 lines, in the seeds' idiom", () => {
      const blocks = analysis.model.steps
        .filter((s) => s.kind === 'run')
        .map((s) =>
          String((s.node.items.find((p) => String((p.key as { value: unknown }).value) === 'run')?.value as { value: unknown }).value),
        );
      const lengths = blocks.map((b) => b.trimEnd().split('\n').length);
      assert.ok(Math.min(...lengths) >= 3 && Math.max(...lengths) <= 12, `${Math.min(...lengths)}-${Math.max(...lengths)} lines`);
      assert.ok(new Set(lengths).size >= 8, 'block lengths vary');
      for (const idiom of ['| jq ', 'kubectl ', 'grep ', 'docker-compose ', 'psql ', 'redis-cli ']) {
        assert.ok(
          blocks.some((b) => b.includes(idiom)),
          idiom,
        );
      }
      assert.match(playbook.text, /\n\s+run: \|\n/);
    });

    it('has scenarios of 10 to 25 steps, about half of them in phases with windows', () => {
      const sizes = analysis.model.scenarios.map((s) => s.steps.length + s.phases.reduce((n, p) => n + p.steps.length, 0));
      assert.ok(Math.min(...sizes) >= 10 && Math.max(...sizes) <= 25, `${Math.min(...sizes)}-${Math.max(...sizes)}`);
      const phased = analysis.model.scenarios.filter((s) => s.phases.length > 0).length;
      assert.ok(phased > sizes.length / 4 && phased < (sizes.length * 3) / 4, `${phased} of ${sizes.length}`);
      assert.match(playbook.text, /window: \{ from: 0m, to: 15m \}/);
    });

    it('declares variables including a secret, severities, roles and templates', () => {
      const { model } = analysis;
      assert.ok(model.variables.some((v) => v.secret));
      assert.deepEqual(
        model.severities.map((s) => s.id),
        ['P0', 'P1', 'P2', 'P3', 'P4'],
      );
      assert.ok(model.roles.length >= 4);
      assert.ok(model.templates.length >= 3);
    });

    it('uses conditions on earlier steps, repeats, timeouts, JSON expectations and confirmations', () => {
      for (const pattern of [
        /when: steps\.[\w-]+\.\w+/,
        /repeat:\n\s+every: /,
        /timeout: \d+[smh]\n/,
        /json:\n\s+- path: /,
        /confirm: true/,
        /webhook: SLACK_WEBHOOK/,
      ]) {
        assert.match(playbook.text, pattern);
      }
    });

    it('asks for confirmation on every destructive command (no destructive warnings)', () => {
      assert.equal(analysis.problems.filter((p) => p.code === 'DESTRUCTIVE_WITHOUT_CONFIRM').length, 0);
      assert.ok((playbook.text.match(/confirm: true/g) ?? []).length > 20);
    });
  });

  describe('positions for the benchmark', () => {
    it("puts the edit offset inside the middle step's `run` block", () => {
      const step = analysis.model.steps.find((s) => s.id === playbook.middle.id);
      assert.ok(step);
      assert.equal(step.kind, 'run');
      assert.ok(Math.abs(step.order - 500) <= 1, `step ${step.order}`);
      const run = step.node.items.find((p) => String((p.key as { value: unknown }).value) === 'run')?.value as { range: [number, number] };
      assert.ok(run.range[0] < playbook.middle.editOffset && playbook.middle.editOffset < run.range[1]);
    });

    it('keeps a typed character harmless: same problems, same steps', () => {
      const edited = new PlaybookAnalyzer().analyze(insertAt(playbook.text, playbook.middle.editOffset, 'x'));
      assert.deepEqual(
        edited.problems.map((p) => p.code),
        analysis.problems.map((p) => p.code),
      );
      assert.equal(edited.model.steps.length, 1000);
    });

    it("gives a key position inside the middle step where completion offers the step's missing keys", () => {
      const { text, offset } = withKeyLine(playbook);
      assert.equal(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset), playbook.middle.indent);
      const service = new PlaybookService();
      const doc = { uri: 'file:///bench.playbook.yaml', version: 1, getText: () => text };
      assert.deepEqual(
        service
          .analyze(doc)
          .problems.map((p) => p.code)
          .sort(),
        [...DELIBERATE_PROBLEMS].sort(),
      );
      const labels = service.complete(doc, offset).map((c) => c.label);
      assert.ok(labels.includes('when') && labels.includes('repeat'), labels.join(', '));
      for (const key of playbook.middle.keys) assert.ok(!labels.includes(key), key);
    });
  });
});

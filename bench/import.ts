// Import benchmark: each seed and a generated 5 MB Markdown playbook through importMarkdown, medians after warm-up,
// with markdown-it's own parse of the same text as the floor. Each import must validate without errors.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { importMarkdown } from '../src/import/markdown';
import { PlaybookAnalyzer } from '../src/playbook/analyze';
import { median } from './measure';

const SEEDS = join(__dirname, '..', '..', '..', 'shared', 'seeds');

function time(runs: number, work: () => void, warmUp = true): number {
  if (warmUp) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** About 5 MB of realistic Markdown: severity table, then sections with prose, shell blocks and task lists. */
function generated(): string {
  const parts = ['# Generated runbook', '', '| Severity | Impact | Response Time |', '|---|---|---|', '| P1 | Down | 15 min |', ''];
  for (let i = 0; Buffer.byteLength(parts.join('\n')) < 5 * 1024 * 1024; i++) {
    parts.push(
      `## Scenario ${i}`,
      '',
      `### Diagnose (0-15 minutes)`,
      '',
      'Check the service and its logs before acting.',
      '',
      '```bash',
      `curl -s http://localhost:${5000 + (i % 50)}/health | jq .status`,
      `kubectl logs deploy/api-${i % 20} --tail=200 | grep -i error`,
      '```',
      '',
      '### Mitigate',
      '',
      '```bash',
      `kubectl rollout restart deploy/api-${i % 20}`,
      '```',
      '',
      '- [ ] Tell the team',
      '',
    );
  }
  return parts.join('\n');
}

/** Prints the import table; returns failed checks. */
export function importBenchmarks(): string[] {
  const failures: string[] = [];
  const inputs: [string, string][] = existsSync(SEEDS)
    ? readdirSync(SEEDS)
        .sort()
        .map((f) => [`seed ${f.slice(0, 3)}`, readFileSync(join(SEEDS, f), 'utf8')])
    : [];
  inputs.push(['generated 5 MB', generated()]);
  const md = new MarkdownIt();
  const analyzer = new PlaybookAnalyzer();
  console.log('\nImport from Markdown: importMarkdown vs markdown-it parsing the same text (the floor), medians.\n');
  console.log(
    ['input'.padEnd(16), 'size'.padStart(9), 'import'.padStart(10), 'parse only'.padStart(11), 'steps'.padStart(7), 'check'].join('  '),
  );
  for (const [name, text] of inputs) {
    // The 5 MB import takes seconds: one timed run, no warm-up, keeps the whole bench within its budget.
    const large = text.length > 1e6;
    let result = importMarkdown('');
    const ours = time(large ? 1 : 15, () => (result = importMarkdown(text)), !large);
    const floor = time(large ? 3 : 15, () => md.parse(text, {}));
    const errors = analyzer.analyze(result.text).problems.filter((p) => p.severity === 'error').length;
    const steps = Object.values(result.summary.steps).reduce((a, b) => a + b, 0);
    if (errors > 0) failures.push(`import of ${name}: ${errors} validation error(s)`);
    console.log(
      [
        name.padEnd(16),
        `${(text.length / 1024).toFixed(0)} KB`.padStart(9),
        `${ours.toFixed(1)} ms`.padStart(10),
        `${floor.toFixed(1)} ms`.padStart(11),
        String(steps).padStart(7),
        errors === 0 ? 'valid playbook' : `${errors} errors`,
      ].join('  '),
    );
  }
  return failures;
}

// `npm test`: the one test command, for people and CI alike. Runs every stage even after a failure (so one run
// shows everything that is wrong), prints each stage's time, and ends with one line `N passed, N failed`
// (`, N skipped` when any) that counts the tests of the test stages plus one per check stage. Exit 1 on any failure.
// Its last check fails when the run left anything in the home folder or the system temp folder.
import fs from 'node:fs';
import path from 'node:path';
import { watchFootprint } from './lib/footprint.mjs';
import { HARNESS_TMP, ROOT } from './lib/paths.mjs';
import { addCounts, countsForRun, NO_TESTS, readCounts, summaryLine } from './lib/results.mjs';
import { exitOnSignals, runStatus } from './lib/run.mjs';

// Listed before anything runs, so the check at the end sees what this run added.
fs.mkdirSync(HARNESS_TMP, { recursive: true });
const footprint = watchFootprint({ also: [HARNESS_TMP] });
const RESULTS_DIR = fs.mkdtempSync(path.join(HARNESS_TMP, 'playbook-test-all-'));

const node = (script, ...args) => runStatus(process.execPath, [path.join(ROOT, script), ...args]);
const npmRun = (script) => runStatus('npm', ['run', script]);

/**
 * A check stage counts as one test (passed or failed); a test stage counts the tests it reports.
 * @typedef {{code: number, counts?: import('./lib/results.mjs').Counts, skipped?: string}} Outcome
 * @typedef {{name: string, needs?: string[], run: () => Promise<number | Outcome>}} Stage
 * @type {Stage[]}
 */
const STAGES = [
  { name: 'install VS Code', run: () => node('scripts/install-vscode.mjs') },
  { name: 'build', run: () => npmRun('build') },
  { name: 'typecheck', run: () => npmRun('typecheck') },
  { name: 'lint', run: lint },
  { name: 'compile tests', run: () => npmRun('compile-tests') },
  { name: 'unit tests', needs: ['compile tests'], run: unit },
  { name: 'CLI bundle', needs: ['build'], run: cliBundle },
  {
    name: 'harness self-check',
    needs: ['install VS Code', 'compile tests'],
    run: () => node('scripts/run-integration.mjs', '--self-check'),
  },
  {
    name: 'integration tests',
    needs: ['install VS Code', 'build', 'compile tests'],
    run: () => withResults('integration', (env) => runStatus(process.execPath, ['scripts/run-integration.mjs'], { env })),
  },
  {
    name: 'UI journeys',
    needs: ['install VS Code', 'build'],
    run: () => withResults('ui', (env) => runStatus(process.execPath, ['scripts/run-ui.mjs'], { env })),
  },
  { name: 'try-it URL (npm start)', needs: ['install VS Code', 'build'], run: () => node('scripts/start.mjs', '--check') },
  // Last, since packaging rebuilds dist/ minified.
  { name: 'package .vsix', run: packageVsix },
  { name: 'nothing written outside the project', run: nothingOutside },
];

/** The run must leave nothing new in the home folder, the system temp folder or .vscode-test/tmp. */
async function nothingOutside() {
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  const added = footprint.added();
  if (added.length === 0) {
    console.log(`nothing new in ${footprint.places.join(', ')}`);
    return 0;
  }
  console.error(
    `this run added ${added.length} entr${added.length === 1 ? 'y' : 'ies'} outside the project (or left them in .vscode-test/tmp):`,
  );
  for (const entry of added) console.error(`  ${entry}`);
  console.error('(on a machine shared with other runs, some may be theirs)');
  return 1;
}

/** `npm run package` must produce a small .vsix with no sources, tests or maps in it. */
async function packageVsix() {
  const code = await npmRun('package');
  const vsix = path.join(ROOT, 'dist', 'incident-playbooks.vsix');
  if (code !== 0 || !fs.existsSync(vsix)) return code || 1;
  const size = fs.statSync(vsix).size;
  console.log(`package .vsix: ${(size / 1024).toFixed(0)} KB`);
  if (size > 1024 * 1024) {
    console.error('package .vsix: over 1 MB; check .vscodeignore');
    return 1;
  }
  return 0;
}

/** The bundled `playbook` command, as CI users run it: clean examples pass, a broken fixture fails with exit 1. */
async function cliBundle() {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const examples = fs
    .readdirSync(path.join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.playbook.yaml'))
    .map((f) => path.join('examples', f));
  const clean = await runStatus(process.execPath, [cli, 'validate', ...examples]);
  const broken = await runStatus(process.execPath, [cli, 'validate', path.join('test', 'fixtures', 'workspace', 'broken.playbook.yaml')]);
  if (clean !== 0) console.error(`CLI bundle: the examples should validate (exit 0), got exit ${clean}`);
  if (broken !== 1) console.error(`CLI bundle: the broken fixture should fail (exit 1), got exit ${broken}`);
  return clean === 0 && broken === 1 ? 0 : 1;
}

async function lint() {
  const configs = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `eslint.config.${ext}`);
  if (!configs.some((file) => fs.existsSync(path.join(ROOT, file)))) {
    return { code: 0, skipped: 'no eslint.config.* in the repository yet' };
  }
  return npmRun('lint');
}

async function unit() {
  const dir = path.join(ROOT, 'out', 'test', 'unit');
  const hasTests = fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.js'));
  if (!hasTests) return { code: 0, skipped: 'no unit tests compiled under out/test/unit' };
  const mocha = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const reporter = path.join(ROOT, 'out', 'test', 'support', 'counting-reporter.js');
  // .mocharc.json supplies the spec and timeout; only the reporter changes, to get the counts.
  return withResults('unit', (env) => runStatus(process.execPath, [mocha, '--reporter', reporter], { env }));
}

/** Runs a test stage with PLAYBOOK_TEST_RESULTS pointing at a fresh file, and reads the counts it wrote. */
async function withResults(name, start) {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const code = await start({ ...process.env, PLAYBOOK_TEST_RESULTS: file });
  return { code, counts: countsForRun(code, await readCounts(file)) };
}

/** Runs one stage, or skips it when a stage it needs failed; returns what it counts for. */
async function runStage(stage, failed) {
  const blocked = (stage.needs ?? []).filter((need) => failed.has(need));
  if (blocked.length > 0) return { skipped: `needs ${blocked.join(', ')}`, counts: { ...NO_TESTS, skipped: 1 } };
  const outcome = await stage.run();
  const { code, counts, skipped } = typeof outcome === 'number' ? { code: outcome } : outcome;
  if (skipped) return { skipped, counts: { ...NO_TESTS, skipped: 1 } };
  if (counts) return { code, counts, tests: true };
  return { code, counts: code === 0 ? { ...NO_TESTS, passed: 1 } : { ...NO_TESTS, failed: 1 } };
}

function describe({ skipped, tests, code, counts }) {
  if (skipped) return `skipped (${skipped})`;
  if (tests) return summaryLine(counts) + (code !== 0 ? ` (exit ${code})` : '');
  return code === 0 ? 'ok' : `FAILED (exit ${code})`;
}

async function main() {
  exitOnSignals();
  const started = Date.now();
  const failed = new Set();
  const rows = [];
  let total = NO_TESTS;
  for (const stage of STAGES) {
    console.log(`\n▶ ${stage.name}`);
    const stageStarted = Date.now();
    const result = await runStage(stage, failed);
    const seconds = (Date.now() - stageStarted) / 1000;
    if (result.counts.failed > 0) failed.add(stage.name);
    total = addCounts(total, result.counts);
    rows.push([stage.name, describe(result), seconds]);
    console.log(`◀ ${stage.name}: ${describe(result)} (${seconds.toFixed(1)} s)`);
  }
  printSummary(rows, (Date.now() - started) / 1000);
  console.log(summaryLine(total));
  return total.failed > 0 ? 1 : 0;
}

function printSummary(rows, seconds) {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('\nSummary');
  for (const [name, outcome, stageSeconds] of rows) {
    console.log(`  ${name.padEnd(width)}  ${stageSeconds.toFixed(1).padStart(6)} s  ${outcome}`);
  }
  console.log(`  ${'total'.padEnd(width)}  ${seconds.toFixed(1).padStart(6)} s`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test-all: ${error.stack ?? error}`);
    process.exit(1);
  },
);

// Runs the integration suites inside a real VS Code extension host through @vscode/test-electron's runTests.
// Here VS Code is code-server driven by the stand-in executable; with VSCODE_DESKTOP=1 it is the downloaded desktop
// build. Two runs: the normal one (workspace trust off), then `*.trust.test.ts` files with trust on, if any exist.
//   node scripts/run-integration.mjs               normal + trust runs (expects npm run build && compile-tests)
//   node scripts/run-integration.mjs --self-check  a deliberately failing suite must be reported as failed
// Env: PLAYBOOK_TEST_GREP (mocha grep), PLAYBOOK_TEST_RESULTS (write total counts as JSON),
//      PLAYBOOK_EXTENSION_PATH / PLAYBOOK_TEST_WORKSPACE (harness development), PLAYBOOK_TEST_VERBOSE=1.
import fs from 'node:fs';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';
import { installVSCode } from './install-vscode.mjs';
import { extensionPath, HARNESS_TMP, ROOT } from './lib/paths.mjs';
import { addCounts, countsForRun, NO_TESTS, readCounts, summaryLine } from './lib/results.mjs';
import { exitOnSignals, runStatus } from './lib/run.mjs';
import { copyWorkspace, removeWorkspace } from './lib/workspace.mjs';

const OUT = path.join(ROOT, 'out', 'test');
const SUITE = path.join(OUT, 'integration', 'index.js');
const SELF_CHECK_SUITE = path.join(OUT, 'support', 'self-check-suite.js');
const STANDIN = path.join(ROOT, 'scripts', 'vscode-standin.mjs');

/** The executable runTests launches: our code-server stand-in offline, or a downloaded desktop VS Code. */
async function vscodeExecutable() {
  if (process.env.VSCODE_DESKTOP === '1') return downloadAndUnzipVSCode();
  await installVSCode();
  // runTests spawns the file directly; make sure it is executable even where git or a copy dropped the mode.
  fs.chmodSync(STANDIN, 0o755);
  return STANDIN;
}

/**
 * Runs one suite in a fresh workspace; returns its exit code and counts. A failed run's code-server logs are kept
 * (the stand-in says where) unless `keepLogs` is false, as for the self-check's planted failure.
 * @param {{executable: string, testsPath: string, trust?: boolean, grep?: string, keepLogs?: boolean}} run
 */
async function runSuite({ executable, testsPath, trust = false, grep = process.env.PLAYBOOK_TEST_GREP ?? '', keepLogs = true }) {
  const workspace = copyWorkspace('test/fixtures/workspace', 'examples');
  // Beside the workspace, not in it (tests may list its files); removed with it.
  const results = path.join(path.dirname(workspace), 'results.json');
  const env = {
    PLAYBOOK_TEST_RESULTS: results,
    PLAYBOOK_TEST_SUITE: trust ? 'trust' : '',
    PLAYBOOK_TEST_GREP: grep,
    PLAYBOOK_KEEP_FAILED_LOGS: keepLogs ? '1' : '0',
  };
  const launch = { executable, workspace, testsPath, env };
  try {
    const code = trust ? await launchWithTrust(launch) : await launchWithRunTests(launch);
    const counts = countsForRun(code, await readCounts(results));
    return { code, counts };
  } finally {
    removeWorkspace(workspace);
  }
}

async function launchWithRunTests({ executable, workspace, testsPath, env }) {
  try {
    return await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: extensionPath(),
      extensionTestsPath: testsPath,
      launchArgs: [workspace],
      extensionTestsEnv: env,
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) return error.code ?? 1;
    throw error;
  }
}

/**
 * runTests always adds --disable-workspace-trust, which the trust suites must not have; so launch the same
 * executable with the same Electron-style arguments, minus that one, and a profile of its own.
 */
async function launchWithTrust({ executable, workspace, testsPath, env }) {
  fs.mkdirSync(HARNESS_TMP, { recursive: true });
  const profile = fs.mkdtempSync(path.join(HARNESS_TMP, 'playbook-profile-'));
  const args = [
    workspace,
    `--extensionDevelopmentPath=${extensionPath()}`,
    `--extensionTestsPath=${testsPath}`,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    `--user-data-dir=${path.join(profile, 'user-data')}`,
    `--extensions-dir=${path.join(profile, 'extensions')}`,
  ];
  try {
    return await runStatus(executable, args, { env: { ...process.env, ...env } });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function hasTrustSuites() {
  const dir = path.join(OUT, 'integration');
  return fs.readdirSync(dir, { recursive: true }).some((file) => String(file).endsWith('.trust.test.js'));
}

function requireBuilt(...files) {
  const missing = files.filter((file) => !fs.existsSync(file));
  if (missing.length === 0) return;
  const list = missing.map((file) => path.relative(ROOT, file)).join(', ');
  throw new Error(`missing ${list}: run \`npm run build && npm run compile-tests\` first (npm run test:integration does)`);
}

/** The extension's main file, so a forgotten build fails here and not as an activation error deep in the host. */
function extensionMain() {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath(), 'package.json'), 'utf8'));
  return path.join(extensionPath(), manifest.main ?? 'extension.js');
}

async function selfCheck(executable) {
  console.log('self-check: running a deliberately failing suite; the harness must report it as failed');
  const { code, counts } = await runSuite({ executable, testsPath: SELF_CHECK_SUITE, grep: '', keepLogs: false });
  const expected = { passed: 1, failed: 1, skipped: 1 };
  const ok = code === 1 && Object.entries(expected).every(([key, value]) => counts[key] === value);
  if (ok) console.log('self-check: ok: exit 1 with 1 passed, 1 failed, 1 skipped, as planted');
  else console.error(`self-check: FAILED: expected exit 1 and ${JSON.stringify(expected)}, got exit ${code} and ${JSON.stringify(counts)}`);
  return ok;
}

async function integration(executable) {
  const runs = [{ name: 'normal run (workspace trust off)', trust: false }];
  if (hasTrustSuites()) runs.push({ name: 'trust run (*.trust.test files, workspace trust on)', trust: true });
  let total = NO_TESTS;
  for (const run of runs) {
    console.log(`\n=== ${run.name} ===`);
    const { code, counts } = await runSuite({ executable, testsPath: SUITE, trust: run.trust });
    console.log(`${run.name}: exit ${code}, ${summaryLine(counts)}`);
    total = addCounts(total, counts);
  }
  return total;
}

async function main() {
  exitOnSignals();
  const checking = process.argv.includes('--self-check');
  requireBuilt(checking ? SELF_CHECK_SUITE : SUITE, extensionMain());
  const executable = await vscodeExecutable();
  if (checking) return (await selfCheck(executable)) ? 0 : 1;
  const total = await integration(executable);
  if (process.env.PLAYBOOK_TEST_RESULTS) fs.writeFileSync(process.env.PLAYBOOK_TEST_RESULTS, `${JSON.stringify(total)}\n`);
  console.log(`integration: ${summaryLine(total)}`);
  return total.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`run-integration: ${error.message}`);
    process.exit(1);
  },
);

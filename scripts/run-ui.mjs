// Runs the UI journeys (test/ui/*.journey.mjs): each gets a fresh code-server with the extension loaded, a fresh copy
// of its workspace and a headless Chromium on the workbench, then drives it as a person would.
//   node scripts/run-ui.mjs [name-filter] [--update-docs]   (expects `npm run build`; npm run test:ui does both)
// Env: PLAYBOOK_TEST_RESULTS (write counts as JSON), PLAYBOOK_EXTENSION_PATH / PLAYBOOK_TEST_WORKSPACE (harness
// development).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installVSCode } from './install-vscode.mjs';
import { openWorkbench, startCodeServer } from './lib/code-server.mjs';
import { extensionPath, ROOT } from './lib/paths.mjs';
import { summaryLine } from './lib/results.mjs';
import { exitOnSignals, TIMEOUT, within } from './lib/run.mjs';
import { copyWorkspace, removeWorkspace } from './lib/workspace.mjs';
import { createJourneyContext, waitForWorkbench } from '../test/ui/harness.mjs';

const JOURNEYS_DIR = path.join(ROOT, 'test', 'ui');
// CI and `npm test` write screenshots to the ignored test-results/; `--update-docs` refreshes the README's copies.
const SCREENSHOTS_DIR = process.argv.includes('--update-docs')
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(ROOT, 'test-results', 'screenshots');
/** Failure screenshots are evidence for a person, not docs: they go to the ignored test-results/. */
const FAILURES_DIR = path.join(ROOT, 'test-results', 'ui');
const JOURNEY_DEADLINE_MS = 180_000;

function journeyFiles(filter) {
  return fs
    .readdirSync(JOURNEYS_DIR)
    .filter((name) => name.endsWith('.journey.mjs') && (!filter || name.includes(filter)))
    .sort()
    .map((name) => path.join(JOURNEYS_DIR, name));
}

/** Runs one journey and reports it; resolves true when it passed. Never throws: a journey's failure is a result. */
async function runJourney(file) {
  const name = path.basename(file, '.journey.mjs');
  const started = Date.now();
  let error;
  try {
    await driveJourney(file, name);
  } catch (caught) {
    error = caught;
  }
  report(name, started, error);
  return !error;
}

/** Fresh workspace copy, server and browser for one journey; throws what the journey threw, after cleaning up. */
async function driveJourney(file, name) {
  const journey = await import(pathToFileURL(file).href);
  // A journey may `export const workspace = 'some/folder'` (repo-relative); the default is the examples.
  const workspace = copyWorkspace(journey.workspace ?? 'examples');
  // A journey that clicks notification toasts (`export const toasts = true`) gets the extension installed, as a person
  // has it, instead of loaded as a development payload: the smoke-test driver that payloads need hides every toast.
  const toasts = journey.toasts === true;
  const server = await startCodeServer({ label: `ui-${name}`, ...(toasts ? { install: [extensionPath()], devPayload: false } : {}) });
  let workbench;
  let failed = true;
  try {
    workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: toasts ? undefined : extensionPath() });
    await waitForWorkbench(workbench.page);
    const ctx = createJourneyContext({
      page: workbench.page,
      workspace,
      manifest: readManifest(),
      screenshotsDir: SCREENSHOTS_DIR,
      log: (message) => console.log(`    ${message}`),
    });
    if ((await within(journey.default(ctx), JOURNEY_DEADLINE_MS)) === TIMEOUT) {
      throw new Error(`did not finish within ${JOURNEY_DEADLINE_MS / 1000} s`);
    }
    failed = false;
  } finally {
    if (failed) await saveFailureScreenshot(workbench?.page, name);
    await workbench?.close();
    await server.stop({ keep: failed });
    removeWorkspace(workspace);
  }
}

function report(name, started, error) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!error) console.log(`  ✔ ${name} (${seconds} s)`);
  else
    console.log(
      `  ✖ ${name} (${seconds} s)\n    ${String(error.stack ?? error)
        .split('\n')
        .join('\n    ')}`,
    );
}

async function saveFailureScreenshot(page, name) {
  if (!page) return;
  fs.mkdirSync(FAILURES_DIR, { recursive: true });
  const file = path.join(FAILURES_DIR, `${name}-failure.png`);
  try {
    await page.screenshot({ path: file });
    console.log(`    failure screenshot: ${path.relative(ROOT, file)}`);
  } catch {
    /* the page itself may be gone */
  }
}

function readManifest() {
  return JSON.parse(fs.readFileSync(path.join(extensionPath(), 'package.json'), 'utf8'));
}

async function main() {
  exitOnSignals();
  await installVSCode();
  const filter = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  const files = journeyFiles(filter);
  console.log(`UI journeys (${files.length}), extension ${path.relative(ROOT, extensionPath()) || '.'}`);
  if (files.length === 0) {
    console.error(`run-ui: no journey matches ${filter ? `"${filter}"` : 'test/ui/*.journey.mjs'}`);
    return 1;
  }
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    if (await runJourney(file)) counts.passed++;
    else counts.failed++;
  }
  if (process.env.PLAYBOOK_TEST_RESULTS) fs.writeFileSync(process.env.PLAYBOOK_TEST_RESULTS, `${JSON.stringify(counts)}\n`);
  console.log(summaryLine(counts));
  return counts.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`run-ui: ${error.stack ?? error}`);
    process.exit(1);
  },
);

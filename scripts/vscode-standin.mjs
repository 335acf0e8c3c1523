#!/usr/bin/env node
// A stand-in for the VS Code executable: takes the Electron-style arguments that @vscode/test-electron (or
// @vscode/test-cli) passes to VS Code, runs the suite in code-server + headless Chromium, and exits with its code.
import path from 'node:path';
import { installVSCode } from './install-vscode.mjs';
import { openWorkbench, startCodeServer } from './lib/code-server.mjs';
import { exitOnSignals, TIMEOUT, within } from './lib/run.mjs';

/** Flags VS Code accepts as `--flag value` as well as `--flag=value`; needed to tell values from the folder. */
const VALUE_FLAGS = new Set([
  'extensionDevelopmentPath',
  'extensionTestsPath',
  'user-data-dir',
  'extensions-dir',
  'locale',
  'log',
  'enable-proposed-api',
  'inspect-extensions',
  'inspect-brk-extensions',
  'profile',
]);

/**
 * Reads what matters from VS Code's command line and ignores the rest (sandbox, GPU, profile flags).
 * @returns {{extensionDevelopmentPath?: string, extensionTestsPath?: string, folder?: string, trust: boolean}}
 */
function parseVSCodeArgs(argv) {
  const options = { trust: true };
  const values = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      options.folder ??= path.resolve(arg);
      continue;
    }
    const [name, inline] = splitFlag(arg.slice(2));
    if (name === 'disable-workspace-trust') options.trust = false;
    if (!VALUE_FLAGS.has(name)) continue;
    const value = inline ?? argv[++i];
    (values[name] ??= []).push(value);
  }
  const devPaths = values.extensionDevelopmentPath ?? [];
  if (devPaths.length > 1) console.warn(`vscode-standin: only the first of ${devPaths.length} extensionDevelopmentPath values is loaded`);
  if (devPaths[0]) options.extensionDevelopmentPath = path.resolve(devPaths[0]);
  if (values.extensionTestsPath?.[0]) options.extensionTestsPath = path.resolve(values.extensionTestsPath[0]);
  return options;
}

function splitFlag(flag) {
  const eq = flag.indexOf('=');
  return eq < 0 ? [flag, undefined] : [flag.slice(0, eq), flag.slice(eq + 1)];
}

/** Seconds a suite may run before it is called hung (a suite that never calls back would otherwise block CI). */
const SUITE_DEADLINE_S = Number(process.env.PLAYBOOK_TEST_TIMEOUT || 900);

/**
 * Runs one suite in a fresh code-server and returns its exit code. The process environment (including runTests'
 * extensionTestsEnv) reaches the extension host through the server.
 */
async function runSuiteInCodeServer({ folder, extensionDevelopmentPath, extensionTestsPath, trust }) {
  const server = await startCodeServer({ label: trust ? 'suite-trust' : 'suite', trust });
  let workbench;
  let code = 1;
  try {
    workbench = await openWorkbench(server, { folder, extensionDevelopmentPath, extensionTestsPath });
    const result = await within(workbench.exitCode, SUITE_DEADLINE_S * 1000);
    if (result === TIMEOUT) console.error(`vscode-standin: the suite did not finish within ${SUITE_DEADLINE_S} s`);
    else code = result;
  } finally {
    await workbench?.close();
    // Keep a failed run's logs for whoever investigates, unless the failure was planted (the harness self-check).
    await server.stop({ keep: code !== 0 && process.env.PLAYBOOK_KEEP_FAILED_LOGS !== '0' });
  }
  return code;
}

async function main() {
  exitOnSignals();
  const options = parseVSCodeArgs(process.argv.slice(2));
  if (!options.extensionTestsPath) {
    console.error('vscode-standin: only runs extension tests; pass --extensionTestsPath= (use `npm start` to try the extension)');
    return 2;
  }
  await installVSCode({ quiet: true });
  return runSuiteInCodeServer(options);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`vscode-standin: ${error.stack ?? error}`);
    process.exit(1);
  },
);

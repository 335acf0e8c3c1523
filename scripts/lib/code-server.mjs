// Runs a real VS Code for tests: code-server (server + Node extension host) and a headless Chromium on its workbench.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { findChromium } from './chromium.mjs';
import { CACHE, CODE_SERVER_ENTRY, HARNESS_TMP, NODE24, sandboxEnv, shortTempDir } from './paths.mjs';
import { delay, TIMEOUT, within } from './run.mjs';

const HEALTH_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 5_000;

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} origin            e.g. http://127.0.0.1:PORT
 * @property {string} runDir            user data, extensions and logs of this server
 * @property {string} extensionsDir
 * @property {Promise<number|string>} exited   resolves with the exit code or signal when the server ends
 * @property {(opts?: {keep?: boolean}) => Promise<void>} stop   ends the process group; removes a temporary runDir
 *                                                               unless `keep` (a failed run's logs)
 */

/**
 * Starts code-server with Node 24 in its own process group and waits until it answers /healthz.
 * By default everything lives in a fresh temporary run folder; `dir` names a persistent one instead (kept on stop,
 * its user settings written only once), for a person's session whose trust decisions and layout should last.
 * `install` lists extension folders to link into the extensions dir as regular installed extensions.
 * `devPayload: false` serves a workbench for a person: it ignores development payloads but shows notification
 * toasts, which the smoke-test driver (what makes payloads work) turns off.
 * @param {{label?: string, dir?: string, port?: number, trust?: boolean, env?: Record<string, string>,
 *          install?: string[], devPayload?: boolean}} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({ label = 'run', dir, port, trust = false, env = {}, install = [], devPayload = true } = {}) {
  port ??= await freePort();
  const runDir = dir ? ensureDir(dir) : fs.mkdtempSync(path.join(pruneRuns(), `${label}-`));
  const userDataDir = ensureDir(path.join(runDir, 'user-data'));
  const extensionsDir = ensureDir(path.join(runDir, 'extensions'));
  writeUserSettings(userDataDir, { overwrite: !dir });
  install.forEach((extension) => linkExtension(extensionsDir, extension));
  const tmp = shortTempDir('playbook-server-');
  const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
  const log = fs.openSync(path.join(runDir, 'server.log'), 'w');
  const args = serverArgs({ port, userDataDir, extensionsDir, trust, devPayload });
  const child = spawn(NODE24, [CODE_SERVER_ENTRY, ...args], {
    // Its own process group: the server forks the extension host and watchers, and one signal must reach them all.
    detached: true,
    stdio: ['ignore', log, log],
    // The server's environment is what the extension host inherits: the way tests pass settings into the host.
    // EXTENSIONS_GALLERY={}: no marketplace at all, instead of lookups that fail offline and fill the log.
    // Home and temporary folders in the run folder: the server, the extension host and terminals write only there.
    // GIT_CEILING_DIRECTORIES: the workspace copies live in .vscode-test/tmp inside this repository; git must not find
    // the project's repository from them, or the incident sync would push test incidents to the project's remote.
    env: { ...cleanEnv(process.env), ...sandboxEnv(runDir, tmp), EXTENSIONS_GALLERY: '{}', GIT_CEILING_DIRECTORIES: HARNESS_TMP, ...env },
  });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  // A crashed or interrupted harness must not leave a server behind (see exitOnSignals for Ctrl+C).
  const onExit = () => {
    killGroup('SIGKILL');
    removeTmp();
  };
  process.once('exit', onExit);

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, exited, runDir);
  } catch (error) {
    process.removeListener('exit', onExit);
    onExit();
    throw error;
  }
  return {
    port,
    origin,
    runDir,
    extensionsDir,
    exited,
    async stop({ keep = false } = {}) {
      process.removeListener('exit', onExit);
      killGroup('SIGTERM');
      if ((await within(exited, STOP_DEADLINE_MS)) === TIMEOUT) killGroup('SIGKILL');
      removeTmp();
      if (dir) return;
      if (keep) console.log(`code-server logs kept in ${path.relative(process.cwd(), runDir)}`);
      else fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * Settings for a quiet, deterministic workbench: no AI/chat surfaces (their agent host logs constantly and needs
 * network), no gallery or update checks (offline), no startup editors that would cover what a test opens.
 */
const TEST_SETTINGS = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
};

function writeUserSettings(userDataDir, { overwrite }) {
  const file = path.join(ensureDir(path.join(userDataDir, 'User')), 'settings.json');
  if (overwrite || !fs.existsSync(file)) fs.writeFileSync(file, `${JSON.stringify(TEST_SETTINGS, null, 2)}\n`);
}

/**
 * Installs an extension folder by linking it as `<publisher>.<name>-<version>`, replacing any earlier link of the
 * same extension. A link rather than a copy, so a rebuild shows after "Developer: Reload Window".
 */
function linkExtension(extensionsDir, extension) {
  const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (entry.toLowerCase().startsWith(`${id}-`)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  fs.symlinkSync(path.resolve(extension), path.join(extensionsDir, `${id}-${manifest.version}`), 'dir');
}

function serverArgs({ port, userDataDir, extensionsDir, trust, devPayload }) {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without this the built workbench silently ignores the development payload (extensionDevelopmentPath & co).
    ...(devPayload ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(trust ? [] : ['--disable-workspace-trust']),
  ];
}

/** Drops variables that would make the server think it runs inside another VS Code (set when a dev runs from one). */
function cleanEnv(env) {
  const copy = { ...env };
  for (const key of Object.keys(copy)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete copy[key];
  }
  return copy;
}

async function waitForHealth(origin, exited, runDir) {
  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  let early;
  exited.then((code) => {
    early = code;
  });
  while (Date.now() < deadline) {
    if (early !== undefined) throw new Error(`code-server exited (${early}) before answering; see ${runDir}/server.log`);
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await delay(100);
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${HEALTH_DEADLINE_MS / 1000} s`);
}

/** Runs kept for their logs (failed ones) pile up; keep the newest few. Returns the runs folder. */
function pruneRuns(keep = 10) {
  const runs = ensureDir(path.join(CACHE, 'runs'));
  const byAge = fs
    .readdirSync(runs)
    .map((name) => ({ dir: path.join(runs, name), mtime: fs.statSync(path.join(runs, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of byAge.slice(keep)) fs.rmSync(dir, { recursive: true, force: true });
  return runs;
}

/** Asks the kernel for a free loopback port (tiny race with other processes, acceptable for a test run). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The workbench URL for a folder (or a .code-workspace file), with the development payload that loads an extension
 * and optionally a suite. Payload paths are vscode-remote URIs: the extension lives on the server's disk.
 * @param {{origin: string, port: number}} server
 * @param {{folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string}} what
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = new URLSearchParams();
  if (folder) query.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', path.resolve(folder));
  query.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${query}`;
}

/**
 * @typedef {object} Browser
 * @property {import('playwright-core').BrowserContext} context
 * @property {import('playwright-core').Page} page
 * @property {Promise<number>} exitCode   the suite's exit code, when the workbench reports its extension host exited
 *                                        (only with an extensionTestsPath), or 1 if the page crashed
 * @property {() => Promise<void>} close
 */

/**
 * Launches headless Chromium with a fresh profile, ready for a workbench page. The extension host's console arrives
 * through `codeAutomationLog` (only while a suite runs): every line goes to runDir/console.log, and all but known
 * workbench chatter is printed (everything with PLAYBOOK_TEST_VERBOSE=1).
 * @param {CodeServer} server
 * @param {{viewport?: {width: number, height: number}, print?: (line: string) => void}} [options]
 * @returns {Promise<Browser>}
 */
export async function launchBrowser(server, { viewport = { width: 1440, height: 900 }, print = printLine } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = findChromium();
  if (!browser) throw new Error('no Chromium installed: run `node scripts/install-vscode.mjs` (npm test does)');
  const dir = fs.mkdtempSync(path.join(server.runDir, 'chromium-'));
  const tmp = shortTempDir('playbook-chromium-');
  const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('exit', removeTmp);
  const context = await chromium
    .launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: browser.path,
      headless: true,
      viewport,
      args: CHROMIUM_ARGS,
      // Its home and caches stay beside its profile; its sockets and shared-memory files (--disable-dev-shm-usage)
      // go to the short TMPDIR, removed on close.
      env: { ...process.env, ...sandboxEnv(dir, tmp), ...browser.env },
    })
    .catch((error) => {
      process.removeListener('exit', removeTmp);
      removeTmp();
      throw error;
    });
  const page = context.pages()[0] ?? (await context.newPage());
  let reportExit;
  const exitCode = new Promise((resolve) => {
    reportExit = resolve;
  });
  page.once('crash', () => reportExit(1));
  const consoleLog = fs.createWriteStream(path.join(server.runDir, 'console.log'));
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const line = formatConsoleArgs(args);
    consoleLog.write(`[${level}] ${line}\n`);
    if (shouldPrint(level, line)) print(line);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    saveWorkbenchLogs(server.runDir, logs);
    reportExit(code);
  });
  const close = async () => {
    await context.close();
    consoleLog.end();
    process.removeListener('exit', removeTmp);
    removeTmp();
  };
  return { context, page, exitCode, close };
}

/**
 * launchBrowser, then the workbench on a folder with the development payload (see workbenchUrl).
 * @param {CodeServer} server
 * @param {{folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string,
 *          viewport?: {width: number, height: number}, print?: (line: string) => void}} options
 * @returns {Promise<Browser>}
 */
export async function openWorkbench(server, { viewport, print, ...what }) {
  const browser = await launchBrowser(server, { viewport, print });
  await browser.page.goto(workbenchUrl(server, what));
  return browser;
}

/**
 * The workbench's own chatter reaches codeAutomationLog at info level alongside the extension host's console, with
 * nothing to tell them apart; these are the lines seen on every run. Warnings and errors are always printed.
 */
const WORKBENCH_CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^(Ignoring fetching|Updating) additional builtin extensions/,
  /^\[Service Worker\]/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /^\[ChatModelSelection\]/,
];
/** Pending workbench calls cancelled when the extension host stops at the end of a suite: errors, but expected. */
const SHUTDOWN_NOISE = /^Canceled: Canceled/;

function shouldPrint(level, line) {
  if (process.env.PLAYBOOK_TEST_VERBOSE === '1') return true;
  if (SHUTDOWN_NOISE.test(line)) return false;
  return !(['trace', 'debug', 'info'].includes(level) && WORKBENCH_CHATTER.some((pattern) => pattern.test(line)));
}

/** Flags from the verified recipe; background networking off because this machine refuses outside connections. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The workbench forwards console arguments unformatted (mocha's "%s" and "%d" included); format like console.log. */
export function formatConsoleArgs(args) {
  return Array.isArray(args) ? util.format(...args) : util.format(args);
}

function printLine(line) {
  process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
}

function saveWorkbenchLogs(runDir, logs) {
  if (!Array.isArray(logs)) return;
  for (const { relativePath, contents } of logs) {
    const target = path.join(runDir, 'workbench-logs', relativePath);
    if (!target.startsWith(path.join(runDir, 'workbench-logs'))) continue;
    ensureDir(path.dirname(target));
    fs.writeFileSync(target, contents);
  }
}

function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

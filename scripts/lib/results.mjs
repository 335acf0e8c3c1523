// Test counts as the runners write them (JSON from test/support/counting-reporter) and the closing line CI reads.
import { readFile } from 'node:fs/promises';

/** @typedef {{passed: number, failed: number, skipped: number}} Counts */

/** @type {Counts} */
export const NO_TESTS = Object.freeze({ passed: 0, failed: 0, skipped: 0 });

/** `N passed, N failed` plus `, N skipped` when any were skipped: the line CI recognises as a test summary. */
export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

export function addCounts(a, b) {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

/** Counts from a results file, or undefined when the run never got to write one. */
export async function readCounts(file) {
  try {
    const { passed = 0, failed = 0, skipped = 0 } = JSON.parse(await readFile(file, 'utf8'));
    return { passed, failed, skipped };
  } catch {
    return undefined;
  }
}

/**
 * What a run counts for: its reported counts, but a non-zero exit always counts as at least one failure (the
 * host can fail outside any test: a suite that does not load, an extension host crash, a timeout).
 */
export function countsForRun(code, reported) {
  const counts = reported ?? NO_TESTS;
  return code !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

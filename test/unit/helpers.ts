// Test helpers: joined lines, fixture text with ⟦range⟧ and ¦cursor markers, and temporary folders.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaybookAnalyzer, type Analysis } from '../../src/playbook/analyze';
import type { Problem, ProblemCode } from '../../src/playbook/problems';

/** The seed runbooks the examples and the importer are checked against: the project's shared/seeds, beside the repo. */
export const SEEDS_DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'seeds');

/**
 * Whether the seed runbooks are there. When they are not (a clone without the project's shared folder), prints one
 * line saying what is skipped and why; the caller's tests then skip.
 */
export function seedsPresent(skipped: string): boolean {
  if (existsSync(SEEDS_DIR)) return true;
  console.log(`skipping ${skipped}: no seed runbooks at ${SEEDS_DIR} (the project's shared/seeds beside the repository)`);
  return false;
}

/** Folders made by tempDir during the current test; the root hook in hooks.ts removes them after it. */
const testDirs: string[] = [];

/**
 * A fresh folder in the system temp folder, removed after the current test (inside a test or a beforeEach hook).
 * In a describe block's body, where a folder serves all its tests, use suiteTempDir.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  testDirs.push(dir);
  return dir;
}

/** A fresh folder in the system temp folder for the tests of the describe block that calls it, removed after them. */
export function suiteTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Removes the folders tempDir made during the test that just ended. */
export function removeTestDirs(): void {
  for (const dir of testDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function joinLines(...lines: string[]): string {
  return lines.join('\n');
}

export interface Marked {
  text: string;
  ranges: { start: number; end: number }[];
  cursor: number;
}

/** Strips `⟦…⟧` range markers and one `¦` cursor marker, recording their offsets in the clean text. */
export function marked(source: string): Marked {
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  let text = '';
  let cursor = -1;
  for (const ch of source) {
    if (ch === '⟦') open.push(text.length);
    else if (ch === '⟧') ranges.push({ start: open.pop() as number, end: text.length });
    else if (ch === '¦') cursor = text.length;
    else text += ch;
  }
  return { text, ranges, cursor };
}

const analyzer = new PlaybookAnalyzer();

export function analyze(text: string): Analysis {
  return analyzer.analyze(text);
}

export function problemsWith(text: string, code: ProblemCode): Problem[] {
  return analyze(text).problems.filter((p) => p.code === code);
}

/** The text a problem covers, to assert ranges readably. */
export function covered(text: string, p: { start: number; end: number }): string {
  return text.slice(p.start, p.end);
}

/** A valid playbook around the given step lines (indented as steps of one scenario). */
export function withSteps(...stepLines: string[]): string {
  return joinLines(
    'version: 1',
    'title: Test',
    'variables:',
    '  BASE_URL:',
    '    default: http://localhost:5002',
    'severities:',
    '  - id: P1',
    'roles:',
    '  - id: commander',
    'templates:',
    '  - id: initial',
    '    body: "{{incident.id}}"',
    'scenarios:',
    '  - id: crash',
    '    title: Crash',
    '    steps:',
    ...stepLines.map((l) => `      ${l}`),
  );
}

/** Resolves once `parent` has a child process with exactly this command line (read from /proc), else fails. */
export async function waitForChild(parent: number, argv: string[], timeoutMs = 15000): Promise<void> {
  const wanted = `${argv.join('\0')}\0`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        // Field 4 of /proc/PID/stat is the parent's pid; the name before it may hold spaces, so read after its ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted) return;
      } catch {
        // The process ended while it was read.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no child \`${argv.join(' ')}\` of ${parent} within ${timeoutMs} ms`);
}

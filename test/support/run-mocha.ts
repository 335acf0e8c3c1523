// Runs mocha inside the VS Code extension host: the shared body of every extensionTestsPath entry's run().
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import CountingReporter from './counting-reporter';

/** Compiled test files under `dir` (recursively) that `accept` keeps, in a stable order. */
export function findTestFiles(dir: string, accept: (file: string) => boolean = () => true): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(dir, file))
    .filter(accept)
    .sort();
}

/**
 * Runs the files with bdd `describe/it`, spec output and counts; rejects when any test failed, which the host
 * turns into a non-zero exit code. $PLAYBOOK_TEST_GREP narrows the run to matching test titles.
 */
export function runMocha(files: string[]): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 20_000,
    reporter: CountingReporter,
    grep: process.env.PLAYBOOK_TEST_GREP || undefined,
  });
  files.forEach((file) => mocha.addFile(file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

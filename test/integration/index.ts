// Entry of the integration suite in the extension host (extensionTestsPath): picks this run's test files.
import { findTestFiles, runMocha } from '../support/run-mocha';

/**
 * Tests of Workspace Trust itself need trust on, so they run in their own, trust-enabled host: files named
 * `*.trust.test.ts` run only when PLAYBOOK_TEST_SUITE=trust, and all other files only when it is not.
 */
const TRUST_SUITE = /\.trust\.test\.js$/;

export function run(): Promise<void> {
  const trustRun = process.env.PLAYBOOK_TEST_SUITE === 'trust';
  return runMocha(findTestFiles(__dirname, (file) => TRUST_SUITE.test(file) === trustRun));
}

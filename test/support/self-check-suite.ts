// Entry (extensionTestsPath) of the harness self-check: a suite that must be reported as failed.
import * as path from 'path';
import { runMocha } from './run-mocha';

export function run(): Promise<void> {
  return runMocha([path.join(__dirname, 'self-check.fixture.js')]);
}

// Deliberately failing tests: `run-integration.mjs --self-check` expects exactly 1 passed, 1 failed, 1 skipped and
// exit code 1, proving that a failure inside the extension host fails the run.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('harness self-check', () => {
  it('passes inside a real extension host', () => {
    assert.ok(vscode.version, 'the vscode API is available');
  });

  it('fails on purpose', () => {
    assert.fail('deliberate failure: the harness must report this run as failed');
  });

  it.skip('is skipped on purpose', () => undefined);
});

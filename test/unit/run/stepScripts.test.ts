import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { runProcess } from '../../../src/run/processRunner';
import { tempDir } from '../helpers';

describe('runProcess temporary scripts', () => {
  let saved: string | undefined;
  let tmp: string;
  beforeEach(() => {
    saved = process.env.TMPDIR;
    tmp = tempDir('playbook-tmpdir-');
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });

  it('runs a multi-line command from a script in the temp folder and removes it after the step', async () => {
    const outcome = await runProcess('echo "$0"\necho second', { shell: '/bin/sh' });
    assert.equal(outcome.exitCode, 0, outcome.output.text);
    assert.ok(outcome.output.text.includes(tmp), `the script ran from the temp folder: ${outcome.output.text}`);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('removes the script when the step fails', async () => {
    const outcome = await runProcess('echo first\nexit 3', { shell: '/bin/sh' });
    assert.equal(outcome.exitCode, 3);
    assert.deepEqual(readdirSync(tmp), []);
  });
});

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('generated schema validator', () => {
  it('is up to date with schemas/playbook.schema.json', () => {
    const root = join(__dirname, '..', '..', '..', '..');
    assert.doesNotThrow(() =>
      execFileSync(process.execPath, [join(root, 'scripts', 'generate-validator.mjs'), '--check'], { cwd: root, stdio: 'pipe' }),
    );
  });
});

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from './runMain';
import { suiteTempDir } from '../helpers';
import { PlaybookAnalyzer } from '../../../src/playbook/analyze';

const run = runMain;

describe('playbook import (CLI)', () => {
  const dir = suiteTempDir('playbook-import-');
  const source = join(dir, 'runbook.md');
  writeFileSync(source, readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'workspace', 'runbook.md'), 'utf8'));

  it('writes a valid playbook beside the Markdown and prints the summary', async () => {
    const r = await run(['import', source]);
    assert.equal(r.code, 0, r.err);
    const target = join(dir, 'runbook.playbook.yaml');
    assert.match(r.out, /runbook\.playbook\.yaml: \d+ scenario\(s\).*2 run/);
    const analysis = new PlaybookAnalyzer().analyze(readFileSync(target, 'utf8'));
    assert.deepEqual(
      analysis.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.ok(readFileSync(target, 'utf8').includes('redis-cli -h $CACHE_HOST FLUSHDB'));
  });

  it('never overwrites without --force, and writes where -o says', async () => {
    assert.equal((await run(['import', source])).code, 2);
    assert.equal((await run(['import', source, '--force'])).code, 0);
    const other = join(dir, 'other.playbook.yaml');
    assert.equal((await run(['import', source, '-o', other])).code, 0);
    assert.ok(existsSync(other));
  });

  it('explains usage mistakes and unreadable files with exit 2', async () => {
    assert.equal((await run(['import'])).code, 2);
    assert.equal((await run(['import', join(dir, 'missing.md')])).code, 2);
    assert.equal((await run(['import', source, '--bogus'])).code, 2);
  });
});

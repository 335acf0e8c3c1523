import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { suiteTempDir, withSteps } from '../helpers';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('playbook validate (CLI)', () => {
  const dir = suiteTempDir('playbook-cli-');
  const good = join(dir, 'good.playbook.yaml');
  const bad = join(dir, 'bad.playbook.yaml');
  writeFileSync(good, withSteps('- id: a', '  title: A', '  run: echo'));
  writeFileSync(bad, withSteps('- id: a', '  title: A', '  rn: echo'));

  it('exits 0 and summarises a clean file', () => {
    const r = run(['validate', good]);
    assert.equal(r.code, 0);
    assert.match(r.out, /1 file\(s\): 0 error\(s\), 0 warning\(s\)/);
  });

  it('prints file:line:column, severity, code and message, and exits 1 on errors', () => {
    const r = run(['validate', good, bad]);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:19:9: error UNKNOWN_KEY: unknown key \`rn\``));
  });

  it('prints JSON with positions when asked', () => {
    const r = run(['validate', bad, '--format', 'json']);
    const parsed = JSON.parse(r.out) as { diagnostics: { code: string; line: number; column: number }[] };
    assert.ok(parsed.diagnostics.some((d) => d.code === 'UNKNOWN_KEY' && d.line === 19 && d.column === 9));
  });

  it('reports a missing file as an error, not a crash', () => {
    const r = run(['validate', join(dir, 'missing.playbook.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.out, /UNREADABLE.*ENOENT/);
  });

  it('explains usage mistakes with exit code 2', () => {
    assert.equal(run(['validate']).code, 2);
    assert.equal(run(['validate', good, '--format', 'xml']).code, 2);
    assert.equal(run(['lint', good]).code, 2);
  });
});

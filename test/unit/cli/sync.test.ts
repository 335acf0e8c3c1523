import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { main, type MainOptions } from '../../../src/cli/main';
import { appendNote, git, GIT_ENV, INCIDENT, logFile, readLog, teamPerTest } from '../incident/syncRepos';

async function cli(args: string[], options: MainOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['sync', ...args],
    (s) => out.push(s),
    (s) => err.push(s),
    { env: GIT_ENV, ...options },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('playbook sync (CLI)', function () {
  this.timeout(30_000);
  const pair = teamPerTest(2);
  let a: string;
  let b: string;
  beforeEach(() => ([a, b] = pair.clones));

  it('sends by incident id and receives by log file, saying who wrote what arrived', async () => {
    const id = await appendNote(a, 'alice', 'drill: db failover');
    assert.deepEqual(await cli([INCIDENT, '--workspace', a]), { code: 0, out: `${INCIDENT}: synced with origin · sent 1`, err: '' });
    await fs.mkdir(path.dirname(logFile(b)), { recursive: true });
    const atB = await cli([path.relative(b, logFile(b))], { cwd: b });
    assert.deepEqual(atB, { code: 0, out: `${INCIDENT}: synced with origin · received 1 (alice)`, err: '' });
    assert.deepEqual((await readLog(b)).ids, [id]);
  });

  it('syncs every few seconds with --watch until cancelled', async () => {
    await appendNote(a, 'alice', 'one');
    const abort = new AbortController();
    const out: string[] = [];
    const running = main(
      ['sync', INCIDENT, '--watch', '1', '--remote', 'origin'],
      (s) => {
        out.push(s);
        abort.abort();
      },
      () => undefined,
      { env: GIT_ENV, cwd: a, signal: abort.signal },
    );
    assert.equal(await running, 0);
    assert.deepEqual(out, [`${INCIDENT}: synced with origin · sent 1`]);
  });

  it('exits 1 with the reason, credentials removed, when the remote cannot be reached', async () => {
    git(a, 'remote', 'set-url', 'origin', 'http://ci:hunter2@127.0.0.1:9/team.git');
    await appendNote(a, 'alice', 'offline');
    const r = await cli([INCIDENT], { cwd: a });
    assert.equal(r.code, 1);
    assert.match(r.err, /^INC-2026-1124-0001: offline: Cannot reach origin: .* · local events wait for the next round$/);
    assert.doesNotMatch(r.err, /hunter2/);
  });

  it('is local only, exit 0, without a remote', async () => {
    git(a, 'remote', 'remove', 'origin');
    assert.deepEqual(await cli([INCIDENT], { cwd: a }), {
      code: 0,
      out: `${INCIDENT}: local only: No git remote: the log stays on this machine.`,
      err: '',
    });
  });

  it('refuses what is not an incident, and bad options, with exit 2', async () => {
    for (const args of [
      [],
      ['notes.jsonl'],
      ['../INC-2026-1124-0001'],
      [INCIDENT, '--watch', '0'],
      [INCIDENT, '--remote'],
      [INCIDENT, '--force'],
    ]) {
      const r = await cli(args, { cwd: a });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^playbook sync: .*\n\nUsage: playbook sync/, args.join(' '));
    }
  });
});

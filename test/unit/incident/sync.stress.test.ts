// Three clones of one bare repository, each with a responder appending and a window syncing in its own process,
// while pushes are dropped before and after they land, the remote disappears, a syncer is killed and restarted,
// a clone loses its sync state and an event arrives twice. Then every log must hold every event exactly once.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { syncIncident } from '../../../src/incident/sync';
import { knownFile } from '../../../src/incident/syncKnown';
import { git, GIT_ENV, INCIDENT, logFile, makeTeam, readLog, type Team } from './syncRepos';

const WORKER = path.join(__dirname, 'syncWorker.js');
const EVENTS_EACH = 15;
const ACTORS = ['alice', 'bob', 'carol'];

// The remote's hooks drop the connection (kill receive-pack) before or after a push lands, once per marker file.
const DROP_HOOK = (marker: string) => `#!/bin/sh\nif [ -e ${marker} ]; then rm -f ${marker}; kill -9 $PPID; fi\nexit 0\n`;

/** What the syncers reported, round by round: `synced`, `offline`... */
const seen: string[] = [];

function worker(...args: string[]): ChildProcess {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    for (const line of text.split('\n').filter((l) => l.startsWith('{'))) seen.push((JSON.parse(line) as { state: string }).state);
  });
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('incident sync under concurrency and failures (real git, real processes)', function () {
  this.timeout(120_000);
  let team: Team;

  before(async () => {
    team = await makeTeam(3);
    for (const [hook, marker] of [
      ['pre-receive', 'drop-before'],
      ['post-receive', 'drop-after'],
    ]) {
      await fs.writeFile(path.join(team.remote, 'hooks', hook), DROP_HOOK(marker), { mode: 0o755 });
    }
  });

  after(async () => {
    await fs.rm(team.root, { recursive: true, force: true });
  });

  it('ends with equal logs holding every event exactly once, in time order', async () => {
    const [c0, c1, c2] = team.clones;
    const writers = team.clones.map((clone, i) => worker('append', clone, ACTORS[i], String(EVENTS_EACH), '300'));
    const syncers = team.clones.map((clone) => worker('sync', clone, '100'));
    await pause(400);
    await fs.writeFile(path.join(team.remote, 'drop-before'), '');
    await pause(400);
    syncers[1].kill('SIGKILL');
    await exited(syncers[1]);
    syncers[1] = worker('sync', c1, '100');
    await fs.writeFile(path.join(team.remote, 'drop-after'), '');
    const away = `${team.remote}.away`;
    await fs.rename(team.remote, away);
    await pause(500);
    await fs.rename(away, team.remote);
    await loseSyncState(c2);
    assert.deepEqual(await Promise.all(writers.map(exited)), [0, 0, 0]);
    await duplicateLine(c0, c2);
    for (const s of syncers) s.stdin?.end();
    await Promise.all(syncers.map(exited));

    await syncUntilQuiet(team.clones);
    const logs = await Promise.all(team.clones.map(readLog));
    assert.equal(logs[0].ids.length, EVENTS_EACH * ACTORS.length);
    for (const log of logs) {
      assert.deepEqual(log.ids, logs[0].ids);
      assert.deepEqual(
        [...log.lineCounts.values()].filter((n) => n !== 1),
        [],
        'an event has two lines in a log',
      );
    }
    await assertTimeOrdered(c1);
    assert.ok(seen.includes('offline'), `no syncer saw the remote gone or a push dropped: ${seen.join(' ')}`);
    if (process.env.SYNC_STRESS_VERBOSE) console.log(seen.join(' '));
    for (const marker of ['drop-before', 'drop-after']) {
      await assert.rejects(fs.stat(path.join(team.remote, marker)), `no push was dropped by ${marker}`);
    }
  });
});

/** A clone that restarts from its file alone: its incident ref and its record of what the ref holds are gone. */
async function loseSyncState(clone: string): Promise<void> {
  git(clone, 'update-ref', '-d', `refs/incidents/${INCIDENT}`);
  await fs.rm(knownFile(git(clone, 'rev-parse', '--absolute-git-dir').trim(), INCIDENT), { force: true });
}

/** The same event arriving twice: a line of one clone's log pasted into another's (as a `git pull` union would). */
async function duplicateLine(from: string, to: string): Promise<void> {
  const first = (await fs.readFile(logFile(from), 'utf8')).split('\n')[0];
  await fs.appendFile(logFile(to), `${first}\n`);
}

/** Syncs the clones one after another until a whole pass moves nothing; at most a few passes. */
async function syncUntilQuiet(clones: string[]): Promise<void> {
  for (let pass = 0; pass < 6; pass++) {
    let moved = 0;
    for (const workspace of clones) {
      const result = await syncIncident({ workspace, incidentId: INCIDENT, env: GIT_ENV, timeoutMs: 20_000 });
      assert.equal(result.state, 'synced', result.message);
      moved += result.sent + result.received.length;
    }
    if (moved === 0 && pass > 0) return;
  }
  assert.fail('the clones never stopped exchanging events');
}

/** The file's own line order may differ (teammates' events are appended), but its readers' order is by time. */
async function assertTimeOrdered(clone: string): Promise<void> {
  const text = await fs.readFile(logFile(clone), 'utf8');
  const { ids } = await readLog(clone);
  const at = new Map(
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const e = JSON.parse(l) as { id: string; at: string };
        return [e.id, Date.parse(e.at)] as const;
      }),
  );
  const times = ids.map((id) => at.get(id)!);
  assert.deepEqual(
    times,
    [...times].sort((x, y) => x - y),
  );
}

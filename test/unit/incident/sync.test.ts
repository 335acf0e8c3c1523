import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syncIncident, type SyncOptions } from '../../../src/incident/sync';
import { knownFile } from '../../../src/incident/syncKnown';
import { redactCredentials } from '../../../src/incident/syncGit';
import { appendNote, git, GIT_ENV, INCIDENT, logFile, readLog, teamPerTest, type Team } from './syncRepos';

function sync(workspace: string, extra: Partial<SyncOptions> = {}) {
  return syncIncident({ workspace, incidentId: INCIDENT, env: GIT_ENV, timeoutMs: 20_000, ...extra });
}

describe('incident sync through git', function () {
  this.timeout(30_000);
  const pair = teamPerTest(2);
  let team: Team;
  let a: string;
  let b: string;
  beforeEach(() => {
    team = pair;
    [a, b] = pair.clones;
  });

  it('carries events from one clone to the other and back, each exactly once', async () => {
    const first = await appendNote(a, 'alice', 'api 500s since 14:02', new Date('2026-11-24T14:02:00Z'));
    const second = await appendNote(a, 'alice', 'paging db on-call', new Date('2026-11-24T14:03:00Z'));
    assert.deepEqual(await sync(a), { state: 'synced', remote: 'origin', sent: 2, received: [], unsent: false });
    const atB = await sync(b);
    assert.equal(atB.state, 'synced');
    assert.deepEqual(
      atB.received.map((r) => [r.id, r.actor]),
      [
        [first, 'alice'],
        [second, 'alice'],
      ],
    );
    const third = await appendNote(b, 'bob', 'db failover started', new Date('2026-11-24T14:04:00Z'));
    assert.equal((await sync(b)).sent, 1);
    assert.deepEqual(
      (await sync(a)).received.map((r) => r.actor),
      ['bob'],
    );
    assert.deepEqual((await readLog(a)).ids, [first, second, third]);
    assert.deepEqual((await readLog(b)).ids, [first, second, third]);
    assert.equal(await fs.readFile(logFile(a), 'utf8'), await fs.readFile(logFile(b), 'utf8'));
  });

  it('sends nothing and receives nothing on a round with nothing new', async () => {
    await appendNote(a, 'alice', 'one');
    await sync(a);
    await sync(b);
    const again = await sync(a);
    assert.deepEqual([again.state, again.sent, again.received.length], ['synced', 0, 0]);
  });

  it('never touches the working tree, the index, HEAD, branches or the stash', async () => {
    await fs.writeFile(path.join(a, 'README.md'), 'stashed change\n');
    git(a, 'stash', '--quiet');
    await fs.writeFile(path.join(a, 'README.md'), 'edited, not staged\n');
    await fs.writeFile(path.join(a, 'staged.txt'), 'staged\n');
    git(a, 'add', 'staged.txt');
    const before = await repoPicture(a);
    await appendNote(a, 'alice', 'during an edit');
    assert.equal((await sync(a)).state, 'synced');
    await appendNote(b, 'bob', 'from b');
    await sync(b);
    assert.equal((await sync(a)).received.length, 1);
    assert.deepEqual(await repoPicture(a), before);
    assert.match(git(team.remote, 'for-each-ref', '--format=%(refname)'), /^refs\/heads\/main\nrefs\/incidents\/INC-2026-1124-0001\n$/);
  });

  it('fetches and tries again when another responder pushed first, losing nothing', async () => {
    const fromA = await appendNote(a, 'alice', 'a first');
    const fromB = await appendNote(b, 'bob', 'b meanwhile');
    let raced = false;
    const result = await sync(b, {
      beforePush: async () => {
        if (raced) return;
        raced = true;
        assert.equal((await sync(a)).state, 'synced');
      },
    });
    assert.equal(raced, true);
    assert.deepEqual([result.state, result.sent, result.received.map((r) => r.id)], ['synced', 1, [fromA]]);
    await sync(a);
    const sorted = [fromA, fromB].sort();
    assert.deepEqual([...(await readLog(a)).ids].sort(), sorted);
    assert.deepEqual([...(await readLog(b)).ids].sort(), sorted);
  });

  it('keeps one copy of an event that both clones already have', async () => {
    const shared = await appendNote(a, 'alice', 'pasted into both logs');
    await fs.copyFile(logFile(a), await ensureLogDir(b));
    await sync(a);
    const atB = await sync(b);
    assert.deepEqual([atB.sent, atB.received.length], [0, 0]);
    assert.deepEqual((await readLog(b)).lineCounts, new Map([[shared, 1]]));
    assert.equal(git(team.remote, 'cat-file', '-p', `refs/incidents/${INCIDENT}:events.jsonl`).split('\n').length, 2);
  });

  it('rebuilds what the ref holds from history when its record beside the repository is lost', async () => {
    await appendNote(a, 'alice', 'one');
    await sync(a);
    const gitDir = git(a, 'rev-parse', '--absolute-git-dir').trim();
    await fs.rm(knownFile(gitDir, INCIDENT));
    const again = await sync(a);
    assert.deepEqual([again.state, again.sent], ['synced', 0]);
  });

  it('is local only without a remote, and outside a repository', async () => {
    git(a, 'remote', 'remove', 'origin');
    await appendNote(a, 'alice', 'alone');
    const alone = await sync(a);
    assert.deepEqual([alone.state, alone.sent], ['local-only', 0]);
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'incident-no-git-'));
    try {
      assert.equal((await sync(outside, { env: { ...GIT_ENV, GIT_CEILING_DIRECTORIES: path.dirname(outside) } })).state, 'local-only');
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('reports an unreachable remote as offline without printing its credentials, and sends later', async () => {
    git(a, 'remote', 'set-url', 'origin', 'http://alice:s3cret-token@127.0.0.1:9/team.git');
    const id = await appendNote(a, 'alice', 'written offline');
    const offline = await sync(a);
    assert.equal(offline.state, 'offline');
    assert.equal(offline.unsent, true);
    assert.doesNotMatch(offline.message ?? '', /s3cret|alice:/);
    assert.match(offline.message ?? '', /Cannot reach origin/);
    git(a, 'remote', 'set-url', 'origin', team.remote);
    assert.equal((await sync(a)).state, 'synced');
    assert.deepEqual(
      (await sync(b)).received.map((r) => r.id),
      [id],
    );
  });

  it('names a missing remote', async () => {
    const result = await sync(a, { remote: 'upstream' });
    assert.deepEqual([result.state, result.message], ['error', 'No git remote named upstream.']);
  });

  it('leaves an event that arrived twice (a git pull union, a paste) on exactly one line', async () => {
    await appendNote(a, 'alice', 'one', new Date('2026-11-24T14:02:00Z'));
    await appendNote(a, 'alice', 'two', new Date('2026-11-24T14:03:00Z'));
    await sync(a);
    await sync(b);
    const first = (await fs.readFile(logFile(a), 'utf8')).split('\n')[0];
    await fs.appendFile(logFile(b), `${first}\n`);
    const late = await appendNote(b, 'bob', 'three', new Date('2026-11-24T14:04:00Z'));
    assert.equal((await sync(b)).sent, 1);
    await sync(a);
    for (const clone of [a, b]) {
      assert.deepEqual([...(await readLog(clone)).lineCounts.values()], [1, 1, 1]);
      assert.equal((await readLog(clone)).ids[2], late);
    }
  });

  it("appends a teammate's event once when two rounds of one clone run at the same time", async () => {
    for (let i = 0; i < 5; i++) await appendNote(a, 'alice', `note ${i}`);
    await sync(a);
    const rounds = await Promise.all([sync(b), sync(b), sync(b)]);
    assert.deepEqual(
      rounds.map((r) => r.state),
      ['synced', 'synced', 'synced'],
    );
    assert.equal(
      rounds.reduce((n, r) => n + r.received.length, 0),
      5,
    );
    const log = await readLog(b);
    assert.equal(log.ids.length, 5);
    assert.deepEqual(
      [...log.lineCounts.values()].filter((n) => n !== 1),
      [],
    );
  });
});

describe('redactCredentials', () => {
  it('removes the user and password of every URL in a message', () => {
    assert.equal(
      redactCredentials("fatal: unable to access 'https://bob:ghp_x1@git.example/x.git/': 403"),
      "fatal: unable to access 'https://***@git.example/x.git/': 403",
    );
    assert.equal(redactCredentials('ssh://git@host/repo and https://host/ok'), 'ssh://***@host/repo and https://host/ok');
  });
});

async function ensureLogDir(workspace: string): Promise<string> {
  await fs.mkdir(path.dirname(logFile(workspace)), { recursive: true });
  return logFile(workspace);
}

/** Everything a sync must leave alone in a clone. */
async function repoPicture(clone: string) {
  const gitDir = git(clone, 'rev-parse', '--absolute-git-dir').trim();
  return {
    status: git(clone, 'status', '--porcelain', '--', '.', ':!.incidents'),
    head: git(clone, 'rev-parse', 'HEAD'),
    symbolic: git(clone, 'symbolic-ref', 'HEAD'),
    index: await fs.readFile(path.join(gitDir, 'index')),
    stash: git(clone, 'stash', 'list'),
    branches: git(clone, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/remotes', 'refs/tags'),
    readme: await fs.readFile(path.join(clone, 'README.md'), 'utf8'),
  };
}

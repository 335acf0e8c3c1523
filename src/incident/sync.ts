// Syncs an incident's log with the repository's remote through a ref of its own (`refs/incidents/<id>`), written
// with git plumbing: the working tree, index, HEAD and stash are never touched, and logs merge as a union of ids.
//
// Each commit on the ref holds one chunk, `events.jsonl`, with the events its writer added in that round; the log
// is the union of the chunks of the ref's history. A round fetches the remote ref, reads the chunks of the commits
// it lacks, appends their new events to the local file, commits the local events the ref lacks on top of both tips
// and pushes (a plain push: when another writer pushed first, it fetches and tries again). Only new events travel.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { appendLinesAfterReading, dropDuplicateLines, ensureIncidentsDir, incidentFile, incidentsDir } from './store';
import { gitMessage, runGit, type GitOutput } from './syncGit';
import { appendKnown, knownFile, readKnown, writeKnown } from './syncKnown';
import { joinSyncLines, parseCatFileBatch, parseSyncLines, scanLog, type SyncLine } from './syncLines';

/** How a round ended: `local-only` without a git remote, `offline` when the remote could not be reached. */
export type SyncState = 'synced' | 'local-only' | 'offline' | 'error';

/** A round's outcome; never thrown. Messages have credentials removed from URLs. */
export interface SyncResult {
  state: SyncState;
  message?: string;
  remote?: string;
  /** Local events this round put on the ref (and, when `synced`, on the remote). */
  sent: number;
  /** Teammates' events this round added to the local log, in time order, with who wrote them. */
  received: { id: string; at: string; actor?: string }[];
  /** Events are committed locally but not yet on the remote (the push failed): the next round sends them. */
  unsent: boolean;
}

export interface SyncOptions {
  /** The folder holding `.incidents/` (a workspace folder), inside a git work tree. */
  workspace: string;
  incidentId: string;
  /** The remote to sync with; by default `origin`, else the only remote. */
  remote?: string;
  /** Per git command; a stalled network ends as `offline`, not a hung round. Default 30 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Called between committing and pushing (tests make another writer push first here). */
  beforePush?: () => Promise<void>;
}

const CHUNK = 'events.jsonl';
const ATTEMPTS = 8;
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Incident Playbooks',
  GIT_AUTHOR_EMAIL: 'incident-sync@localhost',
  GIT_COMMITTER_NAME: 'Incident Playbooks',
  GIT_COMMITTER_EMAIL: 'incident-sync@localhost',
};

/** The local ref holding the incident's log, and the ref the remote's copy is fetched to. */
export function incidentRef(incidentId: string): string {
  return `refs/incidents/${incidentId}`;
}

export function remoteIncidentRef(remote: string, incidentId: string): string {
  return `refs/incidents-remote/${remote}/${incidentId}`;
}

interface Repo {
  git: (args: string[], input?: string) => Promise<GitOutput>;
  gitDir: string;
  remote: string;
  file: string;
  id: string;
  beforePush?: () => Promise<void>;
}

/** One sync round for one incident. Never throws: every failure is a state and a message. */
export async function syncIncident(options: SyncOptions): Promise<SyncResult> {
  try {
    const repo = await openRepo(options);
    if ('state' in repo) return repo;
    let sent = 0;
    const received: SyncResult['received'] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const round = await attemptRound(repo);
      sent += round.sent;
      received.push(...round.received);
      if (round.outcome !== 'rejected') return { ...round.outcome, remote: repo.remote, sent, received };
    }
    return {
      state: 'error',
      remote: repo.remote,
      message: 'The remote kept changing while pushing; will try again.',
      sent,
      received,
      unsent: true,
    };
  } catch (error) {
    return { state: 'error', message: `Sync failed: ${(error as Error).message}`, sent: 0, received: [], unsent: false };
  }
}

async function openRepo(options: SyncOptions): Promise<Repo | SyncResult> {
  const gitOptions = { cwd: options.workspace, timeoutMs: options.timeoutMs ?? 30_000, env: { ...options.env, ...IDENTITY } };
  const git = (args: string[], input?: string) => runGit(args, gitOptions, input);
  const none = { sent: 0, received: [], unsent: false };
  const dir = await git(['rev-parse', '--absolute-git-dir']);
  if (dir.code !== 0) return { state: 'local-only', message: 'Not in a git repository: the log stays on this machine.', ...none };
  const remotes = (await git(['remote'])).stdout.split('\n').filter((r) => r !== '');
  const remote = options.remote ?? (remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined);
  if (remote === undefined) {
    const message =
      remotes.length === 0
        ? 'No git remote: the log stays on this machine.'
        : `Several remotes (${remotes.join(', ')}) and none is origin: choose one.`;
    return { state: remotes.length === 0 ? 'local-only' : 'error', message, ...none };
  }
  if (!remotes.includes(remote)) return { state: 'error', message: `No git remote named ${remote}.`, ...none };
  const file = incidentFile(incidentsDir(options.workspace), options.incidentId);
  return { git, gitDir: dir.stdout.trim(), remote, file, id: options.incidentId, beforePush: options.beforePush };
}

interface Attempt {
  outcome: Omit<SyncResult, 'sent' | 'received' | 'remote'> | 'rejected';
  sent: number;
  received: SyncResult['received'];
}

async function attemptRound(repo: Repo): Promise<Attempt> {
  const fetched = await fetchRemote(repo);
  if (fetched !== true) return { outcome: { ...fetched, unsent: true }, sent: 0, received: [] };
  const { tip, remoteTip } = await tips(repo);
  const known = await knownIds(repo, tip);
  const incoming = remoteTip && remoteTip !== tip ? await chunkLines(repo, await revList(repo, remoteTip, tip)) : [];
  const local = scanLog(await readText(repo.file), known);
  // An event on two lines (a `git pull` union, a paste) is healed here: every id ends on exactly one line.
  if (local.duplicates > 0) await dropDuplicateLines(repo.file);
  const fresh = incoming.filter((l) => !known.has(l.id));
  const toAppend = fresh.filter((l) => !local.ids.has(l.id));
  const appended = toAppend.length > 0 ? await appendToLog(repo.file, toAppend, known) : [];
  const freshIds = new Set(fresh.map((l) => l.id));
  const outgoing = local.unknown.filter((l) => !freshIds.has(l.id));
  // What this round appended counts as received even when another round of this clone moved the ref first.
  const received = appended.map(describe);
  const next = await nextTip(repo, tip, remoteTip, outgoing);
  if (next !== tip) {
    const moved = await repo.git(['update-ref', incidentRef(repo.id), next!, tip ?? '']);
    if (moved.code !== 0) return { outcome: 'rejected', sent: 0, received };
    await appendKnown(knownFile(repo.gitDir, repo.id), [...freshIds, ...outgoing.map((l) => l.id)], next!);
  }
  if (next === undefined || next === remoteTip) return { outcome: { state: 'synced', unsent: false }, sent: outgoing.length, received };
  const pushed = await push(repo, next);
  return { outcome: pushed, sent: outgoing.length, received };
}

/** Fetches the remote's ref of the incident, if it has one, into its tracking ref; true when the remote answered. */
async function fetchRemote(repo: Repo): Promise<true | { state: 'offline' | 'error'; message: string }> {
  const tracking = remoteIncidentRef(repo.remote, repo.id);
  const fetched = await repo.git([
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--no-recurse-submodules',
    repo.remote,
    `+${incidentRef(repo.id)}:${tracking}`,
  ]);
  if (fetched.code === 0) return true;
  if (/couldn't find remote ref/i.test(fetched.stderr)) {
    // The remote has no log of this incident (yet, or any more): forget what was fetched before.
    await repo.git(['update-ref', '-d', tracking]);
    return true;
  }
  return { state: 'offline', message: `Cannot reach ${repo.remote}: ${gitMessage(fetched)}` };
}

/** The local ref's commit and the fetched remote one, with one git process. */
async function tips(repo: Repo): Promise<{ tip?: string; remoteTip?: string }> {
  const [local, tracking] = [incidentRef(repo.id), remoteIncidentRef(repo.remote, repo.id)];
  const out = await repo.git(['for-each-ref', '--format=%(objectname) %(refname)', local, tracking]);
  if (out.code !== 0) throw new Error(gitMessage(out));
  const found = new Map(
    out.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [l.slice(l.indexOf(' ') + 1), l.slice(0, l.indexOf(' '))]),
  );
  return { tip: found.get(local), remoteTip: found.get(tracking) };
}

/** Commits reachable from `tip` but not from `exclude`, oldest first. */
async function revList(repo: Repo, tip: string, exclude: string | undefined): Promise<string[]> {
  const out = await repo.git(['rev-list', '--reverse', tip, ...(exclude ? ['--not', exclude] : [])]);
  if (out.code !== 0) throw new Error(gitMessage(out));
  return out.stdout.split('\n').filter((l) => l !== '');
}

/** The event lines of the chunks of `commits`, read with one `cat-file --batch`. */
async function chunkLines(repo: Repo, commits: string[]): Promise<SyncLine[]> {
  if (commits.length === 0) return [];
  const out = await repo.git(['cat-file', '--batch'], commits.map((c) => `${c}:${CHUNK}\n`).join(''));
  if (out.code !== 0) throw new Error(gitMessage(out));
  return parseSyncLines(
    parseCatFileBatch(out.bytes)
      .filter((t) => t !== undefined)
      .join('\n'),
  );
}

/** The ids the local ref's history holds: from the file beside the repository, or read from history when stale. */
async function knownIds(repo: Repo, tip: string | undefined): Promise<Set<string>> {
  const file = knownFile(repo.gitDir, repo.id);
  const known = await readKnown(file, tip);
  if (known) return known;
  const ids = new Set((await chunkLines(repo, await revList(repo, tip!, undefined))).map((l) => l.id));
  await writeKnown(file, ids, tip!);
  return ids;
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Teammates' events are appended in time order with one crash-safe write, never by rewriting the file (an append
 * of this window's own may be under way); the log's readers order every event by time. Which of them are missing
 * is decided again under the log's lock: another round of this clone (a second window, `playbook sync --watch`)
 * may have appended some since this round read the file. Returns the lines appended.
 */
async function appendToLog(file: string, lines: SyncLine[], known: ReadonlySet<string>): Promise<SyncLine[]> {
  await ensureIncidentsDir(path.dirname(file));
  let missing: SyncLine[] = [];
  await appendLinesAfterReading(file, (current) => {
    const present = scanLog(current, known).ids;
    missing = lines.filter((l) => !present.has(l.id));
    return missing.length > 0 ? joinSyncLines(missing) : '';
  });
  return missing;
}

/** The commit the local ref should point at after this round. */
async function nextTip(
  repo: Repo,
  tip: string | undefined,
  remoteTip: string | undefined,
  outgoing: SyncLine[],
): Promise<string | undefined> {
  if (outgoing.length === 0) {
    if (tip === undefined || tip === remoteTip) return remoteTip;
    if (remoteTip === undefined || (await isAncestor(repo, remoteTip, tip))) return tip;
    if (await isAncestor(repo, tip, remoteTip)) return remoteTip;
  }
  return commitChunk(
    repo,
    outgoing,
    [tip, remoteTip].filter((c): c is string => c !== undefined),
  );
}

async function isAncestor(repo: Repo, ancestor: string, of: string): Promise<boolean> {
  return (await repo.git(['merge-base', '--is-ancestor', ancestor, of])).code === 0;
}

/** A commit whose tree is one chunk blob of `lines` (or empty, for a merge with nothing new), on top of `parents`. */
async function commitChunk(repo: Repo, lines: SyncLine[], parents: string[]): Promise<string> {
  let treeInput = '';
  if (lines.length > 0) {
    const blob = await plumbing(repo, ['hash-object', '-w', '--stdin'], joinSyncLines(lines));
    treeInput = `100644 blob ${blob}\t${CHUNK}\n`;
  }
  const tree = await plumbing(repo, ['mktree'], treeInput);
  const message = `${repo.id}: ${lines.length} event${lines.length === 1 ? '' : 's'}\n`;
  return plumbing(repo, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], message);
}

async function plumbing(repo: Repo, args: string[], input: string): Promise<string> {
  const out = await repo.git(args, input);
  if (out.code !== 0) throw new Error(gitMessage(out));
  return out.stdout.trim();
}

async function push(repo: Repo, commit: string): Promise<Attempt['outcome']> {
  await repo.beforePush?.();
  const out = await repo.git(['push', '--porcelain', '--quiet', '--no-verify', repo.remote, `${commit}:${incidentRef(repo.id)}`]);
  if (out.code === 0) return { state: 'synced', unsent: false };
  if (/\[rejected\]|fetch first|non-fast-forward|failed to update ref|cannot lock ref/i.test(out.stdout + out.stderr)) return 'rejected';
  const remoteRejected = /\[remote rejected\]/.test(out.stdout);
  return { state: remoteRejected ? 'error' : 'offline', message: `Cannot push to ${repo.remote}: ${gitMessage(out)}`, unsent: true };
}

function describe(line: SyncLine): SyncResult['received'][number] {
  try {
    const actor = (JSON.parse(line.text) as { actor?: unknown }).actor;
    return { id: line.id, at: line.at, ...(typeof actor === 'string' ? { actor } : {}) };
  } catch {
    return { id: line.id, at: line.at };
  }
}

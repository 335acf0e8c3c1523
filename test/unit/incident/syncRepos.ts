// Real git repositories for the sync tests: a bare "remote" and clones of it under one temporary folder.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEvent } from '../../../src/incident/events';
import { newEventId } from '../../../src/incident/ids';
import { parseIncidentLog } from '../../../src/incident/log';
import { appendEvent, ensureIncidentsDir, incidentFile, incidentsDir } from '../../../src/incident/store';

export const INCIDENT = 'INC-2026-1124-0001';

/** Git with a fixed identity and no global or system configuration of the person running the tests. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A team: `root` holds `remote.git` (bare, with one commit on main) and `clones[i]`, each a clone of it. */
export interface Team {
  root: string;
  remote: string;
  clones: string[];
}

export async function makeTeam(size: number): Promise<Team> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'incident-sync-'));
  const remote = path.join(root, 'remote.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const seed = path.join(root, 'seed');
  git(root, 'clone', '--quiet', remote, seed);
  await fs.writeFile(path.join(seed, 'README.md'), 'team repo\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '--quiet', '-m', 'first');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  const clones: string[] = [];
  for (let i = 0; i < size; i++) {
    const clone = path.join(root, `clone${i}`);
    git(root, 'clone', '--quiet', remote, clone);
    clones.push(clone);
  }
  return { root, remote, clones };
}

/** A new team before each test of the suite, removed after it; fields are set once `beforeEach` ran. */
export function teamPerTest(size: number): Team {
  const current = { root: '', remote: '', clones: [] } as Team;
  beforeEach(async () => Object.assign(current, await makeTeam(size)));
  afterEach(async () => fs.rm(current.root, { recursive: true, force: true }));
  return current;
}

export function logFile(workspace: string, id = INCIDENT): string {
  return incidentFile(incidentsDir(workspace), id);
}

/** Appends a note by `actor` the way the extension records one. */
export async function appendNote(workspace: string, actor: string, text: string, at = new Date()): Promise<string> {
  await ensureIncidentsDir(incidentsDir(workspace));
  const event = createEvent('note.added', { text }, { actor, at, id: newEventId(at) });
  await appendEvent(logFile(workspace), event);
  return event.id;
}

/** A log's event ids as its readers order them, and how many lines each id has in the file. */
export async function readLog(workspace: string): Promise<{ ids: string[]; lineCounts: Map<string, number> }> {
  let text = '';
  try {
    text = await fs.readFile(logFile(workspace), 'utf8');
  } catch {
    // An incident this clone never saw: an empty log.
  }
  const lineCounts = new Map<string, number>();
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const id = (JSON.parse(line) as { id: string }).id;
    lineCounts.set(id, (lineCounts.get(id) ?? 0) + 1);
  }
  return { ids: parseIncidentLog(text).events.map((e) => e.id as string), lineCounts };
}

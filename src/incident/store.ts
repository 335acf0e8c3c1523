// The append-only incident log on disk: `<workspace>/.incidents/<INC-id>.jsonl`, one event a line.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { IncidentEvent } from './events';
import { compareIncidentIds, nextIncidentId, parseIncidentId } from './ids';
import { parseIncidentLog, serializeEvent, type LogProblem, type LogReadResult } from './log';
import { foldIncident, type IncidentState } from './state';

export const INCIDENTS_DIR = '.incidents';

/** `.incidents/.gitattributes`: git merges two responders' logs by keeping the lines of both. */
export const INCIDENTS_GITATTRIBUTES = '*.jsonl merge=union\n';

/** The incidents folder of a workspace folder. */
export function incidentsDir(workspace: string): string {
  return path.join(workspace, INCIDENTS_DIR);
}

/** The log file of an incident inside an incidents folder; anything but an incident id (`../x`) is refused. */
export function incidentFile(dir: string, incidentId: string): string {
  if (!isIncidentId(incidentId)) throw new Error(`not an incident id: ${JSON.stringify(incidentId)}`);
  return path.join(dir, `${incidentId}.jsonl`);
}

/** Whether a string is exactly an incident id (`INC-YYYY-MMDD-NNNN`), nothing before or after it. */
export function isIncidentId(value: unknown): value is string {
  return typeof value === 'string' && !value.endsWith('.jsonl') && parseIncidentId(value) !== undefined;
}

/**
 * The absolute path of a playbook named in a log (`playbook: deploy/api.playbook.yaml`), or undefined unless it is a
 * relative path to a `*.playbook.yaml`/`.yml` inside the workspace: a log from a `git pull` must not open other files.
 */
export function workspacePlaybookPath(workspace: string, relative: string): string | undefined {
  if (typeof relative !== 'string' || relative === '' || path.isAbsolute(relative) || !/\.playbook\.ya?ml$/i.test(relative))
    return undefined;
  const root = path.resolve(workspace);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** Creates the incidents folder and its `.gitattributes` when missing; an existing `.gitattributes` is left alone. */
export async function ensureIncidentsDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  try {
    await fs.writeFile(path.join(dir, '.gitattributes'), INCIDENTS_GITATTRIBUTES, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Appends one event as one line with a single write, then fsyncs before resolving, so a crash leaves at
 * most a truncated last line and a resolved append is on disk. Earlier lines are never rewritten; if the
 * file ends inside an interrupted line, a newline is written first so the new event stays whole.
 */
export async function appendEvent(file: string, event: IncidentEvent): Promise<void> {
  await appendLines(file, serializeEvent(event));
}

/** Appends whole lines (`text` ends with a newline) with one write and an fsync, as `appendEvent` does for one. */
export async function appendLines(file: string, text: string): Promise<void> {
  await appendLocked(file, text);
}

/**
 * Like `appendLines`, but the lines are chosen by `choose` from the file's text as it is under the log's lock, so
 * two processes adding the same teammate's event (two windows syncing one clone) cannot both find it missing.
 * `choose` returns '' to append nothing.
 */
export async function appendLinesAfterReading(file: string, choose: (current: string) => string): Promise<void> {
  await appendLocked(file, choose);
}

/** An own event's text is appended without reading the file; a teammate's is chosen after reading it. */
async function appendLocked(file: string, lines: string | ((current: string) => string)): Promise<void> {
  let size = 0;
  await withLogLock(file, async () => {
    const handle = await fs.open(file, 'a+');
    try {
      size = (await handle.stat()).size;
      const text = typeof lines === 'string' ? lines : lines(await readAll(handle, size));
      if (text === '') return;
      const prefix = size > 0 && !(await endsWithNewline(handle, size)) ? '\n' : '';
      await handle.appendFile(prefix + text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
  if (size === 0) await syncDirectory(path.dirname(file));
}

async function readAll(handle: fs.FileHandle, size: number): Promise<string> {
  const bytes = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    const { bytesRead } = await handle.read(bytes, at, size - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return bytes.toString('utf8', 0, at);
}

/**
 * Rewrites a log keeping only the first line of each event id (a `git pull` union or a paste can leave an event
 * on two lines); other lines stay as they are. Done under the log's lock, which every append takes, so an append
 * from another process can never land in the file being replaced. Returns how many lines were dropped.
 */
export async function dropDuplicateLines(file: string): Promise<number> {
  return withLogLock(file, async () => {
    const text = await fs.readFile(file, 'utf8');
    const seen = new Set<string>();
    const kept: string[] = [];
    // The last piece has no newline: '' after a whole line, else a line cut short (kept as it is unless a copy).
    const lines = text.split('\n');
    let lastDropped = false;
    lines.forEach((line, i) => {
      const id = lineId(line);
      lastDropped = id !== undefined && seen.has(id) && i === lines.length - 1;
      if (id !== undefined && seen.has(id)) return;
      if (id !== undefined) seen.add(id);
      kept.push(line);
    });
    const dropped = lines.length - kept.length;
    if (dropped === 0) return 0;
    const temp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temp, kept.join('\n') + (lastDropped ? '\n' : ''), 'utf8');
    const handle = await fs.open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
    await syncDirectory(path.dirname(file));
    return dropped;
  });
}

function lineId(line: string): string | undefined {
  try {
    const value = JSON.parse(line.endsWith('\r') ? line.slice(0, -1) : line) as unknown;
    const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A lock older than this is left by a killed process (a locked step takes milliseconds) and is taken over. */
const STALE_LOCK_MS = 10_000;

/**
 * Runs `step` holding `<log>.lock`, created exclusively, so appends and rewrites of one log from several processes
 * (the editor, `playbook sync --watch`) never interleave. A lock left by a killed process is removed once stale.
 */
export async function withLogLock<T>(file: string, step: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  for (;;) {
    try {
      await (await fs.open(lock, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - (await fs.stat(lock)).mtimeMs > STALE_LOCK_MS) await fs.rm(lock, { force: true });
    } catch {
      // Released meanwhile: try again.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  try {
    return await step();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

// A new file's directory entry must reach the disk too, or the first event can vanish with the file.
// Some platforms (Windows) cannot open a directory to sync it; there the file's own sync is all there is.
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort, see above.
  } finally {
    await handle?.close();
  }
}

async function endsWithNewline(handle: fs.FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** Reads a log file; a missing or unreadable file is a problem, never an exception. */
export async function readIncidentLog(file: string): Promise<LogReadResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const message = `Cannot read ${file}: ${(error as Error).message}`;
    return { events: [], problems: [{ code: 'UNREADABLE_FILE', line: 0, message }] };
  }
  return parseIncidentLog(text);
}

/** An incident found in the incidents folder, with the state its events fold to. */
export interface IncidentSummary {
  id: string;
  file: string;
  state: IncidentState;
  problems: LogProblem[];
}

/** The incident ids that have a log file in the folder (none when the folder does not exist). */
export async function listIncidentIds(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.jsonl') && parseIncidentId(name) !== undefined)
    .map((name) => name.slice(0, -'.jsonl'.length))
    .sort(compareIncidentIds);
}

/** Every incident in the folder, oldest id first, each with its derived state. */
export async function listIncidents(dir: string): Promise<IncidentSummary[]> {
  const ids = await listIncidentIds(dir);
  return Promise.all(
    ids.map(async (id) => {
      const file = incidentFile(dir, id);
      const { events, problems } = await readIncidentLog(file);
      return { id, file, state: foldIncident(events), problems };
    }),
  );
}

/**
 * Allocates the next incident id of `now`'s UTC day and claims it by creating its empty log file
 * exclusively, so two windows starting an incident at the same moment get different ids.
 */
export async function claimIncidentId(dir: string, now: Date): Promise<string> {
  await ensureIncidentsDir(dir);
  const taken = await listIncidentIds(dir);
  for (;;) {
    const id = nextIncidentId(taken, now);
    try {
      await (await fs.open(incidentFile(dir, id), 'wx')).close();
      return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      taken.push(id);
    }
  }
}

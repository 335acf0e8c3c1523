// The incident sync's part of `npm run bench` (`--sync-only` for just this): how long a responder's event takes to
// reach a teammate's timeline through a bare repository on this machine, and what one sync round costs with 100 and
// with 10,000 events in the log (it must not grow: only new events travel). The peer for the round is what teams do
// by hand today: commit the whole log file on a branch and push it, then pull it on the other side.
//
// Not a test: nothing here asserts on time.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEvent, type IncidentEvent } from '../src/incident/events';
import { fileSource, LogFollower } from '../src/incident/follow';
import { newEventId } from '../src/incident/ids';
import { serializeEvent } from '../src/incident/log';
import { appendEvent, ensureIncidentsDir, incidentFile, incidentsDir } from '../src/incident/store';
import { syncIncident, type SyncResult } from '../src/incident/sync';
import { median } from './measure';

const INCIDENT = 'INC-2026-1124-0001';
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@localhost',
};
/** The poll interval of both responders in the latency run (the extension's default is 5 s). */
const POLL_MS = 1000;
const LATENCY_EVENTS = 100;
/** Pause between two of A's appends: up to this, at random, so events land anywhere in B's poll cycle. */
const APPEND_GAP_MS = 600;
const ROUND = { warmup: 2, runs: 11 };
const SIZES = [100, 10_000];

const failures: string[] = [];
const notes: string[] = [];
const rows: { operation: string; size: number; ours: number; peer?: number; check: string }[] = [];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A bare repository and two clones of it, A and B, under a temporary folder. */
async function makePair(): Promise<{ root: string; a: string; b: string }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-sync-'));
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', 'remote.git');
  for (const clone of ['a', 'b']) git(root, 'clone', '--quiet', 'remote.git', clone);
  return { root, a: path.join(root, 'a'), b: path.join(root, 'b') };
}

const logOf = (workspace: string) => incidentFile(incidentsDir(workspace), INCIDENT);
const sync = (workspace: string) => syncIncident({ workspace, incidentId: INCIDENT, env: GIT_ENV });

function note(actor: string, text: string): IncidentEvent {
  const at = new Date();
  return createEvent('note.added', { text }, { actor, at, id: newEventId(at) });
}

/** Polls like the extension: a round, then the next one `POLL_MS` after it ended, until `stop` says so. */
async function poller(workspace: string, stop: () => boolean, afterRound: (r: SyncResult) => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  while (!stop()) {
    const started = performance.now();
    const result = await sync(workspace);
    durations.push(performance.now() - started);
    if (result.state !== 'synced') failures.push(`latency: a round ended ${result.state}: ${result.message}`);
    await afterRound(result);
    await pause(POLL_MS);
  }
  return durations;
}

/** A appends 100 notes at random moments; both poll; B's follower (what the panel reads) notes when each arrives. */
async function latency(): Promise<void> {
  const { root, a, b } = await makePair();
  try {
    await ensureIncidentsDir(incidentsDir(a));
    const appended = new Map<string, number>();
    const seen = new Map<string, number>();
    const follower = new LogFollower(fileSource(logOf(b)));
    const stop = () => seen.size >= LATENCY_EVENTS;
    const polls = [
      poller(a, stop, async () => undefined),
      poller(b, stop, async (r) => {
        if (r.received.length === 0) return;
        await follower.update();
        for (const e of follower.events) if (typeof e.id === 'string' && !seen.has(e.id)) seen.set(e.id, performance.now());
      }),
    ];
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const event = note('alice', `note ${i}`);
      appended.set(event.id, performance.now());
      await appendEvent(logOf(a), event);
      await pause(Math.random() * APPEND_GAP_MS);
    }
    const [roundsA, roundsB] = await Promise.race([
      Promise.all(polls),
      pause(120_000).then(() => {
        throw new Error(`only ${seen.size} of ${LATENCY_EVENTS} events reached B in 2 minutes`);
      }),
    ]);
    const delays = [...appended].map(([id, at]) => (seen.get(id) ?? Number.NaN) - at);
    if (delays.some((d) => Number.isNaN(d))) failures.push('latency: an event never reached B');
    const sorted = [...delays].sort((x, y) => x - y);
    const p95 = sorted[Math.ceil(sorted.length * 0.95) - 1];
    const round = median([...roundsA, ...roundsB]);
    rows.push({
      operation: `append on A → in B's timeline: median (poll every ${POLL_MS / 1000} s on both)`,
      size: LATENCY_EVENTS,
      ours: median(delays),
      check: `${seen.size}/${LATENCY_EVENTS} events arrived, each once`,
    });
    rows.push({
      operation: "append on A → in B's timeline: p95",
      size: LATENCY_EVENTS,
      ours: p95,
      check: `median round ${fmt(round)} ms (${roundsA.length + roundsB.length} rounds)`,
    });
    notes.push(
      `latency: A and B poll every ${POLL_MS / 1000} s (the extension also syncs ${300} ms after a local event; here A only polls); expected median ≈ round time + the poll wait of A and of B (≈ ${POLL_MS / 1000} s)`,
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

/** One round pair: A appends a note and syncs it out, B syncs it in. */
async function roundPair(a: string, b: string, i: number): Promise<{ ms: number; ok: boolean }> {
  await appendEvent(logOf(a), note('alice', `round ${i}`));
  const started = performance.now();
  const sent = await sync(a);
  const received = await sync(b);
  const ms = performance.now() - started;
  return { ms, ok: sent.state === 'synced' && sent.sent === 1 && received.received.length === 1 };
}

/** The peer: append to the file, commit it on main and push; the other side pulls (a fast-forward). */
function byHand(a: string, b: string, i: number): number {
  const started = performance.now();
  execFileSync('sh', ['-c', `printf '%s\\n' '${serializeEvent(note('alice', `hand ${i}`)).trim()}' >> .incidents/${INCIDENT}.jsonl`], {
    cwd: a,
  });
  git(a, 'commit', '--quiet', '-am', `note ${i}`);
  git(a, 'push', '--quiet', 'origin', 'HEAD:main');
  git(b, 'pull', '--quiet', '--ff-only', 'origin', 'main');
  return performance.now() - started;
}

async function roundCost(size: number): Promise<void> {
  const { root, a, b } = await makePair();
  try {
    await ensureIncidentsDir(incidentsDir(a));
    const filler = Array.from({ length: size }, (_, i) =>
      serializeEvent(note(i % 2 ? 'alice' : 'bob', `earlier event ${i}: ${'x'.repeat(200)}`)),
    ).join('');
    await fs.writeFile(logOf(a), filler);
    if ((await sync(a)).sent !== size || (await sync(b)).received.length !== size)
      failures.push(`round cost ${size}: the log did not reach B`);
    const ours: number[] = [];
    let ok = true;
    for (let i = 0; i < ROUND.warmup + ROUND.runs; i++) {
      const r = await roundPair(a, b, i);
      ok &&= r.ok;
      if (i >= ROUND.warmup) ours.push(r.ms);
    }
    // The peer's repository has the whole log committed on main, as a team sharing it by hand would.
    git(a, 'add', '.incidents');
    git(a, 'commit', '--quiet', '-m', 'log so far');
    git(a, 'push', '--quiet', 'origin', 'HEAD:main');
    git(b, 'fetch', '--quiet', 'origin');
    git(b, 'checkout', '--quiet', '-f', '-B', 'main', 'origin/main');
    const peer = Array.from({ length: ROUND.warmup + ROUND.runs }, (_, i) => byHand(a, b, i)).slice(ROUND.warmup);
    if (!ok) failures.push(`round cost ${size}: a round did not move exactly one event`);
    rows.push({
      operation: 'sync round: A sends 1 new event, B receives it (peer: commit whole log on main, push, pull)',
      size,
      ours: median(ours),
      peer: median(peer),
      check: ok ? 'each round moved exactly 1 event' : 'CHECK FAILED',
    });
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function printTable(): void {
  const header = ['operation', 'events', 'ours ms', 'peer ms', 'peer/ours', 'check'];
  const body = rows.map((r) => [
    r.operation,
    r.size.toLocaleString('en-US'),
    fmt(r.ours),
    r.peer === undefined ? '' : fmt(r.peer),
    r.peer === undefined ? '' : (r.peer / r.ours).toFixed(2),
    r.check,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

export async function syncBenchmarks(): Promise<string[]> {
  const started = performance.now();
  console.log('Incident sync: src/incident/sync through a bare repository on this machine (file transport), real git processes.');
  if (os.loadavg()[0] > os.cpus().length * 0.75)
    console.log(
      `warning: the machine is busy (load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}); timings will be noisy.`,
    );
  console.log('');
  for (const part of [
    latency,
    ...SIZES.map((size) => Object.defineProperty(() => roundCost(size), 'name', { value: `roundCost ${size}` })),
  ]) {
    try {
      await part();
    } catch (error) {
      failures.push(`${part.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  printTable();
  const [small, large] = SIZES.map((size) => rows.find((r) => r.operation.startsWith('sync round') && r.size === size));
  if (small && large) {
    notes.push(
      `round cost at ${large.size.toLocaleString('en-US')} events / at ${small.size}: ours ${(large.ours / small.ours).toFixed(2)}×, peer ${((large.peer ?? 0) / (small.peer ?? 1)).toFixed(2)}× (medians of ${ROUND.runs} after ${ROUND.warmup} warm-up)`,
    );
  }
  console.log('');
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`\nsync part: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return failures;
}

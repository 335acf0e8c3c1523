// The step runner's part of `npm run bench` (`--run-only` for just this): time from command to process start, and
// 100 MB of output captured without stalling the host, against a plain `child_process` run of the same command as
// the floor. Prints medians after warm-up, checks that every measurement really did the work, and returns failures.
//
// Not a test: nothing here asserts on time.
import { collect, median } from './measure';
import { spawn, spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as os from 'node:os';
import type { Step } from '../src/playbook/types';
import { DEFAULT_OUTPUT_LIMIT } from '../src/run/output';
import { runProcess, type ProcessOutcome } from '../src/run/processRunner';
import { MASK, planRedaction } from '../src/run/redact';
import { createStepRunner, defaultEffects } from '../src/run/stepRunner';

const MB = 1024 * 1024;
/** The same shell on both sides, so the floor differs only in what our runner adds. */
const SHELL = '/bin/sh';
const START = { warmup: 5, runs: 31 };
const FLOOD = { warmup: 1, runs: 7 };
const FLOOD_BYTES = 100 * MB;
const SECRET = 'bench-S3cr3t-9f1c2a7e';
/** The secret once before and once after 100 MB of `x`, so both the head and the tail of the capture hold it. */
const FLOOD_COMMAND = `printf 'token=%s\\n' "$BENCH_SECRET"; head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' 'x'; printf '\\ntoken=%s\\n' "$BENCH_SECRET"`;
const FLOOD_ENV = { BENCH_SECRET: SECRET };
const RAW_BYTES = FLOOD_BYTES + 2 * (`token=${SECRET}`.length + 1) + 1;
/** What our capture counts: it sees the redacted stream. */
const REDACTED_BYTES = RAW_BYTES - 2 * SECRET.length + 2 * Buffer.byteLength(MASK);

interface Row {
  operation: string;
  ours?: number;
  floor?: number;
  unit: 'ms' | 'MB' | 'MB/s';
  /** What each side produced, so a reader sees both really worked. */
  check: string;
}

const rows: Row[] = [];
const failures: string[] = [];
const notes: string[] = [];

/** `warmup` untimed and `runs` timed iterations, a full GC before each; medians of each value `once` returns. */
async function measure(warmup: number, runs: number, once: () => Promise<number[]>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    collect();
    await once();
  }
  const samples: number[][] = [];
  for (let i = 0; i < runs; i++) {
    collect();
    (await once()).forEach((t, k) => (samples[k] ??= []).push(t));
  }
  return samples.map(median);
}

function expect(condition: boolean, what: string, why: string): boolean {
  if (!condition) failures.push(`${what}: ${why}`);
  return condition;
}

// ---------------------------------------------------------------------------------------------- the floor

interface FloorOutcome {
  spawnMs: number;
  totalMs: number;
  exitCode: number | null;
  bytes: number;
}

/** A plain `child_process.spawn` of the same shell and command, default options, counting output bytes. */
function plainRun(command: string, env?: Record<string, string>): Promise<FloorOutcome> {
  return new Promise((resolve, reject) => {
    const called = performance.now();
    let spawnMs = NaN;
    let bytes = 0;
    const child = spawn(SHELL, ['-c', command], env ? { env: { ...process.env, ...env } } : undefined);
    child.once('spawn', () => (spawnMs = performance.now() - called));
    child.once('error', reject);
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.stderr.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.once('close', (exitCode) => resolve({ spawnMs, totalMs: performance.now() - called, exitCode, bytes }));
  });
}

// ---------------------------------------------------------------------------------------------- start latency

async function startLatency(): Promise<void> {
  let ok = true;
  let ourSpawn: number | undefined;
  const [oursSpawn, oursTotal] = await measure(START.warmup, START.runs, async () => {
    const outcome = await runProcess('true', { shell: SHELL, onSpawn: (ms) => (ourSpawn = ms) });
    ok &&=
      expect(
        outcome.exitCode === 0 && outcome.spawnError === undefined,
        'start, runProcess',
        `exit ${outcome.exitCode}, ${outcome.spawnError ?? 'no spawn error'}`,
      ) &&
      expect(
        ourSpawn !== undefined && ourSpawn === outcome.startLatencyMs,
        'start, runProcess',
        `onSpawn gave ${ourSpawn}, startLatencyMs ${outcome.startLatencyMs}`,
      );
    return [outcome.startLatencyMs ?? NaN, outcome.durationMs];
  });
  let floorOk = true;
  const [floorSpawn, floorTotal] = await measure(START.warmup, START.runs, async () => {
    const outcome = await plainRun('true');
    floorOk &&= expect(outcome.exitCode === 0 && Number.isFinite(outcome.spawnMs), 'start, floor', `exit ${outcome.exitCode}`);
    return [outcome.spawnMs, outcome.totalMs];
  });
  // Through the step runner: expansion, redaction plan, timeout, judging and the result the log records.
  const runner = createStepRunner(defaultEffects({ secrets: [{ name: 'TOKEN', value: SECRET }] }));
  const step: Step = { id: 'bench-true', run: 'true', shell: 'sh' };
  let stepOk = true;
  let stepSpawn = NaN;
  const [stepTotal] = await measure(START.warmup, START.runs, async () => {
    const started = performance.now();
    const result = await runner.run(step, { variables: { values: { SERVICE: 'api' }, secrets: [{ name: 'TOKEN', value: SECRET }] } });
    const elapsed = performance.now() - started;
    stepOk &&= expect(
      result?.verdict === 'passed' && result.exitCode === 0 && result.command === 'true' && result.attempts === 1,
      'start, step runner',
      `verdict ${result?.verdict}, exit ${result?.exitCode}, command ${result?.command}`,
    );
    return [elapsed];
  });
  // The step runner does not surface the spawn latency; measure it once more through the same effects to show it.
  await defaultEffects()
    .shell('true', {}, undefined, 60_000, new AbortController().signal, 'sh')
    .then((o: ProcessOutcome) => (stepSpawn = o.startLatencyMs ?? NaN));
  const flag = (good: boolean) => (good ? '' : ' (CHECK FAILED)');
  rows.push({
    operation: 'start: call → spawn event, `true` (runProcess vs spawn)',
    ours: oursSpawn,
    floor: floorSpawn,
    unit: 'ms',
    check: `exit 0, onSpawn = startLatencyMs${flag(ok && floorOk)}`,
  });
  rows.push({
    operation: 'start: call → exit, pipes closed (runProcess vs spawn)',
    ours: oursTotal,
    floor: floorTotal,
    unit: 'ms',
    check: `both exit 0${flag(ok && floorOk)}`,
  });
  rows.push({
    operation: 'start: `run: true` step through createStepRunner, whole run',
    ours: stepTotal,
    floor: floorTotal,
    unit: 'ms',
    check: `verdict passed, exit 0, command recorded${flag(stepOk)}`,
  });
  notes.push(
    `runs ${START.runs} after ${START.warmup} warm-up; ours spawns ${SHELL} detached (own process group) with stdin ignored and a copied environment; the floor is spawn('${SHELL}', ['-c', 'true']) with default options. One spawn through defaultEffects took ${fmt(stepSpawn)} ms to the spawn event`,
  );
}

// ---------------------------------------------------------------------------------------------- 100 MB of output

interface FloodSample {
  totalMs: number;
  delayP50: number;
  delayP99: number;
  delayMax: number;
}

/** Event-loop delay (ms) while `work` runs, sampled every millisecond. */
async function withDelay<T>(work: () => Promise<T>): Promise<{ value: T; totalMs: number; p50: number; p99: number; max: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const value = await work();
  const totalMs = performance.now() - started;
  histogram.disable();
  const ms = (ns: number) => ns / 1e6;
  return { value, totalMs, p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}

function checkCapture(what: string, outcome: ProcessOutcome): boolean {
  const text = outcome.output.text;
  const kept = Buffer.byteLength(text);
  return (
    expect(outcome.exitCode === 0, what, `exit ${outcome.exitCode} ${outcome.signal ?? ''} ${outcome.spawnError ?? ''}`) &&
    expect(outcome.output.totalBytes === REDACTED_BYTES, what, `counted ${outcome.output.totalBytes} bytes, expected ${REDACTED_BYTES}`) &&
    expect(
      kept <= DEFAULT_OUTPUT_LIMIT + 100 && kept >= DEFAULT_OUTPUT_LIMIT - 100,
      what,
      `capture holds ${kept} bytes, expected about ${DEFAULT_OUTPUT_LIMIT}`,
    ) &&
    expect(
      outcome.output.omittedBytes > 0 && outcome.output.omittedBytes + kept < REDACTED_BYTES + 100,
      what,
      `omitted ${outcome.output.omittedBytes}`,
    ) &&
    expect(!text.includes(SECRET), what, 'the secret is in the capture') &&
    expect(
      text.startsWith(`token=${MASK}\n`) && text.endsWith(`\ntoken=${MASK}\n`),
      what,
      `the head or tail is not the masked token: ${JSON.stringify(text.slice(0, 40))} … ${JSON.stringify(text.slice(-40))}`,
    )
  );
}

async function floodOurs(): Promise<ProcessOutcome> {
  return runProcess(FLOOD_COMMAND, { shell: SHELL, env: FLOOD_ENV, secrets: [{ name: 'TOKEN', value: SECRET }] });
}

async function flood(): Promise<void> {
  let ok = true;
  let kept = 0;
  let omitted = 0;
  const ours = await measure(FLOOD.warmup, FLOOD.runs, async () => {
    const run = await withDelay(floodOurs);
    ok &&= checkCapture('100 MB, runProcess', run.value);
    kept = Buffer.byteLength(run.value.output.text);
    omitted = run.value.output.omittedBytes;
    return [run.totalMs, run.p50, run.p99, run.max];
  });
  let floorOk = true;
  let floorBytes = 0;
  const floor = await measure(FLOOD.warmup, FLOOD.runs, async () => {
    const run = await withDelay(() => plainRun(FLOOD_COMMAND, FLOOD_ENV));
    floorBytes = run.value.bytes;
    floorOk &&= expect(
      run.value.exitCode === 0 && run.value.bytes === RAW_BYTES,
      '100 MB, floor',
      `exit ${run.value.exitCode}, ${run.value.bytes} bytes, expected ${RAW_BYTES}`,
    );
    return [run.totalMs, run.p50, run.p99, run.max];
  });
  // What the machine itself adds: the same monitor while idle for as long as our median run (other load, scheduling).
  const idle = await withDelay(() => new Promise((resolve) => setTimeout(resolve, Math.max(200, ours[0]))));
  notes.push(
    `machine noise: event-loop delay while idle for ${fmt(idle.totalMs)} ms: p50 ${fmt(idle.p50)} ms, p99 ${fmt(idle.p99)} ms, max ${fmt(idle.max)} ms (load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPU(s))`,
  );
  const [oursSample, floorSample] = [ours, floor].map(([totalMs, delayP50, delayP99, delayMax]): FloodSample => ({
    totalMs,
    delayP50,
    delayP99,
    delayMax,
  }));
  const flag = (good: boolean) => (good ? '' : ' (CHECK FAILED)');
  const check = `ours counted ${REDACTED_BYTES.toLocaleString('en-US')} B (redacted), kept ${kept.toLocaleString('en-US')} B, omitted ${omitted.toLocaleString('en-US')} B, secret masked in head and tail; floor counted ${floorBytes.toLocaleString('en-US')} B${flag(ok && floorOk)}`;
  rows.push({ operation: '100 MB output: total time', ours: oursSample.totalMs, floor: floorSample.totalMs, unit: 'ms', check });
  rows.push({
    operation: '100 MB output: throughput',
    ours: FLOOD_BYTES / MB / (oursSample.totalMs / 1000),
    floor: FLOOD_BYTES / MB / (floorSample.totalMs / 1000),
    unit: 'MB/s',
    check: 'as above',
  });
  rows.push({
    operation: '100 MB output: event-loop delay p50',
    ours: oursSample.delayP50,
    floor: floorSample.delayP50,
    unit: 'ms',
    check: 'monitorEventLoopDelay, 1 ms resolution, during the run',
  });
  rows.push({
    operation: '100 MB output: event-loop delay p99',
    ours: oursSample.delayP99,
    floor: floorSample.delayP99,
    unit: 'ms',
    check: 'as above',
  });
  rows.push({
    operation: '100 MB output: event-loop delay max',
    ours: oursSample.delayMax,
    floor: floorSample.delayMax,
    unit: 'ms',
    check: 'as above',
  });
  notes.push(
    `100 MB: runs ${FLOOD.runs} after ${FLOOD.warmup} warm-up; ours is runProcess with one secret (its ${planRedaction([SECRET]).needles.length} encoded forms searched) and the default ${DEFAULT_OUTPUT_LIMIT / MB} MB capture, no onOutput listener; the floor only counts bytes`,
  );
  peakRss(flag);
}

// ---------------------------------------------------------------------------------------------- peak RSS

interface RssReport {
  side: 'ours' | 'floor';
  /** Peak RSS during one run above the RSS before it (MB). */
  peak: number;
  bytes: number;
}

/** In a fresh process: collect, note the RSS, run once, report the peak (maxRSS) above it. */
async function rssChild(side: 'ours' | 'floor'): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the RSS child needs --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  const before = process.memoryUsage().rss;
  const bytes = side === 'ours' ? (await floodOurs()).output.totalBytes : (await plainRun(FLOOD_COMMAND, FLOOD_ENV)).bytes;
  const peakKb = process.resourceUsage().maxRSS;
  const report: RssReport = { side, peak: (peakKb * 1024 - before) / MB, bytes };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runRssChild(side: 'ours' | 'floor'): RssReport | undefined {
  const child = spawnSync(process.execPath, ['--expose-gc', __filename, '--rss-child', side], { encoding: 'utf8', timeout: 60_000 });
  const last = child.stdout?.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    failures.push(
      `peak RSS, ${side}: child exited with ${child.status ?? child.signal}: ${(child.stderr || child.error?.message || '').trim().slice(0, 400)}`,
    );
    return undefined;
  }
  return JSON.parse(last) as RssReport;
}

function peakRss(flag: (good: boolean) => string): void {
  const ours = runRssChild('ours');
  const floor = runRssChild('floor');
  if (!ours || !floor) return;
  const ok =
    expect(ours.bytes === REDACTED_BYTES, 'peak RSS, ours', `counted ${ours.bytes}`) &&
    expect(floor.bytes === RAW_BYTES, 'peak RSS, floor', `counted ${floor.bytes}`);
  rows.push({
    operation: '100 MB output: peak RSS above baseline (one run)',
    ours: ours.peak,
    floor: floor.peak,
    unit: 'MB',
    check: `separate processes; counted ours ${ours.bytes.toLocaleString('en-US')} B, floor ${floor.bytes.toLocaleString('en-US')} B${flag(ok)}`,
  });
}

// ---------------------------------------------------------------------------------------------- report

function fmt(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** How much ours costs over the floor: above 1 means ours is slower, bigger or stalls more. */
function ratio(row: Row): string {
  if (row.ours === undefined || row.floor === undefined || row.ours <= 0 || row.floor <= 0) return 'n/a';
  const cost = row.unit === 'MB/s' ? row.floor / row.ours : row.ours / row.floor;
  const worse = row.unit === 'MB' ? 'more' : row.unit === 'MB/s' ? 'slower' : 'longer';
  if (cost >= 0.95 && cost <= 1.05) return 'same';
  if (cost > 1) return `×${cost >= 10 ? cost.toFixed(0) : cost.toFixed(1)} ${worse} (ours)`;
  return `×${(1 / cost).toFixed(1)} better (ours)`;
}

function printTable(): void {
  const header = ['operation', 'ours', 'child_process floor', 'ours vs floor', 'check'];
  const body = rows.map((r) => [r.operation, `${fmt(r.ours)} ${r.unit}`, `${fmt(r.floor)} ${r.unit}`, ratio(r), r.check]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 1 && i <= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

/** Runs the step-runner benchmarks, prints their table, and returns the measurements that failed. */
export async function runBenchmarks(): Promise<string[]> {
  const started = performance.now();
  console.log(`Step runner: src/run/processRunner (runProcess) and createStepRunner against a plain child_process.spawn of the same`);
  console.log(`${SHELL} command (the floor). Medians after warm-up; each timed run starts after a full GC.`);
  if (os.loadavg()[0] > os.cpus().length * 0.75)
    console.log(
      `warning: the machine is busy (load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${os.cpus().length} CPU(s)); timings and event-loop delays will be noisy.`,
    );
  console.log('');
  for (const part of [startLatency, flood]) {
    try {
      await part();
    } catch (error) {
      failures.push(`${part.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  printTable();
  console.log('');
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`\nstep runner part: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return failures;
}

if (require.main === module && process.argv[2] === '--rss-child') {
  rssChild(process.argv[3] === 'floor' ? 'floor' : 'ours').catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

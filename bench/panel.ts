// The incident panel's part of `npm run bench` (`--panel-only` for just this): an incident of 100,000 events opened
// (read + parse + fold + rows), first drawn by the panel's own script (dist/media/panel.js in the real page, in headless
// Chromium, with a stub acquireVsCodeApi), one event appended while it is open, and the post-incident report exported.
// Peers measured in the same run: re-reading the whole log on every append (what the status bar did), one 100k-row
// message instead of chunks, and a naive panel that puts every row in the DOM. Not a test: nothing asserts on time.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createEvent, type IncidentEvent } from '../src/incident/events';
import { fileSource, LogFollower } from '../src/incident/follow';
import { serializeEvent } from '../src/incident/log';
import { renderReport } from '../src/incident/report';
import { foldIncident } from '../src/incident/state';
import { appendEvent, readIncidentLog } from '../src/incident/store';
import { timelineHeader, toRows, type TimelineRow } from '../src/incident/timeline';
import { panelPage } from '../src/vscode/panel/panelPage';
import { CHUNK, FIRST_CHUNK } from '../src/panel/protocol';
import { collect, median } from './measure';

const EVENTS = 100_000;
const ROOT = path.join(__dirname, '..', '..');
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];
const INCIDENT = 'INC-2026-1124-0001';
/** The incident's start; events follow a second apart. */
const BASE = Date.parse('2026-11-24T14:00:00Z');

interface Row {
  operation: string;
  ours: number;
  peer?: number;
  peerName?: string;
  check: string;
}

const rows: Row[] = [];
const failures: string[] = [];

function expect(condition: boolean, what: string): void {
  if (!condition) failures.push(what);
}

async function timed(warmup: number, runs: number, once: () => Promise<number> | number): Promise<number> {
  for (let i = 0; i < warmup; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    collect();
    samples.push(await once());
  }
  return median(samples);
}

async function clock(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A realistic mix: runs (some failed, with output), notes, status changes, ticks and messages, a second apart. */
function generateLog(count: number): string {
  const meta = (i: number) => ({
    actor: i % 3 ? 'alice' : 'bob',
    at: new Date(BASE + i * 1000),
    id: `bench-${String(i).padStart(6, '0')}`,
  });
  const lines = [
    serializeEvent(
      createEvent(
        'incident.started',
        { incident: INCIDENT, title: 'Bench: API down', severity: 'P1', commander: 'alice', drill: true },
        meta(0),
      ),
    ),
  ];
  for (let i = 1; i < count; i++) lines.push(serializeEvent(benchEvent(i, meta(i))));
  return lines.join('');
}

function benchEvent(i: number, meta: { actor: string; at: Date; id: string }): IncidentEvent {
  const slot = i % 20;
  if (slot < 12) {
    const failed = i % 7 === 0;
    return createEvent(
      'step.run',
      {
        step: `step-${i % 40}`,
        stepKind: 'shell',
        command: `curl -s http://localhost:${5000 + (i % 50)}/health | jq .status`,
        start: meta.at.toISOString(),
        end: meta.at.toISOString(),
        durationMs: 100 + (i % 900),
        exitCode: failed ? 7 : 0,
        verdict: failed ? 'failed' : 'passed',
        output: { head: `checking service ${i}\nstatus: ${failed ? 'down' : 'ok'}\nlatency ${i % 300} ms\n`, tail: '', omittedBytes: 0 },
        confirmations: [],
      },
      meta,
    );
  }
  if (slot < 17) return createEvent('note.added', { text: `Note ${i}: looked at the dashboards, error rate ${i % 13}%` }, meta);
  if (slot === 17) return createEvent('status.changed', { from: 'investigating', to: 'identified' }, meta);
  if (slot === 18) return createEvent('step.ticked', { step: `check-${i % 10}` }, meta);
  return createEvent('notify.sent', { template: 'update', channel: 'clipboard', ok: true }, meta);
}

// ---------------------------------------------------------------------------------------------- the extension's side

async function loadAndAppend(file: string): Promise<void> {
  let ourRows: TimelineRow[] = [];
  const ours = await timed(1, 7, () =>
    clock(async () => {
      const log = new LogFollower(fileSource(file));
      await log.update();
      timelineHeader(log.state, INCIDENT);
      ourRows = toRows(log.events);
    }),
  );
  let peerRows: TimelineRow[] = [];
  const peer = await timed(1, 7, () =>
    clock(async () => {
      const log = await readIncidentLog(file);
      foldIncident(log.events);
      peerRows = toRows(log.events);
    }),
  );
  expect(ourRows.length === EVENTS && peerRows.length === EVENTS, `load: ${ourRows.length} rows, peer ${peerRows.length}`);
  rows.push({
    operation: 'open: read + parse + fold + rows',
    ours,
    peer,
    peerName: 'readIncidentLog + fold',
    check: `${ourRows.length.toLocaleString('en-US')} rows each`,
  });

  const log = new LogFollower(fileSource(file));
  await log.update();
  let n = 0;
  let appended = 0;
  const append = () =>
    appendEvent(file, createEvent('note.added', { text: `appended ${n}` }, { actor: 'bench', at: new Date(BASE + (EVENTS + n++) * 1000) }));
  const follow = await timed(2, 11, async () => {
    await append();
    return clock(async () => {
      const change = await log.update();
      appended = change.kind === 'appended' ? toRows(change.entries, log.events.length - change.entries.length).length : -1;
    });
  });
  let reread = 0;
  const full = await timed(1, 5, async () => {
    await append();
    return clock(async () => {
      const result = await readIncidentLog(file);
      foldIncident(result.events);
      reread = toRows(result.events).length;
    });
  });
  expect(appended === 1, `append: the follower passed on ${appended} rows, not 1`);
  rows.push({
    operation: 'append one event: read it + its row (extension)',
    ours: follow,
    peer: full,
    peerName: 'full re-read + fold + rows',
    check: `ours 1 new row; peer ${reread.toLocaleString('en-US')} rows`,
  });
}

function exportReport(file: string): Promise<void> {
  return readIncidentLog(file).then(async (log) => {
    const events = log.events.filter((e): e is IncidentEvent => e.kind !== 'unknown');
    const state = foldIncident(events);
    let text = '';
    const ours = await timed(1, 3, () => clock(() => (text = renderReport(state, events))));
    const lines = text.split('\n').length;
    expect(lines > events.length, `report: ${lines} lines for ${events.length} events`);
    rows.push({
      operation: 'export the post-incident report (renderReport)',
      ours,
      check: `${(text.length / 1024 / 1024).toFixed(1)} MB, ${lines.toLocaleString('en-US')} lines`,
    });
  });
}

// ---------------------------------------------------------------------------------------------- the webview's side

/** What bench/panel-driver.js puts on the page's window (page callbacks are serialized: they reach it through globalThis). */
interface Driver {
  panelBench: {
    header: unknown;
    ready(): boolean;
    addRows(rows: TimelineRow[]): void;
    deliver(load: number, chunked: boolean, first: number, size: number): Promise<Load>;
    naive(): { first: number; elements: number };
    append(load: number, row: TimelineRow): Promise<number>;
  };
}

interface Load {
  first: number;
  all: number;
  elements: number;
}

/** The real panel page and script, loaded from files, with the driver and the rows in it. */
async function openPanel(page: Page, dir: string, all: TimelineRow[]): Promise<void> {
  const html = panelPage({
    cspSource: 'file:',
    nonce: 'bench-nonce',
    styleUri: pathToFileURL(path.join(ROOT, 'media', 'panel.css')).href,
    scriptUri: pathToFileURL(path.join(ROOT, 'dist', 'media', 'panel.js')).href,
  });
  const file = path.join(dir, 'panel.html');
  writeFileSync(file, html);
  await page.addInitScript({ path: path.join(ROOT, 'bench', 'panel-driver.js') });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as Driver).panelBench.ready());
  // Untimed: the rows cross into the page once, as VS Code's postMessage would have delivered them.
  for (let start = 0; start < all.length; start += CHUNK)
    await page.evaluate((chunk) => (globalThis as unknown as Driver).panelBench.addRows(chunk), all.slice(start, start + CHUNK));
  await page.evaluate(
    (header) => ((globalThis as unknown as Driver).panelBench.header = header),
    timelineHeader(foldIncident([]), INCIDENT),
  );
}

async function webviewBenchmarks(file: string): Promise<void> {
  const executablePath = CHROMIUM.find((candidate) => existsSync(candidate));
  if (!executablePath) {
    failures.push('webview: no Chromium found (apt-get install chromium)');
    return;
  }
  const log = new LogFollower(fileSource(file));
  await log.update();
  const all = toRows(log.events);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'panel-bench-'));
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await openPanel(page, dir, all);
    let load = 0;
    const deliver = (chunked: boolean) =>
      page.evaluate((a) => (globalThis as unknown as Driver).panelBench.deliver(a.load, a.chunked, a.first, a.size), {
        load: ++load,
        chunked,
        first: FIRST_CHUNK,
        size: CHUNK,
      });
    const chunked: Load[] = [];
    const single: Load[] = [];
    for (let i = 0; i < 4; i++) {
      chunked.push(await deliver(true));
      single.push(await deliver(false));
    }
    const naive = [
      await page.evaluate(() => (globalThis as unknown as Driver).panelBench.naive()),
      await page.evaluate(() => (globalThis as unknown as Driver).panelBench.naive()),
    ];
    const med = (list: { first: number; all?: number }[], key: 'first' | 'all' = 'first') =>
      median(list.slice(1).map((r) => r[key] ?? NaN));
    expect(
      chunked.every((r) => r.elements > 0 && r.elements < 200),
      `webview: ${chunked[0].elements} row elements in the DOM`,
    );
    const total = `${all.length.toLocaleString('en-US')} rows`;
    rows.push({
      operation: 'open: first rows drawn in the webview (chunks)',
      ours: med(chunked),
      peer: med(naive),
      peerName: 'naive: every row in the DOM',
      check: `${chunked[0].elements} row elements vs ${naive[0].elements.toLocaleString('en-US')}`,
    });
    rows.push({
      operation: 'open: first rows drawn (chunks)',
      ours: med(chunked),
      peer: med(single),
      peerName: 'one 100k-row message',
      check: 'each message decoded on delivery',
    });
    rows.push({
      operation: 'open: all rows received and counted (chunks)',
      ours: med(chunked, 'all'),
      peer: med(single, 'all'),
      peerName: 'one 100k-row message',
      check: total,
    });
    const appended: number[] = [];
    for (let i = 0; i < 7; i++) {
      const row: TimelineRow = {
        id: `appended-${i}`,
        kind: 'note.added',
        at: new Date().toISOString(),
        actor: 'bench',
        summary: `appended ${i}`,
      };
      appended.push(await page.evaluate((a) => (globalThis as unknown as Driver).panelBench.append(a.load, a.row), { load, row }));
    }
    const reload = [await deliver(true), await deliver(true), await deliver(true)];
    rows.push({
      operation: 'append one event: its row drawn (webview)',
      ours: median(appended.slice(1)),
      peer: med(reload, 'all'),
      peerName: 'reload every row',
      check: `${total} open`,
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------- report

function printRows(): void {
  const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
  const table = [
    ['operation', 'ours ms', 'peer ms', 'peer/ours', 'peer', 'check'],
    ...rows.map((r) => [
      r.operation,
      fmt(r.ours),
      r.peer === undefined ? '' : fmt(r.peer),
      r.peer === undefined ? '' : `${(r.peer / r.ours).toFixed(1)}x`,
      r.peerName ?? '',
      r.check,
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((line) => line[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(table[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table.slice(1)) console.log(line(r));
}

/** Runs the panel benchmarks and prints their table; returns failed checks. */
export async function panelBenchmarks(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'panel-log-'));
  const file = path.join(dir, `${INCIDENT}.jsonl`);
  try {
    const text = generateLog(EVENTS);
    writeFileSync(file, text);
    console.log(
      `\nIncident panel: an incident of ${EVENTS.toLocaleString('en-US')} events (${(text.length / 1024 / 1024).toFixed(1)} MB), medians; peer/ours above 1 means ours is faster.\n`,
    );
    await loadAndAppend(file);
    await exportReport(file);
    await webviewBenchmarks(file);
  } catch (error) {
    failures.push(`panel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printRows();
  return failures;
}

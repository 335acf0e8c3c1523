// `npm run bench`: our playbook core against yaml-language-server (the engine of the Red Hat YAML extension) on
// the same generated playbooks and the same JSON Schema. Prints medians after warm-up, checks that both sides
// really did the work (a broken measurement fails the run), and exits 1 if any measurement failed.
//
// Not a test: nothing here asserts on time.
import { collect, median } from './measure';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument } from 'yaml';
import { PlaybookAnalyzer, type Analysis } from '../src/playbook/analyze';
import { parseFast, YAML_OPTIONS } from '../src/playbook/fastYaml';
import { pieceSources } from '../src/playbook/incremental';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareDocuments } from '../test/unit/playbook/yamlCompare';
import { LineIndex, type Position, type Positions } from '../src/playbook/lineIndex';
import type { Span } from '../src/playbook/problems';
import { PlaybookService, type DocumentLike } from '../src/playbook/service';
import { documentSymbols, type PlaybookSymbol } from '../src/playbook/symbols';
import schema from '../schemas/playbook.schema.json';
import { DELIBERATE_PROBLEMS, generatePlaybook, insertAt, UNKNOWN_KEY, withKeyLine, type GeneratedPlaybook } from './generate';
import { activationBenchmarks, activationChild } from './activation';
import { importBenchmarks } from './import';
import { panelBenchmarks } from './panel';
import { runBenchmarks } from './run';
import { syncBenchmarks } from './sync';

type YamlLs = typeof import('yaml-language-server');

/** The installed peer's version, for the report's header. */
function peerVersion(): string {
  return (require('yaml-language-server/package.json') as { version: string }).version;
}
type LanguageService = ReturnType<YamlLs['getLanguageService']>;

/**
 * Iterations per size, sized for the whole run to take 2-3 minutes on 2 cores: operations on 10,000 steps take
 * seconds each, so fewer runs there, but two warm-ups, since the first runs at a new size are still compiling.
 */
const PLAN: Record<number, { warmup: number; runs: number; completionRuns: number }> = {
  1000: { warmup: 3, runs: 11, completionRuns: 11 },
  10000: { warmup: 2, runs: 3, completionRuns: 5 },
};
/** `--quick` measures 1,000 steps only (for working on the benchmark itself). */
const SIZES = process.argv.includes('--quick') ? [1000] : [1000, 10000];
/** `--run-only` measures the step runner only (bench/run.ts), skipping the language benchmarks. */
const RUN_ONLY = process.argv.includes('--run-only');
/** `--language-only` measures the language service only, skipping the runner, import, panel and activation parts. */
const LANGUAGE_ONLY = process.argv.includes('--language-only');
const MEMORY_SIZE = 10000;
const SCHEMA_URI = 'https://incident-playbooks.dev/schemas/playbook.schema.json';

interface Row {
  operation: string;
  size: number;
  ours?: number;
  peer?: number;
  /** What each side produced, so a reader sees both really worked. */
  check: string;
  unit?: 'ms' | 'MB';
}

const rows: Row[] = [];
const failures: string[] = [];
const notes: string[] = [];
let version = 1;

/**
 * Runs `warmup` untimed and `runs` timed iterations; `once` returns the timings it wants recorded, and the
 * medians come back in the same order.
 */
async function measure(warmup: number, runs: number, once: () => Promise<number[]> | number[], gcEach = true): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    if (gcEach) collect();
    await once();
  }
  const samples: number[][] = [];
  for (let i = 0; i < runs; i++) {
    if (gcEach) collect();
    const times = await once();
    times.forEach((t, k) => (samples[k] ??= []).push(t));
  }
  return samples.map(median);
}

function fail(what: string, why: string): void {
  failures.push(`${what}: ${why}`);
}

function expect(condition: boolean, what: string, why: string): boolean {
  if (!condition) fail(what, why);
  return condition;
}

// ---------------------------------------------------------------------------------------------- the peer

async function loadPeer(): Promise<YamlLs> {
  // yaml-language-server is an ES module; load it with a real dynamic import (tsc would turn `import()` into require).
  const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
  return (await importEsm(pathToFileURL(require.resolve('yaml-language-server')).href)) as YamlLs;
}

function createPeer(yls: YamlLs): LanguageService {
  const service = yls.getLanguageService({
    // The schema is given inline below; a request for anything else is a broken setup.
    schemaRequestService: (uri: string) => Promise.reject(new Error(`unexpected schema request: ${uri}`)),
    workspaceContext: { resolveRelativePath: (relative: string, resource: string) => new URL(relative, resource).toString() },
  });
  service.configure({
    validate: true,
    completion: true,
    hover: true,
    schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.playbook.yaml'], schema }],
  });
  return service;
}

function peerDocument(uri: string, text: string, docVersion: number): TextDocument {
  return TextDocument.create(uri, 'yaml', docVersion, text);
}

const SMALL = generatePlaybook(40).text;

/**
 * The peer caches the last parsed version of each uri and has no API to drop it: parsing a small document under
 * the same uri frees the big one, so it does not weigh on the garbage collector while our side is measured.
 * (Ours is dropped with `forget`.)
 */
async function evictPeer(peer: LanguageService, uri: string): Promise<void> {
  await peer.doValidation(peerDocument(uri, SMALL, version++), false);
}

// ---------------------------------------------------------------------------------------------- ours

/** One uri per size for every operation, so each side caches at most one document of that size at a time. */
function benchUri(size: number): string {
  return `file:///bench/platform-${size}.playbook.yaml`;
}

function ourDocument(uri: string, text: string, docVersion: number): DocumentLike {
  return { uri, version: docVersion, getText: () => text };
}

/** What the editor shows from one analysis: diagnostics, code lenses, the tree and the outline, with positions. */
interface Derived {
  diagnostics: { start: Position; end: Position; code: string }[];
  lenses: { line: number; title: string; target: string }[];
  tree: { id: string; label: string; icon: string; line: number }[];
  symbols: number;
}

const STEP_ICONS: Record<string, string> = { run: 'terminal', http: 'globe', manual: 'checklist', notify: 'megaphone' };

function diagnosticsOf(analysis: Analysis, lines: Positions): Derived['diagnostics'] {
  return analysis.problems.map((p) => ({ start: lines.positionAt(p.start), end: lines.positionAt(p.end), code: p.code }));
}

/** Code lenses: `▶ Run` above every step, `▶ Run all` above every scenario, at the line of the item. */
function lensesOf(analysis: Analysis, lines: Positions): Derived['lenses'] {
  const lenses: Derived['lenses'] = [];
  for (const scenario of analysis.model.scenarios)
    lenses.push({ line: lines.positionAt(scenario.span.start).line, title: '▶ Run all', target: scenario.id ?? '' });
  for (const step of analysis.model.steps)
    lenses.push({ line: lines.positionAt(step.span.start).line, title: '▶ Run', target: step.id ?? '' });
  return lenses;
}

/** The tree: scenarios, phases and steps with ids, labels, icons and the line they reveal. */
function treeOf(analysis: Analysis, lines: Positions): Derived['tree'] {
  const items: Derived['tree'] = [];
  for (const scenario of analysis.model.scenarios) {
    items.push({
      id: `scenario:${scenario.id ?? scenario.span.start}`,
      label: scenario.title ?? scenario.id ?? 'Scenario',
      icon: 'flame',
      line: lines.positionAt(scenario.idSpan.start).line,
    });
    for (const phase of scenario.phases) {
      items.push({
        id: `phase:${scenario.id}/${phase.id ?? phase.span.start}`,
        label: phase.title ?? phase.id ?? 'Phase',
        icon: 'milestone',
        line: lines.positionAt(phase.idSpan.start).line,
      });
      for (const step of phase.steps) items.push(stepItem(step, lines));
    }
    for (const step of scenario.steps) items.push(stepItem(step, lines));
  }
  return items;
}

function stepItem(step: Analysis['model']['steps'][number], lines: Positions): Derived['tree'][number] {
  return {
    id: `step:${step.id ?? step.span.start}`,
    label: step.title ?? step.id ?? 'Step',
    icon: step.kind ? STEP_ICONS[step.kind] : 'warning',
    line: lines.positionAt(step.idSpan.start).line,
  };
}

/** The outline with ranges, as the document symbol provider hands it to VS Code. */
function countSymbolRanges(symbols: PlaybookSymbol[], lines: Positions): number {
  let n = 0;
  const range = (span: Span) => [lines.positionAt(span.start), lines.positionAt(span.end)];
  const walk = (list: PlaybookSymbol[]) => {
    for (const s of list) {
      range(s.span);
      range(s.selection);
      n++;
      walk(s.children);
    }
  };
  walk(symbols);
  return n;
}

function deriveAll(analysis: Analysis, symbols: PlaybookSymbol[], lines: Positions): Derived {
  return {
    diagnostics: diagnosticsOf(analysis, lines),
    lenses: lensesOf(analysis, lines),
    tree: treeOf(analysis, lines),
    symbols: countSymbolRanges(symbols, lines),
  };
}

interface Keystroke {
  text: string;
  derived: Derived;
  symbols: PlaybookSymbol[];
}

/** The last keystroke's results must be exactly those of analysing its text from scratch (checked untimed). */
function sameAsFromScratch(what: string, last: Keystroke | undefined): boolean {
  if (!last) return expect(false, what, 'no keystroke measured');
  const scratch = new PlaybookAnalyzer().analyze(last.text);
  const symbols = documentSymbols(scratch.model);
  const expected = { derived: deriveAll(scratch, symbols, new LineIndex(last.text)), symbols };
  const same = JSON.stringify(expected) === JSON.stringify({ derived: last.derived, symbols: last.symbols });
  return expect(same, what, 'diagnostics, lenses, tree or symbols differ from a from-scratch analysis of the same text');
}

function checkOurProblems(what: string, analysis: Analysis): boolean {
  const codes = analysis.problems.map((p) => p.code).sort();
  return expect(
    JSON.stringify(codes) === JSON.stringify([...DELIBERATE_PROBLEMS].sort()),
    what,
    `expected exactly ${DELIBERATE_PROBLEMS.join(', ')}, got ${codes.join(', ') || 'nothing'}`,
  );
}

function checkPeerDiagnostics(what: string, diagnostics: { message: string | { value: string } }[]): boolean {
  const text = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);
  return expect(
    diagnostics.some((d) => text(d.message).includes(UNKNOWN_KEY)),
    what,
    `yaml-language-server did not report the unknown key \`${UNKNOWN_KEY}\` (${diagnostics.length} diagnostics): is the schema associated?`,
  );
}

// ---------------------------------------------------------------------------------------------- the fast path

/**
 * How many of the pieces the analysis cuts `text` into (head, one per scenario, tail) the fast reader declines, so
 * that the `yaml` library parses them: the measurements are of the fast path only where this is 0.
 */
function declinedPieces(what: string, text: string): string {
  const sources = pieceSources(text);
  const declined = sources.filter((source) => parseFast(source) === undefined).length;
  expect(declined === 0, `declined pieces, ${what}`, `the fast reader declines ${declined} of ${sources.length} pieces`);
  return `${what}: ${declined} of ${sources.length} (${((declined / sources.length) * 100).toFixed(0)}%)`;
}

/** The declined share of each example playbook (examples/*.playbook.yaml). */
function examplesDeclined(): string[] {
  const dir = join(__dirname, '..', '..', 'examples');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.playbook.yaml'))
    .sort()
    .map((name) => declinedPieces(name, readFileSync(join(dir, name), 'utf8')));
}

// ---------------------------------------------------------------------------------------------- measurements

async function firstOpen(peer: LanguageService, playbook: GeneratedPlaybook): Promise<void> {
  const size = playbook.steps;
  const plan = PLAN[size];
  const uri = benchUri(size);
  let ourCount = 0;
  let peerCount = 0;
  let ok = true;
  // The editor's case: one service for the session (the validator is compiled at build time), a newly opened document.
  const service = new PlaybookService();
  const [ours] = await measure(plan.warmup, plan.runs, () => {
    // Nothing of the document is cached: no earlier version, no parsed scenarios.
    service.forget(uri);
    const started = performance.now();
    const analysis = service.analyze(ourDocument(uri, playbook.text, version++));
    const diagnostics = diagnosticsOf(analysis, analysis.lines);
    const elapsed = performance.now() - started;
    ourCount = diagnostics.length;
    ok &&= checkOurProblems(`first open, ours, ${size}`, analysis);
    return [elapsed];
  });
  service.forget(uri);
  const [theirs] = await measure(plan.warmup, plan.runs, async () => {
    // The same uri with a new version: the peer's parse cache misses, as for a newly opened document.
    const doc = peerDocument(uri, playbook.text, version++);
    const started = performance.now();
    const diagnostics = await peer.doValidation(doc, false);
    const elapsed = performance.now() - started;
    peerCount = diagnostics.length;
    ok &&= checkPeerDiagnostics(`first open, peer, ${size}`, diagnostics);
    return [elapsed];
  });
  await evictPeer(peer, uri);
  rows.push({
    operation: 'open: full validation of a newly opened document',
    size,
    ours,
    peer: theirs,
    check: `diagnostics: ours ${ourCount}, peer ${peerCount}${ok ? '' : ' (CHECK FAILED)'}`,
  });
}

/** Reading the whole text into YAML nodes: our fast reader against the `yaml` library, which the peer uses too. */
async function parseOnly(_peer: LanguageService, playbook: GeneratedPlaybook): Promise<void> {
  const size = playbook.steps;
  const plan = PLAN[size];
  const [ours] = await measure(plan.warmup, plan.runs, () => {
    const started = performance.now();
    parseFast(playbook.text);
    return [performance.now() - started];
  });
  const [theirs] = await measure(plan.warmup, plan.runs, () => {
    const started = performance.now();
    parseDocument(playbook.text, YAML_OPTIONS);
    return [performance.now() - started];
  });
  const fast = parseFast(playbook.text);
  const difference = fast ? compareDocuments(fast, parseDocument(playbook.text, YAML_OPTIONS)) : 'the fast reader declined the text';
  expect(difference === undefined, `parse only, ${size}`, difference ?? '');
  rows.push({
    operation: "parse only: fast reader (peer: yaml's parseDocument)",
    size,
    ours,
    peer: theirs,
    check: difference === undefined ? 'identical documents' : 'DOCUMENTS DIFFER',
  });
}

/** Where a keystroke types: inside a step's `run: |` command (edited in place), or at the end of its title. */
const KEYSTROKE_PLACES = {
  command: { offset: (p: GeneratedPlaybook) => p.middle.editOffset, words: "in a step's command" },
  title: { offset: (p: GeneratedPlaybook) => p.middle.lineEndOffset, words: "in a step's title" },
};

/** `text` as the editor gives it: its lines joined into one new string. */
function editorText(text: string): string {
  return text.split('\n').join('\n');
}

async function keystrokeInCommand(peer: LanguageService, playbook: GeneratedPlaybook): Promise<void> {
  await keystroke(peer, playbook, 'command');
}

async function keystrokeInTitle(peer: LanguageService, playbook: GeneratedPlaybook): Promise<void> {
  await keystroke(peer, playbook, 'title');
}

async function keystroke(peer: LanguageService, playbook: GeneratedPlaybook, place: keyof typeof KEYSTROKE_PLACES): Promise<void> {
  const where = KEYSTROKE_PLACES[place];
  const size = playbook.steps;
  const plan = PLAN[size];
  const uri = benchUri(size);
  const service = new PlaybookService();
  service.analyze(ourDocument(uri, playbook.text, version++));
  let typed = 0;
  // Each iteration types one different character at the same place in the original text. The editor hands each
  // side the new version as one flat string (VS Code's getText joins the document's lines), not as the rope that
  // insertAt builds, which the first read would copy flat (about 20 ms at 10,000 steps, for either side).
  const edited = () => editorText(insertAt(playbook.text, where.offset(playbook), String.fromCharCode(97 + (typed++ % 26))));
  let ok = true;
  let summary = '';
  let last: Keystroke | undefined;
  // Ours is cheap to repeat: more samples for a steadier median (as for completion); the peer keeps the plan.
  const [total, analyzeOnly] = await measure(plan.warmup * 2, plan.runs * 3, () => {
    const text = edited();
    const doc = ourDocument(uri, text, version++);
    const started = performance.now();
    const analysis = service.analyze(doc);
    const analyzed = performance.now();
    // The analysis' own line index: kept per scenario between versions, as an editor keeps its document's lines.
    const symbols = service.symbols(doc);
    const derived = deriveAll(analysis, symbols, analysis.lines);
    const elapsed = performance.now() - started;
    last = { text, derived, symbols };
    const phases = analysis.model.scenarios.reduce((n, s) => n + s.phases.length, 0);
    ok &&=
      checkOurProblems(`keystroke ${place}, ours, ${size}`, analysis) &&
      expect(
        analysis.model.steps.length === size,
        `keystroke ${place}, ours, ${size}`,
        `model has ${analysis.model.steps.length} steps, expected ${size}`,
      ) &&
      expect(
        derived.lenses.length === size + analysis.model.scenarios.length,
        `keystroke ${place}, ours, ${size}`,
        `${derived.lenses.length} code lenses`,
      ) &&
      expect(
        derived.tree.length === size + phases + analysis.model.scenarios.length,
        `keystroke ${place}, ours, ${size}`,
        `${derived.tree.length} tree items`,
      ) &&
      expect(derived.symbols > size, `keystroke ${place}, ours, ${size}`, `${derived.symbols} symbols`);
    summary = `ours ${derived.diagnostics.length} diagnostics, ${derived.lenses.length} lenses, ${derived.tree.length} tree items, ${derived.symbols} symbols`;
    return [elapsed, analyzed - started];
  });
  service.forget(uri);
  ok &&= sameAsFromScratch(`keystroke ${place}, ours, ${size}`, last);
  let peerSummary = '';
  const [validation, withSymbols] = await measure(plan.warmup, plan.runs, async () => {
    const doc = peerDocument(uri, edited(), version++);
    const started = performance.now();
    const diagnostics = await peer.doValidation(doc, false);
    const validated = performance.now();
    const symbols = peer.findDocumentSymbols2(doc);
    const elapsed = performance.now() - started;
    const countSymbols = (list: { children?: unknown[] }[]): number =>
      list.reduce((n, s) => n + 1 + countSymbols((s.children ?? []) as { children?: unknown[] }[]), 0);
    const symbolCount = countSymbols(symbols);
    ok &&=
      checkPeerDiagnostics(`keystroke ${place}, peer, ${size}`, diagnostics) &&
      expect(symbolCount > size, `keystroke ${place}, peer, ${size}`, `${symbolCount} symbols`);
    peerSummary = `peer ${diagnostics.length} diagnostics, ${symbolCount} symbols`;
    return [validated - started, elapsed];
  });
  await evictPeer(peer, uri);
  const check = `${summary}; ${peerSummary}${ok ? '' : ' (CHECK FAILED)'}`;
  rows.push({
    operation: `keystroke ${where.words}: re-validate + lenses + tree + symbols (peer: validation only)`,
    size,
    ours: total,
    peer: validation,
    check,
  });
  rows.push({
    operation: `keystroke ${where.words}: same, peer also computes document symbols`,
    size,
    ours: total,
    peer: withSymbols,
    check: 'as above',
  });
  notes.push(
    `keystroke ${where.words}, ${size.toLocaleString('en-US')}: ours ${fmt(analyzeOnly)} ms analysing, ${fmt(total - analyzeOnly)} ms building diagnostics, code lenses, tree and symbols with positions (from the analysis' line index, kept per scenario); ${plan.runs * 3} runs after ${plan.warmup * 2} warm-up; results checked equal to a from-scratch analysis`,
  );
}

async function completion(peer: LanguageService, playbook: GeneratedPlaybook): Promise<void> {
  const size = playbook.steps;
  const plan = PLAN[size];
  const uri = benchUri(size);
  const { text, offset } = withKeyLine(playbook);
  const existing = playbook.middle.keys;
  // Each side has analysed exactly this version before completion is asked for.
  const ourDoc = ourDocument(uri, text, version++);
  const service = new PlaybookService();
  service.analyze(ourDoc);
  let ourLabels: string[] = [];
  let peerLabels: string[] = [];
  const [ours] = await measure(
    plan.warmup * 5,
    plan.completionRuns * 10,
    () => {
      const started = performance.now();
      const items = service.complete(ourDoc, offset);
      const elapsed = performance.now() - started;
      ourLabels = items.map((c) => c.label);
      return [elapsed];
    },
    false,
  );
  service.forget(uri);
  const peerDoc = peerDocument(uri, text, version++);
  await peer.doValidation(peerDoc, false);
  const position = peerDoc.positionAt(offset);
  const [theirs] = await measure(plan.warmup, plan.completionRuns, async () => {
    const started = performance.now();
    const list = await peer.doComplete(peerDoc, position, false);
    const elapsed = performance.now() - started;
    peerLabels = list.items.map((c) => c.label);
    return [elapsed];
  });
  await evictPeer(peer, uri);
  const what = `completion, ${size}`;
  const ok =
    expect(
      ourLabels.includes('when') && ourLabels.includes('repeat'),
      what,
      `ours offered no step keys: ${ourLabels.join(', ') || 'nothing'}`,
    ) &&
    expect(
      !existing.some((k) => ourLabels.includes(k)),
      what,
      `ours offered keys the step already has: ${existing.filter((k) => ourLabels.includes(k)).join(', ')}`,
    ) &&
    expect(
      peerLabels.includes('when') && peerLabels.includes('repeat'),
      what,
      `the peer offered no step keys: ${peerLabels.join(', ') || 'nothing'}`,
    );
  rows.push({
    operation: 'completion: new key inside a step',
    size,
    ours,
    peer: theirs,
    check: `items: ours ${ourLabels.length}, peer ${peerLabels.length}${ok ? '' : ' (CHECK FAILED)'}`,
  });
}

// ---------------------------------------------------------------------------------------------- memory

interface MemoryReport {
  side: 'ours' | 'peer';
  steps: number;
  /** Heap still used after a full collection, holding the analysed document (MB). */
  heap: number;
  /** Resident set size after a full collection (MB). */
  rss: number;
  /** Peak RSS while analysing, above the baseline (MB). */
  peak: number;
  /** Diagnostics produced, proving the work was done. */
  findings: number;
}

const MB = 1024 * 1024;

/** In a child process started with --expose-gc: load, warm up, collect, then analyse and hold one document. */
async function memoryChild(side: 'ours' | 'peer', steps: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory child needs --expose-gc');
  const playbook = generatePlaybook(steps);
  const small = generatePlaybook(40);
  const uri = `file:///bench/memory-${steps}.playbook.yaml`;
  const held: unknown[] = [];
  let analyse: () => Promise<number>;
  if (side === 'ours') {
    const service = new PlaybookService();
    service.analyze(ourDocument('file:///bench/warm.playbook.yaml', small.text, 1));
    service.forget('file:///bench/warm.playbook.yaml');
    analyse = async () => {
      const analysis = service.analyze(ourDocument(uri, playbook.text, 1));
      held.push(service);
      return analysis.problems.length;
    };
  } else {
    const peer = createPeer(await loadPeer());
    await peer.doValidation(peerDocument('file:///bench/warm.playbook.yaml', small.text, 1), false);
    analyse = async () => {
      const doc = peerDocument(uri, playbook.text, 1);
      const diagnostics = await peer.doValidation(doc, false);
      held.push(peer, doc);
      return diagnostics.length;
    };
  }
  for (let i = 0; i < 3; i++) gc();
  const before = process.memoryUsage();
  const findings = await analyse();
  const peakKb = process.resourceUsage().maxRSS;
  for (let i = 0; i < 3; i++) gc();
  const after = process.memoryUsage();
  const report: MemoryReport = {
    side,
    steps,
    heap: (after.heapUsed - before.heapUsed) / MB,
    rss: (after.rss - before.rss) / MB,
    peak: (peakKb * 1024 - before.rss) / MB,
    findings,
  };
  if (held.length === 0) throw new Error('nothing held');
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runMemoryChild(side: 'ours' | 'peer', steps: number): MemoryReport | undefined {
  const child = spawnSync(process.execPath, ['--expose-gc', __filename, '--memory-child', side, String(steps)], {
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 16 * MB,
  });
  const last = child.stdout?.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    fail(
      `memory, ${side}`,
      `child exited with ${child.status ?? child.signal}: ${(child.stderr || child.error?.message || '').trim().slice(0, 400)}`,
    );
    return undefined;
  }
  return JSON.parse(last) as MemoryReport;
}

function memory(): void {
  const ours = runMemoryChild('ours', MEMORY_SIZE);
  const peer = runMemoryChild('peer', MEMORY_SIZE);
  if (!ours || !peer) return;
  const ok =
    expect(
      ours.findings === DELIBERATE_PROBLEMS.length,
      'memory, ours',
      `${ours.findings} problems, expected ${DELIBERATE_PROBLEMS.length}`,
    ) && expect(peer.findings > 0, 'memory, peer', 'no diagnostics: the peer did not validate');
  const check = `findings: ours ${ours.findings}, peer ${peer.findings}${ok ? '' : ' (CHECK FAILED)'}`;
  rows.push({
    operation: 'memory: heap retained holding the analysed document',
    size: MEMORY_SIZE,
    ours: ours.heap,
    peer: peer.heap,
    check,
    unit: 'MB',
  });
  rows.push({
    operation: 'memory: RSS retained after GC',
    size: MEMORY_SIZE,
    ours: ours.rss,
    peer: peer.rss,
    check: 'as above',
    unit: 'MB',
  });
  rows.push({
    operation: 'memory: peak RSS while analysing, above baseline',
    size: MEMORY_SIZE,
    ours: ours.peak,
    peer: peer.peak,
    check: 'as above',
    unit: 'MB',
  });
}

// ---------------------------------------------------------------------------------------------- report

function fmt(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function ratio(row: Row): string {
  if (row.ours === undefined || row.peer === undefined || row.ours <= 0 || row.peer <= 0) return 'n/a';
  const r = row.peer / row.ours;
  const better = row.unit === 'MB' ? 'less' : 'faster';
  const worse = row.unit === 'MB' ? 'more' : 'slower';
  if (r >= 1) return `×${r >= 10 ? r.toFixed(0) : r.toFixed(1)} ${better}`;
  return `×${(1 / r).toFixed(1)} ${worse} (ours)`;
}

function printTable(): void {
  const header = ['operation', 'steps', 'ours', 'yaml-language-server', 'peer/ours', 'check'];
  const body = rows.map((r) => [
    r.operation,
    r.size.toLocaleString('en-US'),
    `${fmt(r.ours)} ${r.unit ?? 'ms'}`,
    `${fmt(r.peer)} ${r.unit ?? 'ms'}`,
    ratio(r),
    r.check,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `Incident Playbooks benchmark: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (RUN_ONLY) {
    console.log('');
    failures.push(...(await runBenchmarks()));
    return report(started);
  }
  if (process.argv.includes('--import-only')) {
    failures.push(...importBenchmarks());
    return report(started);
  }
  if (process.argv.includes('--panel-only')) {
    failures.push(...(await panelBenchmarks()));
    return report(started);
  }
  if (process.argv.includes('--sync-only')) {
    failures.push(...(await syncBenchmarks()));
    return report(started);
  }
  if (process.argv.includes('--activation-only')) {
    failures.push(...activationBenchmarks());
    return report(started);
  }
  console.log(
    'Medians after warm-up; each timed run starts after a full GC. Ours: src/playbook (PlaybookService); peer: yaml-language-server',
  );
  console.log(`${peerVersion()} with the same schema and text. peer/ours above 1 means ours is faster (or smaller).`);
  if (os.loadavg()[0] > os.cpus().length * 0.75)
    console.log('warning: the machine is busy (load average above the CPU count); timings will be noisy.');
  console.log('');
  const yls = await loadPeer();
  const peer = createPeer(yls);
  console.log(`pieces the fast reader declines (the yaml library parses them): ${examplesDeclined().join('; ')}`);
  for (const size of SIZES) {
    const genStart = performance.now();
    const playbook = generatePlaybook(size);
    const bytes = Buffer.byteLength(playbook.text);
    console.log(
      `generated ${size.toLocaleString('en-US')} steps in ${playbook.scenarios} scenarios: ${(bytes / MB).toFixed(2)} MB (${bytes.toLocaleString('en-US')} bytes), ${playbook.text.split('\n').length.toLocaleString('en-US')} lines, in ${fmt(performance.now() - genStart)} ms; runs: ${PLAN[size].runs} after ${PLAN[size].warmup} warm-up`,
    );
    console.log(`  pieces the fast reader declines: ${declinedPieces(`${size.toLocaleString('en-US')} steps`, playbook.text)}`);
    for (const step of [firstOpen, parseOnly, keystrokeInCommand, keystrokeInTitle, completion]) {
      try {
        await step(peer, playbook);
      } catch (error) {
        fail(`${step.name}, ${size}`, error instanceof Error ? (error.stack ?? error.message) : String(error));
      }
    }
  }
  if (SIZES.includes(MEMORY_SIZE)) {
    try {
      memory();
    } catch (error) {
      fail('memory', error instanceof Error ? error.message : String(error));
    }
  }
  console.log('');
  printTable();
  console.log('');
  for (const note of notes) console.log(`note: ${note}`);
  console.log(
    "note: the peer checks the schema only; ours adds semantic checks (duplicate ids, undefined variables...). The peer's outline has every key as a symbol, ours scenarios, phases, steps and entries",
  );
  console.log(
    'note: memory measured in separate child processes (--expose-gc), after loading and warming each library on a small playbook',
  );
  if (LANGUAGE_ONLY) return report(started);
  console.log('');
  failures.push(...(await runBenchmarks()));
  failures.push(...importBenchmarks());
  failures.push(...(await panelBenchmarks()));
  console.log('');
  failures.push(...(await syncBenchmarks()));
  console.log('');
  failures.push(...activationBenchmarks());
  report(started);
}

function report(started: number): void {
  console.log(
    `\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s, load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (failures.length > 0) {
    console.log(`\n${failures.length} measurement(s) FAILED:`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exitCode = 1;
  }
}

if (process.argv[2] === '--activation-child') {
  activationChild();
} else if (process.argv[2] === '--memory-child') {
  memoryChild(process.argv[3] === 'peer' ? 'peer' : 'ours', Number(process.argv[4])).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

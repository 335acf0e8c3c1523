// Activation benchmark: require + activate of the built bundle (dist/extension.js), each run in a fresh Node process
// (a cold require, as when VS Code activates the extension), and the size of the packaged .vsix when there is one.
//
// Node has no `vscode` module, so the child hands the bundle a stand-in whose every API is a no-op returning another
// stand-in: the time is that of loading our code and wiring it, not of VS Code answering the registrations.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { median } from './measure';

const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'dist', 'extension.js');
const VSIX = join(ROOT, 'dist', 'incident-playbooks.vsix');
const RUNS = 9;

interface ActivationReport {
  requireMs: number;
  activateMs: number;
  /** Registrations pushed to context.subscriptions: proof that activate really wired the features. */
  subscriptions: number;
}

/** A callable, constructible object whose every property is another such object; set properties are kept. */
function standIn(): unknown {
  const kept = new Map<PropertyKey, unknown>();
  const proxy: unknown = new Proxy(function standInFunction() {}, {
    get(_target, key) {
      if (kept.has(key)) return kept.get(key);
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => 0;
      const value = standIn();
      kept.set(key, value);
      return value;
    },
    set(_target, key, value) {
      kept.set(key, value);
      return true;
    },
    apply: () => standIn(),
    construct: () => standIn() as object,
  });
  return proxy;
}

/**
 * The `vscode` module: the bundle copies its own properties (esbuild's ESM interop), so every name of the API must
 * be a real property; they are read from the API's type declarations.
 */
function vscodeModule(): Record<string, unknown> {
  const declarations = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set(
    [...declarations.matchAll(/^\s*export (?:class|enum|namespace|const|let|function) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]),
  );
  return Object.fromEntries([...names].map((name) => [name, standIn()]));
}

/** In the child process: one cold require and activate, reported as JSON on stdout. */
export function activationChild(): void {
  const vscode = vscodeModule();
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? vscode : load(request, ...rest));
  // Promises the stand-in cannot fulfil (restoring a session, say) must not end the measurement.
  process.on('unhandledRejection', () => undefined);
  const context = {
    subscriptions: [] as unknown[],
    workspaceState: standIn(),
    globalState: standIn(),
    secrets: standIn(),
    extensionUri: standIn(),
    extensionPath: ROOT,
  };
  const started = performance.now();
  const extension = module.require(BUNDLE) as { activate: (context: unknown) => unknown };
  const required = performance.now();
  extension.activate(context);
  const activated = performance.now();
  const report: ActivationReport = {
    requireMs: required - started,
    activateMs: activated - required,
    subscriptions: context.subscriptions.length,
  };
  writeSync(1, `${JSON.stringify(report)}\n`);
  // Timers the extension started (the status bar's clocks) would keep this process alive.
  process.exit(0);
}

function runChild(): ActivationReport | string {
  const child = spawnSync(process.execPath, [join(__dirname, 'bench.js'), '--activation-child'], { encoding: 'utf8', timeout: 60_000 });
  const last = child.stdout?.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{'))
    return `child exited with ${child.status ?? child.signal}: ${(child.stderr || '').trim().slice(0, 400)}`;
  return JSON.parse(last) as ActivationReport;
}

function fmt(ms: number): string {
  return ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** Prints activation time and package size; returns failed checks. */
export function activationBenchmarks(): string[] {
  const failures: string[] = [];
  if (!existsSync(BUNDLE)) return [`activation: ${BUNDLE} is missing; run npm run build`];
  const reports: ActivationReport[] = [];
  for (let i = 0; i < RUNS; i++) {
    const report = runChild();
    if (typeof report === 'string') return [`activation: ${report}`];
    reports.push(report);
  }
  const requireMs = median(reports.map((r) => r.requireMs));
  const activateMs = median(reports.map((r) => r.activateMs));
  const total = median(reports.map((r) => r.requireMs + r.activateMs));
  const subscriptions = reports[0].subscriptions;
  if (subscriptions < 5) failures.push(`activation: activate pushed only ${subscriptions} disposables`);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(
    `Activation of ${BUNDLE.slice(ROOT.length + 1)} (${kb(statSync(BUNDLE).size)}), each of ${RUNS} runs in a fresh node process, with a no-op stand-in for the vscode API:`,
  );
  console.log(
    `  require + activate: median ${fmt(total)} ms (require ${fmt(requireMs)} ms, activate ${fmt(activateMs)} ms); ${subscriptions} disposables registered; target < 50 ms`,
  );
  console.log(
    existsSync(VSIX)
      ? `  package: ${VSIX.slice(ROOT.length + 1)} is ${kb(statSync(VSIX).size)} (built ${statSync(VSIX).mtime.toISOString()}); target < 1 MB`
      : '  package: no dist/incident-playbooks.vsix yet; `npm run package` builds it (npm test reports its size too)',
  );
  return failures;
}

// `playbook run`: the editor's runner core without VS Code, for drills, game days and scheduled checks.
// Child processes instead of a terminal; same expansion, expectations, repeats, timeouts, redaction and guardrails;
// every result recorded to the same incident log.
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createEvent } from '../incident/events';
import { operatorName } from '../incident/operator';
import { appendEvent, claimIncidentId, ensureIncidentsDir, incidentFile, incidentsDir, isIncidentId } from '../incident/store';
import { PlaybookAnalyzer } from '../playbook/analyze';
import type { StepModel } from '../playbook/model';
import type { Playbook, Step } from '../playbook/types';
import type { StepFacts } from '../run/evaluate';
import { planRunAll, shouldStopAfter, statusOf } from '../run/plan';
import { confirmationReason, recordRun, type Recorder } from '../run/recordRun';
import { resultLabel } from '../run/resultLabel';
import { planProxy } from '../run/proxy';
import { defaultEffects, type StepEffects, type StepResult, type StepVerdict } from '../run/stepRunner';
import { resolveVariables, type VariableResolution } from '../run/variables';
import { diagnosticsFor, formatText } from './validate';

export const RUN_USAGE = `Usage: playbook run <file> [--scenario ID | --phase SCENARIO/PHASE | --step ID]...
                    [--var NAME=VALUE]... [--incident ID | --drill] [--yes] [--workspace DIR]

  Runs the playbook's run and http steps as child processes (no terminal, no prompts), judges each result
  like the editor does and records it to .incidents/<id>.jsonl. Without --scenario, --phase or --step every
  scenario runs in order; a scenario or phase stops at its first failure unless the step says
  continue_on_failure. Manual and notify steps are printed and skipped. Ctrl+C cancels the running step.

Options:
  --scenario ID        Run every step of this scenario (repeatable)
  --phase S/P          Run every step of phase P of scenario S (repeatable)
  --step ID            Run this step (repeatable)
  --var NAME=VALUE     Value for a declared variable; wins over the environment and the default (repeatable)
  --incident ID        Record to this incident (.incidents/ID.jsonl; started if it does not exist)
  --drill              Record to a new drill instead of a new incident
  --yes                Run destructive steps (confirm: true, destructive: true, rm -rf, DROP, …); refused otherwise
  --workspace DIR      Workspace folder: working directory of the steps and home of .incidents/ (default: cwd)

HTTP steps go through the proxy in HTTPS_PROXY / HTTP_PROXY (or https_proxy / http_proxy), except for the hosts
in NO_PROXY.

Exit status: 0 when no step failed, timed out, was cancelled or ended with an unknown exit code; 1 otherwise;
2 on usage errors or an invalid playbook.`;

/** What a run needs from its surroundings; everything defaults to the real process. */
export interface RunIo {
  out(s: string): void;
  err(s: string): void;
  /** Aborting cancels the running step and stops the run (Ctrl+C). */
  signal?: AbortSignal;
  /** The environment variables are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The default workspace (default `process.cwd()`). */
  cwd?: string;
  /** Extra options for the child-process effects (tests shorten the kill grace). */
  effects?: (secrets: VariableResolution['secrets']) => StepEffects;
}

/** A parsed `playbook run` command line. */
export interface RunArgs {
  file: string;
  selections: Selection[];
  vars: Record<string, string>;
  incident?: string;
  drill: boolean;
  yes: boolean;
  workspace?: string;
}

type Selection = { type: 'scenario'; id: string } | { type: 'phase'; scenario: string; phase: string } | { type: 'step'; id: string };

const VALUE_OPTIONS = new Set(['--scenario', '--phase', '--step', '--var', '--incident', '--workspace']);

/** Parses the arguments after `run`; an error message for usage mistakes. */
export function parseRunArgs(args: string[]): RunArgs | { error: string } {
  const files: string[] = [];
  const parsed: RunArgs = { file: '', selections: [], vars: {}, drill: false, yes: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.has(name)) {
      const value = name !== arg ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') return { error: `${name} needs a value` };
      const problem = applyOption(parsed, name, value);
      if (problem) return { error: problem };
    } else if (arg === '--drill') {
      parsed.drill = true;
    } else if (arg === '--yes' || arg === '-y') {
      parsed.yes = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      return { error: `unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1)
    return { error: files.length === 0 ? 'name the playbook file to run' : `run takes one playbook file, not ${files.length}` };
  if (parsed.drill && parsed.incident !== undefined) return { error: '--incident and --drill exclude each other' };
  parsed.file = files[0];
  return parsed;
}

function applyOption(parsed: RunArgs, name: string, value: string): string | undefined {
  switch (name) {
    case '--scenario':
      parsed.selections.push({ type: 'scenario', id: value });
      return undefined;
    case '--step':
      parsed.selections.push({ type: 'step', id: value });
      return undefined;
    case '--phase': {
      const slash = value.indexOf('/');
      if (slash <= 0 || slash === value.length - 1) return `--phase takes SCENARIO/PHASE, not ${value}`;
      parsed.selections.push({ type: 'phase', scenario: value.slice(0, slash), phase: value.slice(slash + 1) });
      return undefined;
    }
    case '--var': {
      const at = value.indexOf('=');
      if (at <= 0) return `--var takes NAME=VALUE, not ${value}`;
      parsed.vars[value.slice(0, at)] = value.slice(at + 1);
      return undefined;
    }
    case '--incident':
      if (!isIncidentId(value)) return `--incident takes an id like INC-2026-1124-0001, not ${value}`;
      parsed.incident = value;
      return undefined;
    case '--workspace':
      parsed.workspace = value;
      return undefined;
  }
  return `unknown option ${name}`;
}

/** A group of steps that stops at its first failure: a scenario, a phase, or one named step. */
interface Group {
  label: string;
  steps: StepModel[];
}

type Tally = Record<'passed' | 'failed' | 'skipped', number>;

/** Runs `playbook run` with the given arguments (after `run`); resolves to the exit status. */
export async function runCommand(args: string[], io: RunIo): Promise<number> {
  const parsed = parseRunArgs(args);
  if ('error' in parsed) {
    io.err(`playbook run: ${parsed.error}\n\n${RUN_USAGE}`);
    return 2;
  }
  const loaded = load(parsed.file, io);
  if (!loaded) return 2;
  const { playbook, analysis } = loaded;
  const groups = selectGroups(parsed.selections, analysis.model);
  if ('error' in groups) {
    io.err(`playbook run: ${groups.error}`);
    return 2;
  }
  const declared = playbook.variables ?? {};
  const unknownVars = Object.keys(parsed.vars).filter((name) => !Object.hasOwn(declared, name));
  if (unknownVars.length > 0) {
    io.err(
      `playbook run: --var ${unknownVars.join(', ')}: the playbook declares no such variable (declared: ${Object.keys(declared).join(', ') || 'none'})`,
    );
    return 2;
  }
  const workspace = path.resolve(io.cwd ?? process.cwd(), parsed.workspace ?? '.');
  const variables = resolveVariables(playbook.variables, { overrides: parsed.vars, env: io.env ?? process.env });
  const playbookPath = shortPath(workspace, path.resolve(io.cwd ?? process.cwd(), parsed.file));
  const recorder = await openIncident(parsed, workspace, playbook, playbookPath);
  const run = new CliRun(parsed, io, playbook, variables, recorder, workspace, playbookPath);
  const tally = await run.runGroups(groups);
  io.out(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  io.out(`${recorder.drill ? 'Drill' : 'Incident'} ${recorder.id}: ${shortPath(io.cwd ?? process.cwd(), recorder.file)}`);
  return tally.failed > 0 ? 1 : 0;
}

/** `file` relative to `base` when it is inside it, else absolute. */
function shortPath(base: string, file: string): string {
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function load(file: string, io: RunIo): { playbook: Playbook; analysis: ReturnType<PlaybookAnalyzer['analyze']> } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.err(formatText({ diagnostics: [], unreadable: [{ file, reason: (error as NodeJS.ErrnoException).code ?? String(error) }] }, 1));
    return undefined;
  }
  const analyzer = new PlaybookAnalyzer();
  const analysis = analyzer.analyze(text);
  const diagnostics = diagnosticsFor(file, text, analyzer);
  const playbook = analysis.value as Playbook | undefined;
  if (diagnostics.some((d) => d.severity === 'error') || !playbook || typeof playbook !== 'object') {
    io.err(formatText({ diagnostics, unreadable: [] }, 1));
    io.err('playbook run: fix the errors above first; nothing was run');
    return undefined;
  }
  return { playbook, analysis };
}

function selectGroups(
  selections: RunArgs['selections'],
  model: ReturnType<PlaybookAnalyzer['analyze']>['model'],
): Group[] | { error: string } {
  if (selections.length === 0) return model.scenarios.map((s) => ({ label: `scenario ${s.id ?? '?'}`, steps: planRunAll(s) }));
  const groups: Group[] = [];
  for (const selection of selections) {
    if (selection.type === 'step') {
      const step = model.steps.find((s) => s.id === selection.id);
      if (!step || step.kind === undefined)
        return { error: `no step \`${selection.id}\` in the playbook${step ? ' that can run (it has no single kind)' : ''}` };
      groups.push({ label: `step ${selection.id}`, steps: [step] });
      continue;
    }
    const scenario = model.scenarios.find((s) => s.id === (selection.type === 'scenario' ? selection.id : selection.scenario));
    if (!scenario) return { error: `no scenario \`${selection.type === 'scenario' ? selection.id : selection.scenario}\` in the playbook` };
    if (selection.type === 'scenario') {
      groups.push({ label: `scenario ${selection.id}`, steps: planRunAll(scenario) });
      continue;
    }
    const phase = scenario.phases.find((p) => p.id === selection.phase);
    if (!phase) return { error: `no phase \`${selection.phase}\` in scenario \`${selection.scenario}\`` };
    groups.push({ label: `phase ${selection.scenario}/${selection.phase}`, steps: planRunAll(phase) });
  }
  return groups;
}

/** Where events go: one incident's log file. */
interface IncidentRecorder extends Recorder {
  id: string;
  file: string;
  drill: boolean;
}

/** The incident to record to: the named one (started if its log does not exist), or a new incident or drill. */
async function openIncident(args: RunArgs, workspace: string, playbook: Playbook, playbookPath: string): Promise<IncidentRecorder> {
  const dir = incidentsDir(workspace);
  const actor = operatorName();
  let id = args.incident;
  let started = false;
  if (id !== undefined) {
    await ensureIncidentsDir(dir);
    started = await hasContent(incidentFile(dir, id));
  } else {
    id = await claimIncidentId(dir, new Date());
  }
  const file = incidentFile(dir, id);
  const recorder: IncidentRecorder = {
    id,
    file,
    drill: args.drill,
    record: async (kind, body) => appendEvent(file, createEvent(kind, body, { actor })),
  };
  if (!started) {
    await recorder.record('incident.started', {
      incident: id,
      title: playbook.title,
      severity: 'unset',
      commander: actor,
      playbook: playbookPath,
      drill: args.drill,
    });
  }
  return recorder;
}

async function hasContent(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).size > 0;
  } catch {
    return false;
  }
}

class CliRun {
  private readonly facts = new Map<string, StepFacts>();
  private readonly tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  private readonly done = new Set<string>();

  constructor(
    private readonly args: RunArgs,
    private readonly io: RunIo,
    private readonly playbook: Playbook,
    private readonly variables: VariableResolution,
    private readonly recorder: IncidentRecorder,
    private readonly workspace: string,
    private readonly playbookPath: string,
  ) {}

  private get cancelled(): boolean {
    return this.io.signal?.aborted === true;
  }

  async runGroups(groups: Group[]): Promise<Tally> {
    for (const group of groups) {
      for (const [index, model] of group.steps.entries()) {
        if (this.cancelled) return this.tally;
        if (model.id === undefined || this.done.has(model.id)) continue;
        this.done.add(model.id);
        const verdict = await this.runOne(model);
        const left = group.steps.length - index - 1;
        // A refused destructive step stops its group as a declined confirmation stops "Run all" in the editor.
        if (verdict === 'refused' || shouldStopAfter(model, statusOf(verdict))) {
          if (left > 0 && !this.cancelled) this.io.out(`  stopped ${group.label}: ${left} more step(s) not run`);
          break;
        }
      }
    }
    return this.tally;
  }

  /** Runs or skips one step, prints its line and records it. */
  private async runOne(model: StepModel): Promise<StepVerdict | 'refused'> {
    const step = model.node.toJSON() as Step;
    if (model.kind === 'manual' || model.kind === 'notify') {
      const note = `${model.kind} step \`${step.id}\` skipped: nobody can tick it in a non-interactive run`;
      this.line(
        'skipped',
        resultLabel({ verdict: 'skipped', durationMs: 0, end: new Date().toISOString() }),
        step,
        `(${model.kind} step: do it by hand)`,
      );
      if (model.kind === 'manual' && step.manual) this.io.out(indent(step.manual.trim()));
      this.facts.set(step.id, { verdict: 'skipped' });
      await this.recorder.record('note.added', { text: note });
      return 'skipped';
    }
    const run = await recordRun({
      step,
      playbook: this.playbook,
      playbookPath: this.playbookPath,
      variables: this.variables,
      workspaceDir: this.workspace,
      // Requests honour HTTP_PROXY, HTTPS_PROXY and NO_PROXY (and their lower-case forms) from the run's environment.
      effects:
        this.io.effects?.(this.variables.secrets) ??
        defaultEffects({ secrets: this.variables.secrets, proxy: planProxy({ env: this.io.env ?? process.env }) }),
      recorder: this.recorder,
      facts: this.facts,
      signal: this.io.signal,
      confirm: async () =>
        this.args.yes ? { confirmed: true, note: 'confirmed by --yes' } : { confirmed: false, note: 'refused: run with --yes to allow' },
      onAttempt: (attempt, label) => this.io.out(`  attempt ${attempt.attempt}/${attempt.of}: ${label}`),
    });
    switch (run.outcome) {
      case 'not-runnable':
        return 'skipped';
      case 'declined':
        this.line(
          'skipped',
          resultLabel({ verdict: 'skipped', durationMs: 0, end: new Date().toISOString() }),
          step,
          `(refused: ${confirmationReason(step)}; run with --yes to allow)`,
        );
        this.io.out(indent(run.command));
        return 'refused';
      case 'ran':
        this.line(run.result.verdict, run.label, step, run.result.verdict === 'skipped' ? `(${run.result.notes.join('; ')})` : '');
        if (run.result.verdict !== 'passed' && run.result.verdict !== 'skipped') this.explain(run.result);
        return run.result.verdict;
    }
  }

  private line(verdict: StepVerdict, label: string, step: Step, note: string): void {
    if (verdict === 'passed') this.tally.passed++;
    else if (verdict === 'skipped') this.tally.skipped++;
    else this.tally.failed++;
    this.io.out([label, step.id, step.title ?? '', note].filter(Boolean).join('  '));
  }

  /** Why a step did not pass: its failed checks and the end of its output. */
  private explain(result: StepResult): void {
    for (const check of result.checks.filter((c) => !c.passed)) this.io.out(`    ${check.description}`);
    const lines = result.output.text.trimEnd().split('\n').filter(Boolean).slice(-5);
    if (lines.length > 0) this.io.out(`    output (last ${lines.length} line(s)):\n${lines.map((l) => `      ${l}`).join('\n')}`);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

// Runs steps for the code lenses and the tree: checks trust, resolves variables, asks before destructive
// commands, runs in the Playbook terminal (our own process, so the result is exact) and records every result.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Confirmation, IncidentEvent, OutputExcerpt } from '../incident/events';
import { foldIncident } from '../incident/state';
import { readIncidentLog } from '../incident/store';
import { fieldNames, renderTemplate } from '../incident/templates';
import { parseDuration } from '../run/duration';
import { postWebhook } from '../run/webhook';
import type { PhaseModel, ScenarioModel, StepModel } from '../playbook/model';
import type { PlaybookService } from '../playbook/service';
import type { Playbook, Step } from '../playbook/types';
import type { StepFacts } from '../run/evaluate';
import { planRunAll, planRunNext, shouldStopAfter, type StepStatus } from '../run/plan';
import { resultLabel } from '../run/resultLabel';
import {
  createStepRunner, defaultEffects, describeForConfirmation, expandStep, isDestructive, runnableKind, toFacts,
  type AttemptResult, type StepEffects, type StepResult,
} from '../run/stepRunner';
import { resolveVariables, type VariableResolution } from '../run/variables';
import { asDocument } from './documents';
import { playbookPath, type IncidentSession, type IncidentTarget } from './incidentSession';
import type { RunTerminal } from './runTerminal';
import type { VariableValues } from './variablePrompts';

/** A step found in a playbook document, with its plain value and its model. */
interface Located {
  doc: vscode.TextDocument;
  playbook: Playbook;
  step: Step;
  model: StepModel;
}

export class RunController {
  /** Full facts of this session's runs, so `when:` can read output and JSON of earlier steps. */
  private readonly facts = new Map<string, StepFacts>();

  constructor(
    private readonly service: PlaybookService,
    private readonly session: IncidentSession,
    private readonly values: VariableValues,
    private readonly terminal: RunTerminal,
    private readonly effects: (secrets: VariableResolution['secrets'], onOutput: (chunk: string) => void) => StepEffects = defaultShellEffects,
  ) {}

  /** Runs one `run` or `http` step; manual steps are ticked instead. Returns the recorded result. */
  async runStep(uri: vscode.Uri, stepId: string): Promise<StepResult | undefined> {
    if (!trusted()) return undefined;
    const found = await this.locate(uri, stepId);
    if (!found) return undefined;
    if (found.model.kind === 'manual') {
      await this.tick(uri, stepId);
      return undefined;
    }
    if (found.model.kind === 'notify') {
      await this.notify(uri, stepId);
      return undefined;
    }
    if (runnableKind(found.step) === undefined) {
      void vscode.window.showInformationMessage(`Step ${stepId} is a ${found.model.kind ?? 'malformed'} step: only run and http steps run from here.`);
      return undefined;
    }
    return this.execute(found);
  }

  private async execute(found: Located): Promise<StepResult | undefined> {
    const { playbook, step, model } = found;
    const variables = await this.values.resolve(playbook.variables, step);
    if (!variables) return undefined;
    const incident = await this.session.ensureActive(this.incidentTarget(found));
    if (!incident) return undefined;
    const expanded = expandStep(step, { variables, defaults: playbook.defaults });
    if (!expanded) return undefined;
    if (expanded.missing.length > 0) {
      void vscode.window.showErrorMessage(`Step ${step.id} needs a value for ${expanded.missing.join(', ')}.`);
      return undefined;
    }
    const shown = describeForConfirmation(step, expanded, variables.secrets);
    const confirmations = await this.confirm(step, shown);
    if (confirmations.some((c) => !c.confirmed)) {
      await this.recordDeclined(step, model, shown, confirmations);
      return undefined;
    }
    return this.runAndRecord(found, variables, shown, confirmations);
  }

  private async runAndRecord(found: Located, variables: VariableResolution, shown: string, confirmations: Confirmation[]): Promise<StepResult | undefined> {
    const { playbook, step } = found;
    const abort = new AbortController();
    await this.terminal.show();
    this.terminal.begin(step.title ?? step.id, shown, () => abort.abort());
    const runner = createStepRunner(withWorkspaceCwd(this.effects(variables.secrets, (chunk) => this.terminal.output(chunk)), found.doc.uri));
    const record = (fields: RunFields) => this.session.record('step.run', {
      step: step.id, stepKind: fields.kind === 'run' ? 'shell' : 'http', command: shown, playbook: playbookPath(found.doc.uri), confirmations,
      start: fields.startedAt.toISOString(), end: fields.endedAt.toISOString(), durationMs: Math.round(fields.durationMs), exitCode: fields.exitCode,
      httpStatus: fields.httpStatus, verdict: fields.verdict, output: excerpt(fields.output.text, fields.output.omittedBytes), attempt: fields.attempt,
    });
    // A repeated step records every attempt as it ends, and shows its progress in the terminal.
    let attempts: Promise<void> = Promise.resolve();
    let lastAttempt: AttemptResult | undefined;
    const kind = runnableKind(step) ?? 'run';
    const result = await runner.run(step, {
      variables, defaults: playbook.defaults, signal: abort.signal, results: this.conditionFacts(),
      defaultTimeoutMs: settingSeconds('run.defaultTimeoutSeconds', 300) * 1000,
      outputLimitBytes: settingSeconds('run.outputLimitKb', 1024) * 1024,
      onAttempt: step.repeat ? (attempt) => {
        lastAttempt = attempt;
        this.terminal.output(`\nattempt ${attempt.attempt}/${attempt.of}: ${labelOf(attempt)}\n`);
        attempts = attempts.then(() => record({ ...attempt, kind }));
      } : undefined,
    });
    await attempts;
    if (!result) return undefined;
    const label = labelOf(result);
    this.terminal.end(result.verdict === 'skipped' ? `${label} (${result.notes.join('; ')})` : label, result.verdict === 'passed');
    this.facts.set(step.id, toFacts(result));
    // The last attempt already stands for the result, unless the run ended otherwise (cancelled between attempts).
    if (!lastAttempt || lastAttempt.verdict !== result.verdict) await record({ ...result, attempt: undefined });
    return result;
  }

  /** Asks before destructive steps, showing the exact command; the answers are recorded. */
  private async confirm(step: Step, shown: string): Promise<Confirmation[]> {
    if (!isDestructive(step)) return [];
    const reason = step.confirm || step.destructive ? 'the step asks for confirmation' : 'the command looks destructive';
    const answer = await vscode.window.showWarningMessage(`Run “${step.title ?? step.id}”? ${reason[0].toUpperCase()}${reason.slice(1)}.`, { modal: true, detail: shown }, 'Run');
    return [{ reason, confirmed: answer === 'Run', at: new Date().toISOString() }];
  }

  private async recordDeclined(step: Step, model: StepModel, shown: string, confirmations: Confirmation[]): Promise<void> {
    const now = new Date().toISOString();
    await this.session.record('step.run', {
      step: step.id, stepKind: model.kind === 'http' ? 'http' : 'shell', command: shown, start: now, end: now, durationMs: 0,
      exitCode: null, verdict: 'skipped', output: excerpt('', 0), confirmations,
    });
  }

  /** Ticks a manual step off, with an optional comment. */
  async tick(uri: vscode.Uri, stepId: string): Promise<boolean> {
    if (!trusted()) return false;
    const found = await this.locate(uri, stepId);
    if (!found) return false;
    const incident = await this.session.ensureActive(this.incidentTarget(found));
    if (!incident) return false;
    const comment = await vscode.window.showInputBox({ title: `Done: ${found.step.title ?? stepId}`, prompt: 'A comment for the log (optional)', ignoreFocusOut: true });
    if (comment === undefined) return false;
    await this.session.record('step.ticked', { step: stepId, comment: comment.trim() || undefined });
    this.facts.set(stepId, { verdict: 'passed' });
    return true;
  }

  /**
   * Renders a notify step's template with the incident's data (asking for the template's own fields), opens it
   * for review and copies it to the clipboard; the sending is recorded.
   */
  async notify(uri: vscode.Uri, stepId: string): Promise<string | undefined> {
    if (!trusted()) return undefined;
    const found = await this.locate(uri, stepId);
    const templateId = found?.step.notify?.template;
    const template = found?.playbook.templates?.find((t) => t.id === templateId);
    if (!found || !template) {
      void vscode.window.showErrorMessage(`Step ${stepId} refers to a template that is not defined.`);
      return undefined;
    }
    const incident = await this.session.ensureActive(this.incidentTarget(found));
    if (!incident) return undefined;
    const fields = await askFields(template);
    if (!fields) return undefined;
    const log = await readIncidentLog(incident.file);
    const state = foldIncident(log.events);
    const cadence = found.playbook.severities?.find((s) => s.id === state.severity)?.update_every;
    const parsed = cadence === undefined ? undefined : parseDuration(cadence);
    const settings = vscode.workspace.getConfiguration('playbook').get<Record<string, string>>('variables', {});
    const resolved = resolveVariables(found.playbook.variables, { settings, env: process.env });
    const vars = Object.fromEntries(Object.entries(resolved.values).filter(([name]) => !found.playbook.variables?.[name]?.secret));
    const rendered = renderTemplate(template.body, {
      state, events: log.events.filter((e): e is IncidentEvent => e.kind !== 'unknown'), playbookTitle: found.playbook.title,
      updateEveryMs: parsed?.ok ? parsed.ms : undefined, vars, fields, now: new Date(),
    });
    const text = template.subject ? `${renderTemplate(template.subject, { state, events: [], vars, fields, now: new Date() }).text}\n\n${rendered.text}` : rendered.text;
    const webhook = found.step.notify?.webhook;
    if (webhook) return this.post(found, webhook, template.id, text);
    await vscode.env.clipboard.writeText(text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }), { preview: true, preserveFocus: true });
    await this.session.record('notify.sent', { template: template.id, channel: 'clipboard', ok: true });
    vscode.window.setStatusBarMessage(`$(copy) ${template.title ?? template.id} copied${found.step.notify?.channel ? ` for ${found.step.notify.channel}` : ''}`, 5000);
    return text;
  }

  /** Posts the message to the webhook held in a (secret) variable and shows what was sent; the outcome is recorded. */
  private async post(found: Located, variable: string, templateId: string, text: string): Promise<string | undefined> {
    const variables = await this.values.resolve(found.playbook.variables, found.step, [variable]);
    const url = variables?.values[variable];
    if (!url) return undefined;
    const result = await postWebhook(url, text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }), { preview: true, preserveFocus: true });
    await this.session.record('notify.sent', { template: templateId, channel: 'webhook', ok: result.ok, error: result.error });
    if (result.ok) vscode.window.setStatusBarMessage(`$(megaphone) Message posted (${templateId})`, 5000);
    else void vscode.window.showErrorMessage(`The message was not posted: ${result.error}. It is still available to copy.`, 'Copy').then(async (c) => c && vscode.env.clipboard.writeText(text));
    return result.ok ? text : undefined;
  }

  /** Shows the expanded command in the Playbook terminal without running anything. */
  async dryRun(uri: vscode.Uri, stepId: string): Promise<string | undefined> {
    const found = await this.locate(uri, stepId);
    if (!found || runnableKind(found.step) === undefined) return undefined;
    const variables = await this.values.resolve(found.playbook.variables, found.step);
    if (!variables) return undefined;
    const expanded = expandStep(found.step, { variables, defaults: found.playbook.defaults });
    if (!expanded) return undefined;
    const shown = describeForConfirmation(found.step, expanded, variables.secrets);
    await this.terminal.show();
    this.terminal.begin(`Dry run: ${found.step.title ?? stepId}`, shown, () => undefined);
    this.terminal.end(expanded.missing.length > 0 ? `not run; missing ${expanded.missing.join(', ')}` : 'not run (dry run)', true);
    return shown;
  }

  /** Runs every step of a scenario or phase in order, stopping at the first failure unless the step continues. */
  async runAll(uri: vscode.Uri, scenarioId: string, phaseId?: string): Promise<number> {
    const target = await this.target(uri, scenarioId, phaseId);
    if (!target || !trusted()) return 0;
    let ran = 0;
    for (const step of planRunAll(target)) {
      if (step.id === undefined) continue;
      const status = await this.runPlanned(uri, step);
      ran++;
      if (!status || shouldStopAfter(step, status)) break;
    }
    return ran;
  }

  async runNext(uri: vscode.Uri, scenarioId: string, phaseId?: string): Promise<void> {
    const target = await this.target(uri, scenarioId, phaseId);
    if (!target) return;
    const results: Record<string, StepStatus> = {};
    for (const step of planRunAll(target)) {
      const latest = step.id === undefined ? undefined : this.session.latest(step.id);
      if (latest && step.id) results[step.id] = { verdict: latest.type === 'ticked' || latest.verdict === 'passed' ? 'passed' : latest.verdict === 'skipped' ? 'skipped' : 'failed' };
    }
    const next = planRunNext(target, results);
    if (!next?.id) {
      void vscode.window.showInformationMessage('Every step here has passed.');
      return;
    }
    await this.runPlanned(uri, next);
  }

  private async runPlanned(uri: vscode.Uri, step: StepModel): Promise<StepStatus | undefined> {
    if (step.kind === 'manual') return (await this.tick(uri, step.id as string)) ? { verdict: 'passed' } : undefined;
    if (step.kind === 'notify') return (await this.notify(uri, step.id as string)) !== undefined ? { verdict: 'passed' } : undefined;
    const result = await this.runStep(uri, step.id as string);
    if (!result) return undefined;
    const verdict = result.verdict === 'passed' || result.verdict === 'skipped' || result.verdict === 'unknown' ? result.verdict : 'failed';
    return { verdict, cancelled: result.verdict === 'cancelled' };
  }

  private conditionFacts(): Record<string, StepFacts> {
    return Object.fromEntries(this.facts);
  }

  private async target(uri: vscode.Uri, scenarioId: string, phaseId?: string): Promise<ScenarioModel | PhaseModel | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const scenario = this.service.analyze(asDocument(doc)).model.scenarios.find((s) => s.id === scenarioId);
    return phaseId === undefined ? scenario : scenario?.phases.find((p) => p.id === phaseId);
  }

  /** The playbook and scenario a first run offers the incident's defaults from. */
  private incidentTarget(found: Located): IncidentTarget {
    return { path: playbookPath(found.doc.uri), model: this.service.analyze(asDocument(found.doc)).model, scenarioId: found.model.scenarioId };
  }

  private async locate(uri: vscode.Uri, stepId: string): Promise<Located | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const analysis = this.service.analyze(asDocument(doc));
    const model = analysis.model.steps.find((s) => s.id === stepId);
    const playbook = analysis.value as Playbook | undefined;
    if (!model || !playbook || typeof playbook !== 'object') {
      void vscode.window.showErrorMessage(`Step ${stepId} is not in ${path.basename(uri.fsPath)} (fix the playbook's errors first).`);
      return undefined;
    }
    return { doc, playbook, step: model.node.toJSON() as Step, model };
  }
}

/** Asks for the template's own blanks; undefined when the person cancels. */
async function askFields(template: NonNullable<Playbook['templates']>[number]): Promise<Record<string, string> | undefined> {
  const declared = new Map((template.fields ?? []).map((f) => [f.name, f]));
  for (const name of fieldNames(`${template.subject ?? ''} ${template.body}`)) if (!declared.has(name)) declared.set(name, { name });
  const values: Record<string, string> = {};
  for (const field of declared.values()) {
    const value = await vscode.window.showInputBox({ title: `${template.title ?? template.id}: ${field.name}`, prompt: field.description, value: field.default, ignoreFocusOut: true });
    if (value === undefined) return undefined;
    values[field.name] = value;
  }
  return values;
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Steps run only in a trusted workspace. Editing and validation keep working.', 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

function settingSeconds(key: string, fallback: number): number {
  const value = vscode.workspace.getConfiguration('playbook').get<number>(key, fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Runs commands in the workspace folder; a step's relative `cwd` counts from there. */
function withWorkspaceCwd(effects: StepEffects, uri: vscode.Uri): StepEffects {
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  return { ...effects, shell: (command, env, cwd, timeoutMs, signal, shell) => effects.shell(command, env, cwd === undefined ? folder : path.resolve(folder, cwd), timeoutMs, signal, shell) };
}

function defaultShellEffects(secrets: VariableResolution['secrets'], onOutput: (chunk: string) => void): StepEffects {
  return defaultEffects({ secrets, onOutput });
}

/** What one recorded run (a whole step, or one attempt of a repeated step) carries. */
interface RunFields {
  kind: 'run' | 'http';
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  exitCode: number | null;
  httpStatus?: number;
  verdict: StepResult['verdict'];
  output: StepResult['output'];
  attempt?: number;
}

function labelOf(run: { verdict: StepResult['verdict']; exitCode: number | null; httpStatus?: number; durationMs: number; endedAt: Date }): string {
  return resultLabel({ verdict: run.verdict, exitCode: run.exitCode, httpStatus: run.httpStatus, durationMs: run.durationMs, end: run.endedAt.toISOString() });
}

/** The recorded output: the capture already keeps head and tail, joined by a marker. */
function excerpt(text: string, omittedBytes: number): OutputExcerpt {
  return { head: text, tail: '', omittedBytes };
}

// Runs steps for the code lenses and the tree: checks trust, resolves variables, asks before destructive
// commands, runs in the Playbook terminal (our own process, so the result is exact) and records every result.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IncidentEvent } from '../../incident/events';
import { foldIncident } from '../../incident/state';
import { readIncidentLog } from '../../incident/store';
import { fieldNames, renderTemplate } from '../../incident/templates';
import { parseDuration } from '../../playbook/duration';
import { postWebhook } from '../../run/webhook';
import type { PhaseModel, ScenarioModel, StepModel } from '../../playbook/model';
import type { PlaybookService } from '../../playbook/service';
import type { Playbook, Step } from '../../playbook/types';
import type { StepFacts } from '../../run/evaluate';
import { planRunAll, planRunNext, shouldStopAfter, statusOf, type StepStatus } from '../../run/plan';
import { recordRun, type Confirm } from '../../run/recordRun';
import { defaultEffects, describeForConfirmation, expandStep, runnableKind, type StepEffects, type StepResult } from '../../run/stepRunner';
import { resolveVariables, type VariableResolution } from '../../run/variables';
import { asDocument } from '../playbook/documents';
import { playbookPath, type IncidentSession, type IncidentTarget } from '../incident/incidentSession';
import { editorProxy } from './proxySettings';
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
    private readonly effects: (
      secrets: VariableResolution['secrets'],
      onOutput: (chunk: string) => void,
    ) => StepEffects = defaultShellEffects,
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
      void vscode.window.showInformationMessage(
        `Step ${stepId} is a ${found.model.kind ?? 'malformed'} step: only run and http steps run from here.`,
      );
      return undefined;
    }
    return this.execute(found);
  }

  private async execute(found: Located): Promise<StepResult | undefined> {
    const { playbook, step } = found;
    const variables = await this.values.resolve(playbook.variables, step);
    if (!variables) return undefined;
    const incident = await this.session.ensureActive(this.incidentTarget(found));
    if (!incident) return undefined;
    const abort = new AbortController();
    const run = await recordRun({
      step,
      playbook,
      playbookPath: playbookPath(found.doc.uri),
      variables,
      workspaceDir: workspaceDir(found.doc.uri),
      effects: this.effects(variables.secrets, (chunk) => this.terminal.output(chunk)),
      recorder: this.session,
      facts: this.facts,
      signal: abort.signal,
      confirm: confirmInModal,
      defaultTimeoutMs: settingSeconds('run.defaultTimeoutSeconds', 300) * 1000,
      outputLimitBytes: settingSeconds('run.outputLimitKb', 1024) * 1024,
      onStart: async (command) => {
        await this.terminal.show();
        this.terminal.begin(step.title ?? step.id, command, () => abort.abort());
      },
      onAttempt: (attempt, label) => this.terminal.output(`\nattempt ${attempt.attempt}/${attempt.of}: ${label}\n`),
    });
    if (run.outcome !== 'ran') return undefined;
    const { result, label } = run;
    this.terminal.end(result.verdict === 'skipped' ? `${label} (${result.notes.join('; ')})` : label, result.verdict === 'passed');
    // A mistyped secret would fail every later run too: offer to forget it (not after a person's own cancel).
    if (!['passed', 'skipped', 'cancelled'].includes(result.verdict)) {
      const how = result.verdict === 'unknown' ? 'ended with an unknown result' : result.verdict.replace('-', ' ');
      void this.values.offerToForget(variables.enteredSecrets, `“${step.title ?? step.id}” ${how}`);
    }
    return result;
  }

  /** Ticks a manual step off, with an optional comment. */
  async tick(uri: vscode.Uri, stepId: string): Promise<boolean> {
    if (!trusted()) return false;
    const found = await this.locate(uri, stepId);
    if (!found) return false;
    const incident = await this.session.ensureActive(this.incidentTarget(found));
    if (!incident) return false;
    const comment = await vscode.window.showInputBox({
      title: `Done: ${found.step.title ?? stepId}`,
      prompt: 'A comment for the log (optional)',
      ignoreFocusOut: true,
    });
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
      state,
      events: log.events.filter((e): e is IncidentEvent => e.kind !== 'unknown'),
      playbookTitle: found.playbook.title,
      updateEveryMs: parsed?.ok ? parsed.ms : undefined,
      vars,
      fields,
      now: new Date(),
    });
    const text = template.subject
      ? `${renderTemplate(template.subject, { state, events: [], vars, fields, now: new Date() }).text}\n\n${rendered.text}`
      : rendered.text;
    const webhook = found.step.notify?.webhook;
    if (webhook) return this.post(found, webhook, template.id, text);
    await vscode.env.clipboard.writeText(text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }), {
      preview: true,
      preserveFocus: true,
    });
    await this.session.record('notify.sent', { template: template.id, channel: 'clipboard', ok: true });
    vscode.window.setStatusBarMessage(
      `$(copy) ${template.title ?? template.id} copied${found.step.notify?.channel ? ` for ${found.step.notify.channel}` : ''}`,
      5000,
    );
    return text;
  }

  /** Posts the message to the webhook held in a (secret) variable and shows what was sent; the outcome is recorded. */
  private async post(found: Located, variable: string, templateId: string, text: string): Promise<string | undefined> {
    const variables = await this.values.resolve(found.playbook.variables, found.step, [variable]);
    const url = variables?.values[variable];
    if (!url) return undefined;
    const result = await postWebhook(url, text, { proxy: editorProxy() });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }), {
      preview: true,
      preserveFocus: true,
    });
    await this.session.record('notify.sent', { template: templateId, channel: 'webhook', ok: result.ok, error: result.error });
    if (result.ok) vscode.window.setStatusBarMessage(`$(megaphone) Message posted (${templateId})`, 5000);
    else {
      void vscode.window
        .showErrorMessage(`The message was not posted: ${result.error}. It is still available to copy.`, 'Copy')
        .then(async (c) => c && vscode.env.clipboard.writeText(text));
      void this.values.offerToForget(variables.enteredSecrets, 'The message was not posted');
    }
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
      if (latest && step.id)
        results[step.id] = {
          verdict: latest.type === 'ticked' || latest.verdict === 'passed' ? 'passed' : latest.verdict === 'skipped' ? 'skipped' : 'failed',
        };
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
    return statusOf(result.verdict);
  }

  private async target(uri: vscode.Uri, scenarioId: string, phaseId?: string): Promise<ScenarioModel | PhaseModel | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const scenario = this.service.analyze(asDocument(doc)).model.scenarios.find((s) => s.id === scenarioId);
    return phaseId === undefined ? scenario : scenario?.phases.find((p) => p.id === phaseId);
  }

  /** The playbook and scenario a first run offers the incident's defaults from. */
  private incidentTarget(found: Located): IncidentTarget {
    return {
      path: playbookPath(found.doc.uri),
      model: this.service.analyze(asDocument(found.doc)).model,
      scenarioId: found.model.scenarioId,
    };
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
    const value = await vscode.window.showInputBox({
      title: `${template.title ?? template.id}: ${field.name}`,
      prompt: field.description,
      value: field.default,
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    values[field.name] = value;
  }
  return values;
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('Steps run only in a trusted workspace. Editing and validation keep working.', 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

function settingSeconds(key: string, fallback: number): number {
  const value = vscode.workspace.getConfiguration('playbook').get<number>(key, fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The workspace folder: where commands run and what a step's relative `cwd` counts from. */
function workspaceDir(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/** Asks before destructive steps in a modal showing the exact command. */
const confirmInModal: Confirm = async ({ step, command, reason }) => {
  const answer = await vscode.window.showWarningMessage(
    `Run “${step.title ?? step.id}”? ${reason[0].toUpperCase()}${reason.slice(1)}.`,
    { modal: true, detail: command },
    'Run',
  );
  return { confirmed: answer === 'Run' };
};

function defaultShellEffects(secrets: VariableResolution['secrets'], onOutput: (chunk: string) => void): StepEffects {
  return defaultEffects({ secrets, onOutput, proxy: editorProxy() });
}

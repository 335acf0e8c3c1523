// The active incident of this workspace: starts one (or a drill) when a first step runs, records events to its
// log file, and keeps each step's latest result for the code lenses and the tree.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { firstRunChoices, incidentDefaults, readGitUserName, UNSET_SEVERITY, type IncidentDefaults } from '../../incident/defaults';
import { createEvent, type EventBody, type EventKind } from '../../incident/events';
import { operatorName } from '../../incident/operator';
import { applyEntry, checklistKey, emptyIncidentState, foldIncident, type IncidentState, type StepLatest } from '../../incident/state';
import {
  appendEvent,
  claimIncidentId,
  incidentFile,
  incidentsDir,
  isIncidentId,
  listIncidents,
  readIncidentLog,
  workspacePlaybookPath,
  type IncidentSummary,
} from '../../incident/store';
import type { NamedModel, PlaybookModel } from '../../playbook/model';

const ACTIVE_KEY = 'playbook.activeIncident';

/** Where a first run asks for an incident from: the playbook (its recorded path and model) and the step's scenario. */
export interface IncidentTarget {
  path: string;
  model: PlaybookModel;
  scenarioId?: string;
}

export interface ActiveIncident {
  id: string;
  file: string;
  drill: boolean;
}

export class IncidentSession implements vscode.Disposable {
  private active: ActiveIncident | undefined;
  /** The active incident's state as folded from its log and every event recorded since. */
  private state: IncidentState = emptyIncidentState();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a step's latest result (or the active incident) changes. */
  readonly onDidChange = this.changed.event;
  private readonly started = new vscode.EventEmitter<ActiveIncident>();
  /** Fires when a new incident or drill starts: answers remembered for the previous one no longer apply. */
  readonly onDidStartIncident = this.started.event;

  constructor(private readonly memento: vscode.Memento) {}

  /** The person recording: the OS user name, as git and shells show it. */
  get operator(): string {
    return operatorName();
  }

  latest(stepId: string): StepLatest | undefined {
    return this.state.steps.get(stepId);
  }

  /** Whether an item of a playbook checklist is ticked in the active incident. */
  isTicked(checklist: string, item: string): boolean {
    return this.state.checklists.has(checklistKey(checklist, item));
  }

  /**
   * Reloads the active incident remembered for this workspace, if its log is still there. Never rejects: a failure
   * (an unreadable folder, a broken memento) is shown, and the workspace starts with no active incident.
   */
  async restore(): Promise<void> {
    const saved = this.memento.get<ActiveIncident>(ACTIVE_KEY);
    try {
      if (saved && !(await this.activate(saved.id))) await this.forget();
    } catch (error) {
      void vscode.window.showErrorMessage(`The active incident ${saved?.id ?? ''} could not be restored: ${(error as Error).message}`);
      await this.forget().catch(() => undefined);
    }
  }

  /** Makes an existing incident of this workspace the active one (switching, reopening); false when its log is unreadable. */
  async activate(id: string): Promise<boolean> {
    const folder = workspaceFolder();
    if (!folder || !isIncidentId(id)) return false;
    const file = incidentFile(incidentsDir(folder), id);
    const log = await readIncidentLog(file);
    if (log.problems.some((p) => p.code === 'UNREADABLE_FILE')) return false;
    this.state = foldIncident(log.events);
    this.active = { id, file, drill: this.state.drill };
    await this.memento.update(ACTIVE_KEY, this.active);
    this.changed.fire();
    return true;
  }

  /**
   * The active incident, or a new one (or a drill) after one question whose first answer, the defaults, Enter
   * accepts; undefined when the person declines.
   */
  async ensureActive(target: IncidentTarget): Promise<ActiveIncident | undefined> {
    if (this.active) return this.active;
    if (!workspaceFolder()) {
      void vscode.window.showErrorMessage('Open a folder first: the incident log is written to .incidents/ in the workspace.');
      return undefined;
    }
    const defaults = await this.defaultsFor(target);
    const choice = await vscode.window.showQuickPick(firstRunChoices(defaults), {
      title: 'No incident is active',
      placeHolder: 'Enter starts it; change severity or commander later in the status bar',
      ignoreFocusOut: true,
    });
    if (!choice) return undefined;
    const details = choice.edit ? await editDetails(defaults, choice.drill, target.model.severities) : defaults;
    if (!details?.title) return undefined;
    return this.startIncident({
      title: details.title,
      severity: details.severity,
      commander: details.commander,
      drill: choice.drill,
      playbook: target.path,
    });
  }

  /** What a new incident for this playbook and scenario would be, so a person accepts it instead of typing it. */
  async defaultsFor(target: IncidentTarget): Promise<IncidentDefaults> {
    const folder = workspaceFolder();
    const scenario = target.model.scenarios.find((s) => target.scenarioId !== undefined && s.id === target.scenarioId);
    const severity: unknown = scenario?.node.get('severity');
    return incidentDefaults({
      playbookTitle: target.model.title,
      scenario: scenario && { id: scenario.id, title: scenario.title, severity: typeof severity === 'string' ? severity : undefined },
      severities: target.model.severities,
      gitUser: folder ? await readGitUserName(folder) : undefined,
      osUser: this.operator,
    });
  }

  /** Starts an incident (or a drill) without asking: allocates its id, writes `incident.started`, makes it active. */
  async startIncident(options: {
    title: string;
    severity: string;
    drill: boolean;
    playbook?: string;
    commander?: string;
  }): Promise<ActiveIncident | undefined> {
    const folder = workspaceFolder();
    if (!folder) return undefined;
    const dir = incidentsDir(folder);
    const id = await claimIncidentId(dir, new Date());
    this.active = { id, file: incidentFile(dir, id), drill: options.drill };
    this.state = emptyIncidentState();
    await this.memento.update(ACTIVE_KEY, this.active);
    const commander = options.commander?.trim() || this.operator;
    await this.record('incident.started', {
      incident: id,
      title: options.title.trim(),
      severity: options.severity,
      commander,
      playbook: options.playbook,
      drill: options.drill,
    });
    vscode.window.setStatusBarMessage(`$(flame) ${id} started`, 5000);
    this.started.fire(this.active);
    return this.active;
  }

  get current(): ActiveIncident | undefined {
    return this.active;
  }

  /** The active incident's state (empty when none is active). */
  get incident(): IncidentState {
    return this.state;
  }

  /** Appends an event to the active incident's log. */
  async record<K extends EventKind>(kind: K, body: EventBody<K>): Promise<void> {
    if (!this.active) throw new Error('no active incident to record to');
    const event = createEvent(kind, body, { actor: this.operator });
    const active = this.active;
    await appendEvent(active.file, event);
    // A switch during the write leaves this event to its own incident's log, not the new active incident's state.
    if (this.active !== active) return;
    this.state = applyEntry(this.state, event);
    this.changed.fire();
  }

  /**
   * Takes the state of a log read from disk (another window's events, a `git pull`) when it is the active incident's,
   * and tells the lenses and the tree if that changed anything.
   */
  adopt(file: string, state: IncidentState): void {
    // The log only grows: a read that started before our last append (fewer events) would roll the state back.
    if (file !== this.active?.file || state === this.state || state.events < this.state.events) return;
    const changed = state.events !== this.state.events;
    this.state = state;
    if (changed) this.changed.fire();
  }

  async forget(): Promise<void> {
    this.active = undefined;
    this.state = emptyIncidentState();
    await this.memento.update(ACTIVE_KEY, undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.started.dispose();
  }
}

/** Title, severity and commander asked one by one, each prefilled with its default; undefined when cancelled. */
async function editDetails(defaults: IncidentDefaults, drill: boolean, severities: NamedModel[]): Promise<IncidentDefaults | undefined> {
  const title = await vscode.window.showInputBox({
    title: drill ? 'New drill' : 'New incident',
    prompt: 'A short title: what is happening?',
    value: defaults.title,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter a title'),
  });
  if (title === undefined) return undefined;
  const severity = severities.length === 0 ? defaults.severity : await pickSeverity(severities, defaults.severity);
  if (severity === undefined) return undefined;
  const commander = await vscode.window.showInputBox({
    title: 'Incident commander',
    prompt: 'Who leads the response? Other roles can be assigned later (Playbook: Assign Role).',
    value: defaults.commander,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
  });
  return commander === undefined ? undefined : { title: title.trim(), severity, commander: commander.trim() };
}

/** The playbook's severities in table order, the default one active so Enter keeps it. */
function pickSeverity(severities: NamedModel[], preferred: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
    Object.assign(pick, { title: 'Severity', placeholder: 'From the playbook’s severity table', ignoreFocusOut: true });
    pick.items = severities.map((s) => ({ label: s.id, description: s.title }));
    const active = pick.items.find((item) => item.label === preferred);
    if (active && preferred !== UNSET_SEVERITY) pick.activeItems = [active];
    let result: string | undefined;
    pick.onDidAccept(() => {
      result = pick.selectedItems[0]?.label;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

/** The folder whose `.incidents/` holds the logs: the first workspace folder, when it is on disk. */
export function workspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/**
 * The file of a playbook a log names, when it is a playbook inside the workspace: a log a `git pull` brought may
 * name any path, and only a workspace playbook is opened.
 */
export function loggedPlaybookFile(relative: string | undefined): string | undefined {
  const folder = workspaceFolder();
  return folder && relative !== undefined ? workspacePlaybookPath(folder, relative) : undefined;
}

/** Every incident of the workspace, oldest id first (none without a folder on disk). */
export async function workspaceIncidents(): Promise<IncidentSummary[]> {
  const folder = workspaceFolder();
  return folder ? listIncidents(incidentsDir(folder)) : [];
}

/** Workspace-relative path of a playbook, as recorded in the log. */
export function playbookPath(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? path.relative(folder.uri.fsPath, uri.fsPath) : uri.fsPath;
}

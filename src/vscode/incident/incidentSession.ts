// The active incident of this workspace: starts one (or a drill) when a first step runs, records events to its
// log file, and keeps each step's latest result for the code lenses and the tree.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createEvent, type EventBody, type EventKind } from '../../incident/events';
import { operatorName } from '../../incident/operator';
import { applyEntry, checklistKey, emptyIncidentState, foldIncident, type IncidentState, type StepLatest } from '../../incident/state';
import { appendEvent, claimIncidentId, incidentFile, incidentsDir, isIncidentId, listIncidents, readIncidentLog, workspacePlaybookPath, type IncidentSummary } from '../../incident/store';
import type { NamedModel } from '../../playbook/model';

const ACTIVE_KEY = 'playbook.activeIncident';

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

  /** The active incident, or a new one (or a drill) after asking; undefined when the person declines. */
  async ensureActive(playbook: { path: string; severities: NamedModel[] }): Promise<ActiveIncident | undefined> {
    if (this.active) return this.active;
    const folder = workspaceFolder();
    if (!folder) {
      void vscode.window.showErrorMessage('Open a folder first: the incident log is written to .incidents/ in the workspace.');
      return undefined;
    }
    const choice = await vscode.window.showQuickPick(
      [
        { label: '$(flame) Start an incident', detail: 'Record this run and everything after it in a new incident log', drill: false },
        { label: '$(beaker) Record as a drill', detail: 'A practice run: recorded, and marked as a drill', drill: true },
      ],
      { title: 'No incident is active', placeHolder: 'Where should this run be recorded?', ignoreFocusOut: true },
    );
    if (!choice) return undefined;
    const title = await vscode.window.showInputBox({
      title: choice.drill ? 'New drill' : 'New incident', prompt: 'A short title: what is happening?', ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a title'),
    });
    if (title === undefined) return undefined;
    const severity = await this.pickSeverity(playbook.severities);
    if (severity === undefined) return undefined;
    const commander = await vscode.window.showInputBox({
      title: 'Incident commander', prompt: 'Who leads the response? Other roles can be assigned later (Playbook: Assign Role).',
      value: this.operator, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
    });
    if (commander === undefined) return undefined;
    return this.startIncident({ title, severity, commander, drill: choice.drill, playbook: playbook.path });
  }

  /** Starts an incident (or a drill) without asking: allocates its id, writes `incident.started`, makes it active. */
  async startIncident(options: { title: string; severity: string; drill: boolean; playbook?: string; commander?: string }): Promise<ActiveIncident | undefined> {
    const folder = workspaceFolder();
    if (!folder) return undefined;
    const dir = incidentsDir(folder);
    const id = await claimIncidentId(dir, new Date());
    this.active = { id, file: incidentFile(dir, id), drill: options.drill };
    this.state = emptyIncidentState();
    await this.memento.update(ACTIVE_KEY, this.active);
    const commander = options.commander?.trim() || this.operator;
    await this.record('incident.started', { incident: id, title: options.title.trim(), severity: options.severity, commander, playbook: options.playbook, drill: options.drill });
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

  private async pickSeverity(severities: NamedModel[]): Promise<string | undefined> {
    if (severities.length === 0) return 'unset';
    const picked = await vscode.window.showQuickPick(
      severities.map((s) => ({ label: s.id, description: s.title })),
      { title: 'Severity', placeHolder: 'From the playbook’s severity table', ignoreFocusOut: true },
    );
    return picked?.label;
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

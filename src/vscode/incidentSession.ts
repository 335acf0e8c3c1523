// The active incident of this workspace: starts one (or a drill) when a first step runs, records events to its
// log file, and keeps each step's latest result for the code lenses and the tree.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createEvent, type EventBody, type EventKind } from '../incident/events';
import { foldIncident, type StepLatest } from '../incident/state';
import { appendEvent, claimIncidentId, incidentFile, incidentsDir, readIncidentLog } from '../incident/store';
import type { NamedModel } from '../playbook/model';

const ACTIVE_KEY = 'playbook.activeIncident';

export interface ActiveIncident {
  id: string;
  file: string;
  drill: boolean;
}

export class IncidentSession implements vscode.Disposable {
  private active: ActiveIncident | undefined;
  private results = new Map<string, StepLatest>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a step's latest result (or the active incident) changes. */
  readonly onDidChange = this.changed.event;
  private readonly started = new vscode.EventEmitter<ActiveIncident>();
  /** Fires when a new incident or drill starts: answers remembered for the previous one no longer apply. */
  readonly onDidStartIncident = this.started.event;

  constructor(private readonly state: vscode.Memento) {}

  /** The person recording: the OS user name, as git and shells show it. */
  get operator(): string {
    try {
      return os.userInfo().username || 'unknown';
    } catch {
      return 'unknown';
    }
  }

  latest(stepId: string): StepLatest | undefined {
    return this.results.get(stepId);
  }

  /** Reloads the active incident remembered for this workspace, if its log is still there. */
  async restore(): Promise<void> {
    const saved = this.state.get<ActiveIncident>(ACTIVE_KEY);
    const folder = workspaceFolder();
    if (!saved || !folder) return;
    const file = incidentFile(incidentsDir(folder), saved.id);
    const log = await readIncidentLog(file);
    if (log.problems.some((p) => p.code === 'UNREADABLE_FILE')) return this.forget();
    this.active = { ...saved, file };
    this.results = new Map(foldIncident(log.events).steps);
    this.changed.fire();
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
    return this.startIncident({ title, severity, drill: choice.drill, playbook: playbook.path });
  }

  /** Starts an incident (or a drill) without asking: allocates its id, writes `incident.started`, makes it active. */
  async startIncident(options: { title: string; severity: string; drill: boolean; playbook?: string }): Promise<ActiveIncident | undefined> {
    const folder = workspaceFolder();
    if (!folder) return undefined;
    const dir = incidentsDir(folder);
    const id = await claimIncidentId(dir, new Date());
    this.active = { id, file: incidentFile(dir, id), drill: options.drill };
    this.results = new Map();
    await this.state.update(ACTIVE_KEY, this.active);
    await this.record('incident.started', { incident: id, title: options.title.trim(), severity: options.severity, commander: this.operator, playbook: options.playbook, drill: options.drill });
    vscode.window.setStatusBarMessage(`$(flame) ${id} started`, 5000);
    this.started.fire(this.active);
    return this.active;
  }

  get current(): ActiveIncident | undefined {
    return this.active;
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
    await appendEvent(this.active.file, event);
    const state = foldIncident([event]);
    for (const [step, latest] of state.steps) {
      const previous = this.results.get(step);
      this.results.set(step, { ...latest, runs: (previous?.runs ?? 0) + latest.runs });
    }
    this.changed.fire();
  }

  async forget(): Promise<void> {
    this.active = undefined;
    this.results = new Map();
    await this.state.update(ACTIVE_KEY, undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.started.dispose();
  }
}

function workspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/** Workspace-relative path of a playbook, as recorded in the log. */
export function playbookPath(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? path.relative(folder.uri.fsPath, uri.fsPath) : uri.fsPath;
}

// The Incident view: a webview in the Playbooks container with an incident's header and live timeline, filters, jump
// to a step, and a note box. Shows the active incident, or one picked with “Show Incident Log…” (read-only unless it
// is the active one and still open).
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ViewIds } from '../../commands';
import type { LogFollower } from '../../incident/follow';
import { timelineHeader, toRows } from '../../incident/timeline';
import type { PlaybookService } from '../../playbook/service';
import { asDocument } from '../playbook/documents';
import type { IncidentLogs } from '../incident/incidentLogs';
import { loggedPlaybookFile, workspaceIncidents, type IncidentSession } from '../incident/incidentSession';
import { panelPage } from './panelPage';
import {
  CHUNK,
  FIRST_CHUNK,
  parseFromPanel,
  type FromPanel,
  type PanelIncident,
  type PanelSnapshot,
  type ToPanel,
} from '../../panel/protocol';

const MAX_PROBLEMS_SHOWN = 3;

interface Followed {
  file: string;
  log: LogFollower;
  lease: vscode.Disposable;
}

export class IncidentPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The file picked with “Show Incident Log…”; undefined while following the active incident. */
  private picked: string | undefined;
  /** The file being shown, set before it is read, so events arriving meanwhile do not start a second load. */
  private showing: string | undefined;
  private followed: Followed | undefined;
  private load = 0;
  private loading = false;
  /** Entries of the followed log already sent to the webview. */
  private sent = 0;
  /** Open `describe` requests, by number. */
  private readonly describing = new Map<number, (snapshot: PanelSnapshot | undefined) => void>();
  private requests = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: IncidentSession,
    private readonly logs: IncidentLogs,
    private readonly service: PlaybookService,
  ) {
    this.subscriptions = [
      { dispose: () => this.describing.forEach((answer) => answer(undefined)) },
      logs.onDidUpdate((u) => {
        if (u.file === this.followed?.file) this.sync(u.change.kind === 'reset');
      }),
      session.onDidChange(() => void this.activeChanged()),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist', 'media')];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = panelHtml(view.webview, this.extensionUri);
    const listening = view.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseFromPanel(raw);
      if (message) void this.receive(message);
    });
    const closing = view.onDidDispose(() => {
      listening.dispose();
      closing.dispose();
      if (this.view === view) this.view = undefined;
    });
  }

  /** Shows an incident's log file, or (without one) the active incident, and reveals the view. */
  async show(file?: string): Promise<void> {
    this.picked = file !== undefined && file !== this.session.current?.file ? file : undefined;
    await vscode.commands.executeCommand(`${ViewIds.incident}.focus`);
    await this.reload();
  }

  /** Expands an event's row and brings it on screen (for callers that point at one event, such as the tests). */
  expand(eventId: string): Promise<void> {
    return this.post({ type: 'expand', id: eventId });
  }

  /** The file shown: the picked one, else the active incident's, else the last one shown (now read-only). */
  private target(): string | undefined {
    return this.picked ?? this.session.current?.file ?? this.showing;
  }

  private async reload(): Promise<void> {
    const file = this.target();
    this.showing = file;
    if (!file) {
      this.release();
      return this.post({
        type: 'empty',
        message: 'No incident is active. Run a step or start an incident; “Playbook: Show Incident Log…” shows past ones.',
      });
    }
    if (this.followed?.file !== file) {
      this.release();
      let following: Awaited<ReturnType<IncidentLogs['follow']>>;
      try {
        following = await this.logs.follow(file);
      } catch (error) {
        return this.post({ type: 'empty', message: `Cannot read ${path.basename(file)}: ${(error as Error).message}` });
      }
      const { log, lease } = following;
      if (this.showing !== file) return lease.dispose();
      this.release();
      this.followed = { file, log, lease };
    }
    await this.sendAll();
  }

  private release(): void {
    this.followed?.lease.dispose();
    this.followed = undefined;
  }

  private async activeChanged(): Promise<void> {
    const active = this.session.current?.file;
    if (!this.picked && active && active !== this.showing) return this.reload();
    // Our own `record`: read what it appended (the watcher would too, later); the read-only state may have changed.
    if (this.followed) {
      await this.logs.refresh(this.followed.file);
      void this.post({ type: 'header', load: this.load, incident: this.incident(this.followed) });
    }
  }

  private sync(reset: boolean): void {
    if (reset || !this.followed) void this.sendAll();
    else if (!this.loading) this.sendAppended(this.followed);
  }

  /** Starts a new load: the header, then every row in chunks, then whatever was appended meanwhile. */
  private async sendAll(): Promise<void> {
    const followed = this.followed;
    if (!followed || !this.view) return;
    const load = ++this.load;
    this.loading = true;
    const events = followed.log.events;
    const total = events.length;
    await this.post({ type: 'load', load, incident: this.incident(followed), total });
    // The follower extends `events` in place as the log grows: rows past `total` go out as `appended` afterwards.
    for (let start = 0, size = FIRST_CHUNK; start < total; start += size, size = CHUNK) {
      if (load !== this.load) return;
      await this.post({ type: 'rows', load, rows: toRows(events.slice(start, Math.min(start + size, total)), start) });
    }
    if (load !== this.load) return;
    this.loading = false;
    this.sent = total;
    this.sendAppended(followed);
  }

  private sendAppended(followed: Followed): void {
    const events = followed.log.events;
    if (events.length > this.sent) {
      const rows = toRows(events.slice(this.sent), this.sent);
      this.sent = events.length;
      void this.post({ type: 'appended', load: this.load, rows });
    }
    void this.post({ type: 'header', load: this.load, incident: this.incident(followed) });
  }

  private incident(followed: Followed): PanelIncident {
    const header = timelineHeader(followed.log.state, path.basename(followed.file, '.jsonl'));
    const problems = followed.log.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => p.message);
    if (header.status === 'resolved') return { header, readOnly: 'resolved', problems };
    return { header, readOnly: this.session.current?.file === followed.file ? undefined : 'not-active', problems };
  }

  /** What the webview shows now; undefined when it is not open or does not answer within `timeoutMs`. */
  describe(timeoutMs = 2000): Promise<PanelSnapshot | undefined> {
    const request = ++this.requests;
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(undefined), timeoutMs);
      const answer = (snapshot: PanelSnapshot | undefined): void => {
        clearTimeout(timer);
        this.describing.delete(request);
        resolve(snapshot);
      };
      this.describing.set(request, answer);
      if (!this.view) answer(undefined);
      else void this.post({ type: 'describe', request });
    });
  }

  private async post(message: ToPanel): Promise<void> {
    await this.view?.webview.postMessage(message);
  }

  private async receive(message: FromPanel): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.reload();
      case 'reveal':
        return this.reveal(message.step, message.playbook);
      case 'addNote':
        return this.addNote(message.text);
      case 'described':
        this.describing.get(message.request)?.(message.snapshot);
        return;
    }
  }

  private async addNote(text: string): Promise<void> {
    const followed = this.followed;
    if (!followed || this.incident(followed).readOnly || !text.trim()) {
      return this.post({ type: 'noteFailed', message: 'This incident is read-only: notes go to the active, open incident.' });
    }
    try {
      await this.session.record('note.added', { text: text.trim() });
      await this.post({ type: 'noteSaved' });
    } catch (error) {
      await this.post({ type: 'noteFailed', message: `The note was not saved: ${(error as Error).message}` });
    }
  }

  /** Reveals a step in its playbook: the run's own playbook, else the incident's. */
  private async reveal(stepId: string, playbook = this.followed?.log.state.playbook): Promise<void> {
    if (!playbook) {
      void vscode.window.showWarningMessage(`The incident log does not say which playbook step ${stepId} is in.`);
      return;
    }
    const file = loggedPlaybookFile(playbook);
    if (!file) {
      void vscode.window.showWarningMessage(`Cannot show the step: ${playbook} is not a playbook inside this workspace.`);
      return;
    }
    const uri = vscode.Uri.file(file);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const step = this.service.analyze(asDocument(doc)).model.steps.find((s) => s.id === stepId);
      if (!step) throw new Error(`step ${stepId} is no longer in ${playbook}`);
      await vscode.commands.executeCommand(Commands.revealStep, uri, step.idSpan.start);
    } catch (error) {
      void vscode.window.showWarningMessage(`Cannot show the step: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    this.release();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The panel's page for this webview, with a fresh nonce (see panelPage). */
function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return panelPage({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', 'panel.js')).toString(),
  });
}

/** The panel, its view and its two commands: show the active incident, and pick any incident to show. */
export function registerIncidentPanel(
  extensionUri: vscode.Uri,
  session: IncidentSession,
  logs: IncidentLogs,
  service: PlaybookService,
): vscode.Disposable & { panel: IncidentPanel } {
  const panel = new IncidentPanel(extensionUri, session, logs, service);
  const disposable = vscode.Disposable.from(
    panel,
    vscode.window.registerWebviewViewProvider(ViewIds.incident, panel),
    vscode.commands.registerCommand(Commands.showIncident, () => panel.show()),
    vscode.commands.registerCommand(Commands.showIncidentLog, async (uri?: vscode.Uri) => {
      const file = uri instanceof vscode.Uri ? uri.fsPath : await pickIncident(session);
      if (file) await panel.show(file);
    }),
  );
  return Object.assign(disposable, { panel });
}

/** Asks which incident of the workspace to show, newest first; the active one is marked. */
async function pickIncident(session: IncidentSession): Promise<string | undefined> {
  const incidents = await workspaceIncidents();
  if (incidents.length === 0) {
    void vscode.window.showInformationMessage('No incident logs in .incidents/ yet: run a step or start an incident.');
    return undefined;
  }
  const items = incidents.reverse().map(({ id, file, state }) => {
    const active = file === session.current?.file;
    const started = state.startedAt ? new Date(state.startedAt).toLocaleString() : 'start not recorded';
    return {
      label: `${active ? '$(flame) ' : ''}${id}`,
      description: state.title,
      file,
      detail: `${state.severity || '?'} · ${state.status}${state.drill ? ' · drill' : ''}${active ? ' · active' : ''} · started ${started}`,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Show Incident Log',
    placeHolder: 'Which incident?',
    matchOnDescription: true,
  });
  return picked?.file;
}

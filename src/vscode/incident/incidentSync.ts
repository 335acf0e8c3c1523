// Syncs the active incident's log with teammates through the git remote every few seconds, and shows how that goes
// in the status bar beside the incident: synced N s ago, offline, behind, local only. Nothing in an untrusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { syncIncident, type SyncResult } from '../../incident/sync';
import { receivedFrom, syncStatusWords, syncSummary } from '../../incident/syncText';
import type { IncidentLogs } from './incidentLogs';
import type { ActiveIncident, IncidentSession } from './incidentSession';

/** After a local event, a round this soon pushes it rather than waiting out the interval. */
const SOON_MS = 300;
/** How long the status bar names who the last received events came from. */
const ARRIVAL_SHOWN_MS = 60_000;

interface SyncSettings {
  enabled: boolean;
  intervalMs: number;
  remote?: string;
}

function syncSettings(): SyncSettings {
  const config = vscode.workspace.getConfiguration('playbook.sync');
  const seconds = config.get<number>('intervalSeconds', 5);
  const remote = config.get<string>('remote', '').trim();
  return {
    enabled: config.get<boolean>('enabled', true),
    intervalMs: Math.max(1, Number.isFinite(seconds) ? seconds : 5) * 1000,
    remote: remote || undefined,
  };
}

/** The poller: one round at a time, the next scheduled when the last ends. */
export class IncidentSync implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('playbook.sync', vscode.StatusBarAlignment.Left, 49);
  private timer: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  private running: Promise<SyncResult | undefined> | undefined;
  private again = false;
  private following: string | undefined;
  private last:
    { incident: string; result: SyncResult; syncedAt?: number; arrival?: { from: string; count: number; at: number } } | undefined;
  private lastError: string | undefined;
  private disposed = false;
  private readonly done = new vscode.EventEmitter<SyncResult>();
  /** Fires after every round (the integration tests wait on it). */
  readonly onDidSync = this.done.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly session: IncidentSession,
    private readonly logs: IncidentLogs,
  ) {
    this.item.name = 'Incident sync';
    this.item.command = Commands.syncIncident;
    this.ticker = setInterval(() => this.render(), 1000);
    this.subscriptions = [
      session.onDidChange(() => this.reschedule(SOON_MS)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('playbook.sync') && this.reschedule(0)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reschedule(0)),
    ];
    this.reschedule(0);
  }

  /** The last round's outcome for the active incident. */
  get lastResult(): SyncResult | undefined {
    return this.last?.result;
  }

  /** Runs a round now (after the one under way, if any); undefined when there is nothing to sync. */
  syncNow(): Promise<SyncResult | undefined> {
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.running ?? this.startRound());
    }
    return this.startRound();
  }

  private polling(): ActiveIncident | undefined {
    if (this.disposed) return undefined;
    const active = this.session.current;
    return active && vscode.workspace.isTrusted && syncSettings().enabled ? active : undefined;
  }

  /** Next round in `ms` (sooner than one already planned), or none when no incident is active or sync is off. */
  private reschedule(ms: number): void {
    const active = this.polling();
    if (active?.id !== this.following) {
      this.following = active?.id;
      this.last = undefined;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.render();
    if (!active) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer = setTimeout(() => void this.startRound(), ms);
  }

  private startRound(): Promise<SyncResult | undefined> {
    const active = this.session.current;
    if (!active || !vscode.workspace.isTrusted || this.disposed) return Promise.resolve(undefined);
    clearTimeout(this.timer);
    const round = this.round(active).finally(() => {
      this.running = undefined;
      if (this.polling()) this.reschedule(this.again ? SOON_MS : syncSettings().intervalMs);
      this.again = false;
    });
    this.running = round;
    return round;
  }

  private async round(active: ActiveIncident): Promise<SyncResult> {
    const workspace = path.dirname(path.dirname(active.file));
    const result = await syncIncident({ workspace, incidentId: active.id, remote: syncSettings().remote });
    if (result.received.length > 0) await this.logs.refresh(active.file);
    this.remember(active.id, result);
    this.done.fire(result);
    return result;
  }

  private remember(incident: string, result: SyncResult): void {
    const now = Date.now();
    const previous = this.last?.incident === incident ? this.last : undefined;
    const arrival = result.received.length > 0 ? { from: receivedFrom(result), count: result.received.length, at: now } : previous?.arrival;
    this.last = { incident, result, syncedAt: result.state === 'synced' ? now : previous?.syncedAt, arrival };
    if (this.disposed) return;
    this.warnOnce(incident, result);
    this.render();
  }

  /** A sync error (not being offline, which passes by itself) is said once, until a round succeeds again. */
  private warnOnce(incident: string, result: SyncResult): void {
    if (result.state !== 'error') {
      this.lastError = undefined;
      return;
    }
    if (this.lastError === result.message) return;
    this.lastError = result.message;
    void vscode.window.showWarningMessage(
      `${incident}: ${syncSummary(result)} Your events are kept in the log and sent once the sync works.`,
    );
  }

  private render(): void {
    const active = this.polling();
    if (!active) {
      this.item.hide();
      return;
    }
    const last = this.last?.incident === active.id ? this.last : undefined;
    const now = Date.now();
    const words = syncStatusWords(last?.result, last?.syncedAt, now);
    const arrival = last?.arrival && now - last.arrival.at < ARRIVAL_SHOWN_MS ? ` · +${last.arrival.count} from ${last.arrival.from}` : '';
    const icon = last?.result.state === 'offline' ? '$(cloud-offline)' : last?.result.state === 'error' ? '$(warning)' : '$(sync)';
    this.item.text = `${icon} ${words}${arrival}`;
    this.item.tooltip = `${active.id}: ${last ? syncSummary(last.result) : 'first sync under way'}\nClick to sync now.`;
    this.item.show();
  }

  dispose(): void {
    // A round under way finishes, and then schedules nothing.
    this.disposed = true;
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    for (const s of this.subscriptions) s.dispose();
    this.done.dispose();
    this.item.dispose();
  }
}

/** The poller and the "Playbook: Sync Incident Log" command. */
export function registerIncidentSync(session: IncidentSession, logs: IncidentLogs): { sync: IncidentSync; disposable: vscode.Disposable } {
  const sync = new IncidentSync(session, logs);
  const command = vscode.commands.registerCommand(Commands.syncIncident, async () => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage('Incident sync runs git, so it needs a trusted workspace.');
      return undefined;
    }
    const active = session.current;
    if (!active) {
      void vscode.window.showInformationMessage('No incident is active: switch to one (Playbook: Switch Active Incident) to sync it.');
      return undefined;
    }
    const result = await sync.syncNow();
    if (!result) return undefined;
    const show =
      result.state === 'synced' || result.state === 'local-only' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`${active.id}: ${syncSummary(result)}`);
    return result;
  });
  return { sync, disposable: vscode.Disposable.from(sync, command) };
}

// The active incident in the status bar with its severity clocks, and a notification when a clock runs out.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { formatRemaining, incidentClocks, type IncidentClock, type SeverityTimes } from '../../incident/clocks';
import type { IncidentEvent } from '../../incident/events';
import type { LogFollower } from '../../incident/follow';
import type { IncidentState } from '../../incident/state';
import type { PlaybookService } from '../../playbook/service';
import type { Playbook } from '../../playbook/types';
import { parseDuration } from '../../playbook/duration';
import { asDocument, isPlaybook } from '../playbook/documents';
import type { IncidentLogs } from './incidentLogs';
import { loggedPlaybookFile, type IncidentSession } from './incidentSession';

const TICK_MS = 30_000;
const CLOCK_WORDS: Record<IncidentClock['kind'], string> = { respond: 'respond', escalate: 'escalate', update: 'next update' };

interface Snapshot {
  state: IncidentState;
  log: LogFollower;
  playbook?: Playbook;
}

interface Followed {
  file: string;
  log: Promise<LogFollower>;
  lease: Promise<vscode.Disposable>;
}

export class IncidentStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('playbook.incident', vscode.StatusBarAlignment.Left, 50);
  private snapshot: Snapshot | undefined;
  private followed: Followed | undefined;
  private events: { from: readonly unknown[]; length: number; events: IncidentEvent[] } | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly notified = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: IncidentSession,
    private readonly service: PlaybookService,
    private readonly logs: IncidentLogs,
  ) {
    this.item.name = 'Active incident';
    this.item.command = Commands.showIncident;
    this.timer = setInterval(() => this.render(), TICK_MS);
    // Another window's events and a `git pull` reach the log without a `record` here.
    this.subscription = logs.onDidUpdate((u) => {
      if (u.file === this.followed?.file) void this.redraw(u.log, u.file);
    });
  }

  /** What hovering the status bar item shows (the integration tests read it). */
  get tooltip(): vscode.MarkdownString | string | undefined {
    return this.item.tooltip;
  }

  /** Reads what the active incident's log gained (after every recorded event) and redraws. */
  async refresh(): Promise<void> {
    const active = this.session.current;
    if (!active) {
      this.release();
      this.snapshot = undefined;
      this.item.hide();
      return;
    }
    // Another refresh (a resolve, a switch) may replace or drop `this.followed` while this one awaits.
    let followed = this.followed;
    if (followed?.file === active.file) await this.logs.refresh(active.file);
    else followed = this.followed = this.follow(active.file);
    await this.redraw(await followed.log, active.file);
  }

  private follow(file: string): Followed {
    this.release();
    const following = this.logs.follow(file);
    return { file, log: following.then((f) => f.log), lease: following.then((f) => f.lease) };
  }

  private release(): void {
    void this.followed?.lease.then((lease) => lease.dispose());
    this.followed = undefined;
  }

  /** Draws `file`'s state, unless the active incident changed while its playbook was being read. */
  private async redraw(log: LogFollower, file: string): Promise<void> {
    const state = log.state;
    const playbook = await this.playbookOf(state);
    if (this.session.current?.file !== file || this.followed?.file !== file) return;
    this.snapshot = { state, log, playbook };
    this.render();
  }

  get state(): IncidentState | undefined {
    return this.snapshot?.state;
  }

  /** The active incident's events this version understands, in log order. */
  get snapshotEvents(): readonly IncidentEvent[] | undefined {
    const all = this.snapshot?.log.events;
    if (!all) return undefined;
    if (this.events?.from !== all || this.events.length !== all.length) {
      this.events = { from: all, length: all.length, events: all.filter((e): e is IncidentEvent => e.kind !== 'unknown') };
    }
    return this.events.events;
  }

  get playbook(): Playbook | undefined {
    return this.snapshot?.playbook;
  }

  /** The clocks now, for the status bar and the tests. */
  clocks(now = new Date()): IncidentClock[] {
    if (!this.snapshot) return [];
    return incidentClocks(this.snapshotEvents ?? [], severityTimes(this.snapshot.playbook, this.snapshot.state.severity), now);
  }

  private render(): void {
    if (!this.snapshot) return;
    const { state } = this.snapshot;
    const clocks = this.clocks();
    const next = clocks[0];
    const clock = next ? ` · ${CLOCK_WORDS[next.kind]} ${formatRemaining(next.remainingMs)}` : '';
    this.item.text = `$(flame) ${state.id ?? 'incident'} · ${state.severity} · ${state.status}${clock}`;
    this.item.backgroundColor = clocks.some((c) => c.remainingMs < 0) ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.tooltip = tooltip(state, clocks);
    this.item.show();
    for (const c of clocks) this.notifyWhenDue(state, c);
  }

  private notifyWhenDue(state: IncidentState, clock: IncidentClock): void {
    const key = `${state.id}:${clock.kind}:${clock.dueAt.toISOString()}`;
    if (clock.remainingMs > 0 || this.notified.has(key)) return;
    this.notified.add(key);
    const what =
      clock.kind === 'respond'
        ? 'Time to respond is up'
        : clock.kind === 'escalate'
          ? `Escalate now${clock.to ? ` to ${clock.to}` : ''}`
          : 'A status update is due';
    void vscode.window.showWarningMessage(`${state.id}: ${what} (severity ${state.severity}).`);
  }

  private async playbookOf(state: IncidentState): Promise<Playbook | undefined> {
    const file = loggedPlaybookFile(state.playbook);
    if (!file) return undefined;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      return isPlaybook(doc) ? (this.service.analyze(asDocument(doc)).value as Playbook) : undefined;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.release();
    this.subscription.dispose();
    this.item.dispose();
  }
}

function severityTimes(playbook: Playbook | undefined, severity: string): SeverityTimes {
  const row = playbook?.severities?.find((s) => s.id === severity);
  const ms = (value: string | undefined) => {
    const parsed = value === undefined ? undefined : parseDuration(value);
    return parsed?.ok ? parsed.ms : undefined;
  };
  const to = Array.isArray(row?.escalate_to) ? row?.escalate_to.join(', ') : row?.escalate_to;
  return {
    respondWithinMs: ms(row?.respond_within),
    escalateAfterMs: ms(row?.escalate_after),
    escalateTo: to,
    updateEveryMs: ms(row?.update_every),
  };
}

/** The tooltip; everything that comes from the log (title, names) is added as text, never as Markdown. */
function tooltip(state: IncidentState, clocks: IncidentClock[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendText(`${state.id ?? 'incident'} ${state.drill ? '(drill) ' : ''}— ${state.title}\n\n`);
  md.appendText(`Severity ${state.severity} · ${state.status} · commander ${state.commander}\n\n`);
  for (const c of clocks)
    md.appendText(
      `${CLOCK_WORDS[c.kind]}: ${formatRemaining(c.remainingMs)} (${c.dueAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})${c.to ? ` → ${c.to}` : ''}\n\n`,
    );
  // Fixed text and command ids only, so the links are trusted for exactly these two commands.
  md.appendMarkdown(
    `[Change severity](command:${Commands.changeSeverity}) · [Reassign commander](command:${Commands.assignRole}?${encodeURIComponent(JSON.stringify(['commander']))})\n\n`,
  );
  md.isTrusted = { enabledCommands: [Commands.changeSeverity, Commands.assignRole] };
  md.appendText('Click to show the incident log.');
  return md;
}

// The incident logs being followed (the active incident's for the status bar, the one the panel shows), kept current
// by a file watcher on `.incidents/*.jsonl`, which sees another window's appends and a `git pull` too.
import * as vscode from 'vscode';
import { fileSource, LogFollower, type LogChange } from '../../incident/follow';
import { INCIDENTS_DIR } from '../../incident/store';

/** A change of a followed log, after the follower has read it. */
export interface LogUpdate {
  file: string;
  log: LogFollower;
  change: LogChange;
}

interface Followed {
  log: LogFollower;
  users: number;
}

export class IncidentLogs implements vscode.Disposable {
  private readonly followed = new Map<string, Followed>();
  private readonly updated = new vscode.EventEmitter<LogUpdate>();
  /** Fires when a followed log changed on disk. */
  readonly onDidUpdate = this.updated.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/${INCIDENTS_DIR}/*.jsonl`);
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const refresh = (uri: vscode.Uri) => void this.refresh(uri.fsPath);
    this.subscriptions = [
      this.watcher,
      this.watcher.onDidChange(refresh),
      this.watcher.onDidCreate(refresh),
      this.watcher.onDidDelete(refresh),
    ];
  }

  /** Follows a log until the returned lease is disposed; resolves once the log has been read. */
  async follow(file: string): Promise<{ log: LogFollower; lease: vscode.Disposable }> {
    let entry = this.followed.get(file);
    if (!entry) this.followed.set(file, (entry = { log: new LogFollower(fileSource(file)), users: 0 }));
    entry.users++;
    const followed = entry;
    let change: LogChange;
    try {
      change = await followed.log.update();
    } catch (error) {
      // The file went away between listing and reading: give the follower up rather than leak it.
      if (--followed.users === 0 && this.followed.get(file) === followed) this.followed.delete(file);
      throw error;
    }
    // Another user of this log learns of what this read found, as if the watcher had seen it.
    if (change.kind !== 'none') this.updated.fire({ file, log: followed.log, change });
    let released = false;
    const lease = new vscode.Disposable(() => {
      if (released) return;
      released = true;
      if (--followed.users === 0 && this.followed.get(file) === followed) this.followed.delete(file);
    });
    return { log: followed.log, lease };
  }

  /** Reads what a followed log gained (after our own `record`, or a watcher event) and tells the listeners. */
  async refresh(file: string): Promise<void> {
    const entry = this.followed.get(file);
    if (!entry) return;
    const change = await entry.log.update();
    if (change.kind !== 'none') this.updated.fire({ file, log: entry.log, change });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.updated.dispose();
    this.followed.clear();
  }
}

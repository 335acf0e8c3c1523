// The "Playbook" terminal: an extension-owned pseudoterminal that shows each run's command, live output and
// result, so the process is ours and its exit code, output and duration are exact. Ctrl+C cancels the run.
import * as vscode from 'vscode';

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export class RunTerminal implements vscode.Disposable {
  private readonly writer = new vscode.EventEmitter<string>();
  private terminal: vscode.Terminal | undefined;
  private opened: Promise<void> | undefined;
  private cancelCurrent: (() => void) | undefined;
  private readonly closeListener: vscode.Disposable;

  constructor() {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) {
        this.terminal = undefined;
        this.opened = undefined;
      }
    });
  }

  /** Shows the terminal (creating it once) and resolves when it can be written to. */
  async show(): Promise<void> {
    if (!this.terminal) {
      let markOpen: () => void = () => undefined;
      this.opened = new Promise((resolve) => (markOpen = resolve));
      const pty: vscode.Pseudoterminal = {
        onDidWrite: this.writer.event,
        open: () => markOpen(),
        close: () => this.cancelCurrent?.(),
        handleInput: (data) => {
          if (data === '\x03') this.cancelCurrent?.();
        },
      };
      this.terminal = vscode.window.createTerminal({ name: 'Playbook', pty, iconPath: new vscode.ThemeIcon('checklist') });
    }
    this.terminal.show(true);
    await this.opened;
  }

  /** Starts a run's section: its title and the exact command (already redacted). */
  begin(title: string, command: string, cancel: () => void): void {
    this.cancelCurrent = cancel;
    this.write(`\r\n${BOLD}▶ ${title}${RESET}\r\n${DIM}${command.replace(/\n/g, '\r\n  ')}${RESET}\r\n`);
  }

  output(chunk: string): void {
    this.write(chunk.replace(/\r?\n/g, '\r\n'));
  }

  end(label: string, passed: boolean): void {
    this.cancelCurrent = undefined;
    this.write(`\r\n${passed ? GREEN : RED}${label}${RESET}\r\n`);
  }

  private write(text: string): void {
    this.writer.fire(text);
  }

  dispose(): void {
    this.closeListener.dispose();
    this.terminal?.dispose();
    this.writer.dispose();
  }
}

// Runs commands in a real integrated terminal through VS Code's shell integration API (setting
// `playbook.run.terminal: shellIntegration`), reading output and exit code from the shell. When integration does not
// appear in time, it answers undefined and the caller runs the command itself in the Playbook pseudoterminal.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { OutputCapture, stripAnsi } from '../../run/output';
import { defaultShell, scriptArgs, writeScript, type ProcessOutcome } from '../../run/processRunner';
import { Redactor, type NamedSecret } from '../../run/redact';
import { defaultEffects, type StepEffects } from '../../run/stepRunner';
import { editorProxy } from './proxySettings';

const KILL_GRACE_MS = 2000;

export interface ShellRun {
  command: string;
  env: Record<string, string>;
  cwd: string | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  shell?: string;
  secrets: readonly NamedSecret[];
  outputLimitBytes: number;
  /** Redacted output as it arrives, mirrored into the Playbook terminal where the run's header and result are. */
  onOutput?(chunk: string): void;
}

export class ShellIntegrationTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private key: string | undefined;

  /** How long to wait for the shell to report integration: the setting, read at each run. */
  private waitMs(): number {
    return 1000 * vscode.workspace.getConfiguration('playbook').get<number>('run.shellIntegrationWaitSeconds', 5);
  }

  async run(run: ShellRun): Promise<ProcessOutcome | undefined> {
    const terminal = this.terminalFor(run);
    const integration = terminal.shellIntegration ?? (await waitForIntegration(terminal, this.waitMs()));
    if (!integration) return undefined;
    // Every command runs as a script file: shell integration mishandles multi-line commands and heredocs, and a
    // step's `exit 3` typed into the interactive shell would close the person's terminal instead of ending the step.
    const shell = run.shell ?? (vscode.env.shell || defaultShell());
    const script = await writeScript(run.command, shell);
    try {
      return await execute(terminal, integration, [shell, ...scriptArgs(shell, script.file)].map(quote).join(' '), run);
    } finally {
      await fs.rm(script.dir, { recursive: true, force: true });
    }
  }

  /** One terminal per environment: variables reach the shell through the terminal's environment, never its input. */
  private terminalFor(run: ShellRun): vscode.Terminal {
    const key = JSON.stringify([run.env, run.cwd]);
    if (this.terminal && this.key === key && this.terminal.exitStatus === undefined) return this.terminal;
    this.terminal?.dispose();
    this.terminal = vscode.window.createTerminal({
      name: 'Playbook (shell)',
      cwd: run.cwd,
      env: run.env,
      iconPath: new vscode.ThemeIcon('terminal'),
    });
    this.key = key;
    return this.terminal;
  }

  dispose(): void {
    this.terminal?.dispose();
  }
}

function waitForIntegration(terminal: vscode.Terminal, timeoutMs: number): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal === terminal) done(e.shellIntegration);
    });
    function done(value: vscode.TerminalShellIntegration | undefined) {
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    }
  });
}

async function execute(
  terminal: vscode.Terminal,
  integration: vscode.TerminalShellIntegration,
  line: string,
  run: ShellRun,
): Promise<ProcessOutcome> {
  const startedAt = new Date();
  const redactor = new Redactor(run.secrets);
  const capture = new OutputCapture(run.outputLimitBytes);
  let timedOut = false;
  let cancelled = false;
  const emit = (text: string) => {
    capture.write(text);
    if (text) run.onOutput?.(text);
  };
  const execution = integration.executeCommand(line);
  const ended = new Promise<number | undefined>((resolve) => {
    // Both listeners go when either fires: the terminal is reused, so a leftover would pile up one per run.
    const finish = (exitCode: number | undefined): void => {
      listeners.dispose();
      resolve(exitCode);
    };
    const listeners = vscode.Disposable.from(
      vscode.window.onDidEndTerminalShellExecution((e) => e.execution === execution && finish(e.exitCode)),
      vscode.window.onDidCloseTerminal((t) => t === terminal && finish(undefined)),
    );
  });
  // read() must be called at once, or the start of the output is lost.
  const reading = (async () => {
    for await (const data of execution.read()) emit(redactor.push(stripAnsi(data)));
    emit(redactor.end());
  })();
  let killTimer: NodeJS.Timeout | undefined;
  const interrupt = (why: 'timeout' | 'cancel') => {
    if (why === 'timeout') timedOut = true;
    else cancelled = true;
    terminal.sendText('\x03', false);
    // A command that ignores Ctrl+C goes with its shell: closing the terminal hangs up its process group.
    killTimer = setTimeout(() => terminal.dispose(), KILL_GRACE_MS);
  };
  const timer = run.timeoutMs > 0 ? setTimeout(() => interrupt('timeout'), run.timeoutMs) : undefined;
  const onAbort = () => interrupt('cancel');
  run.signal.addEventListener('abort', onAbort, { once: true });
  const exitCode = await ended;
  clearTimeout(timer);
  clearTimeout(killTimer);
  run.signal.removeEventListener('abort', onAbort);
  await settleWithin(reading, 250);
  const endedAt = new Date();
  return {
    exitCode: timedOut || cancelled ? null : (exitCode ?? null),
    signal: null,
    timedOut,
    cancelled,
    startedAt,
    endedAt,
    durationMs: endedAt.getTime() - startedAt.getTime(),
    output: capture.result(),
  };
}

/** Waits for `work`, but no longer than `ms` (the output stream may outlive a killed command); leaves no timer. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Step effects that run commands through shell integration in the background 'Playbook (shell)' terminal, mirroring
 * the output into the Playbook pseudoterminal (where Ctrl+C cancels), and fall back to our own process when the shell
 * does not report integration in time.
 */
export function shellIntegrationEffects(
  terminal: ShellIntegrationTerminal,
  fallback: StepEffects,
  secrets: readonly NamedSecret[],
  outputLimitBytes: number,
  note: (text: string) => void,
): StepEffects {
  return {
    ...fallback,
    shell: async (command, env, cwd, timeoutMs, signal, shell) => {
      const outcome = await terminal.run({ command, env, cwd, timeoutMs, signal, shell, secrets, outputLimitBytes, onOutput: note });
      if (outcome) return outcome;
      note('(shell integration did not start in time; running it here instead)\n');
      return fallback.shell(command, env, cwd, timeoutMs, signal, shell);
    },
  };
}

/** The effects the settings ask for: shell integration (the default) with its fallback, or the pseudoterminal only. */
export function configuredEffects(
  shellTerminal: ShellIntegrationTerminal,
): (secrets: readonly NamedSecret[], onOutput: (chunk: string) => void) => StepEffects {
  return (secrets, onOutput) => {
    const config = vscode.workspace.getConfiguration('playbook');
    const fallback = defaultEffects({ secrets, onOutput, proxy: editorProxy() });
    if (config.get<string>('run.terminal', 'shellIntegration') !== 'shellIntegration') return fallback;
    return shellIntegrationEffects(shellTerminal, fallback, secrets, 1024 * config.get<number>('run.outputLimitKb', 1024), onOutput);
  };
}

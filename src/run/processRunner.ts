// Runs a shell command as a child process in its own process group: redacted, bounded output; timeout and cancel kill the whole tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { OutputCapture, type CapturedOutput } from './output';
import { Redactor, type NamedSecret, type RedactionPlan } from './redact';

/** How long a tree gets between SIGTERM and SIGKILL, by default. */
export const DEFAULT_KILL_GRACE_MS = 2000;

/** How long to wait for output pipes to close after the shell exited (a background child may hold them open). */
const PIPE_GRACE_MS = 250;

/** What `runProcess` needs besides the command. */
export interface ProcessOptions {
  /** Shell executable or name (`bash`, `/bin/zsh`, `pwsh`, `cmd`); default `$SHELL` or `/bin/bash`, `cmd.exe` on Windows. */
  shell?: string;
  cwd?: string;
  /** Added to the inherited environment; wins on a clash. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Kill the tree after this long; no limit when absent or not positive. */
  timeoutMs?: number;
  /** Aborting kills the tree and records the run as cancelled. */
  signal?: AbortSignal;
  /** Secret values to hide from the recorded and the live output. */
  secrets?: readonly (string | NamedSecret)[] | RedactionPlan;
  /** Budget of the recorded output (head and tail kept); default 1 MB. */
  outputLimitBytes?: number;
  /** Time between SIGTERM and SIGKILL; default 2 s. */
  killGraceMs?: number;
  /** Redacted chunks as they arrive, ANSI escapes kept, for live display. */
  onOutput?(redactedChunk: string): void;
  /** Called once the process has started, with the time from the call to the spawn event. */
  onSpawn?(startLatencyMs: number): void;
}

/** How a process run ended. Never thrown: a process that could not start has `spawnError`. */
export interface ProcessOutcome {
  /** `null` when the process was killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  /** Time from the call to the spawn event; absent when the process never started. */
  startLatencyMs?: number;
  /** stdout and stderr interleaved in arrival order, redacted, ANSI-stripped, head and tail kept. */
  output: CapturedOutput;
  /** Why the process could not be started (shell or working directory not found). */
  spawnError?: string;
}

/** Runs `command` with the shell; multi-line commands run as a temporary script (mode 0700, removed afterwards). */
export async function runProcess(command: string, options: ProcessOptions = {}): Promise<ProcessOutcome> {
  const called = performance.now();
  const startedAt = new Date();
  const shell = options.shell ?? defaultShell();
  const state = new RunState(options);
  if (options.signal?.aborted) {
    state.cancelled = true;
    return state.outcome(startedAt, called, null, null);
  }
  let script: { dir: string; file: string } | undefined;
  try {
    script = command.includes('\n') ? await writeScript(command, shell) : undefined;
  } catch (error) {
    state.spawnError = `could not write the script file: ${(error as Error).message}`;
    return state.outcome(startedAt, called, null, null);
  }
  try {
    const args = script ? scriptArgs(shell, script.file) : commandArgs(shell, command);
    return await execute(shell, args, options, state, { startedAt, called });
  } finally {
    if (script) await fs.rm(script.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The user's shell: `$SHELL` or `/bin/bash` on POSIX, `%ComSpec%` or `cmd.exe` on Windows. */
export function defaultShell(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env.ComSpec ?? 'cmd.exe';
  return env.SHELL || '/bin/bash';
}

type ShellFamily = 'posix' | 'cmd' | 'powershell';

function familyOf(shell: string): ShellFamily {
  const name = path.win32
    .basename(shell)
    .toLowerCase()
    .replace(/\.exe$/, '');
  if (name === 'cmd') return 'cmd';
  if (name === 'pwsh' || name === 'powershell') return 'powershell';
  return 'posix';
}

/** Arguments that make the shell run one line of text. */
export function commandArgs(shell: string, command: string): string[] {
  const family = familyOf(shell);
  if (family === 'cmd') return ['/d', '/s', '/c', command];
  if (family === 'powershell') return ['-NoProfile', '-NonInteractive', '-Command', command];
  return ['-c', command];
}

/** Arguments that make the shell run a script file. */
export function scriptArgs(shell: string, file: string): string[] {
  const family = familyOf(shell);
  if (family === 'cmd') return ['/d', '/c', file];
  if (family === 'powershell') return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', file];
  return [file];
}

/** Writes a command to a 0700 script in a fresh temporary folder, which the caller removes after the run. */
export async function writeScript(command: string, shell: string): Promise<{ dir: string; file: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'playbook-step-'));
  const extension = { posix: '.sh', cmd: '.cmd', powershell: '.ps1' }[familyOf(shell)];
  const file = path.join(dir, `step${extension}`);
  const text = command.endsWith('\n') ? command : `${command}\n`;
  await fs.writeFile(file, text, { mode: 0o700 });
  return { dir, file };
}

/** Output plumbing and the flags a run collects. */
class RunState {
  timedOut = false;
  cancelled = false;
  spawnError: string | undefined;
  startLatencyMs: number | undefined;
  private readonly redactor: Redactor;
  private readonly capture: OutputCapture;

  constructor(private readonly options: ProcessOptions) {
    this.redactor = new Redactor(options.secrets ?? []);
    this.capture = new OutputCapture(options.outputLimitBytes);
  }

  write(text: string): void {
    this.emit(this.redactor.push(text));
  }

  finish(): void {
    this.emit(this.redactor.end());
  }

  private emit(text: string): void {
    if (text.length === 0) return;
    this.capture.write(text);
    this.options.onOutput?.(text);
  }

  outcome(startedAt: Date, called: number, exitCode: number | null, signal: NodeJS.Signals | null): ProcessOutcome {
    const durationMs = Math.max(0, performance.now() - called);
    const endedAt = new Date(startedAt.getTime() + durationMs);
    const outcome: ProcessOutcome = {
      exitCode,
      signal,
      timedOut: this.timedOut,
      cancelled: this.cancelled,
      startedAt,
      endedAt,
      durationMs,
      output: this.capture.result(),
    };
    if (this.startLatencyMs !== undefined) outcome.startLatencyMs = this.startLatencyMs;
    if (this.spawnError !== undefined) outcome.spawnError = this.spawnError;
    return outcome;
  }
}

function execute(
  shell: string,
  args: string[],
  options: ProcessOptions,
  state: RunState,
  at: { startedAt: Date; called: number },
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const spawned = spawnGroup(shell, args, options, state);
    if (!spawned) return resolve(state.outcome(at.startedAt, at.called, null, null));
    const child: ChildProcess = spawned;
    const killer = new TreeKiller(child, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    const stopWatching = watchLimits(options, state, killer);
    pipeOutput(child, state);
    child.once('spawn', () => {
      state.startLatencyMs = performance.now() - at.called;
      options.onSpawn?.(state.startLatencyMs);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // an error after a successful spawn (a failed kill) changes nothing
      state.spawnError = describeSpawnError(error, shell, options.cwd);
    });
    child.once('close', (code, signal) => finish(code, signal));
    child.once('exit', (code, signal) => {
      // A background child may keep the pipes open; do not wait for it beyond a short grace.
      setTimeout(() => finish(code, signal), PIPE_GRACE_MS).unref();
    });
    let done = false;
    function finish(code: number | null, signal: NodeJS.Signals | null): void {
      if (done) return;
      done = true;
      stopWatching();
      child.stdout?.destroy();
      child.stderr?.destroy();
      state.finish();
      resolve(state.outcome(at.startedAt, at.called, state.spawnError === undefined ? code : null, signal));
    }
  });
}

/** Spawns the shell as the leader of a new process group (POSIX), so the whole tree can be signalled at once. */
function spawnGroup(shell: string, args: string[], options: ProcessOptions, state: RunState): ChildProcess | undefined {
  try {
    return spawn(shell, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    // Invalid arguments (a NUL byte in the command or the environment) throw before any process exists.
    state.spawnError = `could not start ${shell}: ${(error as Error).message}`;
    return undefined;
  }
}

function pipeOutput(child: ChildProcess, state: RunState): void {
  for (const stream of [child.stdout, child.stderr]) {
    const decoder = new StringDecoder('utf8');
    stream?.on('data', (chunk: Buffer) => state.write(decoder.write(chunk)));
    stream?.on('end', () => state.write(decoder.end()));
  }
}

/** Arms the timeout and the abort signal; returns a function that disarms both. */
function watchLimits(options: ProcessOptions, state: RunState, killer: TreeKiller): () => void {
  const timeoutMs = options.timeoutMs ?? 0;
  const timer =
    timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          if (state.cancelled) return;
          state.timedOut = true;
          killer.kill();
        }, timeoutMs)
      : undefined;
  const onAbort = (): void => {
    if (state.timedOut) return;
    state.cancelled = true;
    killer.kill();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  };
}

/** Kills a process and everything it started: SIGTERM to the group, SIGKILL after a grace. */
class TreeKiller {
  private escalation: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: ChildProcess,
    private readonly graceMs: number,
  ) {}

  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.escalation) return;
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
      return;
    }
    signalGroup(pid, 'SIGTERM');
    // Escalate even after the shell died: a grandchild that ignores SIGTERM is still in the group.
    this.escalation = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.graceMs);
    this.escalation.unref();
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function describeSpawnError(error: NodeJS.ErrnoException, shell: string, cwd: string | undefined): string {
  if (error.code === 'ENOENT') {
    if (cwd !== undefined && !existsSync(cwd)) return `working directory not found: ${cwd}`;
    return `shell not found: ${shell}`;
  }
  if (error.code === 'EACCES') return `shell not executable: ${shell}`;
  return `could not start ${shell}: ${error.message}`;
}

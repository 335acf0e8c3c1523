// Runs git for the incident sync: no shell, no prompt, a timeout, and credentials redacted from whatever it says.
import { spawn } from 'node:child_process';

/** What one git command did; `code` is null when it could not start or was killed (timeout, cancel). */
export interface GitOutput {
  code: number | null;
  stdout: string;
  /** stdout as bytes, for `cat-file --batch`, whose sizes count bytes. */
  bytes: Buffer;
  stderr: string;
}

/** Where and how long git may run. */
export interface GitOptions {
  cwd: string;
  timeoutMs: number;
  /** Extra environment (tests point HOME elsewhere); the process environment is the base. */
  env?: NodeJS.ProcessEnv;
}

// `-c` settings that keep a sync round from doing anything but its job: no background gc, no hooks' pagers, no
// fsmonitor daemon started on behalf of a plumbing command.
const QUIET_CONFIG = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'core.fsmonitor=false', '-c', 'color.ui=false'];

/** Runs `git args` in `options.cwd`, writing `input` to its stdin; never throws and never waits for a terminal prompt. */
export function runGit(args: string[], options: GitOptions, input?: string): Promise<GitOutput> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C' };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', [...QUIET_CONFIG, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolve({ code: null, stdout: '', bytes: Buffer.alloc(0), stderr: (error as Error).message });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.stdin?.on('error', () => undefined);
    child.on('error', (error) => err.push(Buffer.from(error.message)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr =
        Buffer.concat(err).toString('utf8') + (signal ? `\n(git stopped by ${signal}${signal === 'SIGKILL' ? ', timed out' : ''})` : '');
      const bytes = Buffer.concat(out);
      resolve({ code, stdout: bytes.toString('utf8'), bytes, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/** Removes user names, passwords and tokens from URLs in a message (`https://user:token@host` → `https://***@host`). */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}

/** The last meaningful line git printed, redacted, for a message a person reads. */
export function gitMessage(output: GitOutput): string {
  const lines = redactCredentials(output.stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('hint:'));
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return (fatal ?? lines[lines.length - 1] ?? `git exited with ${output.code ?? 'no code'}`).replace(/^(fatal|error):\s*/, '');
}

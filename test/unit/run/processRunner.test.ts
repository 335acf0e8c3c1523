import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { commandArgs, defaultShell, runProcess, scriptArgs, type ProcessOptions } from '../../../src/run/processRunner';

const BASH = '/bin/bash';
const posix = process.platform === 'win32' ? describe.skip : describe;
const run = (command: string, options: ProcessOptions = {}) => runProcess(command, { shell: BASH, killGraceMs: 200, ...options });

/** Alive and not a zombie (PID 1 in a container may not reap orphans). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Resolves once the condition holds, polling briefly; fails the test after `ms`. */
async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

posix('runProcess', () => {
  it('runs a passing one-line command and records its output and exit code', async () => {
    const outcome = await run('echo hello');
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.signal, null);
    assert.equal(outcome.output.text, 'hello\n');
    assert.deepEqual(
      { timedOut: outcome.timedOut, cancelled: outcome.cancelled, spawnError: outcome.spawnError },
      { timedOut: false, cancelled: false, spawnError: undefined },
    );
    assert.ok(outcome.endedAt.getTime() >= outcome.startedAt.getTime());
    assert.ok(outcome.durationMs >= 0);
    assert.equal(typeof outcome.startLatencyMs, 'number');
  });

  it('reports a failing exit code', async () => {
    const outcome = await run('exit 3');
    assert.equal(outcome.exitCode, 3);
    assert.equal(outcome.output.text, '');
  });

  it('uses the default shell when none is given', async () => {
    const outcome = await runProcess('echo "$((6 * 7))"');
    assert.equal(outcome.output.text, '42\n');
  });

  it('runs a multi-line command with a heredoc as a 0700 script that is removed afterwards', async () => {
    const outcome = await run(['cat <<EOF', 'line one', 'line two', 'EOF', 'stat -c %a "$0"', 'echo "$0"'].join('\n'));
    const [one, two, mode, script] = outcome.output.text.trimEnd().split('\n');
    assert.deepEqual([one, two, mode], ['line one', 'line two', '700']);
    assert.equal(outcome.exitCode, 0);
    assert.equal(existsSync(script), false);
  });

  it('exposes the given environment variables to the process', async () => {
    const outcome = await run('echo "$GREETING from $TARGET"', { env: { GREETING: 'hello', TARGET: 'staging' } });
    assert.equal(outcome.output.text, 'hello from staging\n');
  });

  it('runs in the given working directory', async () => {
    const outcome = await run('pwd', { cwd: '/tmp' });
    assert.equal(outcome.output.text, '/tmp\n');
  });

  it('interleaves stdout and stderr in arrival order', async () => {
    const outcome = await run('echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three');
    assert.equal(outcome.output.text, 'one\ntwo\nthree\n');
  });

  it('kills the whole process tree on timeout, grandchildren included', async () => {
    let live = '';
    const outcome = await run('sleep 30 & echo "$!"; sleep 30 & echo "$!"; wait', { timeoutMs: 300, onOutput: (chunk) => (live += chunk) });
    const pids = live.split('\n').filter(Boolean).map(Number);
    assert.equal(outcome.timedOut, true);
    assert.equal(outcome.cancelled, false);
    assert.equal(outcome.exitCode, null);
    assert.equal(outcome.signal, 'SIGTERM');
    assert.equal(pids.length, 2);
    await eventually(() => pids.every((pid) => !isAlive(pid)));
  });

  it('kills a tree that ignores SIGTERM with SIGKILL after the grace period', async () => {
    let live = '';
    const outcome = await run('trap \'\' TERM; sleep 30 & echo "$!"; wait; wait', { timeoutMs: 200, onOutput: (chunk) => (live += chunk) });
    const pid = Number(live.trim());
    assert.equal(outcome.timedOut, true);
    assert.ok(pid > 0);
    await eventually(() => !isAlive(pid));
  });

  it('is cancelled through its abort signal', async () => {
    const controller = new AbortController();
    const outcome = await run('echo started; sleep 30', { signal: controller.signal, onOutput: () => controller.abort() });
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.timedOut, false);
    assert.equal(outcome.exitCode, null);
    assert.equal(outcome.output.text, 'started\n');
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await run('echo never', { signal: controller.signal });
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.startLatencyMs, undefined);
    assert.equal(outcome.output.text, '');
  });

  it('keeps the head and tail of output beyond the budget', async () => {
    const outcome = await run("head -c 100000 /dev/zero | tr '\\0' a; echo; echo END", { outputLimitBytes: 1000 });
    assert.equal(outcome.output.totalBytes, 100005);
    assert.equal(outcome.output.omittedBytes, 99005);
    assert.ok(outcome.output.text.startsWith('a'.repeat(500)));
    assert.ok(outcome.output.text.endsWith('\nEND\n'));
  });

  it('strips ANSI escapes from the record but not from the live chunks', async () => {
    let live = '';
    const outcome = await run("printf '\\033[31mred\\033[0m\\n'", { onOutput: (chunk) => (live += chunk) });
    assert.equal(outcome.output.text, 'red\n');
    assert.equal(live, '\u001b[31mred\u001b[0m\n');
  });

  it('never lets a secret reach the outcome or the live output, even split across writes', async () => {
    let live = '';
    const outcome = await run("printf 'token=sup'; sleep 0.1; printf 'ersecret\\n' >&2; echo done", {
      secrets: [{ name: 'TOKEN', value: 'supersecret' }],
      onOutput: (chunk) => (live += chunk),
    });
    assert.equal(outcome.output.text, 'token=••••\ndone\n');
    assert.equal(live, 'token=••••\ndone\n');
  });

  it('reports a missing shell instead of throwing', async () => {
    const outcome = await runProcess('echo hi', { shell: '/nonexistent/shell' });
    assert.equal(outcome.spawnError, 'shell not found: /nonexistent/shell');
    assert.equal(outcome.exitCode, null);
    assert.equal(outcome.startLatencyMs, undefined);
  });

  it('reports a command the system cannot pass to a process instead of throwing', async () => {
    const outcome = await run('echo a\u0000b');
    assert.match(outcome.spawnError ?? '', /^could not start \/bin\/bash: /);
    assert.equal(outcome.exitCode, null);
  });

  it('reports a missing working directory instead of throwing', async () => {
    const outcome = await run('echo hi', { cwd: '/nonexistent/dir' });
    assert.equal(outcome.spawnError, 'working directory not found: /nonexistent/dir');
  });
});

describe('shell arguments', () => {
  it('defaults to $SHELL, then /bin/bash, and to cmd on Windows', () => {
    assert.equal(defaultShell({ SHELL: '/usr/bin/zsh' }, 'linux'), '/usr/bin/zsh');
    assert.equal(defaultShell({}, 'darwin'), '/bin/bash');
    assert.equal(defaultShell({}, 'win32'), 'cmd.exe');
  });

  it('runs one line with -c in POSIX shells', () => {
    assert.deepEqual(commandArgs('/usr/bin/zsh', 'echo hi'), ['-c', 'echo hi']);
  });

  it('runs one line with /c in cmd and -Command in PowerShell', () => {
    assert.deepEqual(commandArgs('C:\\Windows\\System32\\cmd.exe', 'dir'), ['/d', '/s', '/c', 'dir']);
    assert.deepEqual(commandArgs('pwsh', 'Get-Date'), ['-NoProfile', '-NonInteractive', '-Command', 'Get-Date']);
  });

  it('runs a script as the first argument in POSIX shells and with -File in PowerShell', () => {
    assert.deepEqual(scriptArgs('bash', '/tmp/x/step.sh'), ['/tmp/x/step.sh']);
    assert.deepEqual(scriptArgs('powershell.exe', 'C:\\t\\step.ps1'), [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
      'C:\\t\\step.ps1',
    ]);
  });
});

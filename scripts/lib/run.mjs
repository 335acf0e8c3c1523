// Child-process helpers that print what they run and fail loudly, for the install and test scripts.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** Runs a command with inherited stdio; resolves on exit 0, rejects otherwise. */
export function run(cmd, args, { cwd = ROOT, env = process.env, quiet = false } = {}) {
  if (!quiet) console.log(`$ ${[cmd, ...args].join(' ')}${cwd === ROOT ? '' : `   (in ${path.relative(ROOT, cwd) || '.'})`}`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Like run, but resolves with the exit code instead of rejecting (for stages whose failure is a result). */
export function runStatus(cmd, args, { cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      console.error(`${cmd}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Makes SIGINT/SIGTERM/SIGHUP end the process through process.exit, so 'exit' hooks run (Node's default signal
 * death skips them, and code-server runs in its own process group that Ctrl+C does not reach).
 */
export function exitOnSignals() {
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ]) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(128 + number));
  }
}

export const TIMEOUT = Symbol('timeout');

/** Resolves with the promise's value, or TIMEOUT after `ms` (for deadlines on events that may never come). */
export function within(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms, TIMEOUT);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Only for the pause between polls of a condition that has a deadline. */
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A child process of the sync stress test: a responder appending notes, or a window syncing in a loop.
//   node syncWorker.js append <workspace> <actor> <count> <maxPauseMs>
//   node syncWorker.js sync <workspace> <pauseMs>        (until killed or stdin closes)
import { syncIncident } from '../../../src/incident/sync';
import { appendNote, GIT_ENV, INCIDENT } from './syncRepos';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function append(workspace: string, actor: string, count: number, maxPauseMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await appendNote(workspace, actor, `${actor} note ${i}`);
    await pause(Math.random() * maxPauseMs);
  }
}

async function syncLoop(workspace: string, pauseMs: number): Promise<void> {
  let stop = false;
  process.stdin.on('end', () => (stop = true));
  process.stdin.resume();
  while (!stop) {
    const result = await syncIncident({ workspace, incidentId: INCIDENT, env: GIT_ENV, timeoutMs: 20_000 });
    process.stdout.write(
      `${JSON.stringify({ state: result.state, sent: result.sent, received: result.received.length, message: result.message })}\n`,
    );
    await pause(pauseMs);
  }
}

const [mode, workspace, ...rest] = process.argv.slice(2);
const done = mode === 'append' ? append(workspace, rest[0], Number(rest[1]), Number(rest[2])) : syncLoop(workspace, Number(rest[0]));
done.then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);

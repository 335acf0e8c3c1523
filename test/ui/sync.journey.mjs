// Two responders on one incident, each in their own clone of the team's repository: ana starts the incident in
// VS Code, the extension pushes it to the remote's refs/incidents/<id>; bob, on "another machine" (a second clone),
// gets it with `playbook sync`, records runs and a note and syncs them back; ana's panel shows bob's events among hers
// with his name, and the status bar says when it last synced and from whom events came. Screenshot: team-sync.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arrangeSideBar } from './panel.journey.mjs';

export const workspace = 'examples';

const PLAYBOOK = 'living-codex.playbook.yaml';
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const NOTE = 'Failover done; ana watches error rates';

const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const playbook = (cwd, ...args) => execFileSync(process.execPath, [CLI, ...args], { cwd, env: GIT_ENV, encoding: 'utf8' });

export default async function syncJourney(ctx) {
  const { page } = ctx;
  const parent = path.dirname(ctx.workspace);
  const remote = path.join(parent, 'team.git');
  const bob = path.join(parent, 'bob');
  git(parent, 'init', '--quiet', '--bare', remote);
  git(ctx.workspace, 'init', '--quiet');
  git(ctx.workspace, 'remote', 'add', 'origin', remote);
  git(parent, 'clone', '--quiet', remote, bob);

  await ctx.openFile(PLAYBOOK);
  await ctx.waitForText('.editor-instance .view-lines', 'Living Codex');
  await ctx.runCommand('Playbook: Start Incident');
  await ctx.pickQuickItem('No incident is active', 'Start incident with other details…');
  await ctx.answerInputBox('New incident', 'Checkout errors after deploy', { ready: 'A short title' });
  await ctx.pickQuickItem('Severity', /^\s*P1(?!\d)/);
  await ctx.answerInputBox('Incident commander', 'ana', { ready: 'Who leads the response' });
  const id = await ctx.waitUntil(
    () => git(remote, 'for-each-ref', '--format=%(refname:strip=2)', 'refs/incidents').trim(),
    'the incident is on the remote',
  );
  ctx.log(`1. ${id} started in VS Code and pushed to refs/incidents/${id}`);

  assert.match(playbook(bob, 'sync', id), /received 1 \(/);
  const log = path.join(bob, '.incidents', `${id}.jsonl`);
  const start = Date.parse(JSON.parse(fs.readFileSync(log, 'utf8').split('\n')[0]).at);
  fs.appendFileSync(
    log,
    bobEvents(start)
      .map((e) => `${JSON.stringify(e)}\n`)
      .join(''),
  );
  assert.match(playbook(bob, 'sync', `.incidents/${id}.jsonl`), /sent 3/);
  ctx.log('2. bob, in his own clone, received the incident with playbook sync, recorded and sent three events');

  await page
    .locator('.part.statusbar .statusbar-item')
    .filter({ hasText: /INC-\d{4}-\d{4}-\d{4} · P1/ })
    .click();
  await arrangeSideBar(ctx);
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await panel.locator('.row').filter({ hasText: 'bob' }).filter({ hasText: 'db-failover' }).waitFor({ timeout: 30_000 });
  await page
    .locator('.part.statusbar .statusbar-item')
    .filter({ hasText: /synced \d+ s ago · \+3 from bob/ })
    .waitFor({ timeout: 30_000 });
  ctx.log("3. bob's events arrive in ana's panel with his name; the status bar says so");

  await panel.locator('#note-text').fill(NOTE);
  await panel.locator('#note button[type=submit]').click();
  await panel.locator('.row').filter({ hasText: NOTE }).waitFor();
  await ctx.waitUntil(() => playbook(bob, 'sync', id).includes('received 1'), "ana's note reaches bob", { timeout: 30_000 });
  await ctx.screenshot('team-sync');
  assert.equal(git(ctx.workspace, 'status', '--porcelain', '--untracked-files=no'), '');
  ctx.log("4. ana's note reaches bob's clone; her branch and index are untouched");
}

/** bob's runs and note, a few seconds after the start. */
function bobEvents(start) {
  const at = (s) => new Date(start + s * 1000).toISOString();
  const base = (id, s, kind) => ({ v: 1, id: `journey-bob-${id}`, at: at(s), kind, actor: 'bob' });
  const run = (id, s, step, command, verdict, exitCode, output) => ({
    ...base(id, s, 'step.run'),
    step,
    stepKind: 'shell',
    command,
    start: at(s - 1),
    end: at(s),
    durationMs: 1000,
    exitCode,
    verdict,
    output: { head: output, tail: '', omittedBytes: 0 },
    confirmations: [],
    playbook: PLAYBOOK,
  });
  return [
    run('check', 2, 'p1-quick-check', 'curl -s http://localhost:5002/health', 'failed', 7, 'curl: (7) Failed to connect'),
    { ...base('note', 3, 'note.added'), text: 'Primary DB is read-only; failing over' },
    run('failover', 4, 'db-failover', './failover.sh --to replica-2', 'passed', 0, 'promoted replica-2'),
  ];
}

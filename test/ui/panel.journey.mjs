// A responder follows an incident in the Incident panel: starts one from the palette, opens the panel, sees a
// teammate's runs arrive live (appended to the log file, as another window would), expands a failed run's output,
// filters by result and text, adds a note from the panel, moves through rows with the keyboard and jumps to a step
// in the playbook. Screenshots: panel.png (timeline with expanded output), panel-filter.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const workspace = 'examples';

const PLAYBOOK = 'living-codex.playbook.yaml';
const TITLE = 'Living Codex API down';
const NOTE = 'Restarted the API; watching memory for 15 minutes';

export default async function panelJourney(ctx) {
  const { page } = ctx;
  await ctx.openFile(PLAYBOOK);
  await ctx.waitForText('.editor-instance .view-lines', 'Living Codex');
  await ctx.runCommand('Playbook: Start Incident');
  await ctx.pickQuickItem('No incident is active', 'Start incident with other details…');
  await ctx.answerInputBox('New incident', TITLE, { ready: 'A short title' });
  await ctx.pickQuickItem('Severity', /^\s*P1(?!\d)/);
  await ctx.answerInputBox('Incident commander', 'ana', { ready: 'Who leads the response' });
  const file = await ctx.waitUntil(() => incidentLog(ctx), 'the incident log exists');
  ctx.log(`started ${path.basename(file)}`);

  // The incident in the status bar (`INC-… · P1 · investigating`, not the `INC-… started` message) opens the panel.
  await page
    .locator('.part.statusbar .statusbar-item')
    .filter({ hasText: /INC-\d{4}-\d{4}-\d{4} · P1 · investigating/ })
    .click();
  await arrangeSideBar(ctx);
  const panel = webview(page);
  await panel.locator('.incident-title').filter({ hasText: TITLE }).waitFor();
  await panel.locator('.row').filter({ hasText: 'Incident started' }).waitFor();
  ctx.log('1. a click on the status bar shows the active incident in the panel');

  // A teammate's window records runs to the same log: the panel follows the file.
  fs.appendFileSync(
    file,
    teammateEvents(readStart(file), Date.now())
      .map((e) => `${JSON.stringify(e)}\n`)
      .join(''),
  );
  await panel.locator('.row').filter({ hasText: 'p1-verify-health' }).waitFor();
  await panel.locator('.count').filter({ hasText: '8 events' }).waitFor();
  ctx.log("2. a teammate's runs appear live");

  const failed = panel.locator('.row').filter({ hasText: 'p1-quick-check' });
  await failed.locator('.summary').click();
  await failed.locator('.output').filter({ hasText: 'SERVER DOWN' }).waitFor();
  assert.equal(await failed.getAttribute('aria-expanded'), 'true');
  await ctx.screenshot('panel');
  ctx.log("3. a failed run's output expands");

  await panel.locator('#filter-verdict').selectOption('failed');
  await panel.locator('.count').filter({ hasText: '2 of 8 events' }).waitFor();
  await panel.locator('#filter-text').fill('NO PROCESSES');
  await panel.locator('.count').filter({ hasText: '1 of 8 events' }).waitFor();
  await ctx.screenshot('panel-filter');
  // Hidden, the webview is discarded; shown again, it restores its filters and expanded rows from its saved state.
  await ctx.runCommand('View: Show Explorer');
  await ctx.openViewContainer('playbooks');
  await panel.locator('.count').filter({ hasText: '1 of 8 events' }).waitFor();
  assert.equal(await panel.locator('#filter-verdict').inputValue(), 'failed');
  assert.equal(await panel.locator('#filter-text').inputValue(), 'NO PROCESSES');
  await failed.locator('.output').waitFor();
  await panel.locator('#filter-text').fill('');
  await panel.locator('#filter-verdict').selectOption('');
  await panel.locator('.count').filter({ hasText: '8 events' }).waitFor();
  ctx.log('4. filters by result and by text, kept while the view is hidden');

  await panel.locator('#note-text').fill(NOTE);
  await panel.locator('#note button[type=submit]').click();
  await panel.locator('.row').filter({ hasText: NOTE }).waitFor();
  await ctx.waitUntil(() => fs.readFileSync(file, 'utf8').includes(`"text":"${NOTE}"`), 'the note is in the log file');
  ctx.log('5. a note added from the panel is recorded');

  // Keyboard: a row is the Tab stop; End moves focus to the last row (the note, recorded last), Enter expands it.
  await panel.locator('.row[tabindex="0"]').focus();
  await page.keyboard.press('End');
  const last = panel.locator('.row:focus[aria-posinset="9"][aria-setsize="9"]');
  await last.filter({ hasText: NOTE }).waitFor();
  await page.keyboard.press('Enter');
  await panel.locator('.row[aria-expanded="true"]').filter({ hasText: NOTE }).waitFor();
  await page.keyboard.press('ArrowUp');
  await panel.locator('.row:focus[aria-posinset="8"]').filter({ hasText: 'p1-verify-health' }).waitFor();
  ctx.log('6. keyboard: End, Enter, ArrowUp');

  const stepLine =
    fs
      .readFileSync(path.join(ctx.workspace, PLAYBOOK), 'utf8')
      .split('\n')
      .findIndex((l) => l.trim() === '- id: p1-quick-check') + 1;
  await failed.locator('.step').click();
  await ctx.waitForText('[id="status.editor.selection"]', `Ln ${stepLine},`);
  ctx.log(`7. the step link reveals p1-quick-check at line ${stepLine}`);
}

/** The Incident webview's document (VS Code nests it: the webview iframe, then its active frame). */
function webview(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * The Steps view shares the container; collapsing it gives the Incident view the side bar's height. A wider side bar
 * (dragging its edge, as a person would) shows a row's result and duration beside its step.
 */
export async function arrangeSideBar(ctx) {
  const sidebar = await ctx.page.locator('.part.sidebar').boundingBox();
  await ctx.page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + sidebar.height / 2);
  await ctx.page.mouse.down();
  await ctx.page.mouse.move(sidebar.x + 480, sidebar.y + sidebar.height / 2, { steps: 5 });
  await ctx.page.mouse.up();
  const header = ctx.page.locator('.part.sidebar .pane-header[aria-label^="Steps"]');
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  await ctx.page.locator('.part.sidebar .pane-header[aria-label^="Incident"][aria-expanded="true"]').waitFor();
}

function incidentLog(ctx) {
  const [log] = ctx.findFiles(/^INC-.*\.jsonl$/);
  return log && fs.readFileSync(path.join(ctx.workspace, log), 'utf8').includes('incident.started') && path.join(ctx.workspace, log);
}

function readStart(file) {
  return Date.parse(JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]).at);
}

/**
 * What a teammate recorded between the start and now (so before anything this journey records next): two failed
 * checks, a fix, status changes, a role. `seconds` run 1 to 7: eighths of that time.
 */
function teammateEvents(start, now) {
  const at = (seconds) => new Date(start + ((now - start) * seconds) / 8).toISOString();
  const base = (id, seconds, kind) => ({ v: 1, id: `journey-${id}`, at: at(seconds), kind, actor: 'sam' });
  const run = (id, seconds, step, stepKind, command, verdict, result, output) => ({
    ...base(id, seconds, 'step.run'),
    step,
    stepKind,
    command,
    start: new Date(Date.parse(at(seconds)) - 840).toISOString(),
    end: at(seconds),
    durationMs: 840,
    verdict,
    output: { head: output, tail: '', omittedBytes: 0 },
    confirmations: [],
    playbook: PLAYBOOK,
    ...result,
  });
  return [
    { ...base('role', 1, 'role.assigned'), role: 'scribe', person: 'sam' },
    run(
      'health',
      2,
      'p1-health',
      'http',
      'GET http://localhost:5002/health',
      'failed',
      { exitCode: null, httpStatus: 503 },
      '{"status":"unhealthy","database":"timeout"}',
    ),
    run(
      'quick',
      3,
      'p1-quick-check',
      'shell',
      'curl -s http://localhost:5002/health || echo "SERVER DOWN"\nps aux | grep dotnet || echo "NO PROCESSES"',
      'failed',
      { exitCode: 1 },
      'curl: (7) Failed to connect to localhost port 5002\nSERVER DOWN\nNO PROCESSES',
    ),
    { ...base('status', 4, 'status.changed'), from: 'investigating', to: 'identified' },
    run(
      'fix',
      5,
      'p1-fix-process',
      'shell',
      'pgrep -f dotnet || ./start-server.sh',
      'passed',
      { exitCode: 0 },
      'CRITICAL: No dotnet processes running\nStarting Living Codex on :5002… ok',
    ),
    { ...base('status2', 6, 'status.changed'), from: 'identified', to: 'mitigated' },
    run(
      'verify',
      7,
      'p1-verify-health',
      'http',
      'GET http://localhost:5002/health',
      'passed',
      { exitCode: null, httpStatus: 200 },
      '{"status":"healthy"}',
    ),
  ];
}

// A person runs a step from its code lens: `▶ Run` above a harmless step, the first run asks where to record it
// (a drill with other details than the defaults: a title, a severity, a commander), the Playbook terminal shows
// the command, its output and the result, the result comes back as a lens above the step and as the step's icon in
// the Playbooks tree, and the incident log in the workspace holds the run. Every step waits on what the screen shows.
// Screenshots: run-terminal.png, run-lens.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collapseTree, expandRow } from './harness.mjs';

// Code-server runs with workspace trust disabled (scripts/lib/code-server.mjs): the workspace is trusted, so the
// lenses offer `▶ Run` instead of the "trusted workspace" lens.
export const workspace = 'examples';

const PLAYBOOK = 'living-codex.playbook.yaml';
const PLAYBOOK_TITLE = 'Living Codex Incident Response Playbook';
/** The tree path down to the step: scenario, then phase (each row shows its title, then its id). */
const TREE_PATH = [
  { id: 'p1-critical', title: 'P1 - Critical incident response' },
  { id: 'immediate', title: 'Immediate Response (0-15 minutes)' },
];
/**
 * Harmless and offline: `tail -20 logs/server.log | grep -i error` in a workspace without logs/. tail complains on
 * stderr, grep finds nothing and exits 1, which the step expects (`exit_code: [0, 1]`): a clean, recorded pass.
 */
const STEP = { id: 'p1-log-errors', title: 'Check logs for errors', output: /No such file or directory/, result: '✓ exit 1 · ' };
const DRILL_TITLE = 'UI journey drill: log check';
const SEVERITY = 'P4';
const COMMANDER = 'ui-commander';
/** A result lens or terminal line: `✓ exit 1 · 12 ms · 14:03` (or a failure, `✗ exit 2 · …`). */
const RESULT = /[✓✗]\s+exit\s+\d+\s+·\s/;
/** Process start and the first terminal on a 2-core machine: generous, still a deadline. */
const RUN_TIMEOUT_MS = 30_000;

export default async function runningJourney(ctx) {
  const { page } = ctx;
  const lines = fs.readFileSync(path.join(ctx.workspace, PLAYBOOK), 'utf8').split('\n');
  const stepLine = lines.findIndex((line) => line.trim() === `- id: ${STEP.id}`) + 1;
  assert.ok(stepLine > 0, `${PLAYBOOK} has step ${STEP.id}`);
  assert.deepEqual(ctx.findFiles(/\.jsonl$/), [], 'the workspace starts without an incident log');
  // The terminal draws with WebGL on a canvas, which holds no text to read; its DOM renderer draws the same screen as
  // text. A setting of this throwaway workspace copy, written before any terminal exists (a terminal also switches
  // renderer when the setting arrives late, so the text waits below still hold).
  fs.mkdirSync(path.join(ctx.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(ctx.workspace, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'terminal.integrated.gpuAcceleration': 'off' }, null, 2)}\n`,
  );
  let started = Date.now();
  const done = (what) => {
    ctx.log(`${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    started = Date.now();
  };

  await ctx.openFile(PLAYBOOK);
  await ctx.waitForText('.editor-instance .view-lines', lines.find((line) => line.trim() !== '').trim());
  done(`opened ${PLAYBOOK}`);

  const stepRow = await showStepInTree(ctx);
  done('1. Playbooks view: scenario expanded, step listed');

  // The lenses render for the lines on screen: bring the step there, then click its `▶ Run`.
  await ctx.goToLine(stepLine);
  // All lenses of a line share one decoration: the step's is the one holding its `▶ Run` (named by its tooltip).
  const runLens = page.locator(`a[title="Run step ${STEP.id} and record the result"]`);
  const lens = page.locator('.codelens-decoration').filter({ has: runLens });
  await lens.locator(runLens).click();
  await ctx.pickQuickItem('No incident is active', 'Record a drill with other details…');
  await ctx.answerInputBox('New drill', DRILL_TITLE, { ready: 'A short title' });
  // A row reads `P4Low` (label, then description): the label must not be a prefix of another (P4 of P40).
  await ctx.pickQuickItem('Severity', new RegExp(`^\\s*${SEVERITY}(?!\\d)`));
  await ctx.answerInputBox('Incident commander', COMMANDER, { ready: 'Who leads the response' });
  done(`2. ▶ Run, recorded as a drill "${DRILL_TITLE}", severity ${SEVERITY}`);

  const terminal = '.terminal-wrapper .xterm';
  await ctx.waitForText(terminal, `▶ ${STEP.title}`, { timeout: RUN_TIMEOUT_MS });
  await ctx.waitForText(terminal, 'tail -20 logs/server.log', { timeout: RUN_TIMEOUT_MS });
  await ctx.waitForText(terminal, STEP.output, { timeout: RUN_TIMEOUT_MS });
  await ctx.waitForText(terminal, RESULT, { timeout: RUN_TIMEOUT_MS });
  const terminalResult = (await page.locator(terminal).first().innerText())
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => RESULT.test(line));
  ctx.log(`  terminal: ${terminalResult}`);
  await ctx.screenshot('run-terminal');
  done('3. terminal shows the command, its output and the result');

  // The result lens joins `▶ Run` and `Dry run` above the step once the run is recorded.
  const resultLens = lens.locator('span, a').filter({ hasText: RESULT }).last();
  await resultLens.waitFor({ state: 'visible', timeout: RUN_TIMEOUT_MS });
  const label = (await resultLens.innerText()).replace(/\u00a0/g, ' ').trim();
  assert.ok(terminalResult?.includes(label), `the lens (${label}) shows the terminal's result line (${terminalResult})`);
  ctx.log(`  lens: ${label}`);
  assert.ok(label.startsWith(STEP.result), `grep found nothing in the missing log: \`${STEP.result}…\`, not \`${label}\``);
  const verdict = label.startsWith('✓') ? 'passed' : 'failed';
  // The tree swaps the step's kind icon for its result: pass (green tick) or error (red cross).
  const icon = verdict === 'passed' ? '.codicon-pass' : '.codicon-error';
  await stepRow.locator(icon).waitFor({ state: 'visible', timeout: RUN_TIMEOUT_MS });
  // Moving the cursor updated the breadcrumbs, whose scrollbar shows for a moment: let it fade before the picture.
  await page.locator('.breadcrumbs-control .scrollbar.visible').first().waitFor({ state: 'hidden' });
  await ctx.screenshot('run-lens');
  done('4. result lens above the step, result icon in the tree');

  const events = await ctx.waitUntil(() => stepRunEvents(ctx), `.incidents/*.jsonl records a step.run of ${STEP.id}`);
  const { file, started: incident, run } = events;
  assert.equal(incident?.drill, true, 'the incident is recorded as a drill');
  assert.equal(incident?.title, DRILL_TITLE);
  assert.equal(incident?.severity, SEVERITY);
  assert.equal(incident?.commander, COMMANDER);
  assert.equal(run.stepKind, 'shell');
  assert.equal(run.verdict, verdict, `the recorded verdict matches the lens (${label})`);
  assert.equal(run.exitCode, Number(label.match(/exit (\d+)/)[1]), 'the recorded exit code is the one the lens shows');
  assert.match(run.command, /tail -20 logs\/server\.log \| grep -i error/);
  assert.match(run.output.head, STEP.output);
  assert.equal(run.playbook, PLAYBOOK);
  ctx.log(`  ${file}: ${run.kind} ${run.step} ${run.verdict} exit ${run.exitCode} in ${run.durationMs} ms`);
  done('5. incident log holds the run');
}

/**
 * Opens the Playbooks view, collapses every playbook (five would push the step below the fold), then expands this
 * playbook, scenario and phase by their twisties (clicking a row also reveals it in the editor). Returns the step's row.
 */
async function showStepInTree(ctx) {
  const { page } = ctx;
  assert.ok(await ctx.openViewContainer('playbooks'), 'the extension contributes the `playbooks` view container');
  const view = await ctx.waitForView('playbook.steps');
  const rows = view.locator('.monaco-list-row');
  await collapseTree(page, 'Steps', rows);
  await expandRow(rows.filter({ hasText: PLAYBOOK_TITLE }).first());
  for (const item of TREE_PATH) await expandRow(rows.filter({ hasText: item.title }).filter({ hasText: item.id }).first());
  const step = rows.filter({ hasText: STEP.title }).filter({ hasText: STEP.id }).first();
  await step.waitFor({ state: 'visible' });
  await ctx.waitUntil(async () => inside(await step.boundingBox(), await view.boundingBox()), "the step's row is on screen in the view");
  return step;
}

function inside(box, area) {
  return box && area && box.y >= area.y && box.y + box.height <= area.y + area.height;
}

/** The incident log's `incident.started` and the step's `step.run`, once both are on disk; else false. */
function stepRunEvents(ctx) {
  const logs = ctx.findFiles(/^INC-.*\.jsonl$/).filter((file) => file.split(path.sep)[0] === '.incidents');
  if (logs.length !== 1) return false;
  const events = fs
    .readFileSync(path.join(ctx.workspace, logs[0]), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const started = events.find((event) => event.kind === 'incident.started');
  const run = events.find((event) => event.kind === 'step.run' && event.step === STEP.id);
  return run && { file: logs[0], started, run };
}

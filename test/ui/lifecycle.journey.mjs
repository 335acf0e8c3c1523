// A responder runs an incident from the palette and the Playbooks tree: starts it (title, severity, commander),
// ticks a checklist item by its checkbox in the tree, assigns a role and raises the severity. The status bar and the
// tree show each change, and the incident log holds one event for each. Screenshot: checklists.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collapseTree, expandRow } from './harness.mjs';

export const workspace = 'examples';

const PLAYBOOK = 'ai-development.playbook.yaml';
const PLAYBOOK_TITLE = 'Incident Response Playbook: ai-development cluster';
const CHECKLIST = 'Immediate (within 1 hour)';
const ITEM = 'Verify system stability';
const TITLE = 'UI journey: checkout errors';
const COMMANDER = 'ana';
const ROLE = { label: 'Incident Commander', person: 'bo' };

export default async function lifecycleJourney(ctx) {
  const { page } = ctx;
  assert.ok(
    fs.readFileSync(path.join(ctx.workspace, PLAYBOOK), 'utf8').includes(`title: "${PLAYBOOK_TITLE}"`),
    `${PLAYBOOK} is titled ${PLAYBOOK_TITLE}`,
  );
  let started = Date.now();
  const done = (what) => {
    ctx.log(`${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    started = Date.now();
  };

  await ctx.openFile(PLAYBOOK);
  await ctx.runCommand('Playbook: Start Incident');
  await ctx.pickQuickItem('No incident is active', 'Start incident with other details…');
  await ctx.answerInputBox('New incident', TITLE, { ready: 'A short title' });
  await ctx.pickQuickItem('Severity', /^\s*P3(?!\d)/);
  await ctx.answerInputBox('Incident commander', COMMANDER, { ready: 'Who leads the response' });
  const statusBar = page.locator('.part.statusbar');
  await ctx.waitForText('.part.statusbar', /INC-\d{4}-\d{4}-\d{4} · P3 · investigating/);
  done('1. incident started from the palette; the status bar shows it');

  assert.ok(await ctx.openViewContainer('playbooks'), 'the extension contributes the `playbooks` view container');
  const view = await ctx.waitForView('playbook.steps');
  const rows = view.locator('.monaco-list-row');
  await collapseTree(page, 'Steps', rows);
  await expandRow(rows.filter({ hasText: PLAYBOOK_TITLE }).first());
  await expandRow(rows.filter({ hasText: /^Checklists$/ }).first());
  await expandRow(rows.filter({ hasText: CHECKLIST }).first());
  const item = rows.filter({ hasText: ITEM }).first();
  const checkbox = item.locator('.custom-view-tree-node-item-checkbox, input[type="checkbox"]').first();
  await checkbox.click();
  await ctx.waitUntil(
    async () => /checked/.test((await checkbox.getAttribute('class')) ?? '') || (await checkbox.getAttribute('aria-checked')) === 'true',
    'the checkbox shows the tick',
  );
  await item.filter({ hasText: /\d{2}:\d{2}/ }).waitFor({ state: 'visible' });
  done('2. checklist item ticked by its checkbox; the row names who and when');

  await ctx.runCommand('Playbook: Assign Incident Role');
  await ctx.pickQuickItem('assign a role', ROLE.label);
  await ctx.answerInputBox('who is commander?', ROLE.person);
  await ctx.runCommand('Playbook: Change Incident Severity');
  await ctx.pickQuickItem('severity is P3', /^\s*P2(?!\d)/);
  await ctx.waitForText('.part.statusbar', /· P2 · investigating/);
  await statusBar.hover();
  await ctx.screenshot('checklists');
  done('3. role assigned and severity raised from the palette');

  const events = await ctx.waitUntil(() => logEvents(ctx, 4), 'the incident log holds four events');
  assert.deepEqual(
    events.map((e) => e.kind),
    ['incident.started', 'checklist.ticked', 'role.assigned', 'severity.changed'],
  );
  assert.equal(events[0].commander, COMMANDER);
  assert.deepEqual([events[1].checklist, events[1].item, events[1].checked], ['post-immediate', ITEM, true]);
  assert.deepEqual([events[2].role, events[2].person], ['commander', ROLE.person]);
  assert.deepEqual([events[3].from, events[3].to], ['P3', 'P2']);
  done('4. the log holds one event per action');
}

function logEvents(ctx, count) {
  const logs = ctx.findFiles(/^INC-.*\.jsonl$/);
  if (logs.length !== 1) return false;
  const events = fs
    .readFileSync(path.join(ctx.workspace, logs[0]), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return events.length >= count && events;
}

// A person opens a 10,000-step playbook: it is validated, its tree and its outline open and expand, and a keystroke
// inside a step updates the Problems count. Prints how long each took and the longest task that blocked the
// workbench's main thread meanwhile (a visible stall); nothing here asserts on time. Screenshot: large-tree.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const workspace = 'examples';

const FILE = 'platform-10k.playbook.yaml';
const TITLE = 'Platform runbook (10,000 steps)';
const SCENARIOS = 500;
const PHASES = 2;
const STEPS_PER_PHASE = 10;
/** The one deliberate mistake: a misspelt `timeout` in the middle step. */
const TYPO = 'timout';

export default async function largeJourney(ctx) {
  const { page } = ctx;
  const text = largePlaybook();
  // Alone in the workspace, so the tree shows only it (the view reads the workspace when first shown).
  for (const other of ctx.findFiles(/\.playbook\.ya?ml$/)) fs.rmSync(path.join(ctx.workspace, other));
  fs.writeFileSync(path.join(ctx.workspace, FILE), text);
  const lines = text.split('\n');
  ctx.log(
    `wrote ${FILE}: ${SCENARIOS * PHASES * STEPS_PER_PHASE} steps, ${lines.length} lines, ${(text.length / 1024 / 1024).toFixed(1)} MB`,
  );
  await watchLongTasks(page);
  const timings = [];
  let started = Date.now();
  const done = async (what) => {
    timings.push(`${what}: ${Date.now() - started} ms, longest main-thread task meanwhile ${await longestTask(page)} ms`);
    ctx.log(`  ${timings[timings.length - 1]}`);
    started = Date.now();
  };

  await ctx.openFile(FILE);
  await ctx.waitForText('.editor-instance .view-lines', 'version: 1');
  await done('open the file in an editor');
  await ctx.waitUntil(async () => (await ctx.problemCounts()).errors === 1, `the Problems count shows the one unknown key \`${TYPO}\``, {
    timeout: 60_000,
  });
  await done('validate it (Problems: 1 error)');

  assert.ok(await ctx.openViewContainer('playbooks'), 'the Playbooks view container exists');
  const tree = await ctx.waitForView('playbook.steps');
  const first = tree.locator('.monaco-list-row').filter({ hasText: 'Scenario 1 of' }).first();
  await first.waitFor({ state: 'visible', timeout: 60_000 });
  await done(`show the tree: ${TITLE} with its ${SCENARIOS} scenarios`);
  // The twistie expands without running the item's command (which reveals the scenario in the editor).
  await first.locator('.monaco-tl-twistie').click();
  await tree.locator('.monaco-list-row').filter({ hasText: 'Step 1.1.1' }).first().waitFor({ state: 'visible' });
  await done('expand the first scenario (phases and steps)');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  // Its last step is the tree's new last row: End again scrolls to it once it is there.
  const last = `Step ${SCENARIOS}.${PHASES}.${STEPS_PER_PHASE}`;
  await ctx.waitUntil(async () => {
    await page.keyboard.press('End');
    return tree.locator('.monaco-list-row.focused').filter({ hasText: last }).isVisible();
  }, `the tree's last row is ${last}`);
  await done('jump to the last scenario and expand it');
  await ctx.screenshot('large-tree');

  await ctx.runCommand('Explorer: Focus on Outline View');
  const outline = page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header[aria-label^="Outline"]') })
    .first();
  const scenarios = outline
    .locator('.monaco-list-row')
    .filter({ hasText: /^scenarios/ })
    .first();
  await scenarios.waitFor({ state: 'visible', timeout: 60_000 });
  await done('show the outline');
  if (!(await outline.locator('.monaco-list-row').filter({ hasText: 'Scenario 1 of' }).first().isVisible()))
    await scenarios.locator('.monaco-tl-twistie').click();
  await outline.locator('.monaco-list-row').filter({ hasText: 'Scenario 1 of' }).first().waitFor({ state: 'visible' });
  await done("expand the outline's scenarios");

  // Fix the typo inside the middle step: the Problems count drops to 0 (after the adapter's short debounce).
  const typoLine = lines.findIndex((line) => line.trim().startsWith(`${TYPO}:`)) + 1;
  await ctx.goToLine(typoLine, lines[typoLine - 1].indexOf(TYPO) + 4);
  await page.keyboard.type('e');
  started = Date.now();
  await ctx.waitUntil(async () => (await ctx.problemCounts()).errors === 0, 'the Problems count drops to 0 after the fix', {
    timeout: 60_000,
  });
  await done('type one character inside a step until Problems shows 0 (includes the 150 ms debounce)');
  ctx.log(`large playbook timings:\n    ${timings.join('\n    ')}`);
}

/** 500 scenarios of 2 phases of 10 steps: a run block each, one misspelt key in the middle step. */
function largePlaybook() {
  const out = ['version: 1', `title: ${TITLE}`, 'variables:', '  BASE_URL:', '    default: http://localhost:5002', 'scenarios:'];
  for (let s = 1; s <= SCENARIOS; s++) {
    out.push(`  - id: scenario-${s}`, `    title: Scenario ${s} of ${SCENARIOS}`, '    phases:');
    for (let p = 1; p <= PHASES; p++) {
      out.push(`      - id: phase-${p}`, `        title: Phase ${p}`, '        steps:');
      for (let k = 1; k <= STEPS_PER_PHASE; k++) {
        const key = s === SCENARIOS / 2 && p === 1 && k === 1 ? TYPO : 'timeout';
        out.push(
          `          - id: step-${s}-${p}-${k}`,
          `            title: Step ${s}.${p}.${k}`,
          '            run: |',
          `              curl -s \${BASE_URL}/health/${s}/${k} | jq .status`,
          `              tail -50 logs/service-${s}.log | grep -i error`,
          `            ${key}: 1m`,
        );
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Records the workbench's long tasks (main thread blocked over 50 ms) from now on. */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
}

/** The longest long task since the last call (0 when none), and forgets them. */
async function longestTask(page) {
  return page.evaluate(() => {
    const longest = Math.round(Math.max(0, ...window.__longTasks));
    window.__longTasks = [];
    return longest;
  });
}

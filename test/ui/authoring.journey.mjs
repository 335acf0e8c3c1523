// A person edits a playbook: the shell in a `run: |` block is highlighted as shell, a typo in a key gets a squiggle
// whose hover suggests the right key, and completion on a new line of a step offers the step's keys. Every step
// waits on what the screen shows. Screenshots: shell-highlighting.png, diagnostic-hover.png, completion.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const workspace = 'examples';

const PLAYBOOK = 'living-codex.playbook.yaml';
/** A step with a `run: |` block and none of the keys completion should offer (keys already present are not). */
const STEP_ID = 'p1-quick-check';
const OFFERED_KEYS = ['expect', 'when', 'timeout'];

export default async function authoringJourney(ctx) {
  const lines = fs.readFileSync(path.join(ctx.workspace, PLAYBOOK), 'utf8').split('\n');
  const step = stepLines(lines, STEP_ID);
  let started = Date.now();
  const done = (what) => {
    ctx.log(`${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    started = Date.now();
  };

  await ctx.openFile(PLAYBOOK);
  await ctx.waitForText('.editor-instance .view-lines', lines.find((line) => line.trim() !== '').trim());
  done(`opened ${PLAYBOOK}`);

  await shellHighlighting(ctx, step, lines);
  done('1. shell highlighting');
  await typoDiagnostic(ctx, step);
  done('2. typo, squiggle, hover, undo');
  await stepCompletion(ctx, step);
  done('3. completion, undo');
}

/** 1. Go to the step's `run: |`: the shell inside it is coloured as shell, not as one YAML string. */
async function shellHighlighting(ctx, step, lines) {
  await ctx.goToLine(step.run);
  const titleValue = lines[step.title - 1].trim().replace(/^title:\s*/, '');
  const body = lines.slice(step.run, step.runEnd).map((text) => text.trim());
  // Colouring comes after the first render (the shell grammar loads on demand): re-read until it is there.
  const seen = await ctx.waitUntil(async () => {
    const yamlString = (await ctx.editorLine(step.title)).tokens.find((token) => token.text === titleValue)?.color;
    if (!yamlString) return false;
    const rendered = await Promise.all(body.map((_, i) => ctx.editorLine(step.run + 1 + i)));
    const tokens = rendered.flatMap((line) => line.tokens).filter((token) => token.text.trim() !== '');
    // The first word of each line: a command (`curl`, `ps`) or a comment, each coloured unlike a YAML string.
    const leads = rendered.map((line, i) =>
      line.tokens.find((token) =>
        body[i].startsWith('#') ? token.text.trim().startsWith('#') : token.text.trim() === body[i].split(/\s+/)[0],
      ),
    );
    const colours = new Set(tokens.map((token) => token.color));
    const ok = leads.every((token) => token && token.color !== yamlString) && colours.size >= 3;
    return (
      ok &&
      `YAML string ${yamlString}; ${leads.map((token) => `${token.text} ${token.color}`).join(', ')}; ${colours.size} colours in the block`
    );
  }, `the \`run\` block of ${STEP_ID} shows shell colours (commands and comments unlike YAML strings)`);
  ctx.log(`  ${seen}`);
  await ctx.screenshot('shell-highlighting');
}

/** 2. Type a typo over a step's `run` key: squiggle, Problems count up, hover suggests `run`; Ctrl+Z clears it. */
async function typoDiagnostic(ctx, step) {
  const { page } = ctx;
  const before = await ctx.problemCounts();
  await ctx.goToLine(step.run, step.indent + 1);
  for (let i = 0; i < 'run'.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type('rn');
  await ctx.waitUntil(async () => (await ctx.editorLine(step.run)).text.trim() === 'rn: |', 'the line reads `rn: |`');

  await ctx.waitUntil(() => squiggleUnder(ctx, step.run, 'rn'), 'a squiggle appears under `rn`');
  const after = await ctx.waitUntil(async () => {
    const counts = await ctx.problemCounts();
    return counts.errors > before.errors && counts;
  }, `the status bar's error count goes above ${before.errors}`);
  ctx.log(`  status bar errors ${before.errors} -> ${after.errors}`);

  // Typing `rn` opened quick suggestions (`run`); a person dismisses them to read the hover.
  const suggest = page.locator('.editor-instance .suggest-widget.visible');
  if (await suggest.isVisible()) await page.keyboard.press('Escape');
  await suggest.waitFor({ state: 'hidden' });
  // Losing its kind removes the step's Run lens and the lines move: measure the squiggle again until the hover
  // under the mouse is the diagnostic's.
  await ctx.waitUntil(async () => {
    const current = await squiggleUnder(ctx, step.run, 'rn');
    if (!current) return false;
    await page.mouse.move(0, 0);
    await page.mouse.move(current.x + current.width / 2, current.y + current.height / 2, { steps: 5 });
    const hover = page.locator('.monaco-hover', { hasText: 'did you mean `run`' });
    return hover
      .first()
      .waitFor({ state: 'visible', timeout: 2000 })
      .then(
        () => true,
        () => false,
      );
  }, 'the hover over `rn` says "did you mean `run`"');
  await suggest.waitFor({ state: 'hidden' });
  await ctx.screenshot('diagnostic-hover');

  await page.mouse.move(0, 0);
  await page.keyboard.press('Control+Z');
  await ctx.waitUntil(async () => (await ctx.editorLine(step.run)).text.trim() === 'run: |', 'Ctrl+Z restores `run: |`');
  await ctx.waitUntil(async () => !(await squiggleUnder(ctx, step.run, 'run')), 'no squiggle is left under `run`');
  await ctx.waitUntil(async () => (await ctx.problemCounts()).errors === before.errors, `the error count is back to ${before.errors}`);
  await cleanEditor(page);
}

/** 3. A new line in the step, Ctrl+Space: the suggest widget offers the keys the step does not have yet. */
async function stepCompletion(ctx, step) {
  const { page } = ctx;
  await ctx.goToLine(step.title);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  // The new line keeps the step's indentation: the cursor is where the step's next key goes.
  await ctx.waitForText('[id="status.editor.selection"]', `Ln ${step.title + 1}, Col ${step.indent + 1}`);
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.editor-instance .suggest-widget.visible');
  await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible' });
  // Keys come sorted by name, then snippets, and the widget shows a dozen rows: a person walks down to `when`, which
  // scrolls `expect` ... `when` into view together.
  const last = OFFERED_KEYS.toSorted().at(-1);
  for (let presses = 0; (await focusedSuggestion(widget)) !== last; presses++) {
    assert.ok(presses < 40, `ArrowDown reaches \`${last}\` in the suggest widget`);
    const from = await focusedSuggestion(widget);
    await page.keyboard.press('ArrowDown');
    await ctx.waitUntil(async () => (await focusedSuggestion(widget)) !== from, 'ArrowDown moves the selection');
  }
  const shown = await ctx.waitUntil(
    async () => {
      const labels = await visibleSuggestions(widget);
      return OFFERED_KEYS.every((key) => labels.includes(key)) && labels;
    },
    `the suggest widget shows ${OFFERED_KEYS.join(', ')}`,
  );
  ctx.log(`  suggestions on screen: ${shown.join(', ')}`);
  // Ctrl+Space again shows the selected key's documentation beside the list (the schema's description).
  const details = page.locator('.suggest-details-container .suggest-details');
  if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
  await details.filter({ hasText: 'Run only if' }).waitFor({ state: 'visible' });
  await ctx.screenshot('completion');

  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden' });
  await page.keyboard.press('Control+Z');
  await ctx.waitForText('[id="status.editor.selection"]', `Ln ${step.title}, Col `);
  await cleanEditor(page);
}

async function focusedSuggestion(widget) {
  const row = widget.locator('.monaco-list-row.focused .label-name');
  return (await row.count()) ? (await row.first().textContent()).trim() : undefined;
}

/** Labels of the suggest widget's rows that lie inside its list's visible area. */
async function visibleSuggestions(widget) {
  return widget
    .locator('.monaco-list')
    .first()
    .evaluate((list) => {
      const area = list.getBoundingClientRect();
      return [...list.querySelectorAll('.monaco-list-row')]
        .filter((row) => {
          const r = row.getBoundingClientRect();
          return r.top >= area.top - 1 && r.bottom <= area.bottom + 1;
        })
        .map((row) => row.querySelector('.label-name')?.textContent.trim());
    });
}

/** After an undo the document is as saved again: its tab loses the dirty mark. */
async function cleanEditor(page) {
  await page.locator('.tabs-container .tab.active:not(.dirty)').filter({ hasText: PLAYBOOK }).waitFor({ state: 'visible' });
}

/** The box of `word` on `line` when an error squiggle is drawn under it, else false. */
async function squiggleUnder(ctx, line, word) {
  const token = (await ctx.editorLine(line)).tokens.find((candidate) => candidate.text === word);
  if (!token) return false;
  const squiggles = await ctx.page.locator('.editor-instance .squiggly-error').evaluateAll((elements) =>
    elements.map((element) => {
      const r = element.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  return squiggles.some((box) => overlaps(box, token.box)) && token.box;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Line numbers (1-based) of the step's `title:` and `run: |` lines and its run block's last line; the key column. */
function stepLines(lines, id) {
  const start = lines.findIndex((line) => line.trim() === `- id: ${id}`);
  assert.ok(start >= 0, `${PLAYBOOK} has step ${id}`);
  const indent = lines[start].indexOf('-') + 2;
  const findKey = (key) => {
    for (let i = start + 1; i < lines.length && (lines[i].trim() === '' || lines[i].search(/\S/) >= indent); i++) {
      if (lines[i].search(/\S/) === indent && lines[i].slice(indent).startsWith(`${key}:`)) return i;
    }
    return -1;
  };
  const keyLine = (key) => {
    const line = findKey(key);
    assert.ok(line >= 0, `step ${id} has a ${key} key`);
    return line;
  };
  const run = keyLine('run');
  assert.match(lines[run], /run: \|$/, `step ${id} has a \`run: |\` block`);
  for (const key of OFFERED_KEYS) {
    assert.equal(findKey(key), -1, `step ${id} has no ${key} key (completion offers only missing keys)`);
  }
  let end = run;
  while (end + 1 < lines.length && lines[end + 1].search(/\S/) > indent) end++;
  return { title: keyLine('title') + 1, run: run + 1, runEnd: end + 1, indent };
}

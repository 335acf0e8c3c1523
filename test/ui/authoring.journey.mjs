// A person edits a playbook: the shell in a `run: |` block is highlighted as shell, a typo in a key gets a squiggle
// whose hover suggests the right key, and completion on a new line of a step offers the step's keys.
// Screenshots: shell-highlighting.png, diagnostic-hover.png, completion.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const workspace = 'examples';

const PLAYBOOK = 'living-codex.playbook.yaml';
/** A step with a `run: |` block and none of the keys completion should offer (a present key is not offered). */
const STEP_ID = 'p1-quick-check';
const EXPECTED_KEYS = ['expect', 'when', 'timeout'];

export default async function authoringJourney(ctx) {
  const { page } = ctx;
  const lines = fs.readFileSync(path.join(ctx.workspace, PLAYBOOK), 'utf8').split('\n');
  const step = stepLines(lines, STEP_ID);

  await ctx.openFile(PLAYBOOK);
  await ctx.waitForText('.editor-instance .view-lines', lines.find((line) => line.trim() !== '').trim());

  // 1. The shell inside `run: |` is coloured as shell, not as one YAML string.
  await ctx.goToLine(step.run);
  const body = await waitForShellColours(ctx, step);
  ctx.log(`shell tokens: ${body}`);
  await ctx.screenshot('shell-highlighting');
}

/** Line numbers (1-based) of the step's `- id:`, `title:` and `run: |` lines, and the run block's last line. */
function stepLines(lines, id) {
  const start = lines.findIndex((line) => line.trim() === `- id: ${id}`);
  assert.ok(start >= 0, `${PLAYBOOK} has step ${id}`);
  const indent = lines[start].indexOf('-') + 2;
  const at = (key) => {
    for (let i = start + 1; i < lines.length && (lines[i].trim() === '' || lines[i].search(/\S/) >= indent); i++) {
      if (lines[i].slice(indent).startsWith(`${key}:`)) return i;
    }
    assert.fail(`step ${id} has a ${key} key`);
  };
  const run = at('run');
  let end = run + 1;
  while (end + 1 < lines.length && lines[end + 1].search(/\S/) > indent) end++;
  return { id: start + 1, title: at('title') + 1, run: run + 1, runEnd: end + 1, indent };
}

async function waitForShellColours(ctx, step) {
  // TODO
  const info = [];
  for (let n = step.title; n <= step.runEnd; n++) info.push(JSON.stringify(await ctx.editorLine(n)));
  return info.join('\n');
}

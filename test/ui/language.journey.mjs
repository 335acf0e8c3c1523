// A person opens the examples and a playbook in them: the editor shows it as a Playbook file, and the extension's
// Playbooks view (once it exists) shows its outline. Screenshots: docs/screenshots/editor.png, playbooks-view.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { languageAlias } from './harness.mjs';

export const workspace = 'examples';

export default async function languageJourney(ctx) {
  const [playbook] = ctx.findFiles(/\.playbook\.ya?ml$/);
  assert.ok(playbook, 'the workspace has a *.playbook.yaml file');
  await ctx.openFile(playbook);
  await ctx.waitForText('.editor-instance .view-lines', firstWords(path.join(ctx.workspace, playbook)));
  // The status bar's language indicator names the language by its alias: proof the file got language `playbook`.
  await ctx.waitForText('[id="status.editor.mode"]', languageAlias(ctx.manifest, 'playbook'));
  await ctx.screenshot('editor');

  if (!(await ctx.openViewContainer('playbooks'))) {
    ctx.log('the extension contributes no `playbooks` view container yet: no view screenshot');
    return;
  }
  await ctx.waitForView('playbook.steps');
  await ctx.screenshot('playbooks-view');
}

/** The first words of the file's first non-blank line, as the editor renders them. */
function firstWords(file) {
  const line =
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .find((text) => text.trim() !== '') ?? '';
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

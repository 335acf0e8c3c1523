// A person with an existing Markdown runbook imports it: it opens as a playbook beside the Markdown, with a summary
// of what came across. Screenshot: docs/screenshots/import.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const workspace = 'examples';

export default async function importJourney(ctx) {
  // The runbook a team already has; the journey's workspace is a throwaway copy of examples/.
  const source = path.join(ctx.workspace, 'cache-runbook.md');
  fs.copyFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'workspace', 'runbook.md'), source);
  await ctx.openFile('cache-runbook.md');
  await ctx.waitForText('.editor-instance .view-lines', 'Cache runbook');
  await ctx.runCommand('Playbook: Import from Markdown');
  // The summary toast can hide before it is read; the new playbook's editor is the lasting sign.
  await ctx.waitForText('.tabs-container', 'cache-runbook.playbook.yaml');
  await ctx.waitForText('.editor-instance .view-lines', 'redis-cli');
  const written = fs.readFileSync(path.join(ctx.workspace, 'cache-runbook.playbook.yaml'), 'utf8');
  assert.match(written, /redis-cli -h \$CACHE_HOST ping/);
  await ctx.screenshot('import');
}

// "Playbook: Import from Markdown" in a real VS Code: a Markdown runbook becomes a playbook beside it, opened and valid.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitForDiagnostics, workspaceFile } from './helpers';

describe('import from Markdown', function () {
  this.timeout(30000);

  it('writes runbook.playbook.yaml beside runbook.md, opens it, and it has no errors', async () => {
    const api = await activateExtension();
    const target = await vscode.commands.executeCommand<vscode.Uri>('playbook.importMarkdown', workspaceFile('runbook.md'));
    assert.equal(target?.toString(), workspaceFile('runbook.playbook.yaml').toString());
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.toString(), target.toString());
    assert.equal(doc?.languageId, 'playbook');
    // The language service's own verdict, then what the Problems panel shows.
    assert.ok(doc);
    const analysis = api.service.analyze({ uri: doc.uri.toString(), version: doc.version, getText: () => doc.getText() });
    assert.deepEqual(
      analysis.problems.filter((p) => p.severity === 'error').map((p) => p.message),
      [],
    );
    assert.ok(analysis.model.steps.length >= 2);
    const diagnostics = await waitForDiagnostics(target, () => true);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
      [],
    );
    assert.match(doc?.getText() ?? '', /redis-cli -h \$CACHE_HOST ping/);
  });
});

// The extension loads in a real VS Code and owns the playbook language for the example files.
import * as assert from 'assert';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-playbooks.incident-playbooks';

describe('smoke', () => {
  it('activates the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in the test host`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('runs in a workspace outside the project’s git repository, so no incident syncs to the project’s remote', () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    const found = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: folder, encoding: 'utf8' });
    assert.notStrictEqual(found.status, 0, `the test workspace is inside the repository ${found.stdout.trim()}`);
  });

  it('opens an example *.playbook.yaml as language playbook', async () => {
    const [file] = await vscode.workspace.findFiles('**/*.playbook.yaml', '**/node_modules/**', 1);
    assert.ok(file, 'the test workspace contains a *.playbook.yaml file');
    const editor = await vscode.window.showTextDocument(file);
    assert.strictEqual(editor.document.languageId, 'playbook');
  });
});

// The extension loads in a real VS Code and owns the playbook language for the example files.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-playbooks.incident-playbooks';

describe('smoke', () => {
  it('activates the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in the test host`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('opens an example *.playbook.yaml as language playbook', async () => {
    const [file] = await vscode.workspace.findFiles('**/*.playbook.yaml', '**/node_modules/**', 1);
    assert.ok(file, 'the test workspace contains a *.playbook.yaml file');
    const editor = await vscode.window.showTextDocument(file);
    assert.strictEqual(editor.document.languageId, 'playbook');
  });
});

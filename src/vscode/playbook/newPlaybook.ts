// "Playbook: New Playbook": asks for a title, writes a starter playbook into the workspace and opens it.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { starterPlaybook } from '../../playbook/starter';

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'new'
  );
}

async function newPlaybook(): Promise<void> {
  const title = await vscode.window.showInputBox({
    title: 'New playbook',
    prompt: 'What service or incident type is this playbook for?',
    placeHolder: 'Checkout API',
    validateInput: (v) => (v.trim() ? undefined : 'Enter a title'),
  });
  if (title === undefined) return;
  const text = starterPlaybook(title);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const doc = await vscode.workspace.openTextDocument({ language: 'playbook', content: text });
    await vscode.window.showTextDocument(doc);
    return;
  }
  const uri = await freeName(folder.uri, slug(title));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

/** `name.playbook.yaml`, or `name-2.playbook.yaml` and so on, never overwriting a file. */
async function freeName(folder: vscode.Uri, base: string): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(folder, `${base}${n === 1 ? '' : `-${n}`}.playbook.yaml`);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return uri;
    }
  }
}

export function registerNewPlaybook(): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.newPlaybook, newPlaybook);
}

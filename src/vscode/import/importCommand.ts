// "Playbook: Import from Markdown": converts a Markdown playbook into a playbook beside it, shows what came across.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { describeImport, playbookNameFor } from '../../import/summary';

/** Imports `source` (or the Markdown file being edited, or one the person picks); returns the new playbook's uri. */
async function importFromMarkdown(source?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = source ?? activeMarkdown() ?? (await pick());
  if (!uri) return undefined;
  const markdown = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const target = uri.with({ path: playbookNameFor(uri.path) });
  if (await exists(target)) {
    const answer = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(target)} exists. Replace it?`, { modal: true }, 'Replace');
    if (answer !== 'Replace') return undefined;
  }
  // The importer (and markdown-it) loads on the first import, not with the extension.
  const { importMarkdown } = await import('../../import/markdown');
  const result = importMarkdown(markdown, { sourceName: uri.path.split('/').pop() });
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  const summary = describeImport(result.summary, result.warnings);
  const details = result.warnings.length > 0 ? 'Show Warnings' : undefined;
  void vscode.window.showInformationMessage(`Imported: ${summary}`, ...(details ? [details] : [])).then((choice) => {
    if (choice) void vscode.window.showInformationMessage(result.warnings.join('\n'), { modal: true });
  });
  return target;
}

/** The Markdown file in the active editor: the one a person most likely means. */
function activeMarkdown(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'markdown' && doc.uri.scheme === 'file' ? doc.uri : undefined;
}

async function pick(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Markdown: ['md', 'markdown', 'txt'] }, title: 'Import a Markdown playbook' });
  return picked?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export function registerImport(): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.importMarkdown, importFromMarkdown);
}

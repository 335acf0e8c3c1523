// Activation: wires the playbook language, the tree and the commands together; nothing else.
import type * as vscode from 'vscode';
import { PlaybookService } from './playbook/service';
import { registerDiagnostics } from './vscode/diagnostics';
import { registerLanguageFeatures } from './vscode/language';
import { registerNewPlaybook } from './vscode/newPlaybook';
import { registerStepTree } from './vscode/tree';
import { settings } from './vscode/documents';

export function activate(context: vscode.ExtensionContext): { service: PlaybookService } {
  const service = new PlaybookService({ maxBytes: settings().maxFileSizeMb * 1024 * 1024 });
  context.subscriptions.push(
    registerDiagnostics(service),
    registerLanguageFeatures(service),
    registerStepTree(service),
    registerNewPlaybook(),
  );
  return { service };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

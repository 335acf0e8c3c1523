// Activation: wires the playbook language, the tree and the commands together; nothing else.
import type * as vscode from 'vscode';
import { PlaybookService } from './playbook/service';
import { registerDiagnostics } from './vscode/diagnostics';
import { registerLanguageFeatures } from './vscode/language';
import { registerNewPlaybook } from './vscode/newPlaybook';
import { registerStepTree, type StepTreeProvider } from './vscode/tree';
import { settings } from './vscode/documents';

/** What activate returns: the integration tests read the tree through it. */
export interface PlaybookApi {
  service: PlaybookService;
  tree: StepTreeProvider;
}

export function activate(context: vscode.ExtensionContext): PlaybookApi {
  const service = new PlaybookService({ maxBytes: settings().maxFileSizeMb * 1024 * 1024 });
  const tree = registerStepTree(service);
  context.subscriptions.push(registerDiagnostics(service), registerLanguageFeatures(service), tree, registerNewPlaybook());
  return { service, tree: tree.provider };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

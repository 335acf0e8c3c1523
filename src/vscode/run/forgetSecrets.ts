// "Playbook: Forget Saved Secrets": pick a saved secret (by name, never its value) or all of them, and delete it,
// so the next run asks again; a mistyped secret is otherwise used silently forever.
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID } from '../../commands';
import type { PlaybookService } from '../../playbook/service';
import type { Playbook } from '../../playbook/types';
import { asDocument } from '../playbook/documents';
import type { VariableValues } from './variablePrompts';

interface Choice extends vscode.QuickPickItem {
  names: string[];
}

export function registerForgetSecrets(values: VariableValues, service: PlaybookService): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.forgetSecrets, () => forgetSecrets(values, service));
}

/** Asks which saved secret to forget and forgets it; resolves to the names forgotten (none when dismissed). */
async function forgetSecrets(values: VariableValues, service: PlaybookService): Promise<string[]> {
  const declared = activePlaybookSecrets(service);
  const saved = await values.savedSecretNames(declared);
  if (saved.length === 0) {
    void vscode.window.showInformationMessage('No secrets are saved: each is asked for when a step first needs it.');
    return [];
  }
  const mine = saved.filter((name) => declared.includes(name));
  const items: Choice[] = [
    ...[...mine, ...saved.filter((name) => !mine.includes(name))].map((name) => ({
      label: `$(key) ${name}`,
      description: mine.includes(name) ? 'used by this playbook' : undefined,
      names: [name],
    })),
    { label: '$(trash) All saved secrets', description: `${saved.length} secret${saved.length === 1 ? '' : 's'}`, names: saved },
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Forget Saved Secrets',
    placeHolder: 'Saved secrets are shared by every workspace. The next run asks for a forgotten one again.',
  });
  if (!choice) return [];
  await values.forgetSecrets(choice.names);
  vscode.window.setStatusBarMessage(`$(key) Forgot ${choice.names.join(', ')}`, 5000);
  return choice.names;
}

/** The secret variables declared by the playbook in the active editor, if any. */
function activePlaybookSecrets(service: PlaybookService): string[] {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId !== LANGUAGE_ID) return [];
  const playbook = service.analyze(asDocument(doc)).value as Playbook | undefined;
  if (!playbook || typeof playbook !== 'object') return [];
  return Object.entries(playbook.variables ?? {})
    .filter(([, variable]) => variable?.secret === true)
    .map(([name]) => name);
}

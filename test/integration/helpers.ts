// Helpers for tests inside the extension host: the extension's API, opening fixtures, waiting on events.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import type { PanelSnapshot } from '../../src/panel/protocol';

export const EXTENSION_ID = 'incident-playbooks.incident-playbooks';

export async function activateExtension(): Promise<PlaybookApi> {
  const extension = vscode.extensions.getExtension<PlaybookApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function openFixture(relative: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(relative));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Resolves once `predicate` holds for the document's diagnostics, checking on every diagnostics change. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (d: vscode.Diagnostic[]) => boolean,
  timeoutMs = 10000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      listener.dispose();
      clearTimeout(timer);
      resolve(diagnostics);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`diagnostics never matched: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`));
    }, timeoutMs);
    check();
  });
}

/** The text a range covers. */
export function textAt(doc: vscode.TextDocument, range: vscode.Range): string {
  return doc.getText(range);
}

/** Position of the first occurrence of `needle` (plus `delta` characters). */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the document`);
  return doc.positionAt(offset + delta);
}

/** Resolves with the panel's description once `check` holds for it, asking every 50 ms. */
export async function panelShows(
  api: PlaybookApi,
  what: string,
  check: (s: PanelSnapshot) => boolean,
  timeoutMs = 15000,
): Promise<PanelSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: PanelSnapshot | undefined;
  while (Date.now() < deadline) {
    last = (await api.panel.describe()) ?? last;
    if (last && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the panel never showed ${what}; last description: ${JSON.stringify(last, null, 1)}`);
}

export const rowWith =
  (...parts: string[]) =>
  (s: PanelSnapshot) =>
    s.rows.some((row) => parts.every((p) => row.includes(p)));

/**
 * Presses Enter in the quick input the extension shows next (accepting its pre-selected item or prefilled value), as
 * a person taking the defaults would, until `event` fires. VS Code tells an extension nothing about another's quick
 * input, so Enter is sent on each turn of the event loop until the answer has been taken.
 */
export async function acceptDefaultsUntil<T>(event: vscode.Event<T>, timeoutMs = 20000): Promise<T> {
  let fired: { value: T } | undefined;
  const sub = event((value) => {
    fired = { value };
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (!fired) {
      if (Date.now() > deadline) assert.fail('the expected answer was never taken');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return fired.value;
  } finally {
    sub.dispose();
  }
}

/** Resolves once a process with exactly this command line runs on this machine (read from /proc), else fails. */
export async function waitForProcess(argv: string[], timeoutMs = 15000): Promise<void> {
  const wanted = `${argv.join('\0')}\0`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pids = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name));
    const lines = await Promise.all(pids.map((pid) => fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
    if (lines.includes(wanted)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no process \`${argv.join(' ')}\` started within ${timeoutMs} ms`);
}

// A playbook with thousands of steps in a real VS Code: code lenses are given around what the editor shows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generatePlaybook } from '../../bench/generate';
import { WINDOWED_STEPS } from '../../src/vscode/run/codeLens';
import { activateExtension } from './helpers';

const STEPS = WINDOWED_STEPS + 500;

async function lensLines(uri: vscode.Uri): Promise<number[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 0);
  return lenses.map((l) => l.range.start.line);
}

/** Resolves once the editor shows `line` (scrolling is asynchronous in the workbench). */
function whenShown(editor: vscode.TextEditor, line: number): Promise<void> {
  const shows = (ranges: readonly vscode.Range[]) => ranges.some((r) => r.start.line <= line && line <= r.end.line);
  if (shows(editor.visibleRanges)) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      if (e.textEditor !== editor || !shows(e.visibleRanges)) return;
      listener.dispose();
      resolve();
    });
  });
}

describe('a playbook with thousands of steps', function () {
  this.timeout(60000);

  before(async () => {
    await activateExtension();
  });

  it('has code lenses around the lines on screen, which follow the editor to the end', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'playbook', content: generatePlaybook(STEPS).text });
    const editor = await vscode.window.showTextDocument(doc);
    await whenShown(editor, 0);
    const top = await lensLines(doc.uri);
    assert.ok(top.length > 0 && top.length < STEPS, `${top.length} lenses at the top`);
    assert.ok(Math.max(...top) < doc.lineCount / 2, `a lens on line ${Math.max(...top)} of ${doc.lineCount}`);

    const last = doc.lineCount - 1;
    editor.revealRange(new vscode.Range(last, 0, last, 0));
    await whenShown(editor, last);
    const bottom = await lensLines(doc.uri);
    assert.ok(
      Math.min(...bottom) > doc.lineCount / 2 && Math.max(...bottom) > last - 200,
      `lenses from line ${Math.min(...bottom)} to ${Math.max(...bottom)} of ${doc.lineCount}`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

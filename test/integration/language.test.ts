// The playbook language in a real VS Code: diagnostics, completion, hover, outline, folding, snippets.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, openFixture, positionOf, textAt, waitForDiagnostics } from './helpers';

describe('playbook language', function () {
  this.timeout(30000);

  before(async () => {
    await activateExtension();
  });

  it('gives *.playbook.yaml files the playbook language', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    assert.equal(doc.languageId, 'playbook');
  });

  it('shows no diagnostics for a valid playbook', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    const diagnostics = await waitForDiagnostics(doc.uri, () => true);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity !== vscode.DiagnosticSeverity.Information).map((d) => d.message),
      [],
    );
  });

  it('puts each problem on its own key or value, with a code and a helpful message', async () => {
    const doc = await openFixture('broken.playbook.yaml');
    const diagnostics = await waitForDiagnostics(doc.uri, (d) => d.length >= 3);
    const byCode = (code: string) => diagnostics.find((d) => d.code === code);
    const unknown = byCode('UNKNOWN_KEY');
    assert.ok(unknown);
    assert.equal(textAt(doc, unknown.range), 'rn');
    assert.match(unknown.message, /did you mean `run`/);
    assert.equal(unknown.source, 'playbook');
    const severity = byCode('UNDEFINED_SEVERITY');
    assert.ok(severity);
    assert.equal(textAt(doc, severity.range), 'P9');
    const destructive = byCode('DESTRUCTIVE_WITHOUT_CONFIRM');
    assert.equal(destructive && textAt(doc, destructive.range), 'FLUSHDB');
    assert.equal(destructive?.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(
      diagnostics.every((d) => d.range.start.line > 0),
      'nothing piles up on the first line',
    );
  });

  it('updates diagnostics as the document is edited', async () => {
    const doc = await openFixture('broken.playbook.yaml');
    await waitForDiagnostics(doc.uri, (d) => d.some((x) => x.code === 'UNKNOWN_KEY'));
    const edit = new vscode.WorkspaceEdit();
    const at = positionOf(doc, 'rn:');
    edit.replace(doc.uri, new vscode.Range(at, at.translate(0, 2)), 'run');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (d) => !d.some((x) => x.code === 'UNKNOWN_KEY'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('completes step keys from the schema', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'playbook',
      content: 'version: 1\ntitle: T\nscenarios:\n  - id: s\n    title: S\n    steps:\n      - id: a\n        \n',
    });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(7, 8),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const key of ['run', 'http', 'manual', 'notify', 'expect', 'when']) assert.ok(labels.includes(key), `${key} offered`);
  });

  it('completes declared variables after ${', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    await waitForDiagnostics(doc.uri, () => true);
    const position = positionOf(doc, '${BASE_URL}/health', 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
    assert.ok(list.items.some((i) => i.label === 'BASE_URL'));
  });

  it('shows the schema description on hover over a key', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      positionOf(doc, 'respond_within', 2),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Time allowed to acknowledge/);
  });

  it('outlines scenarios, phases and steps', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const scenarios = symbols.find((s) => s.name === 'scenarios');
    assert.ok(scenarios);
    const scenario = scenarios.children[0];
    assert.equal(scenario.name, 'API down');
    assert.deepEqual(
      scenario.children.map((c) => c.name),
      ['Diagnose', 'Tell people'],
    );
    assert.deepEqual(
      scenario.children[0].children.map((c) => c.name),
      ['Check health', 'Recent errors'],
    );
  });

  it('provides folding ranges for scenarios and steps', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    const scenarioLine = positionOf(doc, '- id: api-down').line;
    assert.ok(ranges.some((r) => r.start === scenarioLine));
  });

  it('contributes the playbook snippets', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'playbook', content: '' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(0, 0),
    );
    const snippets = list.items
      .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
      .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(snippets.includes('playbook'), `snippets offered: ${snippets.join(', ')}`);
  });
});

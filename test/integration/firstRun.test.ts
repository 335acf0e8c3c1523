// The first run of a step with no incident active: one question whose pre-selected answer (the defaults) Enter
// accepts; and an import that opens the playbook beside the Markdown on its first runnable step.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { acceptDefaultsUntil, activateExtension, workspaceFile } from './helpers';

/** Who the commander should default to, found independently of the extension: git's user name, else the OS user. */
function expectedCommander(): string {
  try {
    const name = execFileSync('git', ['config', '--get', 'user.name'], { cwd: workspaceFile('.').fsPath, encoding: 'utf8' }).trim();
    if (name) return name;
  } catch {
    /* no git, or no name */
  }
  return os.userInfo().username;
}

function events(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('first run', function () {
  this.timeout(60000);
  let api: PlaybookApi;

  before(async () => {
    api = await activateExtension();
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', 'pseudoterminal', vscode.ConfigurationTarget.Workspace);
  });

  beforeEach(() => api.session.forget());

  after(async () => {
    await api.session.forget();
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('starts an incident with the scenario’s title and severity and the git or OS user as commander on one Enter', async () => {
    const uri = workspaceFile('first-run.playbook.yaml');
    await vscode.window.showTextDocument(uri);
    const running = api.runs.runStep(uri, 'first-check');
    const active = await acceptDefaultsUntil(api.session.onDidStartIncident);
    const result = await running;
    assert.equal(result?.verdict, 'passed');
    const [started, run] = events(active.file);
    assert.equal(started.kind, 'incident.started');
    assert.equal(started.title, 'Checkout API down', 'the scenario’s title');
    assert.equal(started.severity, 'P2', 'the scenario’s severity, not the table’s first row');
    assert.equal(started.commander, expectedCommander());
    assert.equal(started.drill, false);
    assert.equal(started.playbook, 'first-run.playbook.yaml');
    assert.equal(run.kind, 'step.run');
    assert.equal(run.step, 'first-check');
  });

  it('names an incident started from the palette after the scenario around the cursor', async () => {
    const editor = await vscode.window.showTextDocument(workspaceFile('first-run.playbook.yaml'));
    const inside = editor.document.positionAt(editor.document.getText().indexOf('first-check'));
    editor.selection = new vscode.Selection(inside, inside);
    const starting = vscode.commands.executeCommand('playbook.startIncident');
    const active = await acceptDefaultsUntil(api.session.onDidStartIncident);
    await starting;
    const [started] = events(active.file);
    assert.deepEqual([started.title, started.severity, started.drill], ['Checkout API down', 'P2', false]);
  });

  it('offers to change the severity and reassign the commander from the status bar’s hover', async () => {
    await api.session.startIncident({ title: 'Hover', severity: 'P2', drill: true, playbook: 'first-run.playbook.yaml' });
    await api.status.refresh();
    const tooltip = api.status.tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString, 'a Markdown tooltip');
    assert.match(tooltip.value, /\[Change severity\]\(command:playbook\.changeSeverity\)/);
    assert.match(tooltip.value, /\[Reassign commander\]\(command:playbook\.assignRole\?%5B%22commander%22%5D\)/);
    assert.deepEqual(tooltip.isTrusted, { enabledCommands: ['playbook.changeSeverity', 'playbook.assignRole'] });
  });

  it('opens an imported playbook beside the Markdown with the cursor on the first runnable step, in view', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const markdown = workspaceFile('checkout-runbook.md');
    const target = await vscode.commands.executeCommand<vscode.Uri>('playbook.importMarkdown', markdown);
    assert.equal(target?.toString(), workspaceFile('checkout-runbook.playbook.yaml').toString());
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), target.toString(), 'the playbook is the active editor');
    const source = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === markdown.toString());
    assert.ok(source, 'the Markdown is shown too');
    assert.equal(editor?.viewColumn, (source.viewColumn ?? 0) + 1, 'the playbook is in the group beside the Markdown’s');
    const stepLine = editor.document
      .getText()
      .split('\n')
      .findIndex((line) => line.trim() === '- id: see-how-loaded-the-host-is');
    assert.ok(stepLine > 0, 'the first run step was imported');
    assert.equal(editor.selection.active.line, stepLine, 'the cursor is on the first runnable step');
    assert.ok(
      editor.visibleRanges.some((r) => r.contains(editor.selection.active)),
      'the step is in view',
    );
  });

  it('offers the same defaults to a run from the freshly imported playbook: its scenario, the table’s first severity', async () => {
    const uri = workspaceFile('checkout-runbook.playbook.yaml');
    const defaults = await api.session.defaultsFor({
      path: 'checkout-runbook.playbook.yaml',
      model: api.service.analyze(await asDoc(uri)).model,
      scenarioId: 'checkout-api-down',
    });
    assert.deepEqual(defaults, { title: 'Checkout API down', severity: 'P1', commander: expectedCommander() });
  });
});

async function asDoc(uri: vscode.Uri): Promise<{ uri: string; version: number; getText(): string }> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return { uri: doc.uri.toString(), version: doc.version, getText: () => doc.getText() };
}

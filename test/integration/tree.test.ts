// The Playbooks tree in a real VS Code: structure, reveal on click, following edits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { activateExtension, openFixture, positionOf, workspaceFile } from './helpers';

type TreeNode = Awaited<ReturnType<PlaybookApi['tree']['getChildren']>>[number];

async function labels(api: PlaybookApi, nodes: TreeNode[]): Promise<string[]> {
  return Promise.all(nodes.map(async (n) => String((await api.tree.getTreeItem(n)).label)));
}

async function demoPlaybook(api: PlaybookApi): Promise<TreeNode> {
  const roots = await api.tree.getChildren();
  const items = await Promise.all(roots.map((r) => api.tree.getTreeItem(r)));
  const index = items.findIndex((i) => i.label === 'Demo service');
  assert.ok(index >= 0, `Demo service among ${items.map((i) => i.label).join(', ')}`);
  return roots[index];
}

describe('playbook tree', function () {
  this.timeout(30000);
  let api: PlaybookApi;

  before(async () => {
    api = await activateExtension();
  });

  it('lists the workspace playbooks, then scenarios, phases and steps', async () => {
    const playbook = await demoPlaybook(api);
    const scenarios = await api.tree.getChildren(playbook);
    assert.deepEqual(await labels(api, scenarios), ['API down']);
    const children = await api.tree.getChildren(scenarios[0]);
    assert.deepEqual(await labels(api, children), ['Diagnose', 'Tell people']);
    const steps = await api.tree.getChildren(children[0]);
    assert.deepEqual(await labels(api, steps), ['Check health', 'Recent errors']);
    const icons = await Promise.all(steps.map(async (s) => ((await api.tree.getTreeItem(s)).iconPath as vscode.ThemeIcon).id));
    assert.deepEqual(icons, ['globe', 'terminal']);
  });

  it('reveals a step in the editor when its item is clicked', async () => {
    const playbook = await demoPlaybook(api);
    const [scenario] = await api.tree.getChildren(playbook);
    const [phase] = await api.tree.getChildren(scenario);
    const [, errors] = await api.tree.getChildren(phase);
    const item = await api.tree.getTreeItem(errors);
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), workspaceFile('demo.playbook.yaml').toString());
    assert.equal(editor?.document.getText(editor.selection), 'recent-errors');
  });

  it('follows unsaved edits', async () => {
    const doc = await openFixture('demo.playbook.yaml');
    const changed = new Promise<void>((resolve) => {
      const sub = api.tree.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    const edit = new vscode.WorkspaceEdit();
    const at = positionOf(doc, 'title: Tell people', 'title: '.length);
    edit.replace(doc.uri, new vscode.Range(at, at.translate(0, 'Tell people'.length)), 'Page the team');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await changed;
    const playbook = await demoPlaybook(api);
    const [scenario] = await api.tree.getChildren(playbook);
    assert.deepEqual(await labels(api, await api.tree.getChildren(scenario)), ['Diagnose', 'Page the team']);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('has its own view container in the activity bar', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.playbooks');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('playbook.steps.focus'));
  });
});

// The incident lifecycle in a real VS Code: severity, roles, checklist ticks from the tree, switching, reopening.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/commands';
import type { PlaybookApi } from '../../src/extension';
import { activateExtension, openFixture } from './helpers';

type TreeNode = Awaited<ReturnType<PlaybookApi['tree']['getChildren']>>[number];

function events(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function childByLabel(api: PlaybookApi, parent: TreeNode | undefined, label: string): Promise<TreeNode> {
  const children = await api.tree.getChildren(parent);
  const items = await Promise.all(children.map((c) => api.tree.getTreeItem(c)));
  const index = items.findIndex((i) => i.label === label);
  assert.ok(index >= 0, `${label} among ${items.map((i) => String(i.label)).join(', ')}`);
  return children[index];
}

function activeId(api: PlaybookApi): string | undefined {
  return api.session.current?.id;
}

async function checkbox(api: PlaybookApi, node: TreeNode): Promise<vscode.TreeItemCheckboxState | undefined> {
  const state = (await api.tree.getTreeItem(node)).checkboxState;
  return typeof state === 'object' ? state.state : state;
}

describe('incident lifecycle', function () {
  this.timeout(30000);
  let api: PlaybookApi;

  before(async () => {
    api = await activateExtension();
    await openFixture('lifecycle.playbook.yaml');
  });

  after(async () => {
    await api.session.forget();
  });

  it('starts with the commander given, then changes severity and assigns a role, each an event', async () => {
    const started = await api.session.startIncident({
      title: 'Lifecycle',
      severity: 'P2',
      drill: true,
      playbook: 'lifecycle.playbook.yaml',
      commander: 'erin',
    });
    assert.ok(started);
    assert.equal(api.session.incident.commander, 'erin');
    await api.status.refresh();
    await vscode.commands.executeCommand(Commands.changeSeverity, 'P1');
    await vscode.commands.executeCommand(Commands.assignRole, 'comms', 'dana');
    await vscode.commands.executeCommand(Commands.assignRole, 'commander', 'frank');
    const log = events(started.file);
    assert.deepEqual(
      log.map((e) => e.kind),
      ['incident.started', 'severity.changed', 'role.assigned', 'role.assigned'],
    );
    assert.deepEqual([log[1].from, log[1].to], ['P2', 'P1']);
    assert.equal(api.session.incident.severity, 'P1');
    assert.equal(api.session.incident.commander, 'frank');
    assert.equal(api.session.incident.roles.get('comms'), 'dana');
  });

  it('shows the playbook’s checklists in the tree as checkboxes and records a tick', async () => {
    const playbook = await childByLabel(api, undefined, 'Lifecycle fixtures');
    const checklists = await childByLabel(api, playbook, 'Checklists');
    const lists = await api.tree.getChildren(checklists);
    const titles = await Promise.all(lists.map(async (l) => String((await api.tree.getTreeItem(l)).label)));
    assert.deepEqual(titles, ['First five minutes', 'Wrap up', 'Post-incident review']);
    const item = await childByLabel(api, checklists, 'First five minutes').then((list) =>
      childByLabel(api, list, 'Page the service owner'),
    );
    assert.equal(await checkbox(api, item), vscode.TreeItemCheckboxState.Unchecked);

    assert.equal(await vscode.commands.executeCommand(Commands.toggleChecklistItem, item), true);
    assert.equal(await checkbox(api, item), vscode.TreeItemCheckboxState.Checked);
    assert.match(String((await api.tree.getTreeItem(item)).description), new RegExp(`^${api.session.operator} · `));
    const tick = events(api.session.current?.file as string).at(-1);
    assert.deepEqual(
      [tick?.kind, tick?.checklist, tick?.item, tick?.checked],
      ['checklist.ticked', 'first-five', 'Page the service owner', true],
    );

    assert.equal(await vscode.commands.executeCommand(Commands.toggleChecklistItem, item), false, 'a second toggle unticks');
    assert.equal(await checkbox(api, item), vscode.TreeItemCheckboxState.Unchecked);
  });

  it('ticks the post-incident checklist into the exported report', async () => {
    const playbook = await childByLabel(api, undefined, 'Lifecycle fixtures');
    const review = await childByLabel(api, await childByLabel(api, playbook, 'Checklists'), 'Post-incident review');
    await vscode.commands.executeCommand(Commands.toggleChecklistItem, await childByLabel(api, review, 'Hold the review within 48h'), true);
    await api.status.refresh();
    const report = await vscode.commands.executeCommand<string>(Commands.exportReport);
    assert.match(report, /- \[x\] Hold the review within 48h/);
    assert.match(report, /- \[ \] Close the status page/);
  });

  it('switches between open incidents and reopens a resolved one', async () => {
    const first = api.session.current;
    assert.ok(first);
    const second = await api.session.startIncident({ title: 'Second', severity: 'P2', drill: true, playbook: 'lifecycle.playbook.yaml' });
    assert.ok(second && second.id !== first.id);
    await vscode.commands.executeCommand(Commands.switchIncident, first.id);
    assert.equal(api.session.current?.id, first.id);
    assert.equal(api.session.incident.title, 'Lifecycle', 'the switched-to incident’s state is loaded from its log');
    assert.equal(api.session.incident.severity, 'P1');

    await vscode.commands.executeCommand(Commands.switchIncident, second.id);
    await api.session.record('incident.resolved', {});
    await api.session.forget();
    await vscode.commands.executeCommand(Commands.reopenIncident, second.id, 'errors are back');
    assert.equal(api.session.current?.id, second.id);
    assert.equal(api.session.incident.status, 'investigating');
    const last = events(second.file).at(-1);
    assert.deepEqual([last?.kind, last?.reason], ['incident.reopened', 'errors are back']);
  });

  it('changes the status, and resolves through its own command, which ends recording to the incident', async () => {
    const started = await api.session.startIncident({ title: 'Status', severity: 'P2', drill: true, playbook: 'lifecycle.playbook.yaml' });
    assert.ok(started);
    await vscode.commands.executeCommand(Commands.changeStatus, 'mitigated');
    assert.equal(api.session.incident.status, 'mitigated');
    await vscode.commands.executeCommand(Commands.changeStatus, 'no-such-status');
    await vscode.commands.executeCommand(Commands.resolveIncident, 'Restarted the API');
    assert.equal(api.session.current, undefined, 'no incident is active after resolving');
    const log = events(started.file);
    assert.deepEqual(
      log.map((e) => e.kind),
      ['incident.started', 'status.changed', 'incident.resolved'],
    );
    assert.deepEqual([log[1].to, log[2].summary], ['mitigated', 'Restarted the API']);
    await vscode.commands.executeCommand(Commands.switchIncident, started.id);
    assert.equal(activeId(api), undefined, 'a resolved incident cannot be switched to: it is reopened');
  });
});

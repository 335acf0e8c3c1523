// Two clones of one remote: the extension syncs the active incident in this workspace while a teammate's CLI core
// appends and syncs in the other clone; the teammate's event reaches the panel with their name.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { createEvent } from '../../src/incident/events';
import { appendEvent, ensureIncidentsDir, incidentFile, incidentsDir } from '../../src/incident/store';
import { syncIncident, type SyncResult } from '../../src/incident/sync';
import { activateExtension, panelShows, rowWith } from './helpers';

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first round of the extension's poller that satisfies `check`. */
describe('incident sync between two clones', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let workspace: string;
  let teammate: string;
  const config = () => vscode.workspace.getConfiguration('playbook');

  before(async () => {
    api = await activateExtension();
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    // Beside the workspace copy, so the harness removes them with it.
    const remote = path.join(path.dirname(workspace), 'team.git');
    teammate = path.join(path.dirname(workspace), 'teammate');
    git(path.dirname(workspace), 'init', '--quiet', '--bare', remote);
    git(workspace, 'init', '--quiet');
    git(workspace, 'remote', 'add', 'origin', remote);
    git(path.dirname(workspace), 'clone', '--quiet', remote, teammate);
    await config().update('sync.intervalSeconds', 1, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await config().update('sync.enabled', false, vscode.ConfigurationTarget.Workspace);
    await config().update('sync.intervalSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    await fs.rm(path.join(workspace, '.git'), { recursive: true, force: true });
  });

  it('pushes the active incident, then shows a teammate’s event with their name as it arrives', async () => {
    const started = await api.session.startIncident({ title: 'Sync test', severity: 'P2', drill: true });
    assert.ok(started);
    await vscode.commands.executeCommand('playbook.showIncident');

    // The editor pushes the start on its own; the teammate sees it once a round of theirs finds it on the remote.
    // (A round the editor began for an earlier test's incident may end first, so no single round is awaited.)
    const deadline = Date.now() + 20000;
    let atTeammate = await syncIncident({ workspace: teammate, incidentId: started.id, env: GIT_ENV });
    while (atTeammate.received.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      atTeammate = await syncIncident({ workspace: teammate, incidentId: started.id, env: GIT_ENV });
    }
    assert.deepEqual([atTeammate.state, atTeammate.received.map((e) => e.actor)], ['synced', [api.session.operator]]);
    await ensureIncidentsDir(incidentsDir(teammate));
    await appendEvent(
      incidentFile(incidentsDir(teammate), started.id),
      createEvent('note.added', { text: 'db failover done on machine B' }, { actor: 'bob' }),
    );
    assert.equal((await syncIncident({ workspace: teammate, incidentId: started.id, env: GIT_ENV })).sent, 1);

    await panelShows(api, 'the teammate’s note with their name', rowWith('bob', 'db failover done on machine B'), 20000);
    assert.equal(api.sync.lastResult?.state, 'synced');
    assert.equal(git(workspace, 'status', '--porcelain', '--untracked-files=no'), '', 'the sync commits nothing to the user’s branch');
  });

  it('syncs on demand with Playbook: Sync Incident Log', async () => {
    const result = await vscode.commands.executeCommand<SyncResult>('playbook.syncIncident');
    assert.equal(result?.state, 'synced');
  });
});

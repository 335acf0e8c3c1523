// In an untrusted workspace nothing runs, and the code lens says why; language features keep working.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, openFixture, waitForDiagnostics } from './helpers';

describe('untrusted workspace', function () {
  this.timeout(30000);

  it('is really untrusted in this run', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('runs nothing and records nothing', async () => {
    const api = await activateExtension();
    const doc = await openFixture('run.playbook.yaml');
    const result = await api.runs.runStep(doc.uri, 'say-hello');
    assert.equal(result, undefined);
    const folder = vscode.workspace.workspaceFolders?.[0].uri.fsPath as string;
    assert.equal(existsSync(path.join(folder, '.incidents')), false);
  });

  it('replaces the Run lenses with one that explains Workspace Trust', async () => {
    const doc = await openFixture('run.playbook.yaml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.every((t) => !t.includes('▶')),
      titles.join(' | '),
    );
    assert.ok(titles.some((t) => t.includes('trusted workspace')));
  });

  it('keeps validating', async () => {
    const doc = await openFixture('broken.playbook.yaml');
    const diagnostics = await waitForDiagnostics(doc.uri, (d) => d.length > 0);
    assert.ok(diagnostics.some((d) => d.code === 'UNKNOWN_KEY'));
  });

  it('never runs git to sync an incident, on demand or by itself', async () => {
    const api = await activateExtension();
    const folder = vscode.workspace.workspaceFolders?.[0].uri.fsPath as string;
    const remote = path.join(path.dirname(folder), 'untrusted-team.git');
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: path.dirname(folder), encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
    git('init', '--quiet', '--bare', remote);
    git('-C', folder, 'init', '--quiet');
    git('-C', folder, 'remote', 'add', 'origin', remote);
    assert.ok(await api.session.startIncident({ title: 'Untrusted', severity: 'P3', drill: true }));
    assert.equal(await vscode.commands.executeCommand('playbook.syncIncident'), undefined);
    assert.equal(await api.sync.syncNow(), undefined);
    assert.equal(api.sync.lastResult, undefined);
    assert.equal(git('ls-remote', remote), '');
  });
});

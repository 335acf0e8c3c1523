// Running steps through the terminal's shell integration: the default (playbook.run.terminal = shellIntegration).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { activateExtension, openFixture } from './helpers';

describe('running steps through shell integration', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let uri: vscode.Uri;

  before(async () => {
    api = await activateExtension();
    await vscode.workspace
      .getConfiguration('terminal.integrated')
      .update('defaultProfile.linux', 'bash', vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('playbook').update('run.shellIntegrationWaitSeconds', 15, vscode.ConfigurationTarget.Workspace);
    uri = (await openFixture('run.playbook.yaml')).uri;
    if (!api.session.current) await api.session.startIncident({ title: 'Shell integration', severity: 'P2', drill: true });
  });

  after(async () => {
    for (const key of ['run.shellIntegrationWaitSeconds'])
      await vscode.workspace.getConfiguration('playbook').update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace
      .getConfiguration('terminal.integrated')
      .update('defaultProfile.linux', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('runs in a real terminal with shell integration and reads exit code and output from it', async () => {
    const result = await api.runs.runStep(uri, 'say-hello');
    const terminal = vscode.window.terminals.find((t) => t.name === 'Playbook (shell)');
    assert.ok(terminal?.shellIntegration, 'the Playbook (shell) terminal has shell integration');
    assert.equal(result?.verdict, 'passed');
    assert.equal(result?.exitCode, 0);
    assert.match(result?.output.text ?? '', /hello from the playbook/);
  });

  it('cancels with Ctrl+C in the Playbook terminal, where the output is mirrored', async () => {
    const running = api.runs.runStep(uri, 'wait-long');
    const playbook = vscode.window.terminals.find((t) => t.name === 'Playbook');
    assert.ok(playbook, 'the Playbook terminal exists from the first run');
    // The shell needs a moment to start the script; Ctrl+C before it would reach an idle prompt.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    playbook.sendText('\x03', false);
    const result = await running;
    assert.equal(result?.verdict, 'cancelled');
  });

  it('reports the exit code of a failing command', async () => {
    const result = await api.runs.runStep(uri, 'fail-three');
    assert.equal(result?.verdict, 'failed');
    assert.equal(result?.exitCode, 3);
  });

  it('interrupts a command that outlives its timeout', async () => {
    const started = Date.now();
    const result = await api.runs.runStep(uri, 'too-slow');
    assert.equal(result?.verdict, 'timed-out');
    assert.ok(Date.now() - started < 15000);
  });

  it('runs a multi-line command as one script', async () => {
    const result = await api.runs.runStep(uri, 'until-ready');
    assert.equal(result?.verdict, 'passed');
  });
});

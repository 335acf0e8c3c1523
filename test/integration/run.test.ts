// Running steps in a real VS Code: results judged, shown in the Playbook terminal and recorded in the incident log.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { readIncidentLog } from '../../src/incident/store';
import { activateExtension, openFixture, waitForProcess } from './helpers';

const SECRET = 'pb-secret-7f3a9c';

function logLines(api: PlaybookApi): Record<string, unknown>[] {
  const file = api.session.current?.file;
  assert.ok(file, 'an incident is active');
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function lastRun(api: PlaybookApi, step: string): Record<string, unknown> {
  const runs = logLines(api).filter((e) => e.kind === 'step.run' && e.step === step);
  assert.ok(runs.length > 0, `a step.run event for ${step}`);
  return runs[runs.length - 1];
}

describe('running steps', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let uri: vscode.Uri;
  let server: http.Server;
  const posted: string[] = [];

  before(async () => {
    api = await activateExtension();
    process.env.PLAYBOOK_TEST_TOKEN = SECRET;
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (req.url === '/hook') posted.push(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: req.url === '/health' ? 'ok' : 'missing' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    process.env.PLAYBOOK_TEST_WEBHOOK = `http://127.0.0.1:${port}/hook`;
    await vscode.workspace
      .getConfiguration('playbook')
      .update('variables', { BASE_URL: `http://127.0.0.1:${port}` }, vscode.ConfigurationTarget.Workspace);
    // This suite covers the extension's own process in the Playbook pseudoterminal; shellIntegration.test.ts the default.
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', 'pseudoterminal', vscode.ConfigurationTarget.Workspace);
    uri = (await openFixture('run.playbook.yaml')).uri;
    await api.session.startIncident({ title: 'Integration test', severity: 'P2', drill: true, playbook: 'run.playbook.yaml' });
  });

  after(async () => {
    server.close();
    await vscode.workspace.getConfiguration('playbook').update('variables', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('records a passing command with its exit code, duration, output and operator', async () => {
    const result = await api.runs.runStep(uri, 'say-hello');
    assert.equal(result?.verdict, 'passed');
    const event = lastRun(api, 'say-hello');
    assert.equal(event.exitCode, 0);
    assert.equal(event.verdict, 'passed');
    assert.equal(event.command, 'echo "hello from the playbook"');
    assert.match(JSON.stringify(event.output), /hello from the playbook/);
    assert.ok(Number.isInteger(event.durationMs), 'a whole number of milliseconds, as the log format requires');
    assert.ok(typeof event.actor === 'string' && event.actor.length > 0);
  });

  it('runs a step from its tree item, as the inline button and context menu do', async () => {
    const roots = await api.tree.getChildren();
    const titles = await Promise.all(roots.map(async (r) => (await api.tree.getTreeItem(r)).label));
    const playbook = roots[titles.indexOf('Run fixtures')];
    assert.ok(playbook, `Run fixtures among ${titles.join(', ')}`);
    const [scenario] = await api.tree.getChildren(playbook);
    const steps = await api.tree.getChildren(scenario);
    const items = await Promise.all(steps.map((n) => api.tree.getTreeItem(n)));
    const hello = steps[items.findIndex((i) => i.label === 'Say hello')];
    assert.equal(items.find((i) => i.label === 'Say hello')?.contextValue, 'step.run');
    const result = await vscode.commands.executeCommand<{ verdict: string } | undefined>('playbook.runStep', hello);
    assert.equal(result?.verdict, 'passed');
  });

  it('records a failing command as failed with its exit code', async () => {
    const result = await api.runs.runStep(uri, 'fail-three');
    assert.equal(result?.verdict, 'failed');
    assert.equal(lastRun(api, 'fail-three').exitCode, 3);
  });

  it('kills a command that outlives its timeout and records it as timed out', async () => {
    const started = Date.now();
    const result = await api.runs.runStep(uri, 'too-slow');
    assert.equal(result?.verdict, 'timed-out');
    assert.ok(Date.now() - started < 15000, 'did not wait for sleep 30');
    assert.equal(lastRun(api, 'too-slow').verdict, 'timed-out');
  });

  it('cancels a run with Ctrl+C in the Playbook terminal', async () => {
    const running = api.runs.runStep(uri, 'wait-long');
    const terminal = await new Promise<vscode.Terminal>((resolve) => {
      const found = vscode.window.terminals.find((t) => t.name === 'Playbook');
      if (found) return resolve(found);
      const sub = vscode.window.onDidOpenTerminal((t) => {
        if (t.name === 'Playbook') {
          sub.dispose();
          resolve(t);
        }
      });
    });
    // Ctrl+C before the process exists would have nothing to cancel: wait until `sleep 30` runs.
    await waitForProcess(['sleep', '30']);
    terminal.sendText('\x03', false);
    const result = await running;
    assert.equal(result?.verdict, 'cancelled');
    assert.equal(lastRun(api, 'wait-long').verdict, 'cancelled');
  });

  it('never writes a secret to the log, even when the command prints it', async () => {
    const result = await api.runs.runStep(uri, 'print-token');
    assert.equal(result?.verdict, 'passed');
    const text = readFileSync(api.session.current?.file as string, 'utf8');
    assert.ok(!text.includes(SECRET), 'the secret is not in the incident log');
    assert.match(JSON.stringify(lastRun(api, 'print-token').output), /token is ••••/);
  });

  it('runs an HTTP check natively against a local server and judges its JSON', async () => {
    const result = await api.runs.runStep(uri, 'health');
    assert.equal(result?.verdict, 'passed');
    const event = lastRun(api, 'health');
    assert.equal(event.httpStatus, 200);
    assert.equal(event.stepKind, 'http');
  });

  it('shows the last result in a code lens above the step', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => t.startsWith('✓ exit 0')),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => t.startsWith('✗ exit 3')),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => t.startsWith('⏱ timed out')),
      titles.join(' | '),
    );
    assert.ok(titles.includes('▶ Run all') && titles.includes('▶ Run'));
  });

  it('repeats a step until it passes, recording every attempt', async () => {
    const result = await api.runs.runStep(uri, 'until-ready');
    assert.equal(result?.verdict, 'passed');
    const attempts = logLines(api)
      .filter((e) => e.kind === 'step.run' && e.step === 'until-ready')
      .map((e) => [e.attempt, e.verdict]);
    assert.deepEqual(attempts, [
      [1, 'failed'],
      [2, 'passed'],
    ]);
    // Read back through the log reader: every recorded event must be valid, none malformed.
    const log = await readIncidentLog(api.session.current?.file as string);
    assert.deepEqual(
      log.events.filter((e) => e.kind === 'unknown'),
      [],
    );
    assert.deepEqual(log.problems, []);
  });

  it('fills a notify step’s template from the incident, copies it and records the sending', async () => {
    const text = await api.runs.notify(uri, 'post-status');
    assert.ok(text);
    assert.match(text, /^\[P2\] Integration test is investigating/);
    assert.match(text, /say-hello: passed/);
    assert.equal(await vscode.env.clipboard.readText(), text);
    const sent = logLines(api).filter((e) => e.kind === 'notify.sent');
    assert.deepEqual(
      sent.map((e) => [e.template, e.channel, e.ok]),
      [['status', 'clipboard', true]],
    );
  });

  it('adds notes to the log and shows the severity clocks of the active incident', async () => {
    await vscode.commands.executeCommand('playbook.addNote', 'Looking at the API logs');
    assert.deepEqual(
      logLines(api)
        .filter((e) => e.kind === 'note.added')
        .map((e) => e.text),
      ['Looking at the API logs'],
    );
    await api.status.refresh();
    assert.equal(api.status.state?.notes, 1);
    const update = api.status.clocks().find((c) => c.kind === 'update');
    assert.ok(update, 'P2 updates every 30m, so an update clock runs');
    assert.ok(update.remainingMs > 0 && update.remainingMs <= 30 * 60000);
  });

  it('exports the post-incident report with the real timeline', async () => {
    await api.status.refresh();
    const text = await vscode.commands.executeCommand<string>('playbook.exportReport');
    assert.match(text, /^# Post-incident report: INC-/);
    assert.match(text, /`say-hello` passed, exit 0/);
    assert.match(text, /`fail-three` failed, exit 3/);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
  });

  it('posts a notify step’s message to its webhook and records the posting', async () => {
    const text = await api.runs.notify(uri, 'post-to-chat');
    assert.ok(text);
    assert.deepEqual(
      posted.map((b) => JSON.parse(b) as { text: string }).map((b) => b.text),
      [text],
    );
    const sent = logLines(api).filter((e) => e.kind === 'notify.sent' && e.channel === 'webhook');
    assert.deepEqual(
      sent.map((e) => [e.template, e.ok]),
      [['status', true]],
    );
    assert.ok(!readFileSync(api.session.current?.file as string, 'utf8').includes('/hook'), 'the webhook URL is not in the log');
  });

  it('runs a scenario until the first failure', async () => {
    const before = logLines(api).length;
    const ran = await api.runs.runAll(uri, 'checks');
    assert.equal(ran, 2, 'say-hello passes, fail-three fails and stops the run');
    assert.equal(logLines(api).length, before + 2);
  });
});

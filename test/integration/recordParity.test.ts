// The editor's ▶ Run and `playbook run` share one core: the same steps leave the same events in the log.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runCommand } from '../../src/cli/run';
import type { PlaybookApi } from '../../src/extension';
import { activateExtension, openFixture } from './helpers';

const STEPS = ['say-hello', 'fail-three', 'print-token', 'health'];
/** What differs by nature between two runs: ids, times, and the incident each run started. */
const VOLATILE = new Set(['id', 'at', 'start', 'end', 'durationMs']);

function stepRuns(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((e) => e.kind === 'step.run')
    .map((e) => Object.fromEntries(Object.entries(e).filter(([key]) => !VOLATILE.has(key))));
}

describe('one run-and-record core for the editor and the CLI', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let server: http.Server;
  let baseUrl: string;
  const cliFiles: string[] = [];

  before(async () => {
    api = await activateExtension();
    process.env.PLAYBOOK_TEST_TOKEN = 'pb-parity-secret-51c2';
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'ok' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await vscode.workspace.getConfiguration('playbook').update('variables', { BASE_URL: baseUrl }, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', 'pseudoterminal', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    server.close();
    cliFiles.forEach((file) => rmSync(file, { force: true }));
    await vscode.workspace.getConfiguration('playbook').update('variables', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('records identical step.run events (ids and times aside) for the same steps', async () => {
    const doc = await openFixture('run.playbook.yaml');
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
    assert.ok(folder, 'the fixture is in the workspace');
    await api.session.startIncident({ title: 'Parity (editor)', severity: 'P2', drill: true, playbook: 'run.playbook.yaml' });
    for (const step of STEPS) await api.runs.runStep(doc.uri, step);
    const editorFile = api.session.current?.file;
    assert.ok(editorFile);

    const out: string[] = [];
    const args = [
      'run',
      doc.uri.fsPath,
      ...STEPS.flatMap((s) => ['--step', s]),
      '--var',
      `BASE_URL=${baseUrl}`,
      '--drill',
      '--workspace',
      folder,
    ];
    const code = await runCommand(args.slice(1), { out: (s) => out.push(s), err: (s) => out.push(s), cwd: folder });
    assert.equal(code, 1, `fail-three fails in the CLI too:\n${out.join('\n')}`);
    const cliFile = path.join(folder, '.incidents', /Drill (\S+):/.exec(out.join('\n'))?.[1] + '.jsonl');
    cliFiles.push(cliFile);

    const editor = stepRuns(editorFile);
    assert.equal(editor.length, STEPS.length);
    assert.deepEqual(stepRuns(cliFile), editor);
    assert.doesNotMatch(JSON.stringify(editor), /pb-parity-secret-51c2/, 'the secret is redacted in both');
  });
});

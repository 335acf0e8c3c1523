// Saved secrets in a real VS Code: a failure right after typing one offers to forget it, and
// "Playbook: Forget Saved Secrets" lists them by name and forgets one or all.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { activateExtension, workspaceFile } from './helpers';
import { deadPort } from '../support/testProxy';
import { scriptPrompts, type ScriptedPrompts } from './prompts';

const RIGHT_KEY = 'right-key-5d2e';
const WRONG_KEY = 'wrong-key-91ab';

const PLAYBOOK = `version: 1
title: Secret checks
variables:
  SECRET_BASE_URL:
    description: Local test server
  API_KEY:
    description: The API key
    secret: true
  OTHER_TOKEN:
    description: Another secret
    secret: true
  CHAT_HOOK:
    description: Webhook of the incident channel
    secret: true
templates:
  - id: status
    body: "{{incident.title}} is {{incident.status}}"
scenarios:
  - id: calls
    title: Calls
    steps:
      - id: authed
        title: Authenticated call
        http:
          url: \${SECRET_BASE_URL}/authed
          headers:
            x-api-key: \${API_KEY}
        expect:
          status: 200
      - id: other
        title: Other call
        http:
          url: \${SECRET_BASE_URL}/other
          headers:
            x-other: \${OTHER_TOKEN}
      - id: post
        title: Post to the channel
        notify:
          template: status
          webhook: CHAT_HOOK
`;

/** The names forgotten next. */
function nextForget(api: PlaybookApi): Promise<string[]> {
  return new Promise((resolve) => {
    const sub = api.values.onDidForget((names) => {
      sub.dispose();
      resolve(names);
    });
  });
}

const ALL = ['API_KEY', 'OTHER_TOKEN', 'CHAT_HOOK'];

describe('saved secrets', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let uri: vscode.Uri;
  let server: http.Server;
  let prompts: ScriptedPrompts;
  let accept = RIGHT_KEY;

  before(async () => {
    api = await activateExtension();
    server = http.createServer((req, res) => res.writeHead(req.url !== '/authed' || req.headers['x-api-key'] === accept ? 200 : 401).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await vscode.workspace
      .getConfiguration('playbook')
      .update('variables', { SECRET_BASE_URL: base }, vscode.ConfigurationTarget.Workspace);
    uri = workspaceFile('secret-checks.playbook.yaml');
    writeFileSync(uri.fsPath, PLAYBOOK);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await api.session.startIncident({ title: 'Secrets', severity: 'P2', drill: true, playbook: 'secret-checks.playbook.yaml' });
    await api.values.forgetSecrets(ALL);
  });

  beforeEach(() => {
    prompts = scriptPrompts();
  });

  afterEach(() => prompts.restore());

  after(async () => {
    server.close();
    await api.values.forgetSecrets(ALL);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    rmSync(uri.fsPath, { force: true });
    await vscode.workspace.getConfiguration('playbook').update('variables', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('offers to forget a secret typed just before a failure, and asks for it again once forgotten', async () => {
    prompts.add({ input: [WRONG_KEY], warning: ['Forget Secret'] });
    const forgotten = nextForget(api);
    const failed = await api.runs.runStep(uri, 'authed');
    assert.equal(failed?.verdict, 'failed');
    assert.deepEqual(prompts.asked[0], { kind: 'input', title: 'Secret for API_KEY', password: true, items: [] });
    const offer = await prompts.nextWarning();
    assert.equal(offer.message, '“Authenticated call” failed. It used secret API_KEY entered just now. Forget it so you are asked again?');
    assert.deepEqual(offer.items, ['Forget Secret']);
    assert.deepEqual(await forgotten, ['API_KEY']);
    assert.deepEqual(await api.values.savedSecretNames(['API_KEY']), []);

    prompts.add({ input: [RIGHT_KEY] });
    const passed = await api.runs.runStep(uri, 'authed');
    assert.equal(passed?.verdict, 'passed');
    assert.deepEqual(
      prompts.asked.filter((a) => a.kind === 'input').map((a) => a.title),
      ['Secret for API_KEY', 'Secret for API_KEY'],
    );
    assert.equal(prompts.asked.filter((a) => a.kind === 'warning').length, 1, 'no offer after a pass');
  });

  it('offers to forget a webhook typed just before the message failed to post', async () => {
    prompts.add({ input: [`http://127.0.0.1:${await deadPort()}/hook`], warning: ['Forget Secret'] });
    const forgotten = nextForget(api);
    assert.equal(await api.runs.notify(uri, 'post'), undefined, 'not posted');
    assert.deepEqual(prompts.asked[0], { kind: 'input', title: 'Secret for CHAT_HOOK', password: true, items: [] });
    const offer = await prompts.nextWarning();
    assert.equal(offer.message, 'The message was not posted. It used secret CHAT_HOOK entered just now. Forget it so you are asked again?');
    assert.deepEqual(await forgotten, ['CHAT_HOOK']);
  });

  it('keeps a secret that was saved before the run, and does not offer to forget it when a step fails', async () => {
    accept = 'the-server-changed-its-key';
    try {
      const failed = await api.runs.runStep(uri, 'authed');
      assert.equal(failed?.verdict, 'failed');
      assert.deepEqual(prompts.asked, [], 'nothing asked: the saved secret is used and no offer is made');
    } finally {
      accept = RIGHT_KEY;
    }
    assert.deepEqual(await api.values.savedSecretNames(), ['API_KEY']);
  });

  it('lists saved secrets by name in Forget Saved Secrets and forgets the one picked', async () => {
    prompts.add({ input: ['other-value-77'] });
    assert.equal((await api.runs.runStep(uri, 'other'))?.verdict, 'passed');
    prompts.add({ pick: ['$(key) OTHER_TOKEN'] });
    const forgotten = await vscode.commands.executeCommand<string[]>('playbook.forgetSecrets');
    assert.deepEqual(forgotten, ['OTHER_TOKEN']);
    const pick = prompts.asked.find((a) => a.kind === 'pick');
    assert.deepEqual(pick?.items, ['$(key) API_KEY', '$(key) OTHER_TOKEN', '$(trash) All saved secrets']);
    assert.ok(
      !JSON.stringify(prompts.asked).includes(RIGHT_KEY) && !JSON.stringify(prompts.asked).includes('other-value-77'),
      'no value is shown',
    );
    assert.deepEqual(await api.values.savedSecretNames(), ['API_KEY']);
  });

  it('forgets every saved secret with the All entry, so the next run asks again', async () => {
    prompts.add({ input: ['other-value-78'] });
    assert.equal((await api.runs.runStep(uri, 'other'))?.verdict, 'passed');
    prompts.add({ pick: ['$(trash) All saved secrets'] });
    assert.deepEqual(await vscode.commands.executeCommand<string[]>('playbook.forgetSecrets'), ['API_KEY', 'OTHER_TOKEN']);
    assert.deepEqual(await api.values.savedSecretNames(['API_KEY', 'OTHER_TOKEN']), []);
    prompts.add({ input: [RIGHT_KEY] });
    assert.equal((await api.runs.runStep(uri, 'authed'))?.verdict, 'passed');
    assert.equal(prompts.asked.filter((a) => a.kind === 'input' && a.title === 'Secret for API_KEY').length, 1);
  });
});

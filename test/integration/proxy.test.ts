// HTTP steps and webhooks behind a proxy in a real VS Code: `http.proxy`, `http.noProxy` and a dead proxy, against a
// real forward proxy on 127.0.0.1 that counts what passes through it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { deadPort, startTestProxy, startTestTarget, type TestProxy, type TestTarget } from '../support/testProxy';
import { activateExtension, openFixture } from './helpers';

async function setHttp(key: string, value: unknown): Promise<void> {
  // `http.*` are application settings: they cannot be set per workspace.
  await vscode.workspace.getConfiguration('http').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('requests behind a proxy', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let uri: vscode.Uri;
  let proxy: TestProxy;
  let target: TestTarget;
  const webhookBefore = process.env.PLAYBOOK_TEST_WEBHOOK;

  before(async () => {
    api = await activateExtension();
    [proxy, target] = await Promise.all([startTestProxy(), startTestTarget()]);
    process.env.PLAYBOOK_TEST_WEBHOOK = `${target.url}/hook`;
    await vscode.workspace.getConfiguration('playbook').update('variables', { BASE_URL: target.url }, vscode.ConfigurationTarget.Workspace);
    uri = (await openFixture('run.playbook.yaml')).uri;
    await api.session.startIncident({ title: 'Proxy', severity: 'P2', drill: true, playbook: 'run.playbook.yaml' });
  });

  after(async () => {
    await setHttp('proxy', undefined);
    await setHttp('noProxy', undefined);
    await vscode.workspace.getConfiguration('playbook').update('variables', undefined, vscode.ConfigurationTarget.Workspace);
    process.env.PLAYBOOK_TEST_WEBHOOK = webhookBefore;
    await Promise.all([proxy.close(), target.close()]);
  });

  /** Runs `body` with HTTP_PROXY set in the extension host's environment, which the extension reads at each request. */
  async function withEnvProxy(value: string, body: () => Promise<void>): Promise<void> {
    const before = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = value;
    try {
      await body();
    } finally {
      if (before === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = before;
    }
  }

  it('sends an http step through HTTP_PROXY from the environment', async () => {
    await withEnvProxy(proxy.url, async () => {
      const result = await api.runs.runStep(uri, 'health');
      assert.equal(result?.verdict, 'passed', JSON.stringify(result?.checks));
    });
    assert.deepEqual(proxy.forwarded, [`GET ${target.url}/health`]);
  });

  it('sends an http step through VS Code’s http.proxy, which wins over HTTP_PROXY', async () => {
    await setHttp('proxy', proxy.url);
    await withEnvProxy(`http://127.0.0.1:${await deadPort()}`, async () => {
      const result = await api.runs.runStep(uri, 'health');
      assert.equal(result?.verdict, 'passed', JSON.stringify(result?.checks));
    });
    assert.deepEqual(proxy.forwarded, [`GET ${target.url}/health`, `GET ${target.url}/health`]);
  });

  it('posts a notify step’s webhook through the proxy', async () => {
    const text = await api.runs.notify(uri, 'post-to-chat');
    assert.ok(text, 'posted');
    assert.deepEqual(proxy.forwarded.slice(-1), [`POST ${target.url}/hook`]);
  });

  it('goes direct for the hosts in http.noProxy', async () => {
    const before = proxy.forwarded.length;
    await setHttp('noProxy', ['127.0.0.1']);
    try {
      assert.equal((await api.runs.runStep(uri, 'health'))?.verdict, 'passed');
      assert.equal(proxy.forwarded.length, before, 'the proxy saw nothing');
      assert.equal(target.received.filter((r) => r === 'GET /health').length, 3);
    } finally {
      await setHttp('noProxy', undefined);
    }
  });

  it('leaves VS Code’s proxy settings out when http.proxySupport is off', async () => {
    const before = proxy.forwarded.length;
    await setHttp('proxySupport', 'off');
    try {
      assert.equal((await api.runs.runStep(uri, 'health'))?.verdict, 'passed');
      assert.equal(proxy.forwarded.length, before, 'the proxy saw nothing');
    } finally {
      await setHttp('proxySupport', undefined);
    }
  });

  it('fails clearly through a dead proxy, never recording its password', async () => {
    await setHttp('proxy', `http://alice:hunter2@127.0.0.1:${await deadPort()}`);
    const result = await api.runs.runStep(uri, 'health');
    assert.equal(result?.verdict, 'failed');
    assert.match(
      result?.checks[0]?.description ?? '',
      /^no response: could not reach the proxy 127\.0\.0\.1:\d+ \(connection refused; set by http\.proxy\)$/,
    );
    assert.ok(!readFileSync(api.session.current?.file as string, 'utf8').includes('hunter2'));
  });
});

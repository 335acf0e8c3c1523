import * as assert from 'node:assert/strict';
import { runHttp } from '../../../src/run/httpRunner';
import { dispatcherOptions, planProxy, proxyFailure, proxyFor, redactCredentials, type ProxyPlan } from '../../../src/run/proxy';
import { postWebhook } from '../../../src/run/webhook';
import { deadPort, startTestProxy, startTestTarget, type TestProxy, type TestTarget } from '../../support/testProxy';

describe('proxy plan', () => {
  it('goes direct, checking certificates, when nothing is configured', () => {
    const plan = planProxy({ env: {} });
    assert.deepEqual(plan, { noProxy: '', strictSSL: true });
    assert.deepEqual(dispatcherOptions(plan), { agent: 'Agent', options: { connect: { rejectUnauthorized: true } } });
  });

  it('reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY, lower-case first', () => {
    const plan = planProxy({
      env: { HTTP_PROXY: 'http://upper:1', http_proxy: 'http://lower:2', HTTPS_PROXY: 'http://secure:3', NO_PROXY: 'internal.corp,.svc' },
    });
    assert.equal(plan.http, 'http://lower:2/');
    assert.equal(plan.https, 'http://secure:3/');
    assert.equal(plan.noProxy, 'internal.corp,.svc');
    assert.equal(plan.source, 'http_proxy');
  });

  it('uses HTTP_PROXY for https requests when HTTPS_PROXY is not set, as undici does', () => {
    assert.equal(planProxy({ env: { HTTP_PROXY: 'proxy.corp:3128' } }).https, 'http://proxy.corp:3128/');
  });

  it('lets VS Code’s http.proxy win over the variables, and keeps NO_PROXY and http.noProxy', () => {
    const plan = planProxy({
      proxy: 'http://editor:8080',
      noProxy: ['wiki.corp'],
      env: { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'git.corp' },
    });
    assert.equal(plan.http, 'http://editor:8080/');
    assert.equal(plan.https, 'http://editor:8080/');
    assert.equal(plan.source, 'http.proxy');
    assert.equal(plan.noProxy, 'wiki.corp,git.corp');
  });

  it('turns certificate checks off only when http.proxyStrictSSL is false', () => {
    const plan = planProxy({ proxy: 'http://p:1', strictSSL: false, proxyAuthorization: 'Basic abc', env: {} });
    const chosen = dispatcherOptions(plan);
    assert.equal(chosen.agent, 'EnvHttpProxyAgent');
    assert.deepEqual(chosen.options.requestTls, { rejectUnauthorized: false });
    assert.deepEqual(chosen.options.proxyTls, { rejectUnauthorized: false });
    assert.equal(chosen.options.token, 'Basic abc');
    assert.equal(planProxy({ proxy: 'http://p:1', env: {} }).strictSSL, true);
  });

  it('reports an unusable proxy without its password', () => {
    assert.match(
      planProxy({ env: { HTTPS_PROXY: 'socks5://u:hunter2@p:1080' } }).problem ?? '',
      /HTTPS_PROXY uses socks5:\/\/ \(only http:\/\/ and https:\/\/ proxies are supported\): socks5:\/\/••••@p:1080/,
    );
    const bad = planProxy({ proxy: 'http://u:hunter2@[bad', env: {} });
    assert.match(bad.problem ?? '', /http\.proxy is not a valid URL/);
    assert.ok(!(bad.problem ?? '').includes('hunter2'));
  });

  it('decides per URL which requests NO_PROXY sends direct', () => {
    const plan = planProxy({ env: { HTTP_PROXY: 'http://p:1', NO_PROXY: 'localhost,.corp,*.svc,10.0.0.1:8080' } });
    const via = (url: string) => proxyFor(plan, url) !== undefined;
    assert.equal(via('http://example.com/'), true);
    assert.equal(via('http://localhost:3000/'), false);
    assert.equal(via('http://api.corp/'), false);
    assert.equal(via('http://corp/'), false);
    assert.equal(via('http://a.b.svc/'), false);
    assert.equal(via('http://10.0.0.1:8080/'), false);
    assert.equal(via('http://10.0.0.1:9090/'), true);
    assert.equal(proxyFor(planProxy({ env: { HTTP_PROXY: 'http://p:1', NO_PROXY: '*' } }), 'http://x/'), undefined);
  });

  it('hides credentials in any URL of a message', () => {
    assert.equal(redactCredentials('proxy http://alice:s3cret@p:1/ failed'), 'proxy http://••••@p:1/ failed');
    assert.equal(redactCredentials('alice:s3cret@p:1'), '••••@p:1');
  });

  it('names the proxy, not the target, when the proxy is unreachable', () => {
    const plan = planProxy({ env: { HTTP_PROXY: 'http://u:pw@127.0.0.1:9' } });
    assert.equal(
      proxyFailure({ code: 'ECONNREFUSED' }, plan, 'http://api.example/'),
      'could not reach the proxy 127.0.0.1:9 (connection refused; set by HTTP_PROXY)',
    );
    assert.equal(proxyFailure({ code: 'ECONNREFUSED' }, planProxy({ env: {} }), 'http://api.example/'), undefined);
  });
});

describe('requests through a proxy', function () {
  this.timeout(20000);
  let proxy: TestProxy;
  let target: TestTarget;
  let tlsTarget: TestTarget;

  before(async () => {
    [proxy, target, tlsTarget] = await Promise.all([startTestProxy(), startTestTarget(), startTestTarget({ tls: true })]);
  });

  after(() => Promise.all([proxy.close(), target.close(), tlsTarget.close()]));

  const counts = () => proxy.forwarded.length + proxy.tunnels.length;

  it('sends an http step through HTTP_PROXY', async () => {
    const before = proxy.forwarded.length;
    const outcome = await runHttp({ url: `${target.url}/health` }, { proxy: planProxy({ env: { HTTP_PROXY: proxy.url } }) });
    assert.equal(outcome.status, 200, outcome.error);
    assert.deepEqual(proxy.forwarded.slice(before), [`GET ${target.url}/health`]);
  });

  it('goes direct for a host in NO_PROXY', async () => {
    const before = counts();
    const targetHost = new URL(target.url).host;
    for (const noProxy of ['127.0.0.1', targetHost, '*']) {
      const outcome = await runHttp(
        { url: `${target.url}/direct` },
        { proxy: planProxy({ env: { HTTP_PROXY: proxy.url, NO_PROXY: noProxy } }) },
      );
      assert.equal(outcome.status, 200, outcome.error);
    }
    assert.equal(counts(), before, 'the proxy saw none of them');
    assert.equal(target.received.filter((r) => r === 'GET /direct').length, 3);
  });

  it('routes exactly as proxyFor predicts, NO_PROXY entry by entry', async () => {
    const port = Number(new URL(target.url).port);
    for (const noProxy of [
      '',
      'localhost',
      '127.0.0.1',
      `127.0.0.1:${port}`,
      `127.0.0.1:${port + 1}`,
      '.0.0.1',
      'example.com,127.0.0.1',
      '*',
    ]) {
      const plan = planProxy({ env: { HTTP_PROXY: proxy.url, NO_PROXY: noProxy } });
      const before = counts();
      const outcome = await runHttp({ url: `${target.url}/route` }, { proxy: plan });
      assert.equal(outcome.status, 200, outcome.error);
      assert.equal(counts() > before, proxyFor(plan, `${target.url}/route`) !== undefined, `NO_PROXY=${noProxy}`);
    }
  });

  it('lets http.proxy win over HTTP_PROXY', async () => {
    const other = await startTestProxy();
    try {
      const outcome = await runHttp(
        { url: `${target.url}/setting` },
        { proxy: planProxy({ proxy: other.url, env: { HTTP_PROXY: proxy.url } }) },
      );
      assert.equal(outcome.status, 200, outcome.error);
      assert.deepEqual(other.forwarded, [`GET ${target.url}/setting`]);
      assert.ok(!proxy.forwarded.some((f) => f.endsWith('/setting')));
    } finally {
      await other.close();
    }
  });

  it('posts a webhook through the proxy', async () => {
    const before = proxy.forwarded.length;
    const result = await postWebhook(`${target.url}/hook`, 'API down', { proxy: planProxy({ proxy: proxy.url, env: {} }) });
    assert.deepEqual(result, { ok: true, status: 200 });
    assert.deepEqual(proxy.forwarded.slice(before), [`POST ${target.url}/hook`]);
    assert.deepEqual(JSON.parse(target.bodies[target.bodies.length - 1]), { text: 'API down' });
  });

  it('tunnels https through CONNECT, checking the certificate unless http.proxyStrictSSL is false', async () => {
    const host = new URL(tlsTarget.url).host;
    const strict = await runHttp({ url: `${tlsTarget.url}/secure` }, { proxy: planProxy({ proxy: proxy.url, env: {} }) });
    assert.equal(strict.status, undefined);
    assert.match(strict.error ?? '', /self[- ]signed/i);
    const lax = await runHttp({ url: `${tlsTarget.url}/secure` }, { proxy: planProxy({ proxy: proxy.url, strictSSL: false, env: {} }) });
    assert.equal(lax.status, 200, lax.error);
    assert.deepEqual(proxy.tunnels.filter((t) => t === host).length, 2);
    assert.deepEqual(tlsTarget.received, ['GET /secure']);
  });

  it('fails clearly when the proxy is dead, never printing its password', async () => {
    const dead = `http://alice:hunter2@127.0.0.1:${await deadPort()}`;
    const outcome = await runHttp({ url: `${target.url}/health` }, { proxy: planProxy({ env: { HTTPS_PROXY: dead, HTTP_PROXY: dead } }) });
    assert.equal(outcome.status, undefined);
    assert.match(outcome.error ?? '', /^could not reach the proxy 127\.0\.0\.1:\d+ \(connection refused; set by HTTP_PROXY\)$/);
    const posted = await postWebhook(`${target.url}/hook`, 'x', { proxy: planProxy({ proxy: dead, env: {} }) });
    assert.match(posted.error ?? '', /^could not reach the proxy 127\.0\.0\.1:\d+ \(connection refused; set by http\.proxy\)$/);
  });

  it('refuses to send when the proxy setting is unusable, instead of going direct', async () => {
    const before = target.received.length;
    const outcome = await runHttp({ url: `${target.url}/health` }, { proxy: planProxy({ proxy: 'ftp://bob:pw@p', env: {} }) });
    assert.match(outcome.error ?? '', /^the proxy in http\.proxy uses ftp:\/\/ .*: ftp:\/\/••••@p$/);
    assert.equal(target.received.length, before);
  });

  it('sends http.proxyAuthorization, or the URL’s credentials, to a proxy that asks for them', async () => {
    const guarded = await startTestProxy({ requireAuthorization: `Basic ${Buffer.from('alice:hunter2').toString('base64')}` });
    try {
      const plain: ProxyPlan = planProxy({ proxy: guarded.url, env: {} });
      const refused = await runHttp({ url: `${target.url}/auth` }, { proxy: plain });
      assert.match(refused.error ?? '', /^the proxy 127\.0\.0\.1:\d+ asks for credentials \(HTTP 407; set by http\.proxy\)$/);
      const withUrl = await runHttp(
        { url: `${target.url}/auth` },
        { proxy: planProxy({ proxy: guarded.url.replace('//', '//alice:hunter2@'), env: {} }) },
      );
      assert.equal(withUrl.status, 200, withUrl.error);
      const withHeader = await runHttp(
        { url: `${target.url}/auth` },
        {
          proxy: planProxy({ proxy: guarded.url, proxyAuthorization: `Basic ${Buffer.from('alice:hunter2').toString('base64')}`, env: {} }),
        },
      );
      assert.equal(withHeader.status, 200, withHeader.error);
    } finally {
      await guarded.close();
    }
  });
});

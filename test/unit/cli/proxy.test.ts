import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { deadPort, startTestProxy, startTestTarget, type TestProxy, type TestTarget } from '../../support/testProxy';

const PLAYBOOK = `version: 1
title: Behind a proxy
variables:
  BASE_URL:
    description: the target
scenarios:
  - id: main
    title: Main
    steps:
      - id: health
        title: Health
        http:
          url: \${BASE_URL}/health
        expect:
          status: 200
`;

describe('playbook run behind a proxy (CLI)', function () {
  this.timeout(20000);
  let proxy: TestProxy;
  let target: TestTarget;
  let dir: string;
  let file: string;

  before(async () => {
    [proxy, target] = await Promise.all([startTestProxy(), startTestTarget()]);
    dir = mkdtempSync(join(tmpdir(), 'playbook-proxy-'));
    file = join(dir, 'proxy.playbook.yaml');
    writeFileSync(file, PLAYBOOK);
  });

  after(async () => {
    await Promise.all([proxy.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(env: Record<string, string>): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const code = await main(
      ['run', file, '--workspace', dir, '--drill', '--var', `BASE_URL=${target.url}`],
      (s) => out.push(s),
      (s) => out.push(s),
      { env, cwd: dir },
    );
    return { code, out: out.join('\n') };
  }

  it('sends http steps through HTTP_PROXY from its environment', async () => {
    const result = await run({ HTTP_PROXY: proxy.url });
    assert.equal(result.code, 0, result.out);
    assert.deepEqual(proxy.forwarded, [`GET ${target.url}/health`]);
  });

  it('goes direct for the hosts in NO_PROXY', async () => {
    const before = proxy.forwarded.length;
    const result = await run({ http_proxy: proxy.url, no_proxy: 'localhost,127.0.0.1' });
    assert.equal(result.code, 0, result.out);
    assert.equal(proxy.forwarded.length, before);
    assert.equal(target.received.length, 2);
  });

  it('fails the step with the proxy named, never its password, when the proxy is dead', async () => {
    const result = await run({
      HTTPS_PROXY: `http://alice:hunter2@127.0.0.1:${await deadPort()}`,
      HTTP_PROXY: `http://alice:hunter2@127.0.0.1:${await deadPort()}`,
    });
    assert.equal(result.code, 1);
    assert.match(result.out, /no response: could not reach the proxy 127\.0\.0\.1:\d+ \(connection refused; set by HTTP_PROXY\)/);
    assert.ok(!result.out.includes('hunter2'));
    const logs = readdirSync(join(dir, '.incidents')).map((f) => readFileSync(join(dir, '.incidents', f), 'utf8'));
    assert.ok(logs.length > 0 && logs.every((text) => !text.includes('hunter2')), 'the password is in no incident log');
  });
});

import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from '../../../src/run/webhook';

describe('webhook posting', () => {
  let server: http.Server;
  let base = '';
  const received: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        if (req.url?.startsWith('/slow')) return; // never answers
        res.statusCode = req.url?.startsWith('/fail') ? 500 : 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => server.closeAllConnections?.() ?? server.close());

  it('posts the message as {"text": ...}', async () => {
    assert.deepEqual(await postWebhook(`${base}/hook`, 'API down'), { ok: true, status: 200 });
    assert.deepEqual(JSON.parse(received[received.length - 1]), { text: 'API down' });
  });

  it('explains a refusal, a timeout and an unreachable host without the URL', async () => {
    const refused = await postWebhook(`${base}/fail?token=s3cr3t`, 'x');
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /answered HTTP 500/);
    assert.ok(!(refused.error ?? '').includes('s3cr3t'));
    assert.match((await postWebhook(`${base}/slow`, 'x', { timeoutMs: 300 })).error ?? '', /did not answer within 0 s|did not answer/);
    assert.match((await postWebhook('http://127.0.0.1:1/hook', 'x')).error ?? '', /could not reach 127\.0\.0\.1:1/);
    assert.match((await postWebhook('not a url', 'x')).error ?? '', /not a valid URL/);
  });
});

import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { judgeHttp } from '../../../src/run/expect';
import { buildRequest, runHttp } from '../../../src/run/httpRunner';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const routes: Record<string, Handler> = {
  '/health': (_req, res) => json(res, 200, { status: 'ok', checks: [{ name: 'db', ok: true }] }),
  '/down': (_req, res) => json(res, 503, { status: 'down' }),
  '/echo': (req, res, body) =>
    json(res, 200, { method: req.method, url: req.url, key: req.headers['x-api-key'], type: req.headers['content-type'] ?? null, body }),
  '/text': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-trace': 'abc' });
    res.end('{"parsed":true}');
  },
  '/plain': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('all good');
  },
  '/big': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('x'.repeat(5000));
  },
  '/moved': (_req, res) => redirect(res, 302, '/health'),
  '/see-other': (_req, res) => redirect(res, 303, '/echo'),
  '/loop': (_req, res) => redirect(res, 302, '/loop'),
  '/slow': () => undefined, // never answers
};

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location });
  res.end();
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('runHttp', () => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => (routes[new URL(req.url ?? '/', 'http://x').pathname] ?? ((_q, r) => json(r, 404, {})))(req, res, body));
  });
  let base = '';

  before(async () => {
    base = `http://127.0.0.1:${await listen(server)}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('returns the status, headers, body and parsed JSON of a response', async () => {
    const outcome = await runHttp({ url: `${base}/health` });
    assert.equal(outcome.status, 200);
    assert.equal(outcome.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(outcome.json, { status: 'ok', checks: [{ name: 'db', ok: true }] });
    assert.equal(outcome.body, '{"status":"ok","checks":[{"name":"db","ok":true}]}');
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.redirects, 0);
    assert.ok(outcome.responseTimeMs !== undefined && outcome.responseTimeMs <= outcome.durationMs);
  });

  it('fits judgeHttp directly', async () => {
    const outcome = await runHttp({ url: `${base}/down` });
    assert.deepEqual(
      judgeHttp({ status: 200, json: [{ path: 'status', equals: 'ok' }] }, outcome).checks.map((c) => c.passed),
      [false, false],
    );
    assert.equal(judgeHttp({ status: 503 }, outcome).verdict, 'passed');
  });

  it('sends the method, headers and query, and a JSON body with its content type', async () => {
    const outcome = await runHttp({
      method: 'post',
      url: `${base}/echo?a=1`,
      headers: { 'X-API-Key': 'k-123' },
      query: { verbose: true, n: 2 },
      json: { archetype: 'Foundation Builder' },
    });
    assert.deepEqual(outcome.json, {
      method: 'POST',
      url: '/echo?a=1&verbose=true&n=2',
      key: 'k-123',
      type: 'application/json',
      body: '{"archetype":"Foundation Builder"}',
    });
  });

  it('sends a text body as given', async () => {
    const outcome = await runHttp({ method: 'PUT', url: `${base}/echo`, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.deepEqual(outcome.json, { method: 'PUT', url: '/echo', type: 'text/plain', body: 'hello' });
  });

  it('parses a JSON body served as text, and leaves other text unparsed', async () => {
    assert.deepEqual((await runHttp({ url: `${base}/text` })).json, { parsed: true });
    assert.equal('json' in (await runHttp({ url: `${base}/plain` })), false);
  });

  it('follows a redirect by default and records the final URL', async () => {
    const outcome = await runHttp({ url: `${base}/moved` });
    assert.equal(outcome.status, 200);
    assert.equal(outcome.redirects, 1);
    assert.equal(outcome.url, `${base}/health`);
  });

  it('turns a POST into a GET without a body after a 303', async () => {
    const outcome = await runHttp({ method: 'POST', url: `${base}/see-other`, body: 'data' });
    assert.deepEqual(outcome.json, { method: 'GET', url: '/echo', type: null, body: '' });
  });

  it('does not follow a redirect when told not to', async () => {
    const outcome = await runHttp({ url: `${base}/moved`, followRedirects: false });
    assert.equal(outcome.status, 302);
    assert.equal(outcome.headers.location, '/health');
  });

  it('gives up after five redirects', async () => {
    const outcome = await runHttp({ url: `${base}/loop` });
    assert.equal(outcome.status, undefined);
    assert.equal(outcome.error, `more than 5 redirects (last to ${base}/loop)`);
    assert.equal(outcome.redirects, 5);
  });

  it('keeps a bounded part of a large body', async () => {
    const outcome = await runHttp({ url: `${base}/big` }, { bodyLimitBytes: 100 });
    assert.equal(outcome.body, 'x'.repeat(100));
    assert.equal(outcome.bodyTruncated, true);
  });

  it('times out a request that gets no answer', async () => {
    const outcome = await runHttp({ url: `${base}/slow`, timeoutMs: 150 });
    assert.deepEqual(
      { status: outcome.status, interrupted: outcome.interrupted, error: outcome.error },
      { status: undefined, interrupted: 'timeout', error: 'request timed out after 150 ms' },
    );
    assert.equal(judgeHttp(undefined, outcome).checks[0].description.startsWith('timed out after'), true);
  });

  it('is cancelled through the caller signal', async () => {
    const controller = new AbortController();
    const pending = runHttp({ url: `${base}/slow`, timeoutMs: 5000 }, { signal: controller.signal });
    setImmediate(() => controller.abort());
    const outcome = await pending;
    assert.deepEqual({ interrupted: outcome.interrupted, error: outcome.error }, { interrupted: 'cancelled', error: 'cancelled' });
  });

  it('reports a refused connection instead of throwing', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await runHttp({ url: `http://127.0.0.1:${port}/health` });
    assert.equal(outcome.status, undefined);
    assert.equal(outcome.error, `connection refused 127.0.0.1:${port}`);
  });

  it('reports an invalid URL instead of throwing', async () => {
    const outcome = await runHttp({ url: 'not a url' });
    assert.equal(outcome.error, 'invalid URL: not a url');
  });
});

describe('buildRequest', () => {
  it('appends the query to the URL and keeps an explicit content type over JSON', () => {
    const built = buildRequest({
      url: 'http://127.0.0.1/x?a=1',
      query: { b: 'two words' },
      headers: { 'Content-Type': 'application/vnd.api+json' },
      json: [1],
    });
    assert.deepEqual(built, {
      method: 'GET',
      url: 'http://127.0.0.1/x?a=1&b=two+words',
      headers: { 'content-type': 'application/vnd.api+json' },
      body: '[1]',
      followRedirects: true,
    });
  });
});

// A real forward proxy for tests, on 127.0.0.1: tunnels CONNECT and forwards absolute-form requests, counting both,
// and optionally demands a Proxy-Authorization header. Also a target server (plain or TLS) that counts its requests.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface TestProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** `host:port` of every CONNECT tunnel asked for. */
  tunnels: string[];
  /** `METHOD absolute-url` of every forwarded request. */
  forwarded: string[];
  /** The Proxy-Authorization header of every request or tunnel, as received. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** Starts the proxy; with `requireAuthorization`, anything without that exact header is answered 407. */
export async function startTestProxy(options: { requireAuthorization?: string } = {}): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: TestProxy = { url: '', port: 0, tunnels: [], forwarded: [], authorizations: [], close: () => closeServer(server, sockets) };
  const allowed = (header: string | undefined) => {
    proxy.authorizations.push(header);
    return options.requireAuthorization === undefined || header === options.requireAuthorization;
  };
  const server = http.createServer((req, res) => {
    if (!allowed(req.headers['proxy-authorization'])) return void res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
    proxy.forwarded.push(`${req.method} ${req.url}`);
    forward(req, res);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    if (!allowed(req.headers['proxy-authorization'])) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    proxy.tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
    sockets.add(upstream);
  });
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  proxy.port = await listen(server);
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  return proxy;
}

function forward(req: http.IncomingMessage, res: http.ServerResponse): void {
  const target = new URL(req.url ?? '');
  const headers = { ...req.headers };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  const upstream = http.request(
    { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

export interface TestTarget {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT` */
  url: string;
  /** `METHOD path` of every request received. */
  received: string[];
  /** Bodies of the requests, in order. */
  bodies: string[];
  close(): Promise<void>;
}

/** A target answering `{"status":"ok"}` to anything; `tls` serves the self-signed certificate in test/fixtures/tls. */
export async function startTestTarget(options: { tls?: boolean } = {}): Promise<TestTarget> {
  const sockets = new Set<net.Socket>();
  const target: TestTarget = { url: '', received: [], bodies: [], close: () => closeServer(server, sockets) };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      target.received.push(`${req.method} ${req.url}`);
      target.bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    });
  };
  const server = options.tls ? https.createServer(tlsFixture(), handler) : http.createServer(handler);
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  target.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${await listen(server)}`;
  return target;
}

/** The fixture certificate; this file runs compiled from out/test/support. */
function tlsFixture(): { key: Buffer; cert: Buffer } {
  const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tls');
  return { key: readFileSync(path.join(dir, 'self-signed.key')), cert: readFileSync(path.join(dir, 'self-signed.crt')) };
}

/** A port on 127.0.0.1 where nothing listens (it was just freed). */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

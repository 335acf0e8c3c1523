// Makes an `http` step's request with undici: query, body or JSON, timeout, cancellation, redirects; never throws.
import type { Dispatcher } from 'undici';
import type { HttpOutcome } from './expect';
import { openDispatcher, proxyFailure, redactCredentials, type ProxyPlan } from './proxy';

/** Default limit on how much of a response body is kept: 1 MB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** How many redirects are followed before giving up. */
export const MAX_REDIRECTS = 5;

/** A request with its `${NAME}` placeholders already expanded. */
export interface HttpCall {
  method?: string;
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Appended to the URL's own query. */
  query?: Readonly<Record<string, string | number | boolean>>;
  body?: string;
  /** Sent as JSON, with `content-type: application/json` unless a header says otherwise; wins over `body`. */
  json?: unknown;
  timeoutMs?: number;
  /** Default true; at most `MAX_REDIRECTS` are followed. */
  followRedirects?: boolean;
}

/** The transport; undici's `request` by default, replaceable in tests. */
export type HttpRequester = (
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; dispatcher?: Dispatcher },
) => Promise<Dispatcher.ResponseData>;

export interface HttpOptions {
  /** The caller's cancel signal. */
  signal?: AbortSignal;
  /** An undici dispatcher (an `Agent`, a `MockAgent`) for the requests; wins over `proxy`. */
  dispatcher?: Dispatcher;
  /** The route to take (proxy, NO_PROXY, certificate checks); an agent for it is opened for this request and closed after. */
  proxy?: ProxyPlan;
  requester?: HttpRequester;
  bodyLimitBytes?: number;
}

/** What came back, shaped for `judgeHttp` (status, body, durationMs, error, interrupted) plus what people read. */
export interface HttpRunOutcome extends HttpOutcome {
  /** The URL finally requested, after the query was added and redirects were followed. */
  url: string;
  method: string;
  /** Response headers, lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The parsed body, when the content type is JSON or the body parses as JSON. */
  json?: unknown;
  /** Time from sending the first request to the last response's headers. */
  responseTimeMs?: number;
  redirects: number;
  /** Bytes of body received, including any beyond the kept limit. */
  bodyBytes: number;
  bodyTruncated: boolean;
  startedAt: Date;
  endedAt: Date;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Makes the request, following redirects; network errors, timeouts and cancellation become an outcome. */
export async function runHttp(call: HttpCall, options: HttpOptions = {}): Promise<HttpRunOutcome> {
  const started = performance.now();
  const outcome = emptyOutcome(call, new Date());
  const finish = (): HttpRunOutcome => {
    outcome.durationMs = performance.now() - started;
    outcome.endedAt = new Date(outcome.startedAt.getTime() + outcome.durationMs);
    return outcome;
  };
  if (options.signal?.aborted) {
    outcome.interrupted = 'cancelled';
    outcome.error = 'cancelled before the request was sent';
    return finish();
  }
  const signals = combinedSignal(call.timeoutMs, options.signal);
  let opened: Dispatcher | undefined;
  try {
    const built = buildRequest(call);
    outcome.url = built.url;
    if (!options.dispatcher && options.proxy) opened = await openDispatcher(options.proxy);
    await exchange(built, outcome, opened ? { ...options, dispatcher: opened } : options, signals.signal, started);
  } catch (error) {
    describeFailure(error, outcome, signals, call.timeoutMs, options.proxy);
  } finally {
    // The body has been read (or abandoned): nothing is left in flight to wait for.
    await opened?.destroy().catch(() => undefined);
  }
  return finish();
}

interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects: boolean;
}

/** The method, full URL, headers and body to send; throws on an invalid URL (reported by the caller). */
export function buildRequest(call: HttpCall): BuiltRequest {
  const url = new URL(call.url);
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.append(key, String(value));
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(call.headers ?? {})) headers[key.toLowerCase()] = value;
  let body = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers['content-type'] ??= 'application/json';
  }
  const built: BuiltRequest = {
    method: (call.method ?? 'GET').toUpperCase(),
    url: url.toString(),
    headers,
    followRedirects: call.followRedirects !== false,
  };
  if (body !== undefined) built.body = body;
  return built;
}

async function exchange(
  built: BuiltRequest,
  outcome: HttpRunOutcome,
  options: HttpOptions,
  signal: AbortSignal,
  started: number,
): Promise<void> {
  // undici loads on the first request, not with the extension: most sessions never send one.
  const send = options.requester ?? ((await import('undici')).request as unknown as HttpRequester);
  let current = built;
  for (;;) {
    outcome.url = current.url;
    outcome.method = current.method;
    const response = await send(current.url, {
      method: current.method,
      headers: current.headers,
      body: current.body,
      signal,
      dispatcher: options.dispatcher,
    });
    outcome.responseTimeMs = performance.now() - started;
    const location = headerText(response.headers.location);
    if (current.followRedirects && REDIRECT_STATUSES.has(response.statusCode) && location) {
      await response.body.dump().catch(() => undefined);
      if (outcome.redirects >= MAX_REDIRECTS) throw new RedirectLimit(current.url);
      outcome.redirects++;
      current = redirected(current, response.statusCode, location);
      continue;
    }
    outcome.status = response.statusCode;
    outcome.headers = flatHeaders(response.headers);
    await readBody(response, outcome, options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);
    outcome.json = parseJson(outcome.body, outcome.headers['content-type']);
    if (outcome.json === undefined) delete outcome.json;
    return;
  }
}

class RedirectLimit extends Error {
  constructor(readonly lastUrl: string) {
    super(`more than ${MAX_REDIRECTS} redirects (last to ${lastUrl})`);
  }
}

/** The next request of a redirect: 303, and 301/302 after a POST, become a GET without a body, as browsers do. */
function redirected(previous: BuiltRequest, status: number, location: string): BuiltRequest {
  const url = new URL(location, previous.url).toString();
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === 'POST');
  if (!toGet) return { ...previous, url };
  const headers = { ...previous.headers };
  delete headers['content-type'];
  delete headers['content-length'];
  return { method: previous.method === 'HEAD' ? 'HEAD' : 'GET', url, headers, followRedirects: previous.followRedirects };
}

async function readBody(response: Dispatcher.ResponseData, outcome: HttpRunOutcome, limit: number): Promise<void> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    outcome.bodyBytes += chunk.length;
    if (keptBytes < limit) {
      const part = chunk.subarray(0, limit - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
    if (keptBytes >= limit && outcome.bodyBytes > limit) {
      outcome.bodyTruncated = true;
      response.body.destroy();
      break;
    }
  }
  outcome.body = new TextDecoder('utf-8').decode(Buffer.concat(kept));
}

function parseJson(body: string, contentType: string | undefined): unknown {
  const declared = contentType !== undefined && /[/+]json\b/i.test(contentType);
  if (!declared && !/^\s*[[{"\d-]|^\s*(?:true|false|null)\s*$/.test(body)) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

interface Signals {
  signal: AbortSignal;
  timeout?: AbortSignal;
  cancel?: AbortSignal;
}

function combinedSignal(timeoutMs: number | undefined, cancel: AbortSignal | undefined): Signals {
  const timeout = timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  const parts = [timeout, cancel].filter((s): s is AbortSignal => s !== undefined);
  const signal = parts.length === 0 ? new AbortController().signal : parts.length === 1 ? parts[0] : AbortSignal.any(parts);
  return { signal, timeout, cancel };
}

function describeFailure(
  error: unknown,
  outcome: HttpRunOutcome,
  signals: Signals,
  timeoutMs: number | undefined,
  proxy: ProxyPlan | undefined,
): void {
  outcome.status = undefined;
  outcome.headers = {};
  outcome.body = '';
  if (signals.cancel?.aborted) {
    outcome.interrupted = 'cancelled';
    outcome.error = 'cancelled';
  } else if (signals.timeout?.aborted) {
    outcome.interrupted = 'timeout';
    outcome.error = `request timed out after ${timeoutMs} ms`;
  } else {
    outcome.error = redactCredentials(proxyFailure(error, proxy, outcome.url) ?? networkError(error, outcome.url));
  }
}

/** A short, plain description of why no response arrived ("connection refused 127.0.0.1:5999"). */
export function networkError(error: unknown, url: string): string {
  if (error instanceof RedirectLimit) return error.message;
  const e = error as { code?: string; message?: string; cause?: { code?: string }; address?: string; port?: number };
  const code = e?.code ?? e?.cause?.code;
  const where = hostOf(url, e);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found ${where}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection reset ${where}`;
    case 'ERR_INVALID_URL':
      return `invalid URL: ${url}`;
    default:
      return e?.message ? `${code ? `${code}: ` : ''}${e.message}` : String(error);
  }
}

function hostOf(url: string, e: { address?: string; port?: number }): string {
  if (e.address) return e.port ? `${e.address}:${e.port}` : e.address;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function emptyOutcome(call: HttpCall, startedAt: Date): HttpRunOutcome {
  const method = (call.method ?? 'GET').toUpperCase();
  return {
    status: undefined,
    body: '',
    durationMs: 0,
    url: call.url,
    method,
    headers: {},
    redirects: 0,
    bodyBytes: 0,
    bodyTruncated: false,
    startedAt,
    endedAt: startedAt,
  };
}

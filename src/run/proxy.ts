// How HTTP steps and webhooks reach the network: VS Code's `http.proxy` or the HTTP(S)_PROXY variables, NO_PROXY and
// certificate checks, decided here and handed to undici's own agents. Proxy credentials never reach a message.
import type { Dispatcher } from 'undici';

/** What decides the route: VS Code's settings (the editor only) and the environment (editor and CLI). */
export interface ProxyInput {
  /** VS Code's `http.proxy`; wins over the environment. */
  proxy?: string;
  /** VS Code's `http.noProxy`: hosts reached directly, besides NO_PROXY. */
  noProxy?: readonly string[];
  /** VS Code's `http.proxyStrictSSL`; false accepts any certificate (a company proxy that inspects TLS). Default true. */
  strictSSL?: boolean;
  /** VS Code's `http.proxyAuthorization`: the `Proxy-Authorization` header sent to the proxy. */
  proxyAuthorization?: string;
  /** HTTP_PROXY, HTTPS_PROXY, NO_PROXY and their lower-case forms are read from here. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The decided route; plain data, so the choice is tested without a network. */
export interface ProxyPlan {
  /** Proxy URL for `http:` requests; undefined goes direct. */
  http?: string;
  /** Proxy URL for `https:` requests (HTTPS_PROXY, else HTTP_PROXY, as undici does). */
  https?: string;
  /** Hosts reached directly, comma-separated (`host`, `.domain`, `*.domain`, `host:port`, `*`). */
  noProxy: string;
  strictSSL: boolean;
  authorization?: string;
  /** Where the proxy came from, for messages: `http.proxy` or the variable's name. */
  source?: string;
  /** Why the configured proxy cannot be used (not a URL, an unsupported scheme); credentials redacted. */
  problem?: string;
}

/** Decides the route: `http.proxy` wins over the variables, NO_PROXY and `http.noProxy` both apply. */
export function planProxy(input: ProxyInput): ProxyPlan {
  const env = input.env ?? {};
  const noProxy = [...(input.noProxy ?? []), firstSet(env, ['no_proxy', 'NO_PROXY'])?.value ?? '']
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .join(',');
  const plan: ProxyPlan = { noProxy, strictSSL: input.strictSSL !== false };
  if (input.proxyAuthorization?.trim()) plan.authorization = input.proxyAuthorization.trim();
  const setting = input.proxy?.trim();
  const http = setting ? { name: 'http.proxy', value: setting } : firstSet(env, ['http_proxy', 'HTTP_PROXY']);
  const https = setting ? http : (firstSet(env, ['https_proxy', 'HTTPS_PROXY']) ?? http);
  for (const [scheme, chosen] of [
    ['http', http],
    ['https', https],
  ] as const) {
    if (!chosen) continue;
    const url = proxyUrl(chosen.value);
    if (typeof url !== 'string') {
      plan.problem ??= `the proxy in ${chosen.name} ${url.problem}: ${redactCredentials(chosen.value)}`;
      continue;
    }
    plan[scheme] = url;
    plan.source ??= chosen.name;
  }
  return plan;
}

function firstSet(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** The proxy as a URL; `proxy.corp:3128` means `http://proxy.corp:3128`, as curl reads it. */
function proxyUrl(value: string): string | { problem: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `uses ${url.protocol}// (only http:// and https:// proxies are supported)` };
  if (!url.hostname) return { problem: 'has no host' };
  return url.href;
}

/** The proxy a request to `url` goes through under the plan, or undefined when it goes direct (NO_PROXY rules as undici's). */
export function proxyFor(plan: ProxyPlan, url: string): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const proxy = target.protocol === 'https:' ? plan.https : target.protocol === 'http:' ? plan.http : undefined;
  if (!proxy || bypassed(plan.noProxy, target)) return undefined;
  return proxy;
}

function bypassed(noProxy: string, target: URL): boolean {
  const host = target.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const entries = noProxy.split(/[,\s]/).filter((e) => e !== '');
  if (noProxy.trim() === '*') return true;
  return entries.some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const name = (parsed ? parsed[1] : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number(parsed[2]) !== port) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** The options of undici's agent for the plan: `EnvHttpProxyAgent` when a proxy is set, a plain `Agent` otherwise. */
export function dispatcherOptions(
  plan: ProxyPlan,
):
  | { agent: 'Agent'; options: { connect: { rejectUnauthorized: boolean } } }
  | { agent: 'EnvHttpProxyAgent'; options: Record<string, unknown> } {
  const tls = { rejectUnauthorized: plan.strictSSL };
  if (!plan.http && !plan.https) return { agent: 'Agent', options: { connect: tls } };
  const options: Record<string, unknown> = {
    // Explicit values, even empty: undici would otherwise read process.env, which the CLI's caller may have replaced.
    httpProxy: plan.http ?? '',
    httpsProxy: plan.https ?? '',
    noProxy: plan.noProxy,
    // Plain http:// requests go to the proxy as absolute-form requests, as browsers and curl send them: many company
    // proxies allow CONNECT to port 443 only. https:// requests tunnel through CONNECT.
    proxyTunnel: false,
    connect: tls,
    requestTls: tls,
    proxyTls: tls,
  };
  if (plan.authorization) options.token = plan.authorization;
  return { agent: 'EnvHttpProxyAgent', options };
}

/** Raised instead of sending when the configured proxy cannot be used; its message is safe to show. */
export class ProxyProblem extends Error {}

/** Opens undici's agent for the plan (undici loads here, on first use); the caller closes it. */
export async function openDispatcher(plan: ProxyPlan): Promise<Dispatcher> {
  if (plan.problem) throw new ProxyProblem(plan.problem);
  const undici = await import('undici');
  const chosen = dispatcherOptions(plan);
  return chosen.agent === 'Agent' ? new undici.Agent(chosen.options) : new undici.EnvHttpProxyAgent(chosen.options);
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'no answer',
  UND_ERR_CONNECT_TIMEOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * Why a request through a proxy got no response, when the proxy is the reason ("could not reach the proxy
 * 127.0.0.1:9 (connection refused; set by HTTPS_PROXY)"); undefined when it went direct or the cause lies elsewhere.
 */
export function proxyFailure(error: unknown, plan: ProxyPlan | undefined, url: string): string | undefined {
  if (error instanceof ProxyProblem) return error.message;
  const proxy = plan ? proxyFor(plan, url) : undefined;
  if (!proxy || !plan) return undefined;
  const where = `the proxy ${new URL(proxy).host}`;
  const from = plan.source ? `; set by ${plan.source}` : '';
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  const tunnel = /Proxy response \((\d+)\)/.exec(e?.message ?? '');
  if (tunnel) return `${where} refused the connection to ${new URL(url).host} (HTTP ${tunnel[1]}${from})`;
  if (/\(407\)/.test(e?.message ?? '')) return `${where} asks for credentials (HTTP 407${from})`;
  if (code && CONNECTION_ERRORS[code]) return `could not reach ${where} (${CONNECTION_ERRORS[code]}${from})`;
  return undefined;
}

/** Hides the `user:password@` part of every URL in the text. */
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1••••@').replace(/^[^/\s@:]+:[^/\s@]*@/, '••••@');
}

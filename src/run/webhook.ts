// Posts a rendered message to a chat webhook (Slack-compatible `{"text": ...}`), with a timeout and an error a
// person understands; never puts the webhook URL (a secret) or a proxy's credentials in the error.
import type { Dispatcher } from 'undici';
import { openDispatcher, proxyFailure, redactCredentials, type ProxyPlan } from './proxy';

export interface WebhookResult {
  ok: boolean;
  status?: number;
  error?: string;
}

export interface WebhookOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** The route to take (proxy, NO_PROXY, certificate checks); undici's default agent without it. */
  proxy?: ProxyPlan;
}

export async function postWebhook(url: string, text: string, options: WebhookOptions = {}): Promise<WebhookResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let host = 'the webhook';
  try {
    host = new URL(url).host || host;
  } catch {
    return { ok: false, error: 'the webhook URL is not a valid URL' };
  }
  let dispatcher: Dispatcher | undefined;
  try {
    // Loaded on the first post, not with the extension.
    const { request } = await import('undici');
    if (options.proxy) dispatcher = await openDispatcher(options.proxy);
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher,
    });
    await response.body.dump();
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return ok
      ? { ok, status: response.statusCode }
      : { ok, status: response.statusCode, error: `${host} answered HTTP ${response.statusCode}` };
  } catch (error) {
    const name = (error as Error).name;
    const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: NodeJS.ErrnoException }).cause?.code;
    if (name === 'TimeoutError' || name === 'AbortError')
      return { ok: false, error: `${host} did not answer within ${Math.round(timeoutMs / 1000)} s` };
    // Names only the proxy's host, never the webhook's path.
    const viaProxy = proxyFailure(error, options.proxy, url);
    return { ok: false, error: redactCredentials(viaProxy ?? `could not reach ${host}${code ? ` (${code})` : ''}`) };
  } finally {
    await dispatcher?.destroy().catch(() => undefined);
  }
}

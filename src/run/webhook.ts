// Posts a rendered message to a chat webhook (Slack-compatible `{"text": ...}`), with a timeout and an error a
// person understands; never puts the webhook URL (a secret) in the error.

export interface WebhookResult {
  ok: boolean;
  status?: number;
  error?: string;
}

export async function postWebhook(url: string, text: string, timeoutMs = 10_000): Promise<WebhookResult> {
  let host = 'the webhook';
  try {
    host = new URL(url).host || host;
  } catch {
    return { ok: false, error: 'the webhook URL is not a valid URL' };
  }
  try {
    // Loaded on the first post, not with the extension.
    const { request } = await import('undici');
    const response = await request(url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return ok ? { ok, status: response.statusCode } : { ok, status: response.statusCode, error: `${host} answered HTTP ${response.statusCode}` };
  } catch (error) {
    const name = (error as Error).name;
    const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: NodeJS.ErrnoException }).cause?.code;
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, error: `${host} did not answer within ${Math.round(timeoutMs / 1000)} s` };
    return { ok: false, error: `could not reach ${host}${code ? ` (${code})` : ''}` };
  }
}

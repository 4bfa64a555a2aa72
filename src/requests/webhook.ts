/**
 * The platform webhook: a signed POST to PLATFORM_WEBHOOK_URL so the platform's billing follows an
 * approved request. Signature `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`;
 * `Idempotency-Key` is stable across retries, so the platform can drop repeats.
 */
import { createHmac } from 'node:crypto';
import { AppError } from '../shared/errors.ts';

export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export async function postWebhook(opts: {
  url: string;
  secret: string;
  idempotencyKey: string;
  payload: unknown;
  now: Date;
  timeoutMs?: number;
}): Promise<{ status: number }> {
  const body = JSON.stringify(opts.payload);
  const t = Math.floor(opts.now.getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': opts.idempotencyKey,
        'x-signature': signWebhook(opts.secret, body, t),
        'user-agent': 'creditbot-webhooks/1',
      },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new AppError('unavailable', `Platform webhook unreachable: ${(err as Error).message}`, { retryable: true });
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return { status: res.status };
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  throw new AppError(retryable ? 'unavailable' : 'bad_request', `Platform webhook answered ${res.status}.`, {
    retryable,
  });
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookStandin, type WebhookStandin } from '../../standins/webhook.ts';

let hook: WebhookStandin;

beforeAll(async () => {
  hook = await startWebhookStandin();
});
afterEach(async () => {
  hook.reset();
  await hook.comeOnline();
});
afterAll(() => hook.close());

const deliver = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${hook.url}/hooks/credits?source=test`, { method: 'POST', headers, body });

describe('webhook receiver stand-in', () => {
  it('records headers, raw body and parsed JSON', async () => {
    const body = JSON.stringify({ type: 'credits.purchased', amount: 500 });
    const res = await deliver(body, { 'content-type': 'application/json', 'x-signature': 'sha256=abc' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });

    const [d] = await hook.waitFor(1, 1000);
    expect(d).toMatchObject({
      method: 'POST',
      path: '/hooks/credits?source=test',
      rawBody: body,
      json: { type: 'credits.purchased', amount: 500 },
      status: 200,
    });
    expect(d!.headers['x-signature']).toBe('sha256=abc');
    expect(d!.at).toBeLessThanOrEqual(Date.now());

    await deliver('not json', { 'content-type': 'text/plain' });
    expect(hook.deliveries[1]).toMatchObject({ rawBody: 'not json', json: undefined });
  });

  it('answers 503 while down, and failNext statuses in order', async () => {
    hook.setDown(true);
    expect((await deliver('{}')).status).toBe(503);
    hook.setDown(false);
    hook.failNext([{ status: 500 }, { status: 429, retryAfter: 7 }]);
    expect((await deliver('{}')).status).toBe(500);
    const limited = await deliver('{}');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await deliver('{}')).status).toBe(200);
    expect(hook.deliveries.map((d) => d.status)).toEqual([503, 500, 429, 200]);
    expect(hook.accepted()).toHaveLength(1);
  });

  it('refuses connections while offline and comes back on the same port', async () => {
    const { url, port } = hook;
    await hook.goOffline();
    expect(hook.offline).toBe(true);
    const err = await deliver('{}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');

    await hook.comeOnline();
    expect(hook.url).toBe(url);
    expect(hook.port).toBe(port);
    expect((await deliver('{"again":true}')).status).toBe(200);
    expect(hook.deliveries).toHaveLength(1);
  });

  it('can be slow and can wait for accepted deliveries only', async () => {
    hook.setDelay(50);
    const slow = AbortSignal.timeout(20);
    await expect(fetch(`${hook.url}/x`, { method: 'POST', body: '{}', signal: slow })).rejects.toThrow();
    expect(hook.deliveries).toHaveLength(1); // recorded on arrival even though the client gave up
    hook.reset();

    hook.failNext([{ status: 502 }]);
    const background = new Promise<number[]>((resolve, reject) => {
      setTimeout(() => {
        deliver('{"n":1}')
          .then(async (a) => [a.status, (await deliver('{"n":2}')).status])
          .then(resolve, reject);
      }, 10);
    });
    const accepted = await hook.waitFor(1, 1000, { onlyAccepted: true });
    expect(accepted.map((d) => d.json)).toEqual([{ n: 2 }]);
    expect(await background).toEqual([502, 200]);
    await expect(hook.waitFor(10, 30)).rejects.toThrow(/10 webhook deliveries/);
  });
});

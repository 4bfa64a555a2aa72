/**
 * Regression tests for the findings of the hostile-input review, through the real HTTP endpoints (PostgreSQL
 * and Redis real): characters PostgreSQL refuses, client errors reported as 500, sizes, upgrade requests nobody
 * answered, and the console's login limit.
 */
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/console/auth.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { startTestApp, TEST_DL_SECRET, type TestApp } from '../../helpers/app.ts';
import { ChatClient } from '../../helpers/chat.ts';
import { seedAccount, uid, usageEvent } from '../../helpers/factories.ts';
import { nestedJson } from '../../helpers/hostile.ts';

const clock = fixedClock('2026-11-30T12:00:00Z');
let app: TestApp;
let acc: { id: string; users: Array<{ id: string; name: string }> };

beforeAll(async () => {
  app = await startTestApp({ clock });
  acc = await seedAccount(app, { users: [{ name: 'Ana Client' }] });
});
afterAll(async () => {
  await app?.close();
});

const NUL = 'Evil\u0000Corp';
const LONE = 'Evil\ud800Corp';
const plan = { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 };
const stateOf = async (id: string) => (await app.api('GET', `/accounts/${id}/credit-state`)).body;

describe('characters PostgreSQL refuses are a 400 naming the field, never a 500', () => {
  const cases: Array<[string, () => { method: string; path: string; body: unknown }, RegExp]> = [
    ['account name', () => ({ method: 'PUT', path: `/accounts/${uid('acc')}`, body: { name: '%', plan } }), /^name:/],
    [
      'plan name',
      () => ({ method: 'PUT', path: `/accounts/${uid('acc')}`, body: { name: 'A', plan: { ...plan, name: '%' } } }),
      /plan\.name:/,
    ],
    [
      'manager name',
      () => ({
        method: 'PUT',
        path: `/accounts/${uid('acc')}`,
        body: { name: 'A', plan, accountManager: { slackUserId: 'U0ABCDEF', name: '%' } },
      }),
      /accountManager\.name:/,
    ],
    [
      'user name',
      () => ({ method: 'PUT', path: `/accounts/${acc.id}/users/${uid('u')}`, body: { name: '%' } }),
      /name:/,
    ],
    [
      'identity name',
      () => ({ method: 'PUT', path: `/accounts/${acc.id}/identities/${uid('i')}`, body: { name: '%' } }),
      /name:/,
    ],
    [
      'campaign name',
      () => ({
        method: 'POST',
        path: '/conversation-events',
        body: {
          events: [
            {
              id: uid('c'),
              accountId: acc.id,
              identityId: 'i1',
              campaignId: 'c1',
              campaignName: '%',
              occurredAt: clock.now().toISOString(),
            },
          ],
        },
      }),
      /events\[0\]\.campaignName:/,
    ],
    [
      'grant reason',
      () => ({
        method: 'POST',
        path: '/credit-grants',
        body: { id: uid('g'), accountId: acc.id, kind: 'addon', credits: 5, reason: '%' },
      }),
      /reason:/,
    ],
    ['catalog plan name', () => ({ method: 'PUT', path: `/plans/${uid('p')}`, body: { ...plan, name: '%' } }), /name:/],
  ];

  it.each(
    cases.flatMap(([name, make, field]) => [
      [`${name} with a NUL`, make, field, NUL] as const,
      [`${name} with an unpaired surrogate`, make, field, LONE] as const,
    ]),
  )('platform API: %s', async (_name, make, field, bad) => {
    const before = await stateOf(acc.id);
    const { method, path, body } = make();
    const r = await app.api(method, path, JSON.parse(JSON.stringify(body).replace('"%"', JSON.stringify(bad))));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(field);
    expect(r.body.error.message).toMatch(/NUL|unpaired surrogate/);
    expect(await stateOf(acc.id)).toEqual(before);
  });

  it('platform API: a locale Intl cannot even parse is a 400 (found by the property run)', async () => {
    for (const locale of ['\u0000', 'en-\u0000', '\ud800']) {
      const r = await app.api('PUT', `/accounts/${acc.id}/users/${uid('u')}`, { name: 'U', locale });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/^locale:/);
    }
  });

  it('Direct Line: activity text, name, locale, channelData keys and values, value', async () => {
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ type: 'message', text: NUL }, /activity\.text .*NUL/],
      [{ type: 'message', text: LONE }, /activity\.text .*unpaired surrogate/],
      [{ type: 'event', name: NUL }, /activity\.name/],
      [{ type: 'message', text: 'hi', locale: LONE }, /activity\.locale/],
      [{ type: 'message', text: 'hi', channelData: { [NUL]: 1 } }, /activity\.channelData.*has a key/],
      [{ type: 'message', text: 'hi', channelData: { a: [LONE] } }, /activity\.channelData\.a\[0\]/],
      [{ type: 'message', text: 'hi', value: { deep: { er: NUL } } }, /activity\.value\.deep\.er/],
      [{ type: 'message', text: 'hi', entities: [{ type: LONE }] }, /activity\.entities\[0\]\.type/],
    ];
    for (const [activity, reason] of bad) {
      const r = await chat.post(activity);
      expect(r.status, JSON.stringify(activity)).toBe(400);
      expect(r.body.error.message).toMatch(reason);
    }
    // Nothing of those was stored: the conversation holds no user activity.
    const stored = await app.services.db.sql('SELECT count(*)::int AS n FROM dl_activity WHERE conversation_id = $1', [
      chat.conversationId,
    ]);
    expect(stored.rows[0]).toEqual({ n: 0 });
  });

  it('Direct Line: user ids and locales in tokens/generate', async () => {
    const generate = (body: unknown) =>
      fetch(`${app.url}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_DL_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [body, reason] of [
      [{ user: { id: `usr${NUL}` } }, /user\.id .*NUL/],
      [{ user: { id: `usr${LONE}` } }, /user\.id .*unpaired surrogate/],
      [{ user: { id: acc.users[0]!.id }, locale: `en${NUL}` }, /locale must be a language tag/],
      [{ user: { id: acc.users[0]!.id }, locale: LONE }, /locale must be a language tag/],
    ] as const) {
      const r = await generate(body);
      expect(r.status).toBe(400);
      expect((await r.json()).error.message).toMatch(reason);
    }
    expect((await generate({ user: { id: acc.users[0]!.id }, locale: 'es-ES' })).status).toBe(200);
  });
});

describe('/api/messages: an activity the bot cannot use is a 400 or 413 naming the field, before any work', () => {
  it.each([
    ['a NUL in the text', { text: NUL }, 400, /activity\.text .*NUL/],
    ['an unpaired surrogate in the user name', { from: { id: 'u', name: LONE } }, 400, /activity\.from\.name/],
    ['a NUL in the conversation id', { conversation: { id: `c${NUL}` } }, 400, /activity\.conversation\.id/],
    ['a value nested 10,000 levels deep', { value: 'DEEP' }, 413, /activity\.value/],
    ['a locale that is not a string (found by the property run)', { locale: 42 }, 400, /locale/],
    ['a user that is not an object', { from: 'u' }, 400, /from/],
    [
      'a conversation id that cannot travel in an HTTP header (found by the property run)',
      { conversation: { id: 'conv\nX-Injected: 1' } },
      400,
      /conversation\.id/,
    ],
    ['no channel id (found by the property run)', { channelId: null }, 400, /channelId/],
    [
      'a conversation whose isGroup is not a boolean (the reply could not be serialized: found by the property run)',
      { conversation: { id: uid('conv'), isGroup: 4294967296 } },
      400,
      /conversation\.isGroup/,
    ],
  ] as const)('%s', async (_name, patch, status, reason) => {
    const activity = {
      type: 'message',
      id: uid('a'),
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9',
      conversation: { id: uid('conv') },
      from: { id: acc.users[0]!.id, name: 'Ana' },
      recipient: { id: 'bot' },
      text: 'balance',
      ...patch,
    };
    const r = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity).replace('"DEEP"', nestedJson(10_000)), // (too deep for JSON.stringify here)
    });
    expect(r.status).toBe(status);
    expect((await r.json()).error.message).toMatch(reason);
  });
});

describe('errors that already carry a 4xx status keep it', () => {
  it('a Content-Encoding the body does not have: 400; an unknown one: 415 (platform API and Direct Line)', async () => {
    const body = JSON.stringify({ name: 'A', plan });
    const gzipLie = await app.api('PUT', `/accounts/${uid('acc')}`, body, { 'content-encoding': 'gzip' });
    expect(gzipLie.status).toBe(400);
    const unknown = await app.api('PUT', `/accounts/${uid('acc')}`, body, { 'content-encoding': 'x-unknown' });
    expect(unknown.status).toBe(415);
    // A body that really is gzip is fine.
    const res = await fetch(`${app.url}/api/platform/accounts/${uid('acc')}`, {
      method: 'PUT',
      headers: {
        authorization: 'Bearer test-platform-key-0123456789',
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(body),
    });
    expect(res.status).toBe(201);
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const dl = await fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${chat.token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: '{"type":"message","text":"hi"}',
    });
    expect(dl.status).toBe(400);
  });

  it('malformed percent-encoding in a path: 400', async () => {
    const api = await app.api('GET', '/accounts/%E0%A4%A/credit-state');
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe('bad_request');
    const dl = await fetch(`${app.url}/v3/directline/conversations/%ZZ/activities`, {
      headers: { authorization: `Bearer ${TEST_DL_SECRET}` },
    });
    expect(dl.status).toBe(400);
    const other = await fetch(`${app.url}/console/requests/%E0%A4%A/approve`, { method: 'POST' });
    expect(other.status).toBeLessThan(500);
  });

  it('a malformed cookie in the console: treated as no cookie', async () => {
    for (const cookie of ['cb_console=%E0%A4%A', 'cb_console=%00', 'cb_console=a%ZZb; cb_login_csrf=%']) {
      const page = await fetch(`${app.url}/console`, { headers: { cookie }, redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/console/login');
      const login = await fetch(`${app.url}/console/login`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'csrf=x&email=a%40b.c&password=p',
        redirect: 'manual',
      });
      expect(login.status).toBe(403);
    }
  });
});

describe('sizes are limits, checked before any work', () => {
  it('a deeply nested activity value: 413 naming it, and the server keeps serving', async () => {
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    for (const [depth, kind] of [
      [65, 'object'],
      [10_000, 'object'],
      [100_000, 'array'],
    ] as const) {
      const res = await fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
        body: `{"type":"message","text":"hi","value":${nestedJson(depth, kind)}}`,
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toMatch(/activity\.value.* nested more than 64 levels/);
    }
    const ok = await chat.post({ type: 'message', text: 'hi', value: JSON.parse(nestedJson(10, 'object')) });
    expect(ok.status).toBe(200);
  });

  it('a watermark beyond the 32-bit sequence: 400, the largest one: 200', async () => {
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const read = (w: string) =>
      fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities?watermark=${w}`, {
        headers: { authorization: `Bearer ${chat.token}` },
      });
    for (const w of ['999999999999999', '2147483648', '99999999999']) {
      const r = await read(w);
      expect(r.status).toBe(400);
      expect((await r.json()).error.message).toMatch(/watermark/);
    }
    const max = await read('2147483647');
    expect(max.status).toBe(200);
    expect(await max.json()).toEqual({ activities: [], watermark: '2147483647' });
    const reconnect = await fetch(
      `${app.url}/v3/directline/conversations/${chat.conversationId}?watermark=999999999999999`,
      {
        headers: { authorization: `Bearer ${chat.token}` },
      },
    );
    expect(reconnect.status).toBe(400);
  });

  it('usage beyond 32 bits in one hour and one day is accepted, summed and reported exactly', async () => {
    const a = await seedAccount(app, { monthlyCredits: 100_000_000 });
    const hour = new Date('2026-11-30T10:00:00Z');
    const batch = () =>
      Array.from({ length: 25 }, (_, i) =>
        usageEvent(a.id, { credits: 100_000_000, userId: 'usr_big', occurredAt: new Date(hour.getTime() + i * 1_000) }),
      );
    for (let i = 0; i < 2; i++) {
      const r = await app.api('POST', '/usage-events', { events: batch() });
      expect(r.status).toBe(200);
      expect(r.body.accepted).toBe(25);
    }
    const total = 50 * 100_000_000; // 5,000,000,000 > 2^31 - 1 and > 2^32
    expect((await stateOf(a.id)).credits.usedThisPeriod).toBe(total);
    const byType = await app.api('GET', `/accounts/${a.id}/usage?groupBy=type`);
    expect(byType.body.rows ?? byType.body).toBeTruthy();
    expect(JSON.stringify(byType.body)).toContain(String(total));
    const byDay = await app.api('GET', `/accounts/${a.id}/usage?groupBy=day`);
    expect(JSON.stringify(byDay.body)).toContain(String(total));
    const { rows } = await app.services.db.sql<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_name IN ('usage_hour', 'usage_day', 'conversation_day') AND column_name IN ('credits', 'events', 'count')
        ORDER BY 1, 2`,
    );
    expect(rows.map((r) => `${r.table_name}.${r.column_name}:${r.data_type}`)).toEqual([
      'conversation_day.count:bigint',
      'usage_day.credits:bigint',
      'usage_day.events:bigint',
      'usage_hour.credits:bigint',
      'usage_hour.events:bigint',
    ]);
  });
});

/** Sends an upgrade request over a raw socket; resolves with what came back and when the socket closed. */
function rawUpgrade(base: string, path: string, ms = 5_000): Promise<{ response: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let response = '';
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`upgrade to ${path} neither answered nor closed within ${ms} ms; got ${JSON.stringify(response)}`),
      );
    }, ms);
    socket.on('data', (d) => {
      response += d.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
  });
}

describe('upgrade requests on paths that are not Direct Line streams', () => {
  it.each([
    '/healthz',
    '/console',
    '/api/platform/accounts/x/credit-state',
    '/v3/directline/tokens/generate',
    '/v3/directline/conversations/abc/nope',
    '/nowhere',
  ])('%s: answered with an error and Connection: close, then closed', async (path) => {
    const r = await rawUpgrade(app.url, path);
    expect(r.response).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(r.response).toMatch(/Connection: close/i);
    expect(r.closedAfterMs).toBeLessThan(3_000);
  });

  it('300 unauthenticated upgrade sockets are all closed within seconds, none held', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => rawUpgrade(app.url, i % 2 ? '/healthz' : '/console')),
    );
    expect(results.every((r) => r.response.startsWith('HTTP/1.1 404'))).toBe(true);
    expect(Math.max(...results.map((r) => r.closedAfterMs))).toBeLessThan(5_000);
  });
});

describe('the console login limit is atomic, per email and per address, and counted before the password check', () => {
  const EMAIL = 'guard@example.com';
  const PASSWORD = 'the right one';
  beforeAll(async () => {
    await app.services.db.sql(
      `INSERT INTO operator (email, name, password_hash) VALUES ($1, 'Guard', $2)
       ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash`,
      [EMAIL, await hashPassword(PASSWORD)],
    );
  });

  async function attempt(base: string, email: string, password: string, address: string) {
    const page = await fetch(`${base}/console/login`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await fetch(`${base}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
      body: new URLSearchParams({ csrf, email, password }).toString(),
    });
    return res.status;
  }

  it('30 parallel guesses with the right one among them: 10 are checked, the right one does not reset the count', async () => {
    const address = '203.0.113.10';
    const guesses = Array.from({ length: 30 }, (_, i) => (i === 17 ? PASSWORD : `wrong-${i}`));
    const statuses = await Promise.all(guesses.map((p) => attempt(app.url, EMAIL, p, address)));
    const checked = statuses.filter((s) => s !== 429);
    expect(checked.length).toBe(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    // Later attempts, even with the right password, stay refused until the window ends.
    expect(await attempt(app.url, EMAIL, 'wrong-again', '203.0.113.11')).toBe(429);
    expect(await attempt(app.url, EMAIL, PASSWORD, '203.0.113.12')).toBe(429);
  });

  it('counts per client address across emails, and across processes sharing PostgreSQL', async () => {
    const other = await startTestApp({ clock });
    try {
      const address = '198.51.100.20';
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) {
        // 15 attempts reach one process, the next 9 another: the limit of 20 holds over both.
        statuses.push(await attempt(i < 15 ? app.url : other.url, `user${i}@example.com`, 'x', address));
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
      // Another address is not affected.
      expect(await attempt(other.url, 'someone@example.com', 'x', '198.51.100.21')).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('a right password gives its own attempt back: an operator is not locked out by logging in', async () => {
    const email = 'busy@example.com';
    await app.services.db.sql(`INSERT INTO operator (email, name, password_hash) VALUES ($1, 'Busy', $2)`, [
      email,
      await hashPassword(PASSWORD),
    ]);
    for (let i = 0; i < 15; i++) expect(await attempt(app.url, email, PASSWORD, '192.0.2.30')).toBe(303);
    expect(await attempt(app.url, email, `${PASSWORD}\u0000`, '192.0.2.30')).toBe(401);
  });
});

/** Bad input on every platform route gets a 4xx with a reason, never a 500, and writes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedAccount, uid, usageEvent } from '../helpers/factories.ts';

const clock = fixedClock('2026-11-30T12:00:00Z');
let app: TestApp;
let accountId: string;

beforeAll(async () => {
  app = await startTestApp({ clock });
  accountId = (await seedAccount(app)).id;
});
afterAll(async () => {
  await app?.close();
});

const plan = { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 };

const routes: Array<{ method: string; path: () => string; body: () => unknown }> = [
  { method: 'PUT', path: () => `/accounts/${uid('acc')}`, body: () => ({ name: 'A', plan }) },
  { method: 'PUT', path: () => `/accounts/${accountId}/users/${uid('u')}`, body: () => ({ name: 'U' }) },
  { method: 'PUT', path: () => `/accounts/${accountId}/identities/${uid('i')}`, body: () => ({ name: 'I' }) },
  {
    method: 'POST',
    path: () => '/usage-events',
    body: () => ({ events: [usageEvent(accountId, { occurredAt: clock.now() })] }),
  },
  {
    method: 'POST',
    path: () => '/conversation-events',
    body: () => ({
      events: [{ id: uid('c'), accountId, identityId: 'i', campaignId: 'c', occurredAt: clock.now().toISOString() }],
    }),
  },
  {
    method: 'POST',
    path: () => '/credit-grants',
    body: () => ({ id: uid('g'), accountId, kind: 'addon', credits: 5 }),
  },
  { method: 'PUT', path: () => `/plans/${uid('p')}`, body: () => plan },
  {
    method: 'PUT',
    path: () => `/credit-packs/${uid('k')}`,
    body: () => ({ credits: 1000, price: { amount: 5900, currency: 'EUR' } }),
  },
  { method: 'GET', path: () => `/accounts/${accountId}/credit-state`, body: () => undefined },
  { method: 'GET', path: () => `/accounts/${accountId}/usage?groupBy=type`, body: () => undefined },
];

const call = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/platform${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('authentication', () => {
  it.each(
    routes.map((r) => [
      r.method,
      r
        .path()
        .replace(/_[0-9a-f]{8}/g, '_:id')
        .replace('undefined', ':accountId'),
      r,
    ]),
  )('%s %s: 401 without a key and with a wrong key; works with the key', async (_m, _p, r) => {
    const none = await call(r.method, r.path(), r.body());
    expect(none.status).toBe(401);
    expect((await none.json()).error.message).toMatch(/Authorization: Bearer/);
    const wrong = await call(r.method, r.path(), r.body(), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toMatch(/not valid/);
    const ok = await call(r.method, r.path(), r.body(), { authorization: 'Bearer test-platform-key-0123456789' });
    expect(ok.status).toBeLessThan(300);
  });
});

describe('malformed and wrong bodies', () => {
  const writes = routes.filter((r) => r.method !== 'GET');
  it.each(writes.map((r) => [r.method, r.path().replace(/_[0-9a-f]{8}/g, '_:id'), r]))(
    '%s %s: malformed JSON, a non-JSON body and wrong types are 4xx with a reason',
    async (_m, _p, r) => {
      const bad = await app.api(r.method, r.path(), '{"name": ');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Malformed JSON/);
      const form = await app.api(r.method, r.path(), 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
      const wrongTypes = await app.api(r.method, r.path(), { name: 42, events: 'x', credits: 'many', price: 'free' });
      expect(wrongTypes.status).toBe(400);
      expect(wrongTypes.body.error.message.length).toBeGreaterThan(5);
      expect(wrongTypes.body.error.details.length).toBeGreaterThan(0);
      const array = await app.api(r.method, r.path(), []);
      expect(array.status).toBe(400);
    },
  );
});

describe('usage events', () => {
  const badEvents: Array<[string, Record<string, unknown>, RegExp]> = [
    ['negative credits', { credits: -1 }, /credits: must not be negative/],
    ['fractional credits', { credits: 1.5 }, /credits: must be a whole number/],
    ['credits as a string', { credits: '10' }, /credits: must be a number/],
    ['an unknown type', { type: 'magic' }, /type: must be one of company_scraping/],
    ['a date without a zone', { occurredAt: '2026-11-30 10:00' }, /occurredAt: must be an ISO 8601/],
    ['an empty id', { id: '' }, /id: must not be empty/],
    ['a missing user', { userId: undefined }, /userId/],
  ];
  it.each(badEvents)('rejects %s with a reason and writes nothing of the batch', async (_name, patch, reason) => {
    const good = usageEvent(accountId, { credits: 3, occurredAt: clock.now() });
    const bad = { ...usageEvent(accountId, { occurredAt: clock.now() }), ...patch };
    const r = await app.api('POST', '/usage-events', { events: [good, bad] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(reason);
    expect(r.body.error.message).toMatch(/events\[1\]/);
    const again = await app.api('POST', '/usage-events', { events: [good] });
    expect(again.body.accepted).toBe(1); // the good event had not been written
  });

  it('rejects an event more than 5 minutes in the future, and accepts one 4 minutes ahead', async () => {
    const late = usageEvent(accountId, { occurredAt: new Date(clock.now().getTime() + 5 * 60_000 + 1_000) });
    const r = await app.api('POST', '/usage-events', { events: [late] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/more than 5 minutes in the future/);
    expect(r.body.error.details.ids).toEqual([late.id]);
    const soon = usageEvent(accountId, { occurredAt: new Date(clock.now().getTime() + 4 * 60_000) });
    expect((await app.api('POST', '/usage-events', { events: [soon] })).status).toBe(200);
  });

  it('accepts 1,000 events and refuses 1,001', async () => {
    const acc = await seedAccount(app, { monthlyCredits: 100_000 });
    const events = Array.from({ length: 1_001 }, () => usageEvent(acc.id, { credits: 1, occurredAt: clock.now() }));
    const tooMany = await app.api('POST', '/usage-events', { events });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 1000 events/);
    const ok = await app.api('POST', '/usage-events', { events: events.slice(0, 1_000) });
    expect(ok.body).toEqual({ received: 1_000, accepted: 1_000, duplicates: 0 });
    expect((await app.api('GET', `/accounts/${acc.id}/credit-state`)).body.credits.usedThisPeriod).toBe(1_000);
  });

  it('refuses an empty batch', async () => {
    const r = await app.api('POST', '/usage-events', { events: [] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/at least one event/);
  });

  it('answers 404 for an unknown account and writes nothing of the batch', async () => {
    const good = usageEvent(accountId, { credits: 2, occurredAt: clock.now() });
    const r = await app.api('POST', '/usage-events', {
      events: [good, usageEvent('acc_nobody', { occurredAt: clock.now() })],
    });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/acc_nobody/);
    expect((await app.api('POST', '/usage-events', { events: [good] })).body.accepted).toBe(1);
  });

  it('refuses the same id twice in one batch with different content', async () => {
    const e = usageEvent(accountId, { occurredAt: clock.now() });
    const r = await app.api('POST', '/usage-events', { events: [e, { ...e, credits: e.credits + 1 }] });
    expect(r.status).toBe(409);
  });
});

describe('other routes', () => {
  it('404s for an unknown account on reads, users, identities and grants', async () => {
    for (const [method, path, body] of [
      ['GET', '/accounts/acc_nobody/credit-state', undefined],
      ['GET', '/accounts/acc_nobody/usage?groupBy=type', undefined],
      ['PUT', '/accounts/acc_nobody/users/u1', { name: 'U' }],
      ['PUT', '/accounts/acc_nobody/identities/i1', { name: 'I' }],
      ['POST', '/credit-grants', { id: uid('g'), accountId: 'acc_nobody', kind: 'addon', credits: 5 }],
      [
        'POST',
        '/conversation-events',
        {
          events: [
            {
              id: uid('c'),
              accountId: 'acc_nobody',
              identityId: 'i',
              campaignId: 'c',
              occurredAt: clock.now().toISOString(),
            },
          ],
        },
      ],
    ] as const) {
      const r = await app.api(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.message).toMatch(/acc_nobody/);
    }
  });

  it('validates accounts: time zone, top-up day, locale, money, manager', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ timeZone: 'Mars/Olympus' }, /timeZone: must be an IANA time zone/],
      [{ topUpDay: 29 }, /topUpDay: must be between 1 and 28/],
      [{ topUpDay: 0 }, /topUpDay: must be between 1 and 28/],
      [{ locale: 'english' }, /locale/],
      [
        { plan: { ...plan, price: { amount: 449.5, currency: 'EUR' } } },
        /plan.price.amount: must be an integer number of minor units/,
      ],
      [{ plan: { ...plan, price: { amount: 44900, currency: 'EURO' } } }, /plan.price.currency/],
      [{ plan: { ...plan, monthlyCredits: -5 } }, /plan.monthlyCredits: must not be negative/],
      [{ accountManager: { slackUserId: 'carlos', name: 'Carlos' } }, /accountManager.slackUserId/],
    ];
    for (const [patch, reason] of cases) {
      const r = await app.api('PUT', `/accounts/${uid('acc')}`, { name: 'A', plan, ...patch });
      expect(r.status, JSON.stringify(patch)).toBe(400);
      expect(r.body.error.message).toMatch(reason);
    }
  });

  it('refuses a user id that belongs to another account', async () => {
    const a = await seedAccount(app);
    const b = await seedAccount(app);
    const r = await app.api('PUT', `/accounts/${b.id}/users/${a.users[0]!.id}`, { name: 'Thief' });
    expect(r.status).toBe(409);
  });

  it('validates grants: whole positive credits, kind, expiry in the future', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ credits: 0 }, /credits: must be at least 1/],
      [{ credits: 2.5 }, /credits: must be a whole number/],
      [{ kind: 'gift' }, /kind: must be one of addon, carryover, adjustment/],
      [{ expiresAt: '2020-01-01T00:00:00Z' }, /expiresAt: must be in the future/],
    ];
    for (const [patch, reason] of cases) {
      const r = await app.api('POST', '/credit-grants', {
        id: uid('g'),
        accountId,
        kind: 'addon',
        credits: 5,
        ...patch,
      });
      expect(r.status, JSON.stringify(patch)).toBe(400);
      expect(r.body.error.message).toMatch(reason);
    }
  });

  it('validates usage queries', async () => {
    const cases: Array<[string, RegExp]> = [
      ['groupBy=colour', /groupBy: must be one of type, user, day, identity, campaign/],
      ['', /groupBy/],
      ['groupBy=type&from=yesterday', /from: must be an ISO 8601/],
      ['groupBy=type&from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z', /`from` must be before `to`/],
      ['groupBy=type&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', /at most 1098 days/],
    ];
    for (const [qs, reason] of cases) {
      const r = await app.api('GET', `/accounts/${accountId}/usage?${qs}`);
      expect(r.status, qs).toBe(400);
      expect(r.body.error.message).toMatch(reason);
    }
  });

  it('rejects ids with odd characters and unknown routes with a 404 that says so', async () => {
    const r = await app.api('PUT', '/accounts/bad%20id', { name: 'A', plan });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/accountId: may contain/);
    const nf = await app.api('GET', '/nothing-here');
    expect(nf.status).toBe(404);
    expect(nf.body.error.message).toMatch(/No route/);
  });

  it('refuses a body over 2 MB with 413', async () => {
    const r = await app.api('POST', '/usage-events', { events: [], pad: 'x'.repeat(2_100_000) });
    expect(r.status).toBe(413);
  });
});

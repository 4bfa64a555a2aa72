/**
 * The contract's credit semantics, end to end through the platform API on the real PostgreSQL:
 * periods in the account's time zone, grants and expiry, draw order, overage, idempotent ingestion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, seedDemo } from '../../src/demo/seed.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedAccount, uid, usageEvent } from '../helpers/factories.ts';

const clock = fixedClock('2026-11-30T15:00:00Z');
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ clock, ownDatabase: true }); // the demo seed's fixed ids and packs
});
afterAll(async () => {
  await app?.close();
});

const state = async (accountId: string) => {
  const r = await app.api('GET', `/accounts/${accountId}/credit-state`);
  expect(r.status).toBe(200);
  return r.body;
};
const ingest = async (events: unknown[]) => app.api('POST', '/usage-events', { events });

describe('the seed page', () => {
  it('shows exactly the View Usage figures: 10.000 plan, 0 add-on, 14.931 balance with 4.931 accumulated', async () => {
    clock.set('2026-11-30T15:00:00Z');
    await seedDemo({ db: app.services.db, clock });
    const s = await state(DEMO_ACCOUNT_ID);
    expect(s.plan).toMatchObject({
      name: 'Growth',
      monthlyCredits: 10_000,
      price: { amount: 44_900, currency: 'EUR' },
      identities: 5,
      conversationsPerIdentity: 500,
    });
    expect(s.credits).toEqual({
      plan: 10_000,
      addOn: 0,
      accumulated: 4_931,
      balance: 14_931,
      usedThisPeriod: 2_269,
      overage: 0,
    });
    expect(s.nextTopUpAt).toBe('2026-11-30T23:00:00.000Z'); // 1 Dec 00:00 in Madrid: "in 1 day"
    expect(s.conversations.byIdentity).toHaveLength(5);
    expect(s.conversations.limitPerIdentity).toBe(500);
    for (const i of s.conversations.byIdentity) expect(i.used).toBeLessThanOrEqual(500);
    // Every action type has usage this period, and the breakdown adds up to the state.
    const byType = await app.api('GET', `/accounts/${DEMO_ACCOUNT_ID}/usage?groupBy=type`);
    expect(byType.body.rows.map((r: { key: string }) => r.key).sort()).toEqual(
      ['ai_variable', 'company_scraping', 'contact_scraping', 'enrichment', 'workflow'].sort(),
    );
    expect(byType.body.rows.reduce((s: number, r: { credits: number }) => s + r.credits, 0)).toBe(2_269);
  });
});

describe('periods', () => {
  it('runs from the 15th in Europe/Madrid across the DST change, and counts an event by its instant', async () => {
    clock.set('2026-10-20T10:00:00Z');
    const acc = await seedAccount(app, { timeZone: 'Europe/Madrid', topUpDay: 15, monthlyCredits: 1_000 });
    // 22:59:59Z on 14 Nov is 23:59:59 CET, still in the period that began 15 Oct 00:00 CEST.
    expect((await ingest([usageEvent(acc.id, { credits: 7, occurredAt: '2026-10-14T21:59:59Z' })])).status).toBe(200);
    expect((await ingest([usageEvent(acc.id, { credits: 11, occurredAt: '2026-10-14T22:00:00Z' })])).status).toBe(200);
    let s = await state(acc.id);
    expect(s.period).toEqual({ start: '2026-10-14T22:00:00.000Z', end: '2026-11-14T23:00:00.000Z' });
    expect(s.nextTopUpAt).toBe('2026-11-14T23:00:00.000Z');
    expect(s.credits.usedThisPeriod).toBe(11);

    clock.set('2026-11-14T22:59:00Z');
    expect((await ingest([usageEvent(acc.id, { credits: 5, occurredAt: '2026-11-14T22:59:30Z' })])).status).toBe(200);
    s = await state(acc.id);
    expect(s.credits.usedThisPeriod).toBe(16);
    expect(s.credits.balance).toBe(1_000 - 16);

    clock.set('2026-11-14T23:00:00Z'); // 15 Nov 00:00 CET: the top-up
    s = await state(acc.id);
    expect(s.period.start).toBe('2026-11-14T23:00:00.000Z');
    expect(s.credits).toMatchObject({ plan: 1_000, balance: 1_000, usedThisPeriod: 0 });
  });

  it('groups usage by local day in the account time zone', async () => {
    clock.set('2026-11-20T12:00:00Z');
    const acc = await seedAccount(app, { timeZone: 'Europe/Madrid' });
    await ingest([
      usageEvent(acc.id, { credits: 3, occurredAt: '2026-11-10T22:30:00Z' }), // 23:30 on the 10th in Madrid
      usageEvent(acc.id, { credits: 4, occurredAt: '2026-11-10T23:30:00Z' }), // 00:30 on the 11th
    ]);
    const r = await app.api(
      'GET',
      `/accounts/${acc.id}/usage?groupBy=day&from=2026-11-01T00:00:00%2B01:00&to=2026-12-01T00:00:00%2B01:00`,
    );
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([
      { key: '2026-11-10', credits: 3 },
      { key: '2026-11-11', credits: 4 },
    ]);
    // A range with partial days at both ends reads the edges from raw events.
    const partial = await app.api(
      'GET',
      `/accounts/${acc.id}/usage?groupBy=type&from=2026-11-10T22:45:00Z&to=2026-11-10T23:45:00Z`,
    );
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body.rows).toEqual([{ key: 'enrichment', credits: 4 }]);
  });
});

describe('grants and draw order', () => {
  it('draws carry-over, then plan, then add-on, then adjustment among grants that expire together; overage beyond', async () => {
    clock.set('2026-11-05T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 100 });
    for (const [kind, credits] of [
      ['adjustment', 10],
      ['addon', 20],
      ['carryover', 30],
    ] as const) {
      const r = await app.api('POST', '/credit-grants', { id: uid('grant'), accountId: acc.id, kind, credits });
      expect(r.status).toBe(201);
      clock.advance(1_000);
    }
    const expectRemaining = async (expected: Record<string, number>, overage = 0) => {
      const s = await state(acc.id);
      const byKind = Object.fromEntries(
        s.grants.map((g: { kind: string; remaining: number }) => [g.kind, g.remaining]),
      );
      expect(byKind).toEqual(expected);
      expect(s.credits.overage).toBe(overage);
      return s;
    };
    await expectRemaining({ carryover: 30, plan: 100, addon: 20, adjustment: 10 });
    await ingest([usageEvent(acc.id, { credits: 25, occurredAt: clock.now() })]);
    await expectRemaining({ carryover: 5, plan: 100, addon: 20, adjustment: 10 });
    await ingest([usageEvent(acc.id, { credits: 100, occurredAt: clock.now() })]);
    await expectRemaining({ carryover: 0, plan: 5, addon: 20, adjustment: 10 });
    await ingest([usageEvent(acc.id, { credits: 20, occurredAt: clock.now() })]);
    await expectRemaining({ carryover: 0, plan: 0, addon: 5, adjustment: 10 });
    await ingest([usageEvent(acc.id, { credits: 40, occurredAt: clock.now() })]);
    const s = await expectRemaining({ carryover: 0, plan: 0, addon: 0, adjustment: 0 }, 25);
    expect(s.credits).toMatchObject({ balance: 0, accumulated: 0, addOn: 20, usedThisPeriod: 185, overage: 25 });
  });

  it('draws the soonest-expiring grant first, and among equal kinds the older grant first', async () => {
    clock.set('2026-11-05T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 50 });
    const first = uid('addon');
    const second = uid('addon');
    await app.api('POST', '/credit-grants', { id: first, accountId: acc.id, kind: 'addon', credits: 10 });
    clock.advance(60_000);
    await app.api('POST', '/credit-grants', { id: second, accountId: acc.id, kind: 'addon', credits: 10 });
    const soon = uid('adj');
    await app.api('POST', '/credit-grants', {
      id: soon,
      accountId: acc.id,
      kind: 'adjustment',
      credits: 5,
      expiresAt: '2026-11-10T00:00:00Z',
    });
    await ingest([usageEvent(acc.id, { credits: 62, occurredAt: clock.now() })]);
    const s = await state(acc.id);
    const rem = Object.fromEntries(s.grants.map((g: { id: string; remaining: number }) => [g.id, g.remaining]));
    expect(rem[soon]).toBe(0); // expires first: drawn first, 57 left
    expect(rem[first]).toBe(3); // plan 50 goes before add-ons; then the older add-on: 10 - 7
    expect(rem[second]).toBe(10);
    expect(s.credits.balance).toBe(13);
  });

  it('lets unused credits expire at the top-up, while a carry-over granted to last survives it', async () => {
    clock.set('2026-11-20T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 1_000 });
    await app.api('POST', '/credit-grants', { id: uid('addon'), accountId: acc.id, kind: 'addon', credits: 300 });
    await app.api('POST', '/credit-grants', {
      id: uid('carry'),
      accountId: acc.id,
      kind: 'carryover',
      credits: 200,
      expiresAt: '2027-01-01T00:00:00Z',
      reason: 'goodwill carry-over',
    });
    await ingest([usageEvent(acc.id, { credits: 150, occurredAt: clock.now() })]);
    let s = await state(acc.id);
    // The add-on and the plan expire with the period, so they are drawn before the longer carry-over.
    expect(s.credits).toMatchObject({ balance: 1_350, accumulated: 200, addOn: 300, usedThisPeriod: 150 });

    clock.set('2026-12-01T00:00:00Z'); // top-up: the unused 850 plan credits and 300 add-on credits expire
    s = await state(acc.id);
    expect(s.credits).toMatchObject({ plan: 1_000, addOn: 0, accumulated: 200, balance: 1_200, usedThisPeriod: 0 });
    await ingest([usageEvent(acc.id, { credits: 1_100, occurredAt: clock.now() })]);
    s = await state(acc.id);
    // December: the plan (expires 1 Jan 00:00 too) ties with the carry-over, which goes first.
    expect(s.credits).toMatchObject({ accumulated: 0, balance: 100 });

    clock.set('2027-01-01T00:00:00Z');
    s = await state(acc.id);
    expect(s.credits).toMatchObject({ accumulated: 0, balance: 1_000 });
  });

  it('gives a new account its full plan grant from the period start, even when created mid-period', async () => {
    clock.set('2026-11-25T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 4_000 });
    const s = await state(acc.id);
    expect(s.period.start).toBe('2026-11-01T00:00:00.000Z');
    expect(s.credits).toMatchObject({ plan: 4_000, balance: 4_000 });
  });
});

describe('idempotent ingestion', () => {
  it('accepts a repeat without counting it, and refuses the same id with other content (409, nothing written)', async () => {
    clock.set('2026-11-10T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 1_000 });
    const e = usageEvent(acc.id, { credits: 40, occurredAt: clock.now() });
    const first = await ingest([e]);
    expect(first.body).toEqual({ received: 1, accepted: 1, duplicates: 0 });
    const again = await ingest([e]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: 1, accepted: 0, duplicates: 1 });
    expect((await state(acc.id)).credits.usedThisPeriod).toBe(40);

    const fresh = usageEvent(acc.id, { credits: 5, occurredAt: clock.now() });
    const clash = await ingest([fresh, { ...e, credits: 41 }]);
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toMatch(/different content/);
    expect((await state(acc.id)).credits.usedThisPeriod).toBe(40); // the fresh event was not written either
  });

  it('counts 10 concurrent copies of one event once', async () => {
    clock.set('2026-11-10T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 1_000 });
    const e = usageEvent(acc.id, { credits: 17, occurredAt: clock.now() });
    const results = await Promise.all(Array.from({ length: 10 }, () => ingest([e])));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.reduce((s, r) => s + r.body.accepted, 0)).toBe(1);
    const s = await state(acc.id);
    expect(s.credits.usedThisPeriod).toBe(17);
    const day = await app.api('GET', `/accounts/${acc.id}/usage?groupBy=user`);
    expect(day.body.rows).toEqual([{ key: 'usr_x', credits: 17 }]);
  });

  it('treats grant ids the same way, also under concurrency', async () => {
    clock.set('2026-11-10T10:00:00Z');
    const acc = await seedAccount(app, { monthlyCredits: 100 });
    const grant = { id: uid('g'), accountId: acc.id, kind: 'addon', credits: 500 };
    const results = await Promise.all(Array.from({ length: 10 }, () => app.api('POST', '/credit-grants', grant)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect((await state(acc.id)).credits.balance).toBe(600);
    const other = await app.api('POST', '/credit-grants', { ...grant, credits: 501 });
    expect(other.status).toBe(409);
  });

  it('counts conversation events once and against their identity and the limit', async () => {
    clock.set('2026-11-10T10:00:00Z');
    const acc = await seedAccount(app, { conversationsPerIdentity: 3 });
    await app.api('PUT', `/accounts/${acc.id}/identities/idn_1`, { name: 'Ana · LinkedIn' });
    const events = Array.from({ length: 4 }, (_, i) => ({
      id: `${acc.id}_c${i}`,
      accountId: acc.id,
      identityId: 'idn_1',
      campaignId: 'cmp_1',
      campaignName: 'Q4 CTOs',
      occurredAt: clock.now().toISOString(),
    }));
    expect((await app.api('POST', '/conversation-events', { events })).body.accepted).toBe(4);
    expect((await app.api('POST', '/conversation-events', { events })).body.accepted).toBe(0);
    const s = await state(acc.id);
    expect(s.conversations).toEqual({
      limitPerIdentity: 3,
      byIdentity: [{ identityId: 'idn_1', name: 'Ana · LinkedIn', used: 4, limit: 3 }],
    });
    const byCampaign = await app.api('GET', `/accounts/${acc.id}/usage?groupBy=campaign`);
    expect(byCampaign.body.rows).toEqual([{ key: 'cmp_1', name: 'Q4 CTOs', conversations: 4 }]);
  });
});

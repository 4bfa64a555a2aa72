/**
 * Accounts kept in memory while listening for ledger changes (db.subscribe + the trigger of migration
 * 20261206120000_ledger_changed_notify): two "processes" (two pools, two credit services) on one database.
 * A process sees its own writes at once and the other's at NOTIFY; a lost listener means reading every time.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { upsertAccount, upsertIdentity } from '../../../src/accounts/accounts.ts';
import { createCreditService } from '../../../src/credits/credit-service.ts';
import { createGrant, ingestUsageEvents } from '../../../src/credits/ingest.ts';
import { createDb, type Db } from '../../../src/infra/db.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { uid } from '../../helpers/factories.ts';

const clock = systemClock;
const plan = (monthlyCredits: number) => ({
  name: `P${monthlyCredits}`,
  monthlyCredits,
  price: { amount: 100, currency: 'EUR' },
  identities: 2,
});

interface Proc {
  db: Db;
  credits: ReturnType<typeof createCreditService>;
  /** statements that read the account row */
  accountReads: () => number;
}

function proc(name: string): Proc {
  const db = createDb({ url: inject('databaseUrl'), poolSize: 3, applicationName: name });
  let reads = 0;
  const sql: Db['sql'] = (text, values) => {
    if (text.includes('FROM account a WHERE a.id')) reads++;
    return db.sql(text, values);
  };
  const traced: Db = { ...db, sql };
  return { db, credits: createCreditService({ db: traced, clock }), accountReads: () => reads };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves once `p` has heard (from PostgreSQL) that the account changed. */
function heard(p: Proc, accountId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = p.db.subscribe('ledger_changed', {
      onNotify(id) {
        if (id !== accountId) return;
        off();
        resolve();
      },
    });
  });
}

let a: Proc;
let b: Proc;
beforeAll(async () => {
  a = proc('cache-test-a');
  b = proc('cache-test-b');
  await until('both listening', () => a.credits.isLive() && b.credits.isLive());
});
afterAll(async () => {
  a.credits.close();
  b.credits.close();
  await a.db.close();
  await b.db.close();
});

describe('accounts kept in memory until they change', () => {
  it('reads the account row once while nothing changes', async () => {
    const id = uid('acc');
    const told = heard(a, id);
    await upsertAccount(b.db, clock, id, { name: 'Cached', plan: plan(1_000) });
    await told;
    const before = a.accountReads();
    for (let i = 0; i < 5; i++) await a.credits.getState(id);
    await a.credits.profile(id);
    expect(a.accountReads() - before).toBe(1);
  });

  it('sees its own write at once, without waiting for the notification', async () => {
    const id = uid('acc');
    await upsertAccount(a.db, clock, id, { name: 'Own', plan: plan(1_000) });
    expect((await a.credits.getState(id)).plan.monthlyCredits).toBe(1_000);
    await upsertAccount(a.db, clock, id, { name: 'Own', plan: plan(2_000) });
    expect((await a.credits.getState(id)).plan.monthlyCredits).toBe(2_000);
    await createGrant(a.db, clock, { id: uid('grant'), accountId: id, kind: 'addon', credits: 50, reason: 'test' });
    expect((await a.credits.getState(id)).credits.addOn).toBe(50);
    await ingestUsageEvents(a.db, clock, [
      {
        id: uid('evt'),
        accountId: id,
        userId: 'u',
        type: 'enrichment',
        credits: 7,
        occurredAt: new Date(Date.now() - 1_000),
      },
    ]);
    expect((await a.credits.getState(id)).credits.usedThisPeriod).toBe(7);
    await upsertIdentity(a.db, id, 'idn_1', 'Alice');
    expect((await a.credits.getState(id)).conversations.byIdentity.map((i) => i.name)).toContain('Alice');
    await upsertAccount(a.db, clock, id, { name: 'Renamed', plan: plan(2_000), timeZone: 'Europe/Madrid' });
    expect(await a.credits.profile(id)).toMatchObject({ name: 'Renamed', timeZone: 'Europe/Madrid' });
  });

  it("sees another process's change once PostgreSQL announces it", async () => {
    const id = uid('acc');
    await upsertAccount(b.db, clock, id, { name: 'Other', plan: plan(1_000) });
    expect((await a.credits.getState(id)).plan.monthlyCredits).toBe(1_000);
    await upsertAccount(b.db, clock, id, { name: 'Other', plan: plan(3_000) });
    await until('the plan change', async () => (await a.credits.getState(id)).plan.monthlyCredits === 3_000, 2_000);
    // and the account is cached again from then on
    const before = a.accountReads();
    await a.credits.getState(id);
    await a.credits.getState(id);
    expect(a.accountReads() - before).toBeLessThanOrEqual(1);
  });

  it('forgets an account that was deleted and created again', async () => {
    const id = uid('acc');
    await upsertAccount(b.db, clock, id, { name: 'First life', plan: plan(1_000) });
    expect((await a.credits.profile(id)).name).toBe('First life');
    await b.db.sql('DELETE FROM account WHERE id = $1', [id]);
    await until('the deletion', async () => (await a.credits.profile(id).catch(() => null)) === null, 2_000);
    await upsertAccount(b.db, clock, id, { name: 'Second life', plan: plan(5_000) });
    await until('the new account', async () => (await a.credits.profile(id).catch(() => null))?.name === 'Second life');
  });

  it('reads every time while the listener is down, and catches up when it is back', async () => {
    const id = uid('acc');
    await upsertAccount(b.db, clock, id, { name: 'Flaky', plan: plan(1_000) });
    await a.credits.getState(id);
    // Kill a's LISTEN connection: its changes could now go unnoticed.
    await b.db.sql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'creditbot-listen-ledger_changed' AND datname = current_database()
          AND backend_type = 'client backend' AND query ILIKE 'LISTEN%'`,
    );
    await until('a to notice', () => !a.credits.isLive());
    await upsertAccount(b.db, clock, id, { name: 'Flaky', plan: plan(4_000) });
    // Not listening: no notification can reach a, yet it answers from the database.
    expect((await a.credits.getState(id)).plan.monthlyCredits).toBe(4_000);
    const before = a.accountReads();
    await a.credits.getState(id);
    expect(a.accountReads() - before).toBe(1);
    await until('a to listen again', () => a.credits.isLive());
    await until('b to listen again', () => b.credits.isLive());
    await upsertAccount(b.db, clock, id, { name: 'Flaky', plan: plan(6_000) });
    await until(
      'the change after reconnecting',
      async () => (await a.credits.getState(id)).plan.monthlyCredits === 6_000,
    );
  });
});

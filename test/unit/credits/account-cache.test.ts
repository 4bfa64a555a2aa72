/**
 * The credit service keeps accounts in memory while it follows ledger changes: the rules for what may be kept,
 * with a Db whose reads can be held open and whose notifications the test sends (no services needed; the real
 * LISTEN/NOTIFY path is test/integration/infra/account-cache.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createCreditService } from '../../../src/credits/credit-service.ts';
import type { ChannelHandlers, Db } from '../../../src/infra/db.ts';
import { systemClock } from '../../../src/shared/clock.ts';

function fakeDb() {
  const handlers = new Set<ChannelHandlers>();
  let name = 'v1';
  let reads = 0;
  let hold: Promise<void> | undefined;
  const db = {
    async sql(text: string, values?: unknown[]) {
      if (!text.includes('FROM account a WHERE a.id')) throw new Error(`unexpected statement: ${text}`);
      reads++;
      const row = {
        id: values?.[0],
        name,
        time_zone: 'UTC',
        locale: 'en',
        top_up_day: 1,
        created_at: new Date('2026-01-01T00:00:00Z'),
        ledger_version: '1',
        manager_slack_user_id: null,
        manager_name: null,
        manager_email: null,
        alert_thresholds: null,
        plans: [],
      };
      if (hold) await hold;
      return { rows: [row] };
    },
    subscribe(_channel: string, h: ChannelHandlers) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  } as unknown as Db;
  return {
    db,
    reads: () => reads,
    rename: (n: string) => {
      name = n;
    },
    notify: (id: string) => {
      for (const h of handlers) h.onNotify(id);
    },
    ready: () => {
      for (const h of handlers) h.onReady?.();
    },
    reset: () => {
      for (const h of handlers) h.onReset?.();
    },
    /** holds every read until the returned function is called */
    holdReads: () => {
      let release!: () => void;
      hold = new Promise((r) => {
        release = r;
      });
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

const setup = () => {
  const f = fakeDb();
  const credits = createCreditService({ db: f.db, clock: systemClock });
  return { f, credits };
};

describe('accounts kept in memory', () => {
  it('reads every time until listening is confirmed, then once', async () => {
    const { f, credits } = setup();
    await credits.loadAccount('a');
    await credits.loadAccount('a');
    expect(f.reads()).toBe(2);
    f.ready();
    await credits.loadAccount('a');
    await credits.loadAccount('a');
    await credits.profile('a');
    expect(f.reads()).toBe(3);
  });

  it('reads again after the account is announced, and keeps the new one', async () => {
    const { f, credits } = setup();
    f.ready();
    expect((await credits.loadAccount('a')).name).toBe('v1');
    f.rename('v2');
    expect((await credits.loadAccount('a')).name).toBe('v1'); // nobody announced it
    f.notify('a');
    expect((await credits.loadAccount('a')).name).toBe('v2');
    await credits.loadAccount('a');
    expect(f.reads()).toBe(2);
  });

  it('does not keep a read that was in flight when the account was announced', async () => {
    const { f, credits } = setup();
    f.ready();
    const release = f.holdReads();
    const inFlight = credits.loadAccount('a');
    f.rename('v2');
    f.notify('a');
    release();
    expect((await inFlight).name).toBe('v1'); // its snapshot predates the change: answered, but not kept
    f.rename('v3');
    expect((await credits.loadAccount('a')).name).toBe('v3');
  });

  it('does not keep a read in flight when the change counters are emptied meanwhile', async () => {
    const { f, credits } = setup();
    f.ready();
    f.notify('a'); // a's counter: 1
    const release = f.holdReads();
    const inFlight = credits.loadAccount('a');
    for (let i = 0; i < 10_000; i++) f.notify(`other-${i}`); // the counters fill up
    f.notify('a'); // empties them: a's counter is 1 again
    release();
    await inFlight;
    const before = f.reads();
    await credits.loadAccount('a');
    expect(f.reads()).toBe(before + 1);
  });

  it('forgets everything when listening stops, and keeps nothing read across a restart of listening', async () => {
    const { f, credits } = setup();
    f.ready();
    await credits.loadAccount('a');
    f.reset();
    expect(credits.isLive()).toBe(false);
    await credits.loadAccount('a');
    await credits.loadAccount('a');
    expect(f.reads()).toBe(3);
    const release = f.holdReads();
    const inFlight = credits.loadAccount('a'); // started while not listening
    f.ready();
    release();
    await inFlight;
    await credits.loadAccount('a');
    expect(f.reads()).toBe(5);
    await credits.loadAccount('a');
    expect(f.reads()).toBe(5);
  });

  it('reads every time once closed', async () => {
    const { f, credits } = setup();
    f.ready();
    await credits.loadAccount('a');
    credits.close();
    expect(credits.isLive()).toBe(false);
    await credits.loadAccount('a');
    expect(f.reads()).toBe(2);
  });

  it('without following changes, never keeps an account', async () => {
    const f = fakeDb();
    const credits = createCreditService({ db: f.db, clock: systemClock, followChanges: false });
    f.ready();
    await credits.loadAccount('a');
    await credits.loadAccount('a');
    expect(f.reads()).toBe(2);
  });
});

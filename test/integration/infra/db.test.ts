/**
 * The one transaction helper: Prisma and hand-written SQL in one PostgreSQL transaction, on the real database.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../../src/infra/db.ts';

let db: Db;
beforeAll(() => {
  db = createDb({ url: inject('databaseUrl'), poolSize: 4 });
});
afterAll(async () => {
  await db.close();
});

const txid = 'SELECT txid_current()::text AS t';

describe('db.transaction', () => {
  it('runs tx.prisma and tx.sql in the same transaction, also many at once', async () => {
    const same = await Promise.all(
      Array.from({ length: 12 }, () =>
        db.transaction(async (tx) => {
          const a = (await tx.sql<{ t: string }>(txid)).rows[0]!.t;
          await new Promise((r) => setTimeout(r, Math.random() * 10));
          const [b] = await tx.prisma.$queryRawUnsafe<Array<{ t: string }>>(txid);
          return a === b!.t;
        }),
      ),
    );
    expect(same).toEqual(Array(12).fill(true));
  });

  it('rolls back what both wrote when the callback throws', async () => {
    const key = `tx-test-${Date.now()}`;
    await expect(
      db.transaction(async (tx) => {
        await tx.prisma.sideEffect.create({ data: { key: `${key}-prisma` } });
        await tx.sql('INSERT INTO side_effect (key) VALUES ($1)', [`${key}-sql`]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const left = await db.prisma.sideEffect.count({ where: { key: { startsWith: key } } });
    expect(left).toBe(0);
  });

  it('commits what both wrote', async () => {
    const key = `tx-ok-${Date.now()}`;
    await db.transaction(async (tx) => {
      await tx.prisma.sideEffect.create({ data: { key: `${key}-prisma` } });
      await tx.sql('INSERT INTO side_effect (key) VALUES ($1)', [`${key}-sql`]);
    });
    expect(await db.prisma.sideEffect.count({ where: { key: { startsWith: key } } })).toBe(2);
  });

  it('retries a transaction that lost a deadlock, and the other one completes', async () => {
    const a = `dl-a-${Date.now()}`;
    const b = `dl-b-${Date.now()}`;
    await db.sql('INSERT INTO side_effect (key) VALUES ($1), ($2)', [a, b]);
    let attempts = 0;
    const lock = (first: string, second: string) =>
      db.transaction(async (tx) => {
        attempts++;
        await tx.sql('SELECT 1 FROM side_effect WHERE key = $1 FOR UPDATE', [first]);
        await new Promise((r) => setTimeout(r, 100));
        await tx.sql('SELECT 1 FROM side_effect WHERE key = $1 FOR UPDATE', [second]);
        return 'done';
      });
    await expect(Promise.all([lock(a, b), lock(b, a)])).resolves.toEqual(['done', 'done']);
    expect(attempts).toBeGreaterThanOrEqual(3); // one of them ran twice
  });
});

describe('tx.signal and db.subscribe', () => {
  it("delivers a transaction's signals to this process's subscribers when it commits, before it returns", async () => {
    const heard: string[] = [];
    const off = db.subscribe('test_signal', { onNotify: (p) => heard.push(p) });
    try {
      await db.transaction(async (tx) => {
        tx.signal('test_signal', 'a');
        tx.signal('other_channel', 'x');
        await tx.sql('SELECT 1');
        expect(heard).toEqual([]); // not before the commit
      });
      expect(heard).toEqual(['a']);
      await expect(
        db.transaction(async (tx) => {
          tx.signal('test_signal', 'rolled back');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(heard).toEqual(['a']);
    } finally {
      off();
    }
  });

  it('keeps only the signals of the attempt that committed when a deadlock makes it run again', async () => {
    const heard: string[] = [];
    const off = db.subscribe('test_signal', { onNotify: (p) => heard.push(p) });
    const a = `sig-a-${Date.now()}`;
    const b = `sig-b-${Date.now()}`;
    await db.sql('INSERT INTO side_effect (key) VALUES ($1), ($2)', [a, b]);
    let attempt = 0;
    const lock = (first: string, second: string, tag: string) =>
      db.transaction(async (tx) => {
        const n = ++attempt;
        tx.signal('test_signal', `${tag}:${n}`);
        await tx.sql('SELECT key FROM side_effect WHERE key = $1 FOR UPDATE', [first]);
        await new Promise((r) => setTimeout(r, 150));
        await tx.sql('SELECT key FROM side_effect WHERE key = $1 FOR UPDATE', [second]);
      });
    try {
      await Promise.all([lock(a, b, 'x'), lock(b, a, 'y')]);
      expect(attempt).toBe(3); // one of the two lost the deadlock and ran again
      expect(heard).toHaveLength(2);
      expect(new Set(heard.map((h) => h.split(':')[0]))).toEqual(new Set(['x', 'y']));
    } finally {
      off();
    }
  });

  it('tells subscribers that listening works only once a probe came back, and hears other connections', async () => {
    const events: string[] = [];
    const off = db.subscribe('test_listen', {
      onNotify: (p) => events.push(`notify ${p}`),
      onReady: () => events.push('ready'),
      onReset: () => events.push('reset'),
    });
    try {
      const until = Date.now() + 5_000;
      while (!events.includes('ready') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(events).toEqual(['ready']); // the probe itself is never handed on
      const other = createDb({ url: inject('databaseUrl'), poolSize: 1 });
      await other.sql(`SELECT pg_notify('test_listen', 'from elsewhere')`);
      await other.close();
      while (events.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(events).toEqual(['ready', 'notify from elsewhere']);
    } finally {
      off();
    }
  });
});

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

/**
 * `npm run bench:db-access`: why the hot reads stay hand-written SQL while everything else uses the Prisma
 * Client. Each read is timed both ways on the same pool, sequentially and interleaved in one run (median,
 * p99, reads per second, and the ratio Prisma / SQL), after checking that both return the same data:
 *
 *   - the account with its plan history (every credit-state read starts with it)
 *   - the bot state of a conversation (every chat turn reads it)
 *   - a Direct Line page of 50 activities after a watermark (every poll of Web Chat)
 *   - the account's profile (cold path: cached 5 s; Prisma) for comparison
 *
 * Options: --iterations=N (default 2000).
 */
import { randomUUID } from 'node:crypto';
import { loadAccount } from '../src/credits/account-store.ts';
import { createDb } from '../src/infra/db.ts';
import { applyMigrations } from '../src/infra/migrate.ts';
import { createScratchDatabase } from './lib/database.ts';
import { fmtInt, fmtMs, measure, table } from './lib/stats.ts';

const arg = (name: string, fallback: number) => {
  const m = process.argv.find((a) => a.startsWith(`--${name}=`));
  return m ? Number(m.split('=')[1]) : fallback;
};
const iterations = arg('iterations', 2_000);

async function main() {
  const scratch = await createScratchDatabase('bench_db_access');
  await applyMigrations(scratch.url);
  const db = createDb({ url: scratch.url, poolSize: 4 });
  try {
    const accountId = 'acc_bench';
    await db.prisma.account.create({
      data: { id: accountId, name: 'Bench', timeZone: 'Europe/Madrid', updatedAt: new Date() },
    });
    for (let i = 0; i < 4; i++) {
      await db.prisma.planAssignment.create({
        data: {
          accountId,
          name: `Plan ${i}`,
          monthlyCredits: 10_000 * (i + 1),
          priceAmount: 44_900,
          priceCurrency: 'EUR',
          identities: 5,
          effectiveFrom: new Date(Date.UTC(2026, i, 1)),
        },
      });
    }
    const stateKey = `directline/conversations/${randomUUID()}/`;
    await db.prisma.botState.create({
      data: { key: stateKey, data: { chat: { lang: 'es', origin: 'buy_more', draft: null } }, eTag: 'x' },
    });
    const conversationId = randomUUID();
    await db.prisma.dlConversation.create({ data: { id: conversationId, userId: 'usr', accountId, lastSeq: 100 } });
    await db.prisma.dlActivity.createMany({
      data: Array.from({ length: 100 }, (_, i) => ({
        conversationId,
        seq: i + 1,
        activity: { type: 'message', id: `${conversationId}|${i + 1}`, text: `message ${i + 1}`, from: { id: 'bot' } },
      })),
    });

    const cases: Array<{
      name: string;
      sql: () => Promise<unknown>;
      prisma: () => Promise<unknown>;
      same: (a: any, b: any) => boolean;
    }> = [
      {
        name: 'account + plan history',
        sql: () => loadAccount(db, accountId),
        prisma: () =>
          db.prisma.account.findUnique({
            where: { id: accountId },
            include: { plans: { orderBy: [{ effectiveFrom: 'asc' }, { id: 'asc' }] } },
          }),
        same: (a, b) => a.plans.length === b.plans.length && a.name === b.name,
      },
      {
        name: 'bot state of a conversation',
        sql: () => db.sql('SELECT key, data, e_tag FROM bot_state WHERE key = ANY($1::text[])', [[stateKey]]),
        prisma: () => db.prisma.botState.findMany({ where: { key: { in: [stateKey] } } }),
        same: (a, b) => a.rows.length === 1 && b.length === 1,
      },
      {
        name: 'Direct Line page (50 after watermark)',
        sql: () =>
          db.pool.query({
            name: 'bench_dl_read',
            text: 'SELECT seq, activity::text AS json FROM dl_activity WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
            values: [conversationId, 50, 50],
          }),
        prisma: () =>
          db.prisma.dlActivity.findMany({
            where: { conversationId, seq: { gt: 50 } },
            orderBy: { seq: 'asc' },
            take: 50,
            select: { seq: true, activity: true },
          }),
        same: (a, b) => a.rows.length === 50 && b.length === 50,
      },
      {
        name: 'account profile (cold path)',
        sql: () => db.sql('SELECT id, name, time_zone, locale FROM account WHERE id = $1', [accountId]),
        prisma: () =>
          db.prisma.account.findUnique({
            where: { id: accountId },
            select: { id: true, name: true, timeZone: true, locale: true },
          }),
        same: (a, b) => a.rows[0].name === b.name,
      },
    ];

    const rows: Array<Array<string | number>> = [];
    for (const c of cases) {
      if (!c.same(await c.sql(), await c.prisma())) throw new Error(`${c.name}: the two reads differ`);
      // Interleaved halves, so drift on a shared machine hits both sides alike.
      const half = Math.floor(iterations / 2);
      const s1 = await measure(`${c.name} sql`, c.sql, { iterations: half });
      const p1 = await measure(`${c.name} prisma`, c.prisma, { iterations: half });
      const s2 = await measure(`${c.name} sql`, c.sql, { iterations: half, warmup: 0 });
      const p2 = await measure(`${c.name} prisma`, c.prisma, { iterations: half, warmup: 0 });
      const sqlMedian = (s1.median + s2.median) / 2;
      const prismaMedian = (p1.median + p2.median) / 2;
      rows.push([
        c.name,
        fmtMs(sqlMedian),
        fmtMs(Math.max(s1.p99, s2.p99)),
        fmtInt(1_000 / sqlMedian),
        fmtMs(prismaMedian),
        fmtMs(Math.max(p1.p99, p2.p99)),
        fmtInt(1_000 / prismaMedian),
        `${(prismaMedian / sqlMedian).toFixed(2)}x`,
      ]);
    }
    console.log(
      `\nbench:db-access: ${iterations} reads per side, one connection at a time, PostgreSQL on this machine\n`,
    );
    console.log(
      table(
        [
          'read',
          'SQL median ms',
          'SQL p99',
          'SQL reads/s',
          'Prisma median ms',
          'Prisma p99',
          'Prisma reads/s',
          'Prisma / SQL',
        ],
        rows,
      ),
    );
  } finally {
    await db.close();
    await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * The monthly top-up as a BullMQ job scheduler per account (cron at 00:00 of topUpDay in the account's
 * time zone). Balances do not depend on it: the state follows from the clock and the ledger. The job
 * records what must be fixed at that instant: the closed period's figures (idempotent per period).
 */
import type { Queue } from 'bullmq';
import type { Db } from '../infra/db.ts';
import { jobCatalog } from '../jobs/catalog.ts';
import type { Clock } from '../shared/clock.ts';
import { requestAlertEvaluationNow } from './alerts.ts';
import type { CreditService } from './credit-service.ts';
import { periodAt } from './period.ts';

export const topUpSchedulerId = (accountId: string) => `top-up__${accountId}`.replaceAll(':', '_');

export async function syncTopUpSchedule(
  db: Db,
  queue: Queue,
  accountId: string,
): Promise<{ pattern: string; tz: string } | null> {
  const acc = await db.prisma.account.findUnique({
    where: { id: accountId },
    select: { timeZone: true, topUpDay: true },
  });
  if (!acc) {
    await queue.removeJobScheduler(topUpSchedulerId(accountId));
    return null;
  }
  const pattern = `0 0 ${acc.topUpDay} * *`;
  const def = jobCatalog['v1.credits.close-period'];
  // The scheduler's jobs get the catalog's attempts and backoff like every other job.
  await queue.upsertJobScheduler(
    topUpSchedulerId(accountId),
    { pattern, tz: acc.timeZone },
    {
      name: 'v1.credits.close-period',
      data: { accountId },
      opts: {
        attempts: def.attempts,
        backoff: def.backoff,
        removeOnComplete: { count: 1_000 },
        removeOnFail: { age: 30 * 86_400 },
      },
    },
  );
  return { pattern, tz: acc.timeZone };
}

/**
 * Records the figures of the latest period that has ended, and asks for the new period's low-credit evaluation
 * (a new period starts with no alerts: the forecast may already say the credits run out before the next
 * top-up). Running late or twice changes nothing.
 */
export async function closeLastPeriod(db: Db, clock: Clock, credits: CreditService, accountId: string) {
  const account = await credits.loadAccount(accountId);
  const now = clock.now();
  const current = periodAt(now, account.timeZone, account.topUpDay);
  const lastInstant = new Date(current.start.getTime() - 1);
  const closed = periodAt(lastInstant, account.timeZone, account.topUpDay);
  const state = await credits.getState(accountId, lastInstant);
  const { count } = await db.transaction(async (tx) => {
    await requestAlertEvaluationNow(tx, accountId, `top-up__${current.start.getTime()}`);
    return tx.prisma.periodClose.createMany({
      data: [
        {
          accountId,
          periodStart: closed.start,
          periodEnd: closed.end,
          figures: {
            plan: state.credits.plan,
            addOn: state.credits.addOn,
            used: state.credits.usedThisPeriod,
            overage: state.credits.overage,
            expired: state.credits.balance,
            conversations: state.conversations.byIdentity,
          },
        },
      ],
      skipDuplicates: true,
    });
  });
  return { periodStart: closed.start.toISOString(), recorded: count === 1 };
}

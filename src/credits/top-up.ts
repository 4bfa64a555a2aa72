/**
 * The monthly top-up as a BullMQ job scheduler per account (cron at 00:00 of topUpDay in the account's
 * time zone). Balances do not depend on it: the state follows from the clock and the ledger. The job
 * records what must be fixed at that instant: the closed period's figures (idempotent per period).
 */
import type { Queue } from 'bullmq';
import type { Db } from '../db/client.ts';
import type { Clock } from '../shared/clock.ts';
import type { CreditService } from './credit-service.ts';
import { periodAt } from './period.ts';

export const topUpSchedulerId = (accountId: string) => `top-up__${accountId}`.replaceAll(':', '_');

export async function syncTopUpSchedule(
  db: Db,
  queue: Queue,
  accountId: string,
): Promise<{ pattern: string; tz: string } | null> {
  const { rows } = await db.sql<{ time_zone: string; top_up_day: number }>(
    'SELECT time_zone, top_up_day FROM account WHERE id = $1',
    [accountId],
  );
  const acc = rows[0];
  if (!acc) {
    await queue.removeJobScheduler(topUpSchedulerId(accountId));
    return null;
  }
  const pattern = `0 0 ${acc.top_up_day} * *`;
  await queue.upsertJobScheduler(
    topUpSchedulerId(accountId),
    { pattern, tz: acc.time_zone },
    { name: 'v1.credits.close-period', data: { accountId } },
  );
  return { pattern, tz: acc.time_zone };
}

/** Records the figures of the latest period that has ended. Running late or twice changes nothing. */
export async function closeLastPeriod(db: Db, clock: Clock, credits: CreditService, accountId: string) {
  const account = await credits.loadAccount(accountId);
  const now = clock.now();
  const current = periodAt(now, account.timeZone, account.topUpDay);
  const lastInstant = new Date(current.start.getTime() - 1);
  const closed = periodAt(lastInstant, account.timeZone, account.topUpDay);
  const state = await credits.getState(accountId, lastInstant);
  const { rowCount } = await db.sql(
    `INSERT INTO period_close (account_id, period_start, period_end, figures) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (account_id, period_start) DO NOTHING`,
    [
      accountId,
      closed.start,
      closed.end,
      JSON.stringify({
        plan: state.credits.plan,
        addOn: state.credits.addOn,
        used: state.credits.usedThisPeriod,
        overage: state.credits.overage,
        expired: state.credits.balance,
        conversations: state.conversations.byIdentity,
      }),
    ],
  );
  return { periodStart: closed.start.toISOString(), recorded: rowCount === 1 };
}

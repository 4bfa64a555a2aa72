/**
 * The platform's accounts, users, identities and catalog, as this service keeps them.
 * A plan that differs from the current one becomes a new plan assignment effective now; the period's
 * plan grant stays the one in effect when the period started (see README, "Credit semantics").
 */
import type pg from 'pg';
import { inTransaction } from '../credits/ingest.ts';
import type { PlanRow } from '../credits/plan-row.ts';
import type { Db } from '../db/client.ts';
import { enqueueInTransaction } from '../jobs/outbox.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';

export interface PlanInput {
  name: string;
  monthlyCredits: number;
  price: { amount: number; currency: string };
  identities: number;
  conversationsPerIdentity?: number | undefined;
}

export interface AccountInput {
  name: string;
  plan: PlanInput & { id?: string | undefined };
  timeZone?: string | undefined;
  locale?: string | undefined;
  topUpDay?: number | undefined;
  accountManager?: { slackUserId: string; name: string; email?: string | undefined } | undefined;
}

const samePlan = (row: PlanRow, p: PlanInput) =>
  row.name === p.name &&
  row.monthly_credits === p.monthlyCredits &&
  row.price_amount === p.price.amount &&
  row.price_currency === p.price.currency &&
  row.identities === p.identities &&
  row.conversations_per_identity === (p.conversationsPerIdentity ?? 500);

/** Records a plan (the caller's transaction holds the account row; the ledger version moves with it). */
export async function insertPlanAssignment(
  c: pg.PoolClient,
  accountId: string,
  plan: PlanInput & { id?: string | null | undefined },
  effectiveFrom: Date,
  source: string,
  requestId?: string,
) {
  await c.query('UPDATE account SET ledger_version = ledger_version + 1 WHERE id = $1', [accountId]);
  await c.query(
    `INSERT INTO plan_assignment (account_id, plan_id, name, monthly_credits, price_amount, price_currency, identities,
                                  conversations_per_identity, effective_from, source, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      accountId,
      plan.id ?? null,
      plan.name,
      plan.monthlyCredits,
      plan.price.amount,
      plan.price.currency,
      plan.identities,
      plan.conversationsPerIdentity ?? 500,
      effectiveFrom,
      source,
      requestId ?? null,
    ],
  );
}

/** Rebuilds an account's local-day rollups from its raw events (after a time-zone change). */
async function rebuildDayRollups(c: pg.PoolClient, accountId: string) {
  await c.query('DELETE FROM usage_day WHERE account_id = $1', [accountId]);
  await c.query(
    `INSERT INTO usage_day (account_id, day, type, user_id, credits, events)
     SELECT e.account_id, (e.occurred_at AT TIME ZONE a.time_zone)::date, e.type, e.user_id, sum(e.credits), count(*)
       FROM usage_event e JOIN account a ON a.id = e.account_id
      WHERE e.account_id = $1 GROUP BY 1, 2, 3, 4`,
    [accountId],
  );
  await c.query('DELETE FROM conversation_day WHERE account_id = $1', [accountId]);
  await c.query(
    `INSERT INTO conversation_day (account_id, day, identity_id, campaign_id, count)
     SELECT e.account_id, (e.occurred_at AT TIME ZONE a.time_zone)::date, e.identity_id, e.campaign_id, count(*)
       FROM conversation_event e JOIN account a ON a.id = e.account_id
      WHERE e.account_id = $1 GROUP BY 1, 2, 3, 4`,
    [accountId],
  );
}

export async function upsertAccount(
  db: Db,
  clock: Clock,
  accountId: string,
  input: AccountInput,
  opts: { planEffectiveFrom?: Date; createdAt?: Date } = {},
): Promise<{ created: boolean }> {
  return inTransaction(db, async (c) => {
    const now = clock.now();
    const { rows: prev } = await c.query<{ time_zone: string; top_up_day: number }>(
      'UPDATE account SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING time_zone, top_up_day',
      [accountId],
    );
    const before = prev[0];
    const mgr = input.accountManager;
    await c.query(
      `INSERT INTO account (id, name, time_zone, locale, top_up_day, manager_slack_user_id, manager_name, manager_email, created_at, updated_at)
       VALUES ($1, $2, coalesce($3, 'UTC'), coalesce($4, 'en'), coalesce($5, 1), $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET
         name = excluded.name,
         time_zone = coalesce($3, account.time_zone),
         locale = coalesce($4, account.locale),
         top_up_day = coalesce($5, account.top_up_day),
         manager_slack_user_id = CASE WHEN $11 THEN excluded.manager_slack_user_id ELSE account.manager_slack_user_id END,
         manager_name = CASE WHEN $11 THEN excluded.manager_name ELSE account.manager_name END,
         manager_email = CASE WHEN $11 THEN excluded.manager_email ELSE account.manager_email END,
         updated_at = excluded.updated_at`,
      [
        accountId,
        input.name,
        input.timeZone ?? null,
        input.locale ?? null,
        input.topUpDay ?? null,
        mgr?.slackUserId ?? null,
        mgr?.name ?? null,
        mgr?.email ?? null,
        opts.createdAt ?? now,
        now,
        mgr !== undefined,
      ],
    );
    const { rows: current } = await c.query<PlanRow>(
      `SELECT name, monthly_credits, price_amount, price_currency, identities, conversations_per_identity
         FROM plan_assignment WHERE account_id = $1 AND effective_from <= $2
        ORDER BY effective_from DESC, id DESC LIMIT 1`,
      [accountId, now],
    );
    const cur = current[0];
    if (!cur || !samePlan(cur, input.plan)) {
      // The platform says what the plan is now: it replaces any change we had scheduled.
      await c.query('DELETE FROM plan_assignment WHERE account_id = $1 AND effective_from > $2', [accountId, now]);
      await insertPlanAssignment(c, accountId, input.plan, opts.planEffectiveFrom ?? opts.createdAt ?? now, 'platform');
    }
    const tzChanged = before && input.timeZone !== undefined && input.timeZone !== before.time_zone;
    if (tzChanged) await rebuildDayRollups(c, accountId);
    if (!before || tzChanged || (input.topUpDay !== undefined && input.topUpDay !== before.top_up_day)) {
      await enqueueInTransaction(
        c,
        'v1.credits.sync-top-up-schedule',
        { accountId },
        {
          key: `${accountId}__${input.timeZone ?? before?.time_zone ?? 'UTC'}__${input.topUpDay ?? before?.top_up_day ?? 1}__${now.getTime()}`,
        },
      );
    }
    return { created: !before };
  });
}

export async function upsertUser(
  db: Db,
  accountId: string,
  userId: string,
  input: { name: string; email?: string | undefined; locale?: string | undefined },
): Promise<{ created: boolean }> {
  return inTransaction(db, async (c) => {
    const acc = await c.query('SELECT 1 FROM account WHERE id = $1', [accountId]);
    if (!acc.rowCount) throw notFound(`Unknown account '${accountId}'.`);
    const { rows } = await c.query<{ account_id: string }>(
      'SELECT account_id FROM platform_user WHERE id = $1 FOR UPDATE',
      [userId],
    );
    const existing = rows[0];
    if (existing && existing.account_id !== accountId) {
      throw conflict(`User '${userId}' belongs to another account.`);
    }
    await c.query(
      `INSERT INTO platform_user (id, account_id, name, email, locale, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, locale = excluded.locale, updated_at = now()`,
      [userId, accountId, input.name, input.email ?? null, input.locale ?? null],
    );
    return { created: !existing };
  });
}

export async function upsertIdentity(db: Db, accountId: string, identityId: string, name: string) {
  return inTransaction(db, async (c) => {
    const acc = await c.query('SELECT 1 FROM account WHERE id = $1', [accountId]);
    if (!acc.rowCount) throw notFound(`Unknown account '${accountId}'.`);
    const { rows } = await c.query<{ inserted: boolean }>(
      `INSERT INTO identity (account_id, id, name) VALUES ($1, $2, $3)
       ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name
       RETURNING (xmax = 0) AS inserted`,
      [accountId, identityId, name],
    );
    return { created: rows[0]?.inserted ?? false };
  });
}

export async function upsertCatalogPlan(db: Db, planId: string, p: PlanInput) {
  const { rows } = await db.sql<{ inserted: boolean }>(
    `INSERT INTO plan (id, name, monthly_credits, price_amount, price_currency, identities, conversations_per_identity, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, monthly_credits = excluded.monthly_credits,
       price_amount = excluded.price_amount, price_currency = excluded.price_currency, identities = excluded.identities,
       conversations_per_identity = excluded.conversations_per_identity, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [
      planId,
      p.name,
      p.monthlyCredits,
      p.price.amount,
      p.price.currency,
      p.identities,
      p.conversationsPerIdentity ?? 500,
    ],
  );
  return { created: rows[0]?.inserted ?? false };
}

export async function upsertCreditPack(
  db: Db,
  packId: string,
  p: { credits: number; price: { amount: number; currency: string } },
) {
  const { rows } = await db.sql<{ inserted: boolean }>(
    `INSERT INTO credit_pack (id, credits, price_amount, price_currency, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (id) DO UPDATE SET credits = excluded.credits, price_amount = excluded.price_amount,
       price_currency = excluded.price_currency, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [packId, p.credits, p.price.amount, p.price.currency],
  );
  return { created: rows[0]?.inserted ?? false };
}

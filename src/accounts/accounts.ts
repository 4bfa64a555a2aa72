/**
 * The platform's accounts, users, identities and catalog, as this service keeps them (Prisma for the rows;
 * the ledger version bump and the rollup rebuild are hand-written SQL in the same transaction).
 * A plan that differs from the current one becomes a new plan assignment effective now; the period's
 * plan grant stays the one in effect when the period started (see docs/credit-semantics.md).
 */
import { LEDGER_CHANGED } from '../credits/account-store.ts';
import { requestAlertEvaluation } from '../credits/alerts.ts';
import type { PlanTerms } from '../credits/types.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db, Sql, Tx } from '../infra/db.ts';
import { enqueue } from '../jobs/outbox.ts';
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
  /** low-credit alert shares; null goes back to the default, undefined keeps what is stored */
  alerts?: { thresholds: number[] } | null | undefined;
}

/** A plan's columns as the plan and plan_assignment tables store them. */
const planColumns = (p: PlanInput) => ({
  name: p.name,
  monthlyCredits: p.monthlyCredits,
  priceAmount: p.price.amount,
  priceCurrency: p.price.currency,
  identities: p.identities,
  conversationsPerIdentity: p.conversationsPerIdentity ?? 500,
});

/** The domain's plan terms from a plan or plan_assignment row. */
export const planTermsOf = (
  row: ReturnType<typeof planColumns> & { planId?: string | null },
  id: string | null = row.planId ?? null,
): PlanTerms => ({
  id,
  name: row.name,
  monthlyCredits: row.monthlyCredits,
  price: { amount: row.priceAmount, currency: row.priceCurrency },
  identities: row.identities,
  conversationsPerIdentity: row.conversationsPerIdentity,
});

const samePlan = (a: ReturnType<typeof planColumns>, b: ReturnType<typeof planColumns>) =>
  a.name === b.name &&
  a.monthlyCredits === b.monthlyCredits &&
  a.priceAmount === b.priceAmount &&
  a.priceCurrency === b.priceCurrency &&
  a.identities === b.identities &&
  a.conversationsPerIdentity === b.conversationsPerIdentity;

/**
 * Locks the account row and moves its ledger version (the credit-state cache key) in the caller's
 * transaction; answers the calendar before the change, or undefined for an unknown account.
 */
async function bumpLedgerVersion(tx: Tx, accountId: string) {
  // Also for an account about to be created: a process that cached its absence must read it again.
  tx.signal(LEDGER_CHANGED, accountId);
  const { rows } = await tx.sql<{ time_zone: string; top_up_day: number; alert_thresholds: unknown }>(
    'UPDATE account SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING time_zone, top_up_day, alert_thresholds',
    [accountId],
  );
  return rows[0];
}

/** Records a plan from `effectiveFrom` (in the caller's transaction; the ledger version moves with it). */
export async function insertPlanAssignment(
  tx: Tx,
  accountId: string,
  plan: PlanInput & { id?: string | null | undefined },
  effectiveFrom: Date,
  source: string,
  requestId?: string,
) {
  await bumpLedgerVersion(tx, accountId);
  await tx.prisma.planAssignment.create({
    data: {
      accountId,
      planId: plan.id ?? null,
      ...planColumns(plan),
      effectiveFrom,
      source,
      requestId: requestId ?? null,
    },
  });
}

/** Rebuilds an account's local-day rollups from its raw events (after a time-zone change): set-based SQL. */
async function rebuildDayRollups(sql: Sql, accountId: string) {
  await sql('DELETE FROM usage_day WHERE account_id = $1', [accountId]);
  await sql(
    `INSERT INTO usage_day (account_id, day, type, user_id, credits, events)
     SELECT e.account_id, (e.occurred_at AT TIME ZONE a.time_zone)::date, e.type, e.user_id, sum(e.credits), count(*)
       FROM usage_event e JOIN account a ON a.id = e.account_id
      WHERE e.account_id = $1 GROUP BY 1, 2, 3, 4`,
    [accountId],
  );
  await sql('DELETE FROM conversation_day WHERE account_id = $1', [accountId]);
  await sql(
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
  return db.transaction(async (tx) => {
    const now = clock.now();
    const before = await bumpLedgerVersion(tx, accountId);
    const mgr = input.accountManager;
    // Without `accountManager` in the body the stored manager is kept; with it, replaced.
    const manager =
      mgr === undefined
        ? {}
        : { managerSlackUserId: mgr.slackUserId, managerName: mgr.name, managerEmail: mgr.email ?? null };
    // Without `alerts` the stored thresholds are kept; null goes back to the default (stored as NULL).
    const thresholds =
      input.alerts === undefined
        ? undefined
        : input.alerts === null
          ? null
          : [...new Set(input.alerts.thresholds)].sort((a, b) => b - a);
    const alerts =
      thresholds === undefined ? {} : { alertThresholds: thresholds === null ? Prisma.DbNull : thresholds };
    await tx.prisma.account.upsert({
      where: { id: accountId },
      create: {
        id: accountId,
        name: input.name,
        timeZone: input.timeZone ?? 'UTC',
        locale: input.locale ?? 'en',
        topUpDay: input.topUpDay ?? 1,
        ...manager,
        ...alerts,
        createdAt: opts.createdAt ?? now,
        updatedAt: now,
      },
      update: {
        name: input.name,
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.topUpDay !== undefined ? { topUpDay: input.topUpDay } : {}),
        ...manager,
        ...alerts,
        updatedAt: now,
      },
    });
    const current = await tx.prisma.planAssignment.findFirst({
      where: { accountId, effectiveFrom: { lte: now } },
      orderBy: [{ effectiveFrom: 'desc' }, { id: 'desc' }],
    });
    const planChanged = !current || !samePlan(current, planColumns(input.plan));
    if (planChanged) {
      // The platform says what the plan is now: it replaces any change we had scheduled.
      await tx.prisma.planAssignment.deleteMany({ where: { accountId, effectiveFrom: { gt: now } } });
      await insertPlanAssignment(
        tx,
        accountId,
        input.plan,
        opts.planEffectiveFrom ?? opts.createdAt ?? now,
        'platform',
      );
    }
    const tzChanged = before && input.timeZone !== undefined && input.timeZone !== before.time_zone;
    if (tzChanged) await rebuildDayRollups(tx.sql, accountId);
    if (!before || tzChanged || (input.topUpDay !== undefined && input.topUpDay !== before.top_up_day)) {
      await enqueue(
        tx,
        'v1.credits.sync-top-up-schedule',
        { accountId },
        {
          key: `${accountId}__${input.timeZone ?? before?.time_zone ?? 'UTC'}__${input.topUpDay ?? before?.top_up_day ?? 1}__${now.getTime()}`,
        },
      );
    }
    // Another plan (the share's base) or other thresholds: the low-credit alerts are evaluated again.
    const thresholdsChanged =
      thresholds !== undefined && JSON.stringify(thresholds) !== JSON.stringify(before?.alert_thresholds ?? null);
    if (before && (planChanged || thresholdsChanged)) await requestAlertEvaluation(tx, [accountId]);
    return { created: !before };
  });
}

async function requireAccount(tx: Tx, accountId: string) {
  const account = await tx.prisma.account.findUnique({ where: { id: accountId }, select: { id: true } });
  if (!account) throw notFound(`Unknown account '${accountId}'.`);
}

export async function upsertUser(
  db: Db,
  accountId: string,
  userId: string,
  input: { name: string; email?: string | undefined; locale?: string | undefined },
): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    await requireAccount(tx, accountId);
    const existing = await tx.prisma.platformUser.findUnique({ where: { id: userId }, select: { accountId: true } });
    if (existing && existing.accountId !== accountId) throw conflict(`User '${userId}' belongs to another account.`);
    const fields = { name: input.name, email: input.email ?? null, locale: input.locale ?? null };
    // User ids are global: an id another account created meanwhile is updated, never moved to this account.
    await tx.prisma.platformUser.upsert({
      where: { id: userId },
      create: { id: userId, accountId, ...fields },
      update: fields,
    });
    return { created: !existing };
  });
}

export async function upsertIdentity(db: Db, accountId: string, identityId: string, name: string) {
  return db.transaction(async (tx) => {
    // The credit state lists identities by name: it is computed again.
    if (!(await bumpLedgerVersion(tx, accountId))) throw notFound(`Unknown account '${accountId}'.`);
    const key = { accountId_id: { accountId, id: identityId } };
    const existing = await tx.prisma.identity.findUnique({ where: key, select: { id: true } });
    await tx.prisma.identity.upsert({ where: key, create: { accountId, id: identityId, name }, update: { name } });
    return { created: !existing };
  });
}

export async function upsertCatalogPlan(db: Db, planId: string, p: PlanInput) {
  return db.transaction(async (tx) => {
    const existing = await tx.prisma.plan.findUnique({ where: { id: planId }, select: { id: true } });
    await tx.prisma.plan.upsert({
      where: { id: planId },
      create: { id: planId, ...planColumns(p) },
      update: planColumns(p),
    });
    return { created: !existing };
  });
}

export async function upsertCreditPack(
  db: Db,
  packId: string,
  p: { credits: number; price: { amount: number; currency: string } },
) {
  return db.transaction(async (tx) => {
    const existing = await tx.prisma.creditPack.findUnique({ where: { id: packId }, select: { id: true } });
    const fields = { credits: p.credits, priceAmount: p.price.amount, priceCurrency: p.price.currency };
    await tx.prisma.creditPack.upsert({ where: { id: packId }, create: { id: packId, ...fields }, update: fields });
    return { created: !existing };
  });
}

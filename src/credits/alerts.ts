/**
 * Low-credit alerts. When the balance falls below a share of the plan (default 20 % and 5 %, per account through
 * the platform API), or the forecast says the credits run out before the top-up, the customer and the account
 * manager are told: once per trigger per period. The once is a unique row (account, period, trigger) inserted in
 * the same transaction as the outbox jobs that deliver it, under a per-account advisory lock, so retries,
 * restarts and any number of workers evaluating at once record it and hand it over one time.
 *
 * Evaluations are asked for by the writes that lower the balance (usage batches, in their own transaction) with
 * one job per account and time window, run when the window closes, so a thousand batches a second make one job
 * every couple of seconds; the top-up asks for one too (a new period starts with no alerts).
 */
import type { Db, Tx } from '../infra/db.ts';
import { enqueue, enqueueMany } from '../jobs/outbox.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { decideAlerts, effectiveThresholds } from './alert-rules.ts';
import type { CreditService } from './credit-service.ts';
import type { CreditState, Forecast } from './types.ts';

/** Usage batches of an account within one window share one evaluation, run when the window closes. */
export const EVALUATION_WINDOW_MS = 2_000;
/** After the window closes, so a batch committing at its very end is seen too. */
const EVALUATION_GRACE_MS = 500;
/** Users of an account told in the chat (the most recently active first). */
export const MAX_CHAT_RECIPIENTS = 25;

/** Asks for an evaluation of each account after a write that lowered its balance (in the writer's transaction). */
export async function requestAlertEvaluation(tx: Pick<Tx, 'sql'>, accountIds: readonly string[]): Promise<void> {
  // Real time, not the product's clock: the window is about when the job runs (BullMQ's delay), so a fixed
  // clock in a test still gets a job per window.
  const now = Date.now();
  const window = Math.floor(now / EVALUATION_WINDOW_MS);
  const runAt = new Date((window + 1) * EVALUATION_WINDOW_MS + EVALUATION_GRACE_MS);
  await enqueueMany(
    tx,
    'v1.credits.evaluate-alerts',
    accountIds.map((accountId) => ({ payload: { accountId }, key: `${accountId}__w${window}`, runAt })),
  );
}

/** An evaluation now, under a key of the caller's (the top-up, a change of thresholds). */
export async function requestAlertEvaluationNow(tx: Pick<Tx, 'sql'>, accountId: string, key: string): Promise<void> {
  await enqueue(tx, 'v1.credits.evaluate-alerts', { accountId }, { key: `${accountId}__${key}` });
}

export interface CreditAlert {
  id: string;
  accountId: string;
  periodStart: Date;
  periodEnd: Date;
  trigger: string;
  threshold: number | null;
  notified: boolean;
  balance: number;
  planCredits: number;
  limitCredits: number | null;
  burnRatePerDay: number;
  runsOutAt: Date | null;
  runsOutBeforeTopUp: boolean;
  evaluatedAt: Date;
  createdAt: Date;
}

export async function getAlert(db: Db, id: string): Promise<CreditAlert> {
  const row = await db.prisma.creditAlert.findUnique({ where: { id } });
  if (!row) throw notFound(`Unknown credit alert '${id}'.`);
  return row;
}

export interface AlertEvaluation {
  periodStart: string;
  balance: number;
  recorded: string[];
  notified: string | null;
}

export interface CreditAlertDeps {
  db: Db;
  clock: Clock;
  credits: CreditService;
  logger: Logger;
}

/** Evaluates an account now: records what is newly crossed and, for the alert that carries the message, its jobs. */
export async function evaluateAlerts(deps: CreditAlertDeps, accountId: string): Promise<AlertEvaluation> {
  const { db, credits } = deps;
  // The figures first, outside the transaction (it holds one connection; the state needs the pool).
  const now = deps.clock.now();
  const state: CreditState = await credits.getState(accountId, now);
  const fc: Forecast = await credits.forecast(accountId, 7, state);
  return db.transaction(async (tx) => {
    // One evaluation of an account at a time, so the later one sees the rows of the earlier one and the choice
    // of the message stays coherent; the unique row is what guarantees once.
    await tx.sql('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`credit-alert:${accountId}`]);
    const periodStart = new Date(state.period.start);
    const { rows: existing } = await tx.sql<{ trigger: string }>(
      'SELECT trigger FROM credit_alert WHERE account_id = $1 AND period_start = $2',
      [accountId, periodStart],
    );
    const { rows: acc } = await tx.sql<{ alert_thresholds: unknown }>(
      'SELECT alert_thresholds FROM account WHERE id = $1',
      [accountId],
    );
    const candidates = decideAlerts({
      thresholds: effectiveThresholds(acc[0]?.alert_thresholds ?? null),
      balance: state.credits.balance,
      plan: state.credits.plan,
      runsOutBeforeTopUp: fc.runsOutBeforeTopUp,
      existing: new Set(existing.map((r) => r.trigger)),
    });
    const out: AlertEvaluation = {
      periodStart: state.period.start,
      balance: state.credits.balance,
      recorded: [],
      notified: null,
    };
    if (candidates.length === 0) return out;
    const { rows: inserted } = await tx.sql<{ id: string; trigger: string; notified: boolean }>(
      `INSERT INTO credit_alert (account_id, period_start, period_end, trigger, threshold, notified, balance,
         plan_credits, limit_credits, burn_rate_per_day, runs_out_at, runs_out_before_top_up, evaluated_at)
       SELECT $1, $2, $3, t.trigger, t.threshold, t.notified, $4, $5, t.limit_credits, $6, $7, $8, $9
         FROM unnest($10::text[], $11::float8[], $12::boolean[], $13::int[]) AS t(trigger, threshold, notified, limit_credits)
       ON CONFLICT (account_id, period_start, trigger) DO NOTHING
       RETURNING id, trigger, notified`,
      [
        accountId,
        periodStart,
        new Date(state.period.end),
        state.credits.balance,
        state.credits.plan,
        fc.burnRatePerDay,
        fc.runsOutAt ? new Date(fc.runsOutAt) : null,
        fc.runsOutBeforeTopUp,
        now,
        candidates.map((c) => c.trigger),
        candidates.map((c) => c.threshold),
        candidates.map((c) => c.notified),
        candidates.map((c) => c.limitCredits),
      ],
    );
    out.recorded = inserted.map((r) => r.trigger);
    const carrier = inserted.find((r) => r.notified);
    if (!carrier) return out;
    out.notified = carrier.trigger;
    // The account's users, the most recently active in the chat first: one job per recipient.
    const { rows: users } = await tx.sql<{ id: string }>(
      `SELECT u.id FROM platform_user u
         LEFT JOIN LATERAL (SELECT max(c.last_activity_at) AS seen FROM chat_conversation c WHERE c.user_id = u.id) c ON true
        WHERE u.account_id = $1
        ORDER BY c.seen DESC NULLS LAST, u.created_at, u.id
        LIMIT $2`,
      [accountId, MAX_CHAT_RECIPIENTS],
    );
    await enqueueMany(
      tx,
      'v1.chat.credit-alert',
      users.map((u) => ({ payload: { alertId: carrier.id, userId: u.id }, key: `${carrier.id}__${u.id}` })),
    );
    await enqueue(tx, 'v1.slack.credit-alert', { alertId: carrier.id }, { key: carrier.id });
    deps.logger.info(
      { accountId, trigger: carrier.trigger, balance: state.credits.balance, alertId: carrier.id },
      'low-credit alert',
    );
    return out;
  });
}

export function creditAlertJobHandlers(deps: CreditAlertDeps): Pick<JobHandlers, 'v1.credits.evaluate-alerts'> {
  return {
    'v1.credits.evaluate-alerts': ({ accountId }) => evaluateAlerts(deps, accountId),
  };
}

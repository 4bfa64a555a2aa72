/**
 * Reads an account and its plan history in one round trip: every credit-state read starts here, so it stays
 * one hand-written statement (bench/db-access.ts compares it with the Prisma equivalent).
 */
import type { Db } from '../infra/db.ts';
import { notFound } from '../shared/errors.ts';
import { effectiveThresholds } from './alert-rules.ts';
import type { AccountInfo, PlanAssignmentRow, PlanTerms } from './types.ts';

/**
 * The channel on which an account's change is announced (its id as payload): by `tx.signal` in the writer's
 * process, by the trigger of migration 20261206120000_ledger_changed_notify in every other.
 */
export const LEDGER_CHANGED = 'ledger_changed';

/** A plan as plan_assignment stores it (snake_case: json_agg of the rows). */
interface PlanRow {
  name: string;
  monthly_credits: number;
  price_amount: number;
  price_currency: string;
  identities: number;
  conversations_per_identity: number;
}

const planFromRow = (r: PlanRow, id: string | null): PlanTerms => ({
  id,
  name: r.name,
  monthlyCredits: r.monthly_credits,
  price: { amount: r.price_amount, currency: r.price_currency },
  identities: r.identities,
  conversationsPerIdentity: r.conversations_per_identity,
});

export interface AccountWithPlans extends AccountInfo {
  plans: PlanAssignmentRow[];
  /** bumped by every ledger change: what the credit-state cache is keyed on */
  ledgerVersion: string;
  /** the low-credit alert shares in force (the account's, else the default), highest first */
  alertThresholds: number[];
}

interface Row {
  id: string;
  name: string;
  time_zone: string;
  locale: string;
  top_up_day: number;
  created_at: Date;
  ledger_version: string;
  manager_slack_user_id: string | null;
  manager_name: string | null;
  manager_email: string | null;
  alert_thresholds: unknown;
  plans: Array<PlanRow & { plan_id: string | null; effective_from: string }> | null;
}

export async function loadAccount(db: Db, accountId: string): Promise<AccountWithPlans> {
  const { rows } = await db.sql<Row>(
    `SELECT a.id, a.name, a.time_zone, a.locale, a.top_up_day, a.created_at, a.ledger_version::text AS ledger_version,
            a.manager_slack_user_id, a.manager_name, a.manager_email, a.alert_thresholds,
            (SELECT json_agg(p ORDER BY p.effective_from, p.id) FROM plan_assignment p WHERE p.account_id = a.id) AS plans
       FROM account a WHERE a.id = $1`,
    [accountId],
  );
  const r = rows[0];
  if (!r) throw notFound(`Unknown account '${accountId}'.`);
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    locale: r.locale,
    topUpDay: r.top_up_day,
    createdAt: r.created_at,
    ledgerVersion: r.ledger_version,
    alertThresholds: effectiveThresholds(r.alert_thresholds),
    accountManager: r.manager_slack_user_id
      ? {
          slackUserId: r.manager_slack_user_id,
          name: r.manager_name ?? r.manager_slack_user_id,
          email: r.manager_email,
        }
      : null,
    plans: (r.plans ?? []).map((p) => ({
      ...planFromRow(p, p.plan_id),
      // json_agg renders timestamptz with its offset; Date parses it.
      effectiveFrom: new Date(p.effective_from),
    })),
  };
}

/** The plan in effect at `t`: the latest assignment that started at or before t (or the first one). */
export function planAt(plans: readonly PlanAssignmentRow[], t: number): PlanAssignmentRow | undefined {
  let found: PlanAssignmentRow | undefined;
  for (const p of plans) {
    if (p.effectiveFrom.getTime() <= t) found = p;
    else break;
  }
  return found;
}

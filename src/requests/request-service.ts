/**
 * Plan-change and buy-credits requests. A request and the jobs it implies (notify the approver, check the
 * SLA) are written in one transaction; a decision is taken exactly once (a row lock, a conditional status
 * change and the request_decision primary key, in the same transaction as the grant or plan change).
 */
import type pg from 'pg';
import { insertPlanAssignment } from '../accounts/accounts.ts';
import type { CreditService } from '../credits/credit-service.ts';
import { createGrant, inTransaction } from '../credits/ingest.ts';
import { type PlanRow, planFromRow } from '../credits/plan-row.ts';
import type { PlanTerms } from '../credits/types.ts';
import type { Db } from '../db/client.ts';
import { enqueueInTransaction } from '../jobs/outbox.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../shared/errors.ts';
import { type CatalogPack, type CatalogPlan, quoteBuy, quotePlanChange } from './pricing.ts';
import { type SlaPolicy, slaDeadline } from './sla.ts';

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface RequestView {
  id: string;
  reference: string;
  accountId: string;
  accountName: string;
  requesterUserId: string;
  requesterName: string | null;
  conversationId: string | null;
  kind: 'buy_credits' | 'change_plan';
  status: RequestStatus;
  credits: number;
  packId: string | null;
  targetPlan: (PlanTerms & { id: string }) | null;
  targetPlanName: string | null;
  currentPlan: PlanTerms;
  price: { amount: number; currency: string };
  effective: 'immediate' | 'next_top_up' | null;
  slaDueAt: string;
  slaRemindedAt: string | null;
  slackChannel: string | null;
  slackTs: string | null;
  managerSlackUserId: string | null;
  managerName: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  deciderId: string | null;
  decidedVia: string | null;
  reason: string | null;
}

export const referenceOf = (id: string) => `R-${id.replaceAll('-', '').slice(0, 6).toUpperCase()}`;

const SELECT = `
  SELECT r.*, a.name AS account_name, a.manager_slack_user_id, a.manager_name, u.name AS requester_name,
         d.decision, d.decider_id, d.decider_name, d.via, d.reason AS decision_reason, d.decided_at
    FROM change_request r
    JOIN account a ON a.id = r.account_id
    LEFT JOIN platform_user u ON u.id = r.requester_user_id
    LEFT JOIN request_decision d ON d.request_id = r.id`;

// biome-ignore lint/suspicious/noExplicitAny: a row of the query above
function toView(r: any): RequestView {
  const target = r.target_plan as (PlanTerms & { id: string }) | null;
  return {
    id: r.id,
    reference: referenceOf(r.id),
    accountId: r.account_id,
    accountName: r.account_name,
    requesterUserId: r.requester_user_id,
    requesterName: r.requester_name,
    conversationId: r.conversation_id,
    kind: r.kind,
    status: r.status,
    credits: r.credits,
    packId: r.pack_id,
    targetPlan: target,
    targetPlanName: target?.name ?? null,
    currentPlan: r.current_plan,
    price: { amount: r.price_amount, currency: r.price_currency },
    effective: r.effective,
    slaDueAt: new Date(r.sla_due_at).toISOString(),
    slaRemindedAt: r.sla_reminded_at ? new Date(r.sla_reminded_at).toISOString() : null,
    slackChannel: r.slack_channel,
    slackTs: r.slack_ts,
    managerSlackUserId: r.manager_slack_user_id,
    managerName: r.manager_name,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: r.decided_at
      ? new Date(r.decided_at).toISOString()
      : r.status === 'cancelled'
        ? new Date(r.updated_at).toISOString()
        : null,
    decidedBy: r.decider_name ?? r.decider_id ?? null,
    deciderId: r.decider_id ?? null,
    decidedVia: r.via ?? null,
    reason: r.decision_reason ?? null,
  };
}

export interface Requester {
  accountId: string;
  userId: string;
  conversationId: string | null;
}

export interface Decider {
  id: string;
  name: string;
  via: 'slack' | 'console';
}

export interface RequestServiceDeps {
  db: Db;
  clock: Clock;
  credits: CreditService;
  sla: SlaPolicy;
}

export type RequestService = ReturnType<typeof createRequestService>;

export function createRequestService({ db, clock, credits, sla }: RequestServiceDeps) {
  async function get(id: string): Promise<RequestView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`Unknown request '${id}'.`);
    const { rows } = await db.sql(`${SELECT} WHERE r.id = $1`, [id]);
    if (!rows[0]) throw notFound(`Unknown request '${id}'.`);
    return toView(rows[0]);
  }

  async function list(
    filter: { accountId?: string; status?: RequestStatus; limit?: number } = {},
  ): Promise<RequestView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.accountId) {
      values.push(filter.accountId);
      where.push(`r.account_id = $${values.length}`);
    }
    if (filter.status) {
      values.push(filter.status);
      where.push(`r.status = $${values.length}::request_status`);
    }
    values.push(Math.min(filter.limit ?? 50, 500));
    const { rows } = await db.sql(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toView);
  }

  async function catalogPlans(): Promise<CatalogPlan[]> {
    const { rows } = await db.sql<PlanRow & { id: string }>('SELECT * FROM plan ORDER BY monthly_credits, id');
    return rows.map((p) => ({ ...planFromRow(p, p.id), id: p.id }));
  }

  async function catalogPacks(): Promise<CatalogPack[]> {
    const { rows } = await db.sql<{ id: string; credits: number; price_amount: number; price_currency: string }>(
      'SELECT * FROM credit_pack ORDER BY credits, id',
    );
    return rows.map((p) => ({
      id: p.id,
      credits: p.credits,
      price: { amount: p.price_amount, currency: p.price_currency },
    }));
  }

  /** Creates a request (idempotent on `idempotencyKey`). The quote is recomputed here, never taken from the client. */
  async function create(
    who: Requester,
    req: {
      kind: 'buy_credits' | 'change_plan';
      credits?: number;
      packId?: string | null;
      planId?: string;
      idempotencyKey: string;
    },
  ): Promise<{ request: RequestView; created: boolean }> {
    const existing = await db.sql<{ id: string }>('SELECT id FROM change_request WHERE idempotency_key = $1', [
      req.idempotencyKey,
    ]);
    if (existing.rows[0]) return { request: await get(existing.rows[0].id), created: false };

    const now = clock.now();
    const state = await credits.getState(who.accountId, now);
    const current: PlanTerms = state.plan;
    let credited: number;
    let price: { amount: number; currency: string };
    let packId: string | null = null;
    let target: CatalogPlan | null = null;
    let effective: 'immediate' | 'next_top_up' | null = null;
    if (req.kind === 'buy_credits') {
      const q = quoteBuy(current, await catalogPacks(), { credits: req.credits, packId: req.packId ?? undefined });
      if (!q.ok)
        throw badRequest(
          q.reason === 'not_a_pack'
            ? 'Credits are sold in packs; pick one of the packs.'
            : q.reason === 'too_large'
              ? 'The price of that amount is too large to request here.'
              : 'A whole number of credits is needed.',
        );
      credited = q.quote.credits;
      price = q.quote.price;
      packId = q.quote.packId;
    } else {
      target = (await catalogPlans()).find((p) => p.id === req.planId) ?? null;
      if (!target) throw badRequest(`Unknown plan '${req.planId}'.`);
      if (target.id === current.id) throw badRequest(`The account is already on ${target.name}.`);
      const q = quotePlanChange(
        current,
        target,
        { start: new Date(state.period.start), end: new Date(state.period.end) },
        now,
      );
      credited = target.monthlyCredits;
      price = target.price;
      effective = q.effective;
    }
    const due = slaDeadline(now, sla, new Date(state.nextTopUpAt));
    const id = await inTransaction(db, async (c) => {
      if (req.kind === 'change_plan') {
        const pending = await c.query<{ id: string }>(
          `SELECT id FROM change_request WHERE account_id = $1 AND kind = 'change_plan' AND status = 'pending' FOR UPDATE`,
          [who.accountId],
        );
        if (pending.rows[0]) {
          throw conflict(
            `A plan change is already pending (${referenceOf(pending.rows[0].id)}): cancel it first or wait for the decision.`,
            {
              requestId: pending.rows[0].id,
            },
          );
        }
      }
      const ins = await c.query<{ id: string }>(
        `INSERT INTO change_request (account_id, requester_user_id, conversation_id, kind, credits, pack_id, target_plan_id, target_plan,
                                     current_plan, price_amount, price_currency, effective, idempotency_key, sla_due_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4::request_kind, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14, $15, $15)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [
          who.accountId,
          who.userId,
          who.conversationId,
          req.kind,
          credited,
          packId,
          target?.id ?? null,
          target ? JSON.stringify(target) : null,
          JSON.stringify(current),
          price.amount,
          price.currency,
          effective,
          req.idempotencyKey,
          due,
          now,
        ],
      );
      const newId = ins.rows[0]?.id;
      if (!newId) return null;
      await enqueueInTransaction(c, 'v1.requests.notify-approver', { requestId: newId }, { key: newId });
      await enqueueInTransaction(c, 'v1.requests.sla-check', { requestId: newId }, { key: newId, runAt: due });
      return newId;
    });
    if (!id) {
      const again = await db.sql<{ id: string }>('SELECT id FROM change_request WHERE idempotency_key = $1', [
        req.idempotencyKey,
      ]);
      return { request: await get(again.rows[0]!.id), created: false };
    }
    return { request: await get(id), created: true };
  }

  async function cancel(who: Requester, requestId: string): Promise<RequestView> {
    if (!/^[0-9a-f-]{36}$/i.test(requestId)) throw notFound(`Unknown request '${requestId}'.`);
    await inTransaction(db, async (c) => {
      const { rows } = await c.query<{ status: RequestStatus; account_id: string }>(
        'SELECT status, account_id FROM change_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      const r = rows[0];
      if (!r || r.account_id !== who.accountId) throw notFound(`Unknown request '${requestId}'.`);
      if (r.status !== 'pending') throw conflict(`The request is ${r.status}.`, { status: r.status });
      await c.query(`UPDATE change_request SET status = 'cancelled', updated_at = $2 WHERE id = $1`, [
        requestId,
        clock.now(),
      ]);
      await enqueueInTransaction(
        c,
        'v1.requests.update-approver-message',
        { requestId },
        { key: `${requestId}__cancelled` },
      );
    });
    return get(requestId);
  }

  /** Who may decide a request: the account's manager, or a configured approver. */
  function mayDecide(r: RequestView, slackUserId: string, approvers: readonly string[]): boolean {
    return slackUserId === r.managerSlackUserId || approvers.includes(slackUserId);
  }

  async function applyApproval(c: pg.PoolClient, r: RequestView, now: Date) {
    if (r.kind === 'buy_credits') {
      await createGrant(
        db,
        clock,
        {
          id: `req_${r.id}`,
          accountId: r.accountId,
          kind: 'addon',
          credits: r.credits,
          reason: `Buy More ${r.reference}`,
        },
        { source: 'request', requestId: r.id, client: c },
      );
      return;
    }
    const target = r.targetPlan!;
    const state = await credits.getState(r.accountId, now);
    const q = quotePlanChange(
      state.plan,
      target,
      { start: new Date(state.period.start), end: new Date(state.period.end) },
      now,
    );
    // Any change scheduled earlier is replaced by this decision.
    await c.query('DELETE FROM plan_assignment WHERE account_id = $1 AND effective_from > $2', [r.accountId, now]);
    if (q.effective === 'immediate') {
      await insertPlanAssignment(c, r.accountId, target, now, 'request', r.id);
      if (q.proratedCredits > 0) {
        await createGrant(
          db,
          clock,
          {
            id: `req_${r.id}_prorated`,
            accountId: r.accountId,
            kind: 'adjustment',
            credits: q.proratedCredits,
            reason: `Prorated upgrade to ${target.name} (${r.reference})`,
          },
          { source: 'request', requestId: r.id, client: c },
        );
      }
    } else {
      await insertPlanAssignment(c, r.accountId, target, new Date(state.nextTopUpAt), 'request', r.id);
    }
    await c.query('UPDATE change_request SET effective = $2 WHERE id = $1', [r.id, q.effective]);
  }

  /**
   * Takes a decision exactly once. Concurrent clicks, retried deliveries and double submissions all end
   * here: the row lock orders them, the status check and the decision's primary key let one through.
   */
  async function decide(
    requestId: string,
    decision: 'approve' | 'reject',
    decider: Decider,
    opts: { reason?: string; authorize?: (r: RequestView) => boolean } = {},
  ): Promise<{ outcome: 'decided' | 'already_decided'; request: RequestView }> {
    const before = await get(requestId);
    if (opts.authorize && !opts.authorize(before)) {
      throw forbidden('Only the account manager or a configured approver can decide this request.');
    }
    if (decision === 'reject' && !opts.reason?.trim()) throw badRequest('A reason is needed to reject a request.');
    const outcome = await inTransaction(db, async (c) => {
      const now = clock.now();
      const { rows } = await c.query<{ status: RequestStatus }>(
        'SELECT status FROM change_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      if (rows[0]?.status !== 'pending') return 'already_decided' as const;
      const ins = await c.query(
        `INSERT INTO request_decision (request_id, decision, decider_id, decider_name, via, reason, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO NOTHING`,
        [requestId, decision, decider.id, decider.name, decider.via, opts.reason?.trim() ?? null, now],
      );
      if (ins.rowCount !== 1) return 'already_decided' as const;
      const status = decision === 'approve' ? 'approved' : 'rejected';
      const upd = await c.query(
        `UPDATE change_request SET status = $2::request_status, updated_at = $3 WHERE id = $1 AND status = 'pending'`,
        [requestId, status, now],
      );
      if (upd.rowCount !== 1)
        throw new AppError('conflict', 'The request changed while deciding; try again.', { retryable: true });
      if (decision === 'approve') {
        await applyApproval(c, before, now);
        await enqueueInTransaction(c, 'v1.platform.request-approved', { requestId }, { key: requestId });
      }
      await enqueueInTransaction(
        c,
        'v1.requests.update-approver-message',
        { requestId },
        { key: `${requestId}__decided` },
      );
      await enqueueInTransaction(c, 'v1.requests.notify-customer', { requestId }, { key: requestId });
      return 'decided' as const;
    });
    return { outcome, request: await get(requestId) };
  }

  return { get, list, create, cancel, decide, mayDecide, catalogPlans, catalogPacks };
}

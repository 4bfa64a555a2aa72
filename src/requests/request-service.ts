/**
 * Plan-change and buy-credits requests. A request and the jobs it implies (notify the approver, check the
 * SLA) are written in one transaction; a decision is taken exactly once (a row lock, a conditional status
 * change and the request_decision primary key, in the same transaction as the grant or plan change).
 */

import { insertPlanAssignment, planTermsOf } from '../accounts/accounts.ts';
import { refreshHomes } from '../accounts/manager-home.ts';
import type { CreditService } from '../credits/credit-service.ts';
import { createGrant } from '../credits/ingest.ts';
import type { PlanTerms } from '../credits/types.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { type Db, isUniqueViolation, type Tx } from '../infra/db.ts';
import { enqueue } from '../jobs/outbox.ts';
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
  /** who in support looks after it (a Slack user id or an operator's email), and since when */
  assigneeId: string | null;
  assigneeName: string | null;
  assignedAt: string | null;
  assignedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  deciderId: string | null;
  decidedVia: string | null;
  reason: string | null;
}

export const referenceOf = (id: string) => `R-${id.replaceAll('-', '').slice(0, 6).toUpperCase()}`;

const include = {
  account: { select: { name: true, managerSlackUserId: true, managerName: true } },
  decision: true,
} satisfies Prisma.ChangeRequestInclude;

type RequestRow = Prisma.ChangeRequestGetPayload<{ include: typeof include }>;

/** A plan snapshot stored as JSON by `create` (its own shape, written by this module only). */
const planJson = (v: Prisma.JsonValue | null): (PlanTerms & { id: string }) | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as unknown as PlanTerms & { id: string }) : null;

function toView(r: RequestRow, requesterName: string | null): RequestView {
  const target = planJson(r.targetPlan);
  const d = r.decision;
  return {
    id: r.id,
    reference: referenceOf(r.id),
    accountId: r.accountId,
    accountName: r.account.name,
    requesterUserId: r.requesterUserId,
    requesterName,
    conversationId: r.conversationId,
    kind: r.kind,
    status: r.status,
    credits: r.credits,
    packId: r.packId,
    targetPlan: target,
    targetPlanName: target?.name ?? null,
    currentPlan: planJson(r.currentPlan)!,
    price: { amount: r.priceAmount, currency: r.priceCurrency },
    effective: r.effective === 'immediate' || r.effective === 'next_top_up' ? r.effective : null,
    slaDueAt: r.slaDueAt.toISOString(),
    slaRemindedAt: r.slaRemindedAt?.toISOString() ?? null,
    slackChannel: r.slackChannel,
    slackTs: r.slackTs,
    managerSlackUserId: r.account.managerSlackUserId,
    managerName: r.account.managerName,
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeName,
    assignedAt: r.assignedAt?.toISOString() ?? null,
    assignedBy: r.assignedBy,
    createdAt: r.createdAt.toISOString(),
    decidedAt: d ? d.decidedAt.toISOString() : r.status === 'cancelled' ? r.updatedAt.toISOString() : null,
    decidedBy: d ? (d.deciderName ?? d.deciderId) : null,
    deciderId: d?.deciderId ?? null,
    decidedVia: d?.via ?? null,
    reason: d?.reason ?? null,
  };
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

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
  /** Names of the requesters (platform users; a request outlives nothing it needs, so no foreign key). */
  async function views(rows: RequestRow[]): Promise<RequestView[]> {
    const ids = [...new Set(rows.map((r) => r.requesterUserId))];
    const users = ids.length
      ? await db.prisma.platformUser.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
      : [];
    const names = new Map(users.map((u) => [u.id, u.name]));
    return rows.map((r) => toView(r, names.get(r.requesterUserId) ?? null));
  }

  async function get(id: string): Promise<RequestView> {
    const row = isUuid(id) ? await db.prisma.changeRequest.findUnique({ where: { id }, include }) : null;
    if (!row) throw notFound(`Unknown request '${id}'.`);
    return (await views([row]))[0]!;
  }

  async function list(
    filter: {
      accountId?: string;
      status?: RequestStatus;
      /** requests of the accounts this Slack user manages */
      managerSlackUserId?: string;
      assigneeId?: string;
      limit?: number;
    } = {},
  ): Promise<RequestView[]> {
    const rows = await db.prisma.changeRequest.findMany({
      where: {
        ...(filter.accountId ? { accountId: filter.accountId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.managerSlackUserId ? { account: { managerSlackUserId: filter.managerSlackUserId } } : {}),
        ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}),
      },
      include,
      orderBy: { createdAt: 'desc' },
      take: Math.min(filter.limit ?? 50, 500),
    });
    return views(rows);
  }

  async function catalogPlans(): Promise<CatalogPlan[]> {
    const rows = await db.prisma.plan.findMany({ orderBy: [{ monthlyCredits: 'asc' }, { id: 'asc' }] });
    return rows.map((p) => ({ ...planTermsOf(p, p.id), id: p.id }));
  }

  async function catalogPacks(): Promise<CatalogPack[]> {
    const rows = await db.prisma.creditPack.findMany({ orderBy: [{ credits: 'asc' }, { id: 'asc' }] });
    return rows.map((p) => ({
      id: p.id,
      credits: p.credits,
      price: { amount: p.priceAmount, currency: p.priceCurrency },
    }));
  }

  const byIdempotencyKey = async (key: string) =>
    (await db.prisma.changeRequest.findUnique({ where: { idempotencyKey: key }, select: { id: true } }))?.id;

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
    const existing = await byIdempotencyKey(req.idempotencyKey);
    if (existing) return { request: await get(existing), created: false };

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
    let id: string;
    try {
      id = await db.transaction(async (tx) => {
        if (req.kind === 'change_plan') {
          // One plan change pending at a time: the account's pending plan requests, locked.
          const pending = await tx.sql<{ id: string }>(
            `SELECT id FROM change_request WHERE account_id = $1 AND kind = 'change_plan' AND status = 'pending' FOR UPDATE`,
            [who.accountId],
          );
          if (pending.rows[0]) {
            throw conflict(
              `A plan change is already pending (${referenceOf(pending.rows[0].id)}): cancel it first or wait for the decision.`,
              { requestId: pending.rows[0].id },
            );
          }
        }
        const row = await tx.prisma.changeRequest.create({
          data: {
            accountId: who.accountId,
            requesterUserId: who.userId,
            conversationId: who.conversationId,
            kind: req.kind,
            credits: credited,
            packId,
            targetPlanId: target?.id ?? null,
            targetPlan: target ? (target as unknown as Prisma.InputJsonObject) : undefined,
            currentPlan: current as unknown as Prisma.InputJsonObject,
            priceAmount: price.amount,
            priceCurrency: price.currency,
            effective,
            idempotencyKey: req.idempotencyKey,
            slaDueAt: due,
            createdAt: now,
            updatedAt: now,
          },
          select: { id: true },
        });
        await enqueue(tx, 'v1.requests.notify-approver', { requestId: row.id }, { key: row.id });
        await enqueue(tx, 'v1.requests.sla-check', { requestId: row.id }, { key: row.id, runAt: due });
        await refreshHomes(tx, who.accountId, `req_${row.id}_created`);
        return row.id;
      });
    } catch (err) {
      // The same confirmation arrived twice at once: the other copy created it.
      const again = isUniqueViolation(err) ? await byIdempotencyKey(req.idempotencyKey) : undefined;
      if (!again) throw err;
      return { request: await get(again), created: false };
    }
    return { request: await get(id), created: true };
  }

  async function cancel(who: Requester, requestId: string): Promise<RequestView> {
    if (!isUuid(requestId)) throw notFound(`Unknown request '${requestId}'.`);
    await db.transaction(async (tx) => {
      const { rows } = await tx.sql<{ status: RequestStatus; account_id: string }>(
        'SELECT status, account_id FROM change_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      const r = rows[0];
      if (!r || r.account_id !== who.accountId) throw notFound(`Unknown request '${requestId}'.`);
      if (r.status !== 'pending') throw conflict(`The request is ${r.status}.`, { status: r.status });
      await tx.prisma.changeRequest.update({
        where: { id: requestId },
        data: { status: 'cancelled', updatedAt: clock.now() },
      });
      await enqueue(tx, 'v1.requests.update-approver-message', { requestId }, { key: `${requestId}__cancelled` });
      await refreshHomes(tx, r.account_id, `req_${requestId}_cancelled`);
    });
    return get(requestId);
  }

  /**
   * Who in support looks after a pending request (a claim is an assignment to oneself; null takes it back).
   * Deciding is not limited to the assignee. Answers the request as it stands.
   */
  async function assign(
    requestId: string,
    assignee: { id: string; name: string } | null,
    by: { id: string; name: string },
  ): Promise<{ outcome: 'assigned' | 'unchanged' | 'not_pending'; request: RequestView }> {
    if (!isUuid(requestId)) throw notFound(`Unknown request '${requestId}'.`);
    const outcome = await db.transaction(async (tx) => {
      const { rows } = await tx.sql<{ status: RequestStatus; account_id: string; assignee_id: string | null }>(
        'SELECT status, account_id, assignee_id FROM change_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      const r = rows[0];
      if (!r) throw notFound(`Unknown request '${requestId}'.`);
      if (r.status !== 'pending') return 'not_pending' as const;
      if ((r.assignee_id ?? null) === (assignee?.id ?? null)) return 'unchanged' as const;
      const now = clock.now();
      await tx.prisma.changeRequest.update({
        where: { id: requestId },
        data: {
          assigneeId: assignee?.id ?? null,
          assigneeName: assignee?.name ?? null,
          assignedAt: now,
          assignedBy: by.name,
          updatedAt: now,
        },
      });
      await refreshHomes(tx, r.account_id, `req_${requestId}_assigned_${now.getTime()}`, [r.assignee_id, assignee?.id]);
      return 'assigned' as const;
    });
    return { outcome, request: await get(requestId) };
  }

  /** Who may decide a request: the account's manager, or a configured approver. */
  function mayDecide(r: RequestView, slackUserId: string, approvers: readonly string[]): boolean {
    return slackUserId === r.managerSlackUserId || approvers.includes(slackUserId);
  }

  async function applyApproval(tx: Tx, r: RequestView, now: Date) {
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
        { source: 'request', requestId: r.id, tx },
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
    await tx.prisma.planAssignment.deleteMany({ where: { accountId: r.accountId, effectiveFrom: { gt: now } } });
    if (q.effective === 'immediate') {
      await insertPlanAssignment(tx, r.accountId, target, now, 'request', r.id);
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
          { source: 'request', requestId: r.id, tx },
        );
      }
    } else {
      await insertPlanAssignment(tx, r.accountId, target, new Date(state.nextTopUpAt), 'request', r.id);
    }
    await tx.prisma.changeRequest.update({ where: { id: r.id }, data: { effective: q.effective } });
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
    const outcome = await db.transaction(async (tx) => {
      const now = clock.now();
      const { rows } = await tx.sql<{ status: RequestStatus }>(
        'SELECT status FROM change_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      if (rows[0]?.status !== 'pending') return 'already_decided' as const;
      // Under the row lock a pending request has no decision yet; the primary key would refuse a second one.
      await tx.prisma.requestDecision.create({
        data: {
          requestId,
          decision,
          deciderId: decider.id,
          deciderName: decider.name,
          via: decider.via,
          reason: opts.reason?.trim() ?? null,
          decidedAt: now,
        },
      });
      const status = decision === 'approve' ? 'approved' : 'rejected';
      const upd = await tx.prisma.changeRequest.updateMany({
        where: { id: requestId, status: 'pending' },
        data: { status, updatedAt: now },
      });
      if (upd.count !== 1)
        throw new AppError('conflict', 'The request changed while deciding; try again.', { retryable: true });
      if (decision === 'approve') {
        await applyApproval(tx, before, now);
        await enqueue(tx, 'v1.platform.request-approved', { requestId }, { key: requestId });
      }
      await enqueue(tx, 'v1.requests.update-approver-message', { requestId }, { key: `${requestId}__decided` });
      await enqueue(tx, 'v1.requests.notify-customer', { requestId }, { key: requestId });
      await refreshHomes(tx, before.accountId, `req_${requestId}_decided`, [before.assigneeId]);
      return 'decided' as const;
    });
    return { outcome, request: await get(requestId) };
  }

  /** Records that a request is past its SLA, once; answers false when it was decided or recorded already. */
  async function recordSlaBreach(requestId: string, at: Date, then: (tx: Tx) => Promise<void>): Promise<boolean> {
    return db.transaction(async (tx) => {
      const claimed = await tx.prisma.changeRequest.updateMany({
        where: { id: requestId, status: 'pending', slaRemindedAt: null },
        data: { slaRemindedAt: at },
      });
      if (claimed.count !== 1) return false;
      await then(tx);
      return true;
    });
  }

  /** Pending requests past their SLA deadline now (an SLA breach waiting for a decision), for /metrics. */
  async function countPastSla(): Promise<number> {
    return db.prisma.changeRequest.count({ where: { status: 'pending', slaDueAt: { lt: clock.now() } } });
  }

  /** Where the approval message went in Slack (so its updates and reminders find it). */
  async function recordApprovalMessage(requestId: string, channel: string, ts: string | null) {
    await db.prisma.changeRequest.update({ where: { id: requestId }, data: { slackChannel: channel, slackTs: ts } });
  }

  return {
    get,
    list,
    create,
    cancel,
    assign,
    decide,
    mayDecide,
    catalogPlans,
    catalogPacks,
    recordSlaBreach,
    recordApprovalMessage,
    countPastSla,
  };
}

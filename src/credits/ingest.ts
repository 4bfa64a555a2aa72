/**
 * Writes to the ledger from the platform: usage events, conversation events and credit grants.
 * Idempotent on ids: a repeat is accepted and not counted again; the same id with other content is a
 * conflict. A batch is all-or-nothing: one statement inserts the new events and folds them into the
 * rollups inside one transaction, so the figures never see half a batch.
 */
import { createHash } from 'node:crypto';
import { type Db, isUniqueViolation, type Sql, type Tx } from '../infra/db.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { LEDGER_CHANGED } from './account-store.ts';
import { requestAlertEvaluation } from './alerts.ts';
import { periodAt } from './period.ts';
import { MAX_FUTURE_SKEW_MS } from './ranges.ts';
import type { UsageType } from './types.ts';

export interface UsageEventInput {
  id: string;
  accountId: string;
  userId: string;
  type: UsageType;
  credits: number;
  occurredAt: Date;
}

export interface ConversationEventInput {
  id: string;
  accountId: string;
  identityId: string;
  campaignId: string;
  campaignName?: string | undefined;
  occurredAt: Date;
}

export interface GrantInput {
  id: string;
  accountId: string;
  kind: 'addon' | 'carryover' | 'adjustment';
  credits: number;
  expiresAt?: Date | undefined;
  effectiveAt?: Date | undefined;
  reason?: string | undefined;
}

export interface IngestResult {
  received: number;
  accepted: number;
  duplicates: number;
}

function checkFuture(clock: Clock, events: Array<{ id: string; occurredAt: Date }>) {
  const limit = clock.now().getTime() + MAX_FUTURE_SKEW_MS;
  const late = events.filter((e) => e.occurredAt.getTime() > limit);
  if (late.length) {
    throw badRequest(`occurredAt is more than 5 minutes in the future for ${late.length} event(s).`, {
      ids: late.slice(0, 20).map((e) => e.id),
    });
  }
}

/** Same id twice in one batch: fine when identical (counted once), a conflict otherwise. */
function dedupeBatch<T extends { id: string }>(events: T[], same: (a: T, b: T) => boolean): T[] {
  const byId = new Map<string, T>();
  for (const e of events) {
    const prev = byId.get(e.id);
    if (prev && !same(prev, e)) throw conflict(`Event '${e.id}' appears twice in the batch with different content.`);
    byId.set(e.id, e);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Takes the accounts' row locks first (always in id order, so writers never deadlock), bumps their ledger
 * version (the credit-state cache key) and fails the batch when one does not exist.
 */
export async function bumpLedger(tx: Tx, accountIds: string[]) {
  const { rows } = await tx.sql<{ id: string }>(
    `UPDATE account SET ledger_version = ledger_version + 1
      WHERE id IN (SELECT id FROM account WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE) RETURNING id`,
    [accountIds],
  );
  const known = new Set(rows.map((r) => r.id));
  for (const id of known) tx.signal(LEDGER_CHANGED, id);
  const unknown = accountIds.filter((id) => !known.has(id));
  if (unknown.length) throw notFound(`Unknown account(s): ${unknown.slice(0, 10).join(', ')}.`);
}

const sameUsage = (a: UsageEventInput, b: UsageEventInput) =>
  a.accountId === b.accountId &&
  a.userId === b.userId &&
  a.type === b.type &&
  a.credits === b.credits &&
  a.occurredAt.getTime() === b.occurredAt.getTime();

const sameConversation = (a: ConversationEventInput, b: ConversationEventInput) =>
  a.accountId === b.accountId &&
  a.identityId === b.identityId &&
  a.campaignId === b.campaignId &&
  a.occurredAt.getTime() === b.occurredAt.getTime();

/**
 * Events the insert skipped were already stored: a repeat is fine when it says the same thing; another
 * payload under a known id fails the whole batch (the caller's transaction rolls back).
 */
async function refuseConflictingRepeats<E extends { id: string }, R extends { id: string }>(
  sql: Sql,
  repeats: E[],
  selectByIds: string,
  same: (event: E, stored: R) => boolean,
) {
  if (repeats.length === 0) return;
  const { rows } = await sql<R>(selectByIds, [repeats.map((e) => e.id)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const clashing = repeats.filter((e) => {
    const stored = byId.get(e.id);
    return !stored || !same(e, stored);
  });
  if (clashing.length) {
    throw conflict(`${clashing.length} event id(s) were already used with different content; nothing was written.`, {
      ids: clashing.slice(0, 20).map((e) => e.id),
    });
  }
}

export async function ingestUsageEvents(db: Db, clock: Clock, input: UsageEventInput[]): Promise<IngestResult> {
  checkFuture(clock, input);
  const events = dedupeBatch(input, sameUsage);
  const accountIds = [...new Set(events.map((e) => e.accountId))];
  return db.transaction(async (tx) => {
    const { sql } = tx;
    await bumpLedger(tx, accountIds);
    const { rows } = await sql<{ id: string; account_id: string; credits: number }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::usage_type[], $5::int[], $6::timestamptz[])
           AS t(id, account_id, user_id, type, credits, occurred_at)
       ),
       ins AS (
         INSERT INTO usage_event (id, account_id, user_id, type, credits, occurred_at)
         SELECT id, account_id, user_id, type, credits, occurred_at FROM input ORDER BY id
         ON CONFLICT (id) DO NOTHING
         RETURNING id, account_id, user_id, type, credits, occurred_at
       ),
       by_hour AS (
         INSERT INTO usage_hour (account_id, hour, credits, events)
         SELECT account_id, date_trunc('hour', occurred_at), sum(credits), count(*) FROM ins GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (account_id, hour) DO UPDATE
           SET credits = usage_hour.credits + excluded.credits, events = usage_hour.events + excluded.events
         RETURNING 1
       ),
       by_day AS (
         INSERT INTO usage_day (account_id, day, type, user_id, credits, events)
         SELECT i.account_id, (i.occurred_at AT TIME ZONE a.time_zone)::date, i.type, i.user_id, sum(i.credits), count(*)
           FROM ins i JOIN account a ON a.id = i.account_id
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
         ON CONFLICT (account_id, day, type, user_id) DO UPDATE
           SET credits = usage_day.credits + excluded.credits, events = usage_day.events + excluded.events
         RETURNING 1
       )
       SELECT id, account_id, credits FROM ins, (SELECT count(*) FROM by_hour) h, (SELECT count(*) FROM by_day) d`,
      [
        events.map((e) => e.id),
        events.map((e) => e.accountId),
        events.map((e) => e.userId),
        events.map((e) => e.type),
        events.map((e) => e.credits),
        events.map((e) => e.occurredAt),
      ],
    );
    const inserted = new Set(rows.map((r) => r.id));
    await refuseConflictingRepeats(
      sql,
      events.filter((e) => !inserted.has(e.id)),
      'SELECT id, account_id, user_id, type::text AS type, credits, occurred_at FROM usage_event WHERE id = ANY($1::text[])',
      (
        e,
        s: { id: string; account_id: string; user_id: string; type: UsageType; credits: number; occurred_at: Date },
      ) =>
        sameUsage(e, {
          id: e.id,
          accountId: s.account_id,
          userId: s.user_id,
          type: s.type,
          credits: s.credits,
          occurredAt: s.occurred_at,
        }),
    );
    // The balance of these accounts went down: their low-credit alerts are evaluated (one job per window).
    const lowered = [...new Set(rows.filter((r) => r.credits > 0).map((r) => r.account_id))];
    await requestAlertEvaluation({ sql }, lowered);
    return { received: input.length, accepted: inserted.size, duplicates: input.length - inserted.size };
  });
}

export async function ingestConversationEvents(
  db: Db,
  clock: Clock,
  input: ConversationEventInput[],
): Promise<IngestResult> {
  checkFuture(clock, input);
  const events = dedupeBatch(input, sameConversation);
  const accountIds = [...new Set(events.map((e) => e.accountId))];
  return db.transaction(async (tx) => {
    const { sql } = tx;
    await bumpLedger(tx, accountIds);
    const { rows } = await sql<{ id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
           AS t(id, account_id, identity_id, campaign_id, campaign_name, occurred_at)
       ),
       ins AS (
         INSERT INTO conversation_event (id, account_id, identity_id, campaign_id, campaign_name, occurred_at)
         SELECT id, account_id, identity_id, campaign_id, campaign_name, occurred_at FROM input ORDER BY id
         ON CONFLICT (id) DO NOTHING
         RETURNING id, account_id, identity_id, campaign_id, occurred_at
       ),
       by_day AS (
         INSERT INTO conversation_day (account_id, day, identity_id, campaign_id, count)
         SELECT i.account_id, (i.occurred_at AT TIME ZONE a.time_zone)::date, i.identity_id, i.campaign_id, count(*)
           FROM ins i JOIN account a ON a.id = i.account_id
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
         ON CONFLICT (account_id, day, identity_id, campaign_id) DO UPDATE SET count = conversation_day.count + excluded.count
         RETURNING 1
       ),
       campaigns AS (
         INSERT INTO campaign (account_id, id, name)
         SELECT DISTINCT ON (account_id, campaign_id) account_id, campaign_id, campaign_name FROM input
          ORDER BY account_id, campaign_id, (campaign_name IS NULL), occurred_at DESC
         ON CONFLICT (account_id, id) DO UPDATE SET name = coalesce(excluded.name, campaign.name)
         RETURNING 1
       )
       SELECT id FROM ins, (SELECT count(*) FROM by_day) d, (SELECT count(*) FROM campaigns) c`,
      [
        events.map((e) => e.id),
        events.map((e) => e.accountId),
        events.map((e) => e.identityId),
        events.map((e) => e.campaignId),
        events.map((e) => e.campaignName ?? null),
        events.map((e) => e.occurredAt),
      ],
    );
    const inserted = new Set(rows.map((r) => r.id));
    await refuseConflictingRepeats(
      sql,
      events.filter((e) => !inserted.has(e.id)),
      'SELECT id, account_id, identity_id, campaign_id, occurred_at FROM conversation_event WHERE id = ANY($1::text[])',
      (e, s: { id: string; account_id: string; identity_id: string; campaign_id: string; occurred_at: Date }) =>
        sameConversation(e, {
          id: e.id,
          accountId: s.account_id,
          identityId: s.identity_id,
          campaignId: s.campaign_id,
          occurredAt: s.occurred_at,
        }),
    );
    return { received: input.length, accepted: inserted.size, duplicates: input.length - inserted.size };
  });
}

const hashGrant = (g: GrantInput & { expiresAt: Date; effectiveAt: Date }) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        g.accountId,
        g.kind,
        g.credits,
        g.effectiveAt.toISOString(),
        g.expiresAt.toISOString(),
        g.reason ?? null,
      ]),
    )
    .digest('hex');

export interface GrantResult {
  created: boolean;
  grant: {
    id: string;
    accountId: string;
    kind: string;
    credits: number;
    effectiveAt: string;
    expiresAt: string;
    reason: string | null;
  };
}

/**
 * Adds a grant. Without expiresAt it expires at the end of the period it is granted in. Runs in the given
 * transaction when there is one (an approval grants in the same transaction as its decision).
 */
export async function createGrant(
  db: Db,
  clock: Clock,
  input: GrantInput,
  opts: { source?: string; requestId?: string; tx?: Tx } = {},
): Promise<GrantResult> {
  const run = async (tx: Tx): Promise<GrantResult> => {
    // Locks the account row and moves the ledger version (the credit-state cache key) in this transaction.
    const { rows: acc } = await tx.sql<{ time_zone: string; top_up_day: number }>(
      'UPDATE account SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING time_zone, top_up_day',
      [input.accountId],
    );
    const account = acc[0];
    if (!account) throw notFound(`Unknown account '${input.accountId}'.`);
    tx.signal(LEDGER_CHANGED, input.accountId);
    const now = clock.now();
    // When a grant is repeated without expiresAt, its default must not move with the clock, or a
    // retry after a top-up would look like a conflict: the stored row decides.
    const prev = await tx.prisma.creditGrant.findUnique({ where: { id: input.id } });
    const effectiveAt = input.effectiveAt ?? prev?.effectiveAt ?? now;
    const expiresAt =
      input.expiresAt ?? prev?.expiresAt ?? periodAt(effectiveAt, account.time_zone, account.top_up_day).end;
    const hash = hashGrant({ ...input, effectiveAt, expiresAt });
    const view = (r: { effectiveAt: Date; expiresAt: Date; reason: string | null }) => ({
      id: input.id,
      accountId: input.accountId,
      kind: input.kind,
      credits: input.credits,
      effectiveAt: r.effectiveAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      reason: r.reason,
    });
    if (prev) {
      if (prev.payloadHash !== hash) throw conflict(`Grant '${input.id}' already exists with different content.`);
      return { created: false, grant: view(prev) };
    }
    if (expiresAt.getTime() <= effectiveAt.getTime()) throw badRequest('expiresAt must be after the grant starts.');
    // The account row lock orders concurrent copies of the same grant: the second one finds the first.
    const row = await tx.prisma.creditGrant.create({
      data: {
        id: input.id,
        accountId: input.accountId,
        kind: input.kind,
        credits: input.credits,
        effectiveAt,
        expiresAt,
        reason: input.reason ?? null,
        source: opts.source ?? 'platform',
        requestId: opts.requestId ?? null,
        payloadHash: hash,
      },
    });
    return { created: true, grant: view(row) };
  };
  if (opts.tx) return run(opts.tx);
  try {
    return await db.transaction(run);
  } catch (err) {
    // The same id created at the same moment for another account: decide again against what was written.
    if (isUniqueViolation(err)) return db.transaction(run);
    throw err;
  }
}

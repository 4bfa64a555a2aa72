/**
 * Writes to the ledger from the platform: usage events, conversation events and credit grants.
 * Idempotent on ids: a repeat is accepted and not counted again; the same id with other content is a
 * conflict. A batch is all-or-nothing: one statement inserts the new events and folds them into the
 * rollups inside one transaction, so the figures never see half a batch.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../db/client.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
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

const RETRYABLE_PG = new Set(['40P01', '40001']);

async function inTransaction<T>(db: Db, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE_PG.has(code) && attempt < 5) continue;
      throw err;
    } finally {
      client.release();
    }
  }
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
export async function bumpLedger(c: pg.PoolClient, accountIds: string[]) {
  const { rows } = await c.query<{ id: string }>(
    `UPDATE account SET ledger_version = ledger_version + 1
      WHERE id IN (SELECT id FROM account WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE) RETURNING id`,
    [accountIds],
  );
  const known = new Set(rows.map((r) => r.id));
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
  c: pg.PoolClient,
  repeats: E[],
  selectByIds: string,
  same: (event: E, stored: R) => boolean,
) {
  if (repeats.length === 0) return;
  const { rows } = await c.query<R>(selectByIds, [repeats.map((e) => e.id)]);
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
  return inTransaction(db, async (c) => {
    await bumpLedger(c, accountIds);
    const { rows } = await c.query<{ id: string }>(
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
       SELECT id FROM ins, (SELECT count(*) FROM by_hour) h, (SELECT count(*) FROM by_day) d`,
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
      c,
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
  return inTransaction(db, async (c) => {
    await bumpLedger(c, accountIds);
    const { rows } = await c.query<{ id: string }>(
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
      c,
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
 * Adds a grant. Without expiresAt it expires at the end of the period it is granted in. Runs on the
 * given client when inside a caller's transaction (an approval grants in the same transaction as its decision).
 */
export async function createGrant(
  db: Db,
  clock: Clock,
  input: GrantInput,
  opts: { source?: string; requestId?: string; client?: pg.PoolClient } = {},
): Promise<GrantResult> {
  const run = async (c: pg.PoolClient) => {
    const { rows: acc } = await c.query<{ time_zone: string; top_up_day: number }>(
      'UPDATE account SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING time_zone, top_up_day',
      [input.accountId],
    );
    const account = acc[0];
    if (!account) throw notFound(`Unknown account '${input.accountId}'.`);
    const now = clock.now();
    // When a grant is repeated without expiresAt, its default must not move with the clock, or a
    // retry after a top-up would look like a conflict: the stored row decides.
    const existing = await c.query<{
      payload_hash: string;
      effective_at: Date;
      expires_at: Date;
      account_id: string;
      kind: string;
      credits: number;
      reason: string | null;
    }>(
      'SELECT payload_hash, effective_at, expires_at, account_id, kind::text AS kind, credits, reason FROM credit_grant WHERE id = $1',
      [input.id],
    );
    const prev = existing.rows[0];
    const effectiveAt = input.effectiveAt ?? prev?.effective_at ?? now;
    const expiresAt =
      input.expiresAt ?? prev?.expires_at ?? periodAt(effectiveAt, account.time_zone, account.top_up_day).end;
    const full = { ...input, effectiveAt, expiresAt };
    const hash = hashGrant(full);
    const view = (r: { effective_at: Date; expires_at: Date; reason: string | null }) => ({
      id: input.id,
      accountId: input.accountId,
      kind: input.kind,
      credits: input.credits,
      effectiveAt: r.effective_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      reason: r.reason,
    });
    if (prev) {
      if (prev.payload_hash !== hash) {
        throw conflict(`Grant '${input.id}' already exists with different content.`);
      }
      return { created: false, grant: view(prev) };
    }
    if (expiresAt.getTime() <= effectiveAt.getTime()) throw badRequest('expiresAt must be after the grant starts.');
    const ins = await c.query<{ effective_at: Date; expires_at: Date; reason: string | null }>(
      `INSERT INTO credit_grant (id, account_id, kind, credits, effective_at, expires_at, reason, source, request_id, payload_hash)
       VALUES ($1, $2, $3::grant_kind, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO NOTHING
       RETURNING effective_at, expires_at, reason`,
      [
        input.id,
        input.accountId,
        input.kind,
        input.credits,
        effectiveAt,
        expiresAt,
        input.reason ?? null,
        opts.source ?? 'platform',
        opts.requestId ?? null,
        hash,
      ],
    );
    const row = ins.rows[0];
    if (!row) {
      // A concurrent copy won the insert: decide as a repeat against what it wrote.
      throw new AppError('conflict', 'A concurrent request created this grant; retry to see it.', { retryable: true });
    }
    return { created: true, grant: view(row) };
  };
  if (opts.client) return run(opts.client);
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, run);
    } catch (err) {
      if (err instanceof AppError && err.retryable && err.code === 'conflict' && attempt < 3) continue;
      throw err;
    }
  }
}

export { inTransaction };

/**
 * Escalations: a customer handed to a person. The escalation and every message in either direction are rows
 * before anything is acknowledged; the channels (src/chat, src/slack, src/console) record what they receive here
 * and deliver what is due through the job catalog, in order and once each:
 *
 *   customer message (chat)  → row → v1.escalations.sync-thread   → Slack thread, under the customer's name
 *   agent reply (Slack/console) → row → v1.escalations.deliver   → the customer's chat, under the agent's name
 *   claim / hand back / resolve → row (system) → deliver + v1.escalations.update-thread
 *
 * Ordered delivery uses a lease per escalation and lane (a conditional UPDATE), so two workers never interleave
 * a conversation, and no database connection is held while Slack or the chat is called.
 */
import { refreshHomesOf } from '../accounts/manager-home.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { type Db, isUniqueViolation, type Tx } from '../infra/db.ts';
import { enqueue } from '../jobs/outbox.ts';
import { type SlaPolicy, slaDeadline } from '../requests/sla.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';

export const ESCALATION_REASONS = [
  'asked_for_person',
  'refund_or_dispute',
  'invoice',
  'carryover_exception',
  'custom_offer',
  'misunderstood',
  'frustration',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export type EscalationStatus = 'open' | 'claimed' | 'closed';
export type CloseOutcome = 'resolved' | 'handed_back' | 'customer_left';
/** `reassigned`: someone gave the escalation to another person (the author); its text names the new holder. */
export type SystemEvent = 'claimed' | 'reassigned' | CloseOutcome | 'sla_breached';
/** What a message records beyond its text: a status change, or a correction or withdrawal of an earlier reply. */
export type MessageEvent = SystemEvent | 'edit' | 'withdrawn';

export interface Agent {
  /** Slack user id, or the operator's email on the console */
  id: string;
  name: string;
  via: 'slack' | 'console';
}

export interface EscalationView {
  id: string;
  reference: string;
  accountId: string;
  accountName: string;
  userId: string;
  customerName: string;
  conversationId: string;
  reason: EscalationReason;
  trigger: string | null;
  status: EscalationStatus;
  outcome: CloseOutcome | null;
  slackChannel: string | null;
  slackThreadTs: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  managerSlackUserId: string | null;
  managerName: string | null;
  slaDueAt: string;
  slaBreachedAt: string | null;
  createdAt: string;
  claimedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
}

export interface EscalationMessageView {
  id: string;
  escalationId: string;
  direction: 'customer' | 'agent' | 'note' | 'system';
  source: string;
  authorId: string | null;
  authorName: string | null;
  text: string;
  event: MessageEvent | null;
  files: Array<{ name: string; url: string }>;
  slackTs: string | null;
  mirroredAt: string | null;
  deliveredAt: string | null;
  editedAt: string | null;
  deletedAt: string | null;
  createdAt: string;
}

export const escalationReference = (id: string) => `E-${id.replaceAll('-', '').slice(0, 6).toUpperCase()}`;

/** A reply that starts with `note:` stays internal (Slack thread or console). */
export const isInternalNote = (text: string) => /^\s*note\s*:/i.test(text);

const include = {
  account: { select: { name: true, managerSlackUserId: true, managerName: true } },
} satisfies Prisma.EscalationInclude;
type Row = Prisma.EscalationGetPayload<{ include: typeof include }>;

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const iso = (d: Date | null) => d?.toISOString() ?? null;

function toView(r: Row, customerName: string | null): EscalationView {
  return {
    id: r.id,
    reference: escalationReference(r.id),
    accountId: r.accountId,
    accountName: r.account.name,
    userId: r.userId,
    customerName: customerName ?? r.userId,
    conversationId: r.conversationId,
    reason: r.reason as EscalationReason,
    trigger: r.trigger,
    status: r.status,
    outcome: (r.outcome as CloseOutcome | null) ?? null,
    slackChannel: r.slackChannel,
    slackThreadTs: r.slackThreadTs,
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeName,
    managerSlackUserId: r.account.managerSlackUserId,
    managerName: r.account.managerName,
    slaDueAt: r.slaDueAt.toISOString(),
    slaBreachedAt: iso(r.slaBreachedAt),
    createdAt: r.createdAt.toISOString(),
    claimedAt: iso(r.claimedAt),
    closedAt: iso(r.closedAt),
    closedBy: r.closedBy,
  };
}

type MessageRow = Prisma.EscalationMessageGetPayload<object>;

export function toMessageView(m: MessageRow): EscalationMessageView {
  return {
    id: m.id.toString(),
    escalationId: m.escalationId,
    direction: m.direction as EscalationMessageView['direction'],
    source: m.source,
    authorId: m.authorId,
    authorName: m.authorName,
    text: m.text,
    event: (m.event as MessageEvent | null) ?? null,
    files: Array.isArray(m.files) ? (m.files as Array<{ name: string; url: string }>) : [],
    slackTs: m.slackTs,
    mirroredAt: iso(m.mirroredAt),
    deliveredAt: iso(m.deliveredAt),
    editedAt: iso(m.editedAt),
    deletedAt: iso(m.deletedAt),
    createdAt: m.createdAt.toISOString(),
  };
}

/** Text a message may carry: Slack allows 40,000 characters; a chat message far less. */
const MAX_TEXT = 8_000;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

export interface EscalationServiceDeps {
  db: Db;
  clock: Clock;
  /** the business calendar and how long a person may take to pick an escalation up */
  sla: SlaPolicy;
}

export type EscalationService = ReturnType<typeof createEscalationService>;

export function createEscalationService({ db, clock, sla }: EscalationServiceDeps) {
  async function views(rows: Row[]): Promise<EscalationView[]> {
    const ids = [...new Set(rows.map((r) => r.userId))];
    const users = ids.length
      ? await db.prisma.platformUser.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
      : [];
    const names = new Map(users.map((u) => [u.id, u.name]));
    return rows.map((r) => toView(r, names.get(r.userId) ?? null));
  }

  async function get(id: string): Promise<EscalationView> {
    const row = isUuid(id) ? await db.prisma.escalation.findUnique({ where: { id }, include }) : null;
    if (!row) throw notFound(`Unknown escalation '${id}'.`);
    return (await views([row]))[0]!;
  }

  async function list(
    filter: {
      status?: EscalationStatus | 'active';
      accountId?: string;
      /** the escalations of the accounts this Slack user manages, and those they hold */
      forSlackUser?: string;
      limit?: number;
    } = {},
  ): Promise<EscalationView[]> {
    const rows = await db.prisma.escalation.findMany({
      where: {
        ...(filter.accountId ? { accountId: filter.accountId } : {}),
        ...(filter.forSlackUser
          ? {
              OR: [{ account: { managerSlackUserId: filter.forSlackUser } }, { assigneeId: filter.forSlackUser }],
            }
          : {}),
        ...(filter.status === 'active'
          ? { status: { in: ['open', 'claimed'] } }
          : filter.status
            ? { status: filter.status }
            : {}),
      },
      include,
      orderBy: { createdAt: 'desc' },
      take: Math.min(filter.limit ?? 50, 500),
    });
    return views(rows);
  }

  /** The customer's escalation that a person still holds or is about to (one at most per customer). */
  async function activeFor(userId: string): Promise<EscalationView | null> {
    const row = await db.prisma.escalation.findFirst({
      where: { userId, status: { in: ['open', 'claimed'] } },
      include,
      orderBy: { createdAt: 'desc' },
    });
    return row ? (await views([row]))[0]! : null;
  }

  /** Escalations a person holds or should pick up (the open-escalations gauge). */
  const countActive = () => db.prisma.escalation.count({ where: { status: { in: ['open', 'claimed'] } } });

  async function status(id: string): Promise<EscalationStatus | null> {
    if (!isUuid(id)) return null;
    return (await db.prisma.escalation.findUnique({ where: { id }, select: { status: true } }))?.status ?? null;
  }

  async function byThread(channel: string, threadTs: string): Promise<EscalationView | null> {
    const row = await db.prisma.escalation.findUnique({
      where: { slackChannel_slackThreadTs: { slackChannel: channel, slackThreadTs: threadTs } },
      include,
    });
    return row ? (await views([row]))[0]! : null;
  }

  /** Serialises the escalation decisions of one customer (opening, rebinding) in the caller's transaction. */
  const lockCustomer = (tx: Tx, userId: string) =>
    tx.sql('SELECT pg_advisory_xact_lock(hashtext($1))', [`escalation:${userId}`]);

  /**
   * Hands a customer to a person. One escalation at a time per customer: asking again while one is active
   * answers that one (moved to the current conversation).
   */
  async function open(
    who: { accountId: string; userId: string; conversationId: string },
    input: { reason: EscalationReason; trigger?: string | null },
  ): Promise<{ escalation: EscalationView; created: boolean }> {
    if (!ESCALATION_REASONS.includes(input.reason)) throw badRequest(`Unknown escalation reason '${input.reason}'.`);
    const now = clock.now();
    const { id, created } = await db.transaction(async (tx) => {
      await lockCustomer(tx, who.userId);
      const active = await tx.prisma.escalation.findFirst({
        where: { userId: who.userId, status: { in: ['open', 'claimed'] } },
        select: { id: true, conversationId: true },
      });
      if (active) {
        if (active.conversationId !== who.conversationId) {
          await tx.prisma.escalation.update({ where: { id: active.id }, data: { conversationId: who.conversationId } });
        }
        return { id: active.id, created: false };
      }
      const due = slaDeadline(now, sla, new Date(now.getTime() + 366 * 86_400_000));
      const row = await tx.prisma.escalation.create({
        data: {
          accountId: who.accountId,
          userId: who.userId,
          conversationId: who.conversationId,
          reason: input.reason,
          trigger: input.trigger ? clip(input.trigger) : null,
          slaDueAt: due,
          createdAt: now,
          updatedAt: now,
        },
        select: { id: true },
      });
      await enqueue(tx, 'v1.escalations.open-thread', { escalationId: row.id }, { key: row.id });
      await enqueue(tx, 'v1.escalations.sla-check', { escalationId: row.id }, { key: row.id, runAt: due });
      await refreshHomes(tx, row.id, 'opened');
      return { id: row.id, created: true };
    });
    return { escalation: await get(id), created };
  }

  /** The customer came back in another conversation: their person's replies follow them there. */
  async function rebind(id: string, conversationId: string): Promise<void> {
    await db.prisma.escalation.updateMany({
      where: { id, status: { in: ['open', 'claimed'] } },
      data: { conversationId },
    });
  }

  /** A customer's message while a person holds the conversation (a retried activity is one row). */
  async function customerMessage(
    id: string,
    input: { activityId: string; authorId: string; authorName: string; text: string },
  ): Promise<{ created: boolean }> {
    try {
      return await db.transaction(async (tx) => {
        const e = await tx.prisma.escalation.findUnique({ where: { id }, select: { status: true } });
        if (!e) throw notFound(`Unknown escalation '${id}'.`);
        if (e.status === 'closed') throw conflict('The escalation is closed.');
        const m = await tx.prisma.escalationMessage.create({
          data: {
            escalationId: id,
            direction: 'customer',
            source: 'chat',
            sourceId: input.activityId,
            authorId: input.authorId,
            authorName: input.authorName,
            text: clip(input.text),
          },
          select: { id: true },
        });
        await enqueue(tx, 'v1.escalations.sync-thread', { escalationId: id }, { key: `${id}__${m.id}` });
        return { created: true };
      });
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
  }

  /**
   * Asks for the Slack Home tabs that show this escalation to be published again (its account's manager and the
   * Slack users in `others`, such as the person who holds it), in the caller's transaction.
   */
  async function refreshHomes(tx: Tx, id: string, change: string, others: Array<string | null | undefined> = []) {
    const { rows } = await tx.sql<{ manager: string | null }>(
      `SELECT a.manager_slack_user_id AS manager FROM escalation e JOIN account a ON a.id = e.account_id WHERE e.id = $1`,
      [id],
    );
    await refreshHomesOf(tx, [rows[0]?.manager, ...others], `esc_${id}_${change}`);
  }

  /** Claims an open escalation for `agent` in the caller's transaction (a first reply claims it too). */
  /** `slackTs`: the reply that claims it, so "X joined" is ordered just before that reply. */
  async function claimIn(tx: Tx, id: string, agent: Agent, now: Date, slackTs?: string): Promise<boolean> {
    const claimed = await tx.prisma.escalation.updateMany({
      where: { id, status: 'open' },
      data: { status: 'claimed', assigneeId: agent.id, assigneeName: agent.name, claimedAt: now },
    });
    if (claimed.count !== 1) return false;
    await systemMessage(tx, id, 'claimed', agent, now, slackTs);
    await refreshHomes(tx, id, 'claimed', [agent.id]);
    return true;
  }

  async function systemMessage(
    tx: Tx,
    id: string,
    event: SystemEvent,
    agent: Agent | null,
    now: Date,
    slackTs?: string,
    text: string = event,
  ) {
    const m = await tx.prisma.escalationMessage.create({
      data: {
        escalationId: id,
        direction: 'system',
        source: 'system',
        sourceId: `${id}:${event}:${now.getTime()}`,
        authorId: agent?.id ?? null,
        authorName: agent?.name ?? null,
        text,
        event,
        slackTs: slackTs ?? null,
        createdAt: now,
      },
      select: { id: true },
    });
    await enqueue(tx, 'v1.escalations.deliver', { escalationId: id }, { key: `${id}__${m.id}` });
    await enqueue(tx, 'v1.escalations.update-thread', { escalationId: id }, { key: `${id}__${m.id}` });
  }

  /**
   * A person's reply (Slack thread or console). Retries of the same message are one row; `note:` stays internal;
   * the first reply claims an open escalation. Answers null when the escalation is closed (nothing is sent).
   */
  async function agentMessage(
    id: string,
    input: {
      source: 'slack' | 'console';
      sourceId: string;
      agent: Agent;
      text: string;
      files?: Array<{ name: string; url: string }>;
      slackTs?: string;
    },
  ): Promise<{ created: boolean; note: boolean; closed: boolean }> {
    const note = isInternalNote(input.text);
    try {
      return await db.transaction(async (tx) => {
        const now = clock.now();
        const e = await tx.prisma.escalation.findUnique({ where: { id }, select: { status: true } });
        if (!e) throw notFound(`Unknown escalation '${id}'.`);
        if (e.status === 'closed') {
          // Kept for the record, never sent: the customer is back with the bot.
          await tx.prisma.escalationMessage.create({
            data: {
              escalationId: id,
              direction: 'note',
              source: input.source,
              sourceId: input.sourceId,
              authorId: input.agent.id,
              authorName: input.agent.name,
              text: clip(input.text),
              slackTs: input.slackTs ?? null,
            },
          });
          return { created: true, note: true, closed: true };
        }
        if (!note) await claimIn(tx, id, input.agent, now, input.slackTs);
        const m = await tx.prisma.escalationMessage.create({
          data: {
            escalationId: id,
            direction: note ? 'note' : 'agent',
            source: input.source,
            sourceId: input.sourceId,
            authorId: input.agent.id,
            authorName: input.agent.name,
            text: clip(input.text),
            files: input.files?.length ? (input.files as Prisma.InputJsonArray) : undefined,
            slackTs: input.slackTs ?? null,
            createdAt: now,
          },
          select: { id: true },
        });
        if (!note) await enqueue(tx, 'v1.escalations.deliver', { escalationId: id }, { key: `${id}__${m.id}` });
        return { created: true, note, closed: false };
      });
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false, note, closed: false };
      throw err;
    }
  }

  /** An edit of a reply: not yet delivered, the new text goes; delivered, the customer gets the correction. */
  async function editAgentMessage(source: string, sourceId: string, text: string): Promise<'updated' | 'unknown'> {
    return db.transaction(async (tx) => {
      const m = await tx.prisma.escalationMessage.findUnique({ where: { source_sourceId: { source, sourceId } } });
      if (!m || m.direction === 'customer' || m.deletedAt) return 'unknown';
      if (m.text === clip(text)) return 'updated';
      const note = m.direction === 'note' || isInternalNote(text);
      await tx.prisma.escalationMessage.update({
        where: { id: m.id },
        data: { text: clip(text), editedAt: clock.now(), ...(note && !m.deliveredAt ? { direction: 'note' } : {}) },
      });
      if (m.deliveredAt && !isInternalNote(text)) {
        // Already in the customer's chat (which cannot change a message): the correction follows as a new one.
        const corr = await tx.prisma.escalationMessage.create({
          data: {
            escalationId: m.escalationId,
            direction: 'agent',
            source: `${source}-edit`,
            sourceId: `${sourceId}:${clock.now().getTime()}`,
            authorId: m.authorId,
            authorName: m.authorName,
            text: clip(text),
            event: 'edit',
            slackTs: m.slackTs,
          },
          select: { id: true },
        });
        await enqueue(
          tx,
          'v1.escalations.deliver',
          { escalationId: m.escalationId },
          { key: `${m.escalationId}__${corr.id}` },
        );
      }
      return 'updated';
    });
  }

  /** A deleted reply: not yet delivered, it never is; delivered, the customer is told it was withdrawn. */
  async function deleteAgentMessage(source: string, sourceId: string): Promise<'deleted' | 'unknown'> {
    return db.transaction(async (tx) => {
      const m = await tx.prisma.escalationMessage.findUnique({ where: { source_sourceId: { source, sourceId } } });
      if (!m || m.direction === 'customer') return 'unknown';
      if (m.deletedAt) return 'deleted';
      await tx.prisma.escalationMessage.update({ where: { id: m.id }, data: { deletedAt: clock.now() } });
      if (m.deliveredAt && m.direction === 'agent') {
        const w = await tx.prisma.escalationMessage.create({
          data: {
            escalationId: m.escalationId,
            direction: 'agent',
            source: `${source}-delete`,
            sourceId,
            authorId: m.authorId,
            authorName: m.authorName,
            text: '',
            event: 'withdrawn',
            slackTs: m.slackTs,
          },
          select: { id: true },
        });
        await enqueue(
          tx,
          'v1.escalations.deliver',
          { escalationId: m.escalationId },
          { key: `${m.escalationId}__${w.id}` },
        );
      }
      return 'deleted';
    });
  }

  async function claim(
    id: string,
    agent: Agent,
  ): Promise<{ outcome: 'claimed' | 'already'; escalation: EscalationView }> {
    const done = await db.transaction((tx) => claimIn(tx, id, agent, clock.now()));
    return { outcome: done ? 'claimed' : 'already', escalation: await get(id) };
  }

  /**
   * Gives an active escalation to another person (`to`), on behalf of `by`: an open one is claimed for them (the
   * customer reads that they joined), a claimed one changes hands. Recorded as a system message by `by` whose
   * text is the new holder's name; the thread's root and the Home tabs follow.
   */
  async function reassign(
    id: string,
    to: Agent,
    by: Agent,
  ): Promise<{ outcome: 'reassigned' | 'unchanged' | 'closed'; escalation: EscalationView }> {
    if (!isUuid(id)) throw notFound(`Unknown escalation '${id}'.`);
    const outcome = await db.transaction(async (tx) => {
      const now = clock.now();
      const { rows } = await tx.sql<{ status: EscalationStatus; assignee_id: string | null }>(
        'SELECT status, assignee_id FROM escalation WHERE id = $1 FOR UPDATE',
        [id],
      );
      const e = rows[0];
      if (!e) throw notFound(`Unknown escalation '${id}'.`);
      if (e.status === 'closed') return 'closed' as const;
      if (e.status === 'claimed' && e.assignee_id === to.id) return 'unchanged' as const;
      if (e.status === 'open') await claimIn(tx, id, to, now);
      else
        await tx.prisma.escalation.update({
          where: { id },
          data: { assigneeId: to.id, assigneeName: to.name, updatedAt: now },
        });
      await systemMessage(tx, id, 'reassigned', by, now, undefined, clip(to.name));
      await refreshHomes(tx, id, `reassigned_${now.getTime()}`, [e.assignee_id, to.id]);
      return 'reassigned' as const;
    });
    return { outcome, escalation: await get(id) };
  }

  /** Back to the bot: resolved or handed back by a person, or left by the customer. */
  async function close(
    id: string,
    outcome: CloseOutcome,
    agent: Agent | null,
  ): Promise<{ outcome: 'closed' | 'already'; escalation: EscalationView }> {
    const done = await db.transaction(async (tx) => {
      const now = clock.now();
      const updated = await tx.prisma.escalation.updateMany({
        where: { id, status: { in: ['open', 'claimed'] } },
        data: { status: 'closed', outcome, closedAt: now, closedBy: agent?.name ?? 'customer' },
      });
      if (updated.count !== 1) return false;
      await systemMessage(tx, id, outcome, agent, now);
      const held = await tx.prisma.escalation.findUnique({ where: { id }, select: { assigneeId: true } });
      await refreshHomes(tx, id, 'closed', [held?.assigneeId]);
      return true;
    });
    return { outcome: done ? 'closed' : 'already', escalation: await get(id) };
  }

  async function recordThread(id: string, channel: string, ts: string) {
    await db.prisma.escalation.update({ where: { id }, data: { slackChannel: channel, slackThreadTs: ts } });
  }

  /** Records, once, that nobody claimed the escalation in time; `then` enqueues who is told. */
  async function recordSlaBreach(id: string, then: (tx: Tx) => Promise<void>): Promise<boolean> {
    return db.transaction(async (tx) => {
      const now = clock.now();
      const claimed = await tx.prisma.escalation.updateMany({
        where: { id, status: 'open', slaBreachedAt: null },
        data: { slaBreachedAt: now },
      });
      if (claimed.count !== 1) return false;
      await systemMessage(tx, id, 'sla_breached', null, now);
      await then(tx);
      return true;
    });
  }

  async function messages(id: string): Promise<EscalationMessageView[]> {
    const rows = await db.prisma.escalationMessage.findMany({ where: { escalationId: id }, orderBy: { id: 'asc' } });
    return rows.map(toMessageView);
  }

  /**
   * What one lane still owes, in order: for `deliver`, agent and system messages not yet in the customer's chat
   * (a Slack reply is ordered by its Slack ts); for `mirror`, customer messages not yet in the thread.
   */
  async function pending(id: string, lane: 'deliver' | 'mirror'): Promise<EscalationMessageView[]> {
    const rows = await db.prisma.escalationMessage.findMany({
      where:
        lane === 'deliver'
          ? { escalationId: id, direction: { in: ['agent', 'system'] }, deliveredAt: null }
          : { escalationId: id, direction: 'customer', mirroredAt: null },
      orderBy: { id: 'asc' },
    });
    const views = rows.map(toMessageView);
    // Slack's own order for thread replies that arrived out of order (retries, concurrent deliveries).
    return lane === 'deliver' ? views.sort(bySlackOrder) : views;
  }

  async function markDelivered(messageId: string, conversationId: string | null) {
    await db.prisma.escalationMessage.update({
      where: { id: BigInt(messageId) },
      data: { deliveredAt: clock.now(), deliveredTo: conversationId },
    });
  }

  async function markMirrored(messageId: string, slackTs: string | null) {
    await db.prisma.escalationMessage.update({
      where: { id: BigInt(messageId) },
      data: { mirroredAt: clock.now(), slackTs },
    });
  }

  /**
   * Replies a customer may have missed: delivered (in the last week) to another conversation of theirs after
   * `lastSeen` says they had left it. Each is answered once (marked as replayed).
   */
  async function missed(
    userId: string,
    currentConversationId: string,
    lastSeen: (conversationId: string) => Promise<Date | null>,
  ): Promise<Array<{ message: EscalationMessageView; escalation: EscalationView }>> {
    const rows = await db.prisma.escalationMessage.findMany({
      where: {
        escalation: { userId },
        direction: { in: ['agent', 'system'] },
        deliveredAt: { gt: new Date(clock.now().getTime() - 7 * 86_400_000) },
        deliveredTo: { not: currentConversationId },
        replayedAt: null,
        deletedAt: null,
      },
      orderBy: { id: 'asc' },
      take: 50,
    });
    const seen = new Map<string, Date | null>();
    for (const r of rows)
      if (r.deliveredTo && !seen.has(r.deliveredTo)) seen.set(r.deliveredTo, await lastSeen(r.deliveredTo));
    const unseen = rows.filter((r) => {
      const last = r.deliveredTo ? seen.get(r.deliveredTo) : null;
      return !last || r.deliveredAt!.getTime() > last.getTime();
    });
    if (unseen.length === 0) return [];
    const claimed = await db.prisma.escalationMessage.updateMany({
      where: { id: { in: unseen.map((r) => r.id) }, replayedAt: null },
      data: { replayedAt: clock.now() },
    });
    if (claimed.count === 0) return [];
    const escalationsById = new Map(
      (
        await views(
          await db.prisma.escalation.findMany({
            where: { id: { in: [...new Set(unseen.map((r) => r.escalationId))] } },
            include,
          }),
        )
      ).map((e) => [e.id, e]),
    );
    return unseen.map((r) => ({ message: toMessageView(r), escalation: escalationsById.get(r.escalationId)! }));
  }

  /**
   * Takes the lane for `ms` (a conditional UPDATE: one holder at a time, across processes). Answers how to keep
   * and give it back, or, when someone else holds it, until when. A holder that died loses it when it expires.
   */
  async function lease(
    id: string,
    lane: 'deliver' | 'mirror',
    ms: number,
  ): Promise<{ release(): Promise<void>; renew(): Promise<void> } | { busyUntil: Date }> {
    const column = lane === 'deliver' ? 'deliver_lease_until' : 'mirror_lease_until';
    const { rowCount } = await db.sql(
      `UPDATE escalation SET ${column} = now() + ($2 || ' milliseconds')::interval
        WHERE id = $1 AND (${column} IS NULL OR ${column} < now())`,
      [id, String(ms)],
    );
    if (rowCount !== 1) {
      const { rows } = await db.sql<{ until: Date | null }>(`SELECT ${column} AS until FROM escalation WHERE id = $1`, [
        id,
      ]);
      return { busyUntil: rows[0]?.until ?? new Date() };
    }
    return {
      release: async () => {
        await db.sql(`UPDATE escalation SET ${column} = NULL WHERE id = $1`, [id]);
      },
      renew: async () => {
        await db.sql(`UPDATE escalation SET ${column} = now() + ($2 || ' milliseconds')::interval WHERE id = $1`, [
          id,
          String(ms),
        ]);
      },
    };
  }

  return {
    get,
    list,
    countActive,
    activeFor,
    status,
    byThread,
    open,
    rebind,
    customerMessage,
    agentMessage,
    editAgentMessage,
    deleteAgentMessage,
    claim,
    reassign,
    close,
    recordThread,
    recordSlaBreach,
    messages,
    pending,
    markDelivered,
    markMirrored,
    missed,
    lease,
  };
}

/**
 * When a message was said: a Slack reply by its ts (Slack's clock, seconds), anything else by when we stored it.
 * Ties (the same instant) keep the order of arrival.
 */
const saidAt = (m: EscalationMessageView) => (m.slackTs ? Number(m.slackTs) : Date.parse(m.createdAt) / 1000);
function bySlackOrder(a: EscalationMessageView, b: EscalationMessageView): number {
  return saidAt(a) - saidAt(b) || Number(a.id) - Number(b.id);
}

/**
 * Messages the bot sends on its own (a decision on a request, a low-credit alert): into the customer's
 * conversation when it is still there, and kept for their next visit when it has gone (shown when they open the
 * chat again, unless it has expired).
 */
import type { CloudAdapter } from 'botbuilder';
import type { ConversationReference } from 'botframework-schema';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../shared/logger.ts';
import { type PendingInbox, toActivity } from './bot.ts';
import type { DirectLineBotAdapter } from './channels/directline-adapter.ts';
import type { Suggestion } from './types.ts';

/** A conversation nobody has polled or written to for this long is treated as gone. */
export const GONE_AFTER_MS = 2 * 60_000;

export interface ProactiveDeps {
  db: Db;
  logger: Logger;
  directLine: DirectLineBotAdapter;
  /** lastSeen of a Direct Line conversation */
  lastSeen(conversationId: string): Promise<Date | null>;
  cloud?: { adapter: CloudAdapter; appId: string };
  now(): Date;
}

export interface Delivery {
  deliveredLive: boolean;
  keptForNextVisit: boolean;
}

export function createProactive(deps: ProactiveDeps) {
  const { db } = deps;

  async function keep(userId: string, accountId: string, dedupeKey: string, text: string, expiresAt?: Date) {
    await db.prisma.pendingMessage.createMany({
      data: [{ userId, accountId, dedupeKey, text, expiresAt: expiresAt ?? null }],
      skipDuplicates: true,
    });
  }

  /**
   * Sends `text` to the conversation (if any); keeps it for the next visit unless the customer is there now.
   * `suggestions` (buttons) go with the live message where the channel shows them; the copy kept for the next
   * visit is text only and is not shown after `expiresAt`.
   */
  async function deliver(opts: {
    conversationId: string | null;
    userId: string;
    accountId: string;
    text: string;
    dedupeKey: string;
    /** a person speaking through the bot (an escalation): shown under their name */
    from?: { id: string; name: string };
    /** an event activity sent after the message where the channel takes events (Bot Framework handoff.status) */
    event?: { name: string; value: unknown };
    /** keep the text for the customer's next visit when they are not there now (default true) */
    keepForNextVisit?: boolean;
    suggestions?: Suggestion[];
    /** the language tag of the message (activity.locale) */
    locale?: string;
    expiresAt?: Date;
  }): Promise<Delivery> {
    const message = () => {
      const activity = toActivity({ text: opts.text, suggestions: opts.suggestions }, opts.locale ?? '');
      if (!opts.locale) delete activity.locale;
      return activity;
    };
    const conv = opts.conversationId
      ? await db.prisma.chatConversation.findUnique({
          where: { id: opts.conversationId },
          select: { channelId: true, reference: true },
        })
      : null;
    const storedReference = conv?.reference as Partial<ConversationReference> | null | undefined;
    let deliveredLive = false;
    if (conv && opts.conversationId) {
      if (conv.channelId === 'directline') {
        const seen = await deps.lastSeen(opts.conversationId);
        const reference: Partial<ConversationReference> = storedReference ?? {
          channelId: 'directline',
          conversation: { id: opts.conversationId, isGroup: false, conversationType: 'personal', name: '' },
          user: { id: opts.userId, name: '' },
        };
        // A rerun after a crash finds the message it already appended (BullMQ runs one attempt at a time).
        const sent = await db.prisma.dlActivity.findFirst({
          where: {
            conversationId: opts.conversationId,
            activity: { path: ['channelData', 'dedupeKey'], equals: opts.dedupeKey },
          },
          select: { seq: true },
        });
        if (!sent) {
          await deps.directLine.continueConversation(reference, async (ctx) => {
            await ctx.sendActivity({
              ...message(),
              // The turn context sets `from` to the bot; the adapter shows a person under their own name.
              channelData: { dedupeKey: opts.dedupeKey, ...(opts.from ? { agent: opts.from } : {}) },
            });
            if (opts.event) {
              await ctx.sendActivity({ type: 'event', name: opts.event.name, value: opts.event.value });
            }
          });
        }
        deliveredLive = !!seen && deps.now().getTime() - seen.getTime() < GONE_AFTER_MS;
      } else if (deps.cloud && storedReference) {
        try {
          await deps.cloud.adapter.continueConversationAsync(deps.cloud.appId, storedReference, async (ctx) => {
            await ctx.sendActivity(message());
            if (opts.event) await ctx.sendActivity({ type: 'event', name: opts.event.name, value: opts.event.value });
          });
          deliveredLive = true;
        } catch (err) {
          deps.logger.warn(
            { err: (err as Error).message, conversationId: opts.conversationId },
            'proactive message failed; kept for next visit',
          );
        }
      }
    }
    const kept = !deliveredLive && opts.keepForNextVisit !== false;
    if (kept) await keep(opts.userId, opts.accountId, opts.dedupeKey, opts.text, opts.expiresAt);
    return { deliveredLive, keptForNextVisit: kept };
  }

  const inbox: PendingInbox = {
    async take(userId) {
      // Taken once even with two visits at the same moment (SKIP LOCKED: hand-written SQL); stale ones stay.
      const { rows } = await db.sql<{ text: string; id: string }>(
        `UPDATE pending_message SET delivered_at = now()
          WHERE id IN (SELECT id FROM pending_message WHERE user_id = $1 AND delivered_at IS NULL
                          AND (expires_at IS NULL OR expires_at > $2) ORDER BY id FOR UPDATE SKIP LOCKED)
          RETURNING text, id`,
        [userId, deps.now()],
      );
      return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.text);
    },
  };

  return { deliver, inbox };
}

export type Proactive = ReturnType<typeof createProactive>;

/**
 * Messages the bot sends on its own (a decision on a request): into the customer's conversation when
 * it is still there, and kept for their next visit when it has gone (shown when they open the chat again).
 */
import type { CloudAdapter } from 'botbuilder';
import type { ConversationReference } from 'botframework-schema';
import type { Db } from '../db/client.ts';
import type { Logger } from '../shared/logger.ts';
import type { PendingInbox } from './bot.ts';
import type { DirectLineBotAdapter } from './channels/directline-adapter.ts';

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

  async function keep(userId: string, accountId: string, dedupeKey: string, text: string) {
    await db.sql(
      `INSERT INTO pending_message (user_id, account_id, dedupe_key, text) VALUES ($1, $2, $3, $4)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [userId, accountId, dedupeKey, text],
    );
  }

  /** Sends `text` to the conversation (if any); keeps it for the next visit unless the customer is there now. */
  async function deliver(opts: {
    conversationId: string | null;
    userId: string;
    accountId: string;
    text: string;
    dedupeKey: string;
  }): Promise<Delivery> {
    const { rows } = opts.conversationId
      ? await db.sql<{ channel_id: string; reference: Partial<ConversationReference> | null }>(
          'SELECT channel_id, reference FROM chat_conversation WHERE id = $1',
          [opts.conversationId],
        )
      : { rows: [] };
    const conv = rows[0];
    let deliveredLive = false;
    if (conv && opts.conversationId) {
      if (conv.channel_id === 'directline') {
        const seen = await deps.lastSeen(opts.conversationId);
        const reference: Partial<ConversationReference> = conv.reference ?? {
          channelId: 'directline',
          conversation: { id: opts.conversationId, isGroup: false, conversationType: 'personal', name: '' },
          user: { id: opts.userId, name: '' },
        };
        // A rerun after a crash finds the message it already appended (BullMQ runs one attempt at a time).
        const sent = await db.sql(
          `SELECT 1 FROM dl_activity WHERE conversation_id = $1 AND activity->'channelData'->>'dedupeKey' = $2 LIMIT 1`,
          [opts.conversationId, opts.dedupeKey],
        );
        if (sent.rows.length === 0) {
          await deps.directLine.continueConversation(reference, async (ctx) => {
            await ctx.sendActivity({
              type: 'message',
              text: opts.text,
              textFormat: 'markdown',
              channelData: { dedupeKey: opts.dedupeKey },
            });
          });
        }
        deliveredLive = !!seen && deps.now().getTime() - seen.getTime() < GONE_AFTER_MS;
      } else if (deps.cloud && conv.reference) {
        try {
          await deps.cloud.adapter.continueConversationAsync(deps.cloud.appId, conv.reference, async (ctx) => {
            await ctx.sendActivity({ type: 'message', text: opts.text, textFormat: 'markdown' });
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
    if (!deliveredLive) await keep(opts.userId, opts.accountId, opts.dedupeKey, opts.text);
    return { deliveredLive, keptForNextVisit: !deliveredLive };
  }

  const inbox: PendingInbox = {
    async take(userId) {
      const { rows } = await db.sql<{ text: string; id: string }>(
        `UPDATE pending_message SET delivered_at = now()
          WHERE id IN (SELECT id FROM pending_message WHERE user_id = $1 AND delivered_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED)
          RETURNING text, id`,
        [userId],
      );
      return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.text);
    },
  };

  return { deliver, inbox };
}

export type Proactive = ReturnType<typeof createProactive>;

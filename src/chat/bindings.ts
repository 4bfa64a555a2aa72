/**
 * Which platform user (and so which account) a conversation belongs to. For the self-hosted Direct Line
 * it was fixed when the token was generated; for Bot Framework channels, the first activity's channel
 * user id must be a registered platform user. Nothing in a message can change it.
 */
import type { ConversationReference } from 'botframework-schema';
import type { Db } from '../db/client.ts';
import { ttlCache } from '../shared/ttl-cache.ts';
import type { ChatIdentity } from './types.ts';

export interface BindingStore {
  resolve(conversationId: string, channelId: string, fromId: string | undefined): Promise<ChatIdentity | null>;
  /** Records the conversation reference (for proactive messages) and the language it is held in. */
  touch(conversationId: string, reference: Partial<ConversationReference>, lang: string): Promise<void>;
}

export function createBindingStore(db: Db): BindingStore {
  // A binding never changes; names and locales may, so entries live a short while.
  const bound = ttlCache<string, ChatIdentity | null>(30_000);
  // What this process last wrote per conversation: the reference and language are written when they change.
  const written = new Map<string, string>();

  async function lookup(
    conversationId: string,
    channelId: string,
    fromId: string | undefined,
  ): Promise<ChatIdentity | null> {
    const { rows } = await db.sql<{ account_id: string; user_id: string; name: string; locale: string | null }>(
      `SELECT c.account_id, c.user_id, u.name, u.locale FROM chat_conversation c
         JOIN platform_user u ON u.id = c.user_id WHERE c.id = $1`,
      [conversationId],
    );
    const r = rows[0];
    if (r)
      return { conversationId, accountId: r.account_id, userId: r.user_id, userName: r.name, userLocale: r.locale };
    if (channelId === 'directline' || !fromId) return null; // Direct Line conversations are bound at token time
    const userId = fromId.replace(/^dl_/, '');
    const { rows: users } = await db.sql<{ id: string; account_id: string; name: string; locale: string | null }>(
      'SELECT id, account_id, name, locale FROM platform_user WHERE id = $1',
      [userId],
    );
    const u = users[0];
    if (!u) return null;
    await db.sql(
      `INSERT INTO chat_conversation (id, channel_id, account_id, user_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [conversationId, channelId, u.account_id, u.id],
    );
    return { conversationId, accountId: u.account_id, userId: u.id, userName: u.name, userLocale: u.locale };
  }

  return {
    async resolve(conversationId, channelId, fromId) {
      const who = await bound.get(conversationId, () => lookup(conversationId, channelId, fromId));
      if (!who) bound.delete(conversationId); // a user registered a moment later must not wait for the TTL
      return who;
    },
    async touch(conversationId, reference, lang) {
      const key = `${lang}|${reference.serviceUrl ?? ''}|${reference.user?.id ?? ''}`;
      if (written.get(conversationId) === key) return;
      await db.sql(
        'UPDATE chat_conversation SET reference = $2::jsonb, locale = $3, last_activity_at = now() WHERE id = $1',
        [conversationId, JSON.stringify(reference), lang],
      );
      if (written.size > 50_000) written.clear();
      written.set(conversationId, key);
    },
  };
}

/**
 * Which platform user (and so which account) a conversation belongs to. For the self-hosted Direct Line
 * it was fixed when the token was generated; for Bot Framework channels, the first activity's channel
 * user id must be a registered platform user. Nothing in a message can change it.
 */
import type { ConversationReference } from 'botframework-schema';
import { findUser } from '../accounts/users.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../infra/db.ts';
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
  const written = ttlCache<string, string>(10 * 60_000, 50_000);

  async function lookup(
    conversationId: string,
    channelId: string,
    fromId: string | undefined,
  ): Promise<ChatIdentity | null> {
    const conversation = await db.prisma.chatConversation.findUnique({
      where: { id: conversationId },
      select: { userId: true },
    });
    if (!conversation && (channelId === 'directline' || !fromId)) return null; // Direct Line binds at token time
    const user = await findUser(db, conversation?.userId ?? fromId!.replace(/^dl_/, ''));
    if (!user) return null;
    if (!conversation) {
      await db.prisma.chatConversation.createMany({
        data: [{ id: conversationId, channelId, accountId: user.accountId, userId: user.id }],
        skipDuplicates: true,
      });
    }
    return { conversationId, accountId: user.accountId, userId: user.id, userName: user.name, userLocale: user.locale };
  }

  return {
    async resolve(conversationId, channelId, fromId) {
      const who = await bound.get(conversationId, () => lookup(conversationId, channelId, fromId));
      if (!who) bound.delete(conversationId); // a user registered a moment later must not wait for the TTL
      return who;
    },
    async touch(conversationId, reference, lang) {
      const key = `${lang}|${reference.serviceUrl ?? ''}|${reference.user?.id ?? ''}`;
      if ((await written.peek(conversationId)) === key) return;
      await db.prisma.chatConversation.update({
        where: { id: conversationId },
        data: { reference: reference as Prisma.InputJsonObject, locale: lang, lastActivityAt: new Date() },
      });
      written.set(conversationId, key);
    },
  };
}

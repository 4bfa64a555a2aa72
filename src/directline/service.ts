/**
 * The Direct Line core, free of HTTP: creating conversations bound to a platform user, appending user and bot
 * activities (stored in one statement, then fanned out), running the bot on each user activity.
 */
import { AppError, badRequest, forbidden, notFound } from '../shared/errors.ts';
import { unstorableReason } from '../shared/text.ts';
import { ttlCache } from '../shared/ttl-cache.ts';
import type { Hub } from './fanout.ts';
import type { Presence } from './presence.ts';
import { activityId, type Store } from './store.ts';
import { newConversationId, type TokenSigner } from './tokens.ts';
import type { DirectLineConversation, DirectLineDeps, DirectLineUser, StoredActivity } from './types.ts';

const USER_CACHE_MS = 60_000;
const CACHE_MAX = 10_000;
const POLITE_ERROR =
  'Sorry, something went wrong on our side while handling your message. Please try again in a moment.';
/** Activity types whose failure deserves a word to the customer (typing and reactions fail silently). */
const ANSWERABLE = new Set(['message', 'event', 'invoke']);

export type Auth = { kind: 'secret' } | { kind: 'token'; cid: string; uid: string };

export interface TokenResponse {
  conversationId: string;
  token: string;
  expires_in: number;
}

export interface CoreDeps {
  deps: DirectLineDeps;
  store: Store;
  hub: Hub;
  presence: Presence;
  signer: TokenSigner;
  bot: { id: string; name: string };
}

/** Platform user ids as sent by clients: Web Chat's convention prefixes `dl_`. */
export function normalizeUserId(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw badRequest('user.id is required: send { "user": { "id": "<platform user id>" } }.');
  }
  const id = raw.trim().replace(/^dl_/, '');
  if (id === '' || id.length > 256) throw badRequest('user.id must be 1 to 256 characters.');
  const reason = unstorableReason(id);
  if (reason) throw badRequest(`user.id ${reason}.`);
  return id;
}

export function createCore(c: CoreDeps) {
  const { deps, store, hub, presence, signer, bot } = c;
  const { clock, logger } = deps;
  /** conversation → binding; a binding never changes, so it is kept as long as the process likes. */
  const bindings = ttlCache<string, DirectLineConversation | null>(24 * 3_600_000, CACHE_MAX);
  const users = ttlCache<string, DirectLineUser | null>(USER_CACHE_MS, CACHE_MAX);

  async function getUser(userId: string): Promise<DirectLineUser | null> {
    const user = await users.get(userId, () => deps.resolveUser(userId));
    if (!user) users.delete(userId); // a user registered a moment later must not wait for the TTL
    return user;
  }

  async function getBinding(conversationId: string): Promise<DirectLineConversation | null> {
    const row = await bindings.get(conversationId, () => store.get(conversationId));
    if (!row) bindings.delete(conversationId);
    return row;
  }

  function issue(conversationId: string, userId: string): TokenResponse {
    const { token, expiresIn } = signer.issue(conversationId, userId, clock.now().getTime());
    return { conversationId, token, expires_in: expiresIn };
  }

  /**
   * Stores `body` (no id) and publishes it. For bot activities the bound user becomes the recipient.
   * `requireUserId` refuses a conversation bound to someone else.
   */
  async function append(
    conversationId: string,
    body: Record<string, unknown>,
    opts: { requireUserId: string | null; bot: boolean },
  ): Promise<{ stored: StoredActivity; conversation: DirectLineConversation; along?: unknown }> {
    const json = JSON.stringify(body);
    const res = await store.append(conversationId, json, {
      requireUserId: opts.requireUserId,
      addUserAsRecipient: opts.bot,
      // The bot's first read rides along for what it answers (messages, events), not for typing and the like.
      along: !opts.bot && (body.type === 'message' || body.type === 'event'),
    });
    if (!res) throw notFound(`Unknown conversation ${conversationId}.`);
    const id = activityId(conversationId, res.seq);
    const head = opts.bot
      ? { id, recipient: { id: res.userId, role: 'user' as const } }
      : ({ id } as { id: string; recipient?: { id: string; role: 'user' } });
    const fullJson = `${JSON.stringify(head).slice(0, -1)},${json.slice(1)}`;
    hub.publish(conversationId, res.seq, fullJson);
    const stored = { ...head, ...body } as StoredActivity;
    const conversation = { id: conversationId, userId: res.userId, accountId: res.accountId };
    bindings.set(conversationId, conversation);
    return { stored, conversation, ...('along' in res ? { along: res.along } : {}) };
  }

  async function appendBotActivity(conversationId: string, activity: Record<string, unknown>): Promise<StoredActivity> {
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
      throw badRequest('A bot activity must be an object.');
    }
    const {
      id: _id,
      recipient: _recipient,
      conversation: _conversation,
      channelId: _channelId,
      timestamp: _timestamp,
      serviceUrl: _serviceUrl,
      from,
      type,
      ...rest
    } = activity;
    const f = (typeof from === 'object' && from !== null ? from : {}) as { id?: unknown; name?: unknown };
    const body: Record<string, unknown> = {
      type: typeof type === 'string' && type ? type : 'message',
      timestamp: clock.now().toISOString(),
      channelId: 'directline',
      conversation: { id: conversationId },
      from: {
        id: typeof f.id === 'string' && f.id ? f.id : bot.id,
        name: typeof f.name === 'string' && f.name ? f.name : bot.name,
        role: 'bot',
      },
      ...rest,
    };
    return (await append(conversationId, body, { requireUserId: null, bot: true })).stored;
  }

  return {
    now: () => clock.now().getTime(),
    getUser,
    getBinding,
    issue,
    appendBotActivity,

    /** Creates a conversation bound to a registered platform user (and mirrors it into chat_conversation). */
    async createConversation(rawUserId: unknown, locale: string | null): Promise<TokenResponse> {
      const userId = normalizeUserId(rawUserId);
      const user = await getUser(userId);
      if (!user) {
        throw forbidden(`Unknown user ${JSON.stringify(userId)}: the platform has not registered this user.`);
      }
      const conversationId = newConversationId();
      try {
        await store.createConversation({
          id: conversationId,
          userId: user.id,
          accountId: user.accountId,
          locale: locale ?? user.locale,
        });
      } catch (err) {
        if ((err as { code?: string }).code === '23503') {
          throw forbidden('The account of this user no longer exists.');
        }
        throw err;
      }
      bindings.set(conversationId, { id: conversationId, userId: user.id, accountId: user.accountId });
      return issue(conversationId, user.id);
    },

    /** The token a caller gets for a conversation it may open (fresh expiry). */
    async tokenFor(auth: Auth, conversationId: string): Promise<TokenResponse> {
      const binding = await getBinding(conversationId);
      if (!binding) throw notFound(`Unknown conversation ${conversationId}.`);
      if (auth.kind === 'token' && auth.uid !== binding.userId)
        throw forbidden('This token does not open that conversation.');
      return issue(conversationId, binding.userId);
    },

    /** Stores a client's activity as the bound user's, then runs the bot; answers the stored activity. */
    async postUserActivity(
      auth: Auth,
      conversationId: string,
      fields: Record<string, unknown>,
    ): Promise<StoredActivity> {
      let userId: string;
      if (auth.kind === 'token') {
        userId = auth.uid;
      } else {
        const binding = await getBinding(conversationId);
        if (!binding) throw notFound(`Unknown conversation ${conversationId}.`);
        userId = binding.userId;
      }
      const user = await getUser(userId);
      if (!user) throw forbidden('This user is no longer registered with the platform.');
      const { type, ...rest } = fields;
      const body: Record<string, unknown> = {
        type,
        timestamp: clock.now().toISOString(),
        channelId: 'directline',
        conversation: { id: conversationId },
        from: { id: user.id, name: user.name, role: 'user' },
        recipient: { id: bot.id, name: bot.name, role: 'bot' },
        ...rest,
      };
      const { stored, conversation, along } = await append(conversationId, body, {
        requireUserId: userId,
        bot: false,
      });
      presence.touch(conversationId);
      try {
        await deps.onActivity(conversation, stored, along);
      } catch (err) {
        const appErr = err instanceof AppError ? err : undefined;
        logger.error(
          { err, conversationId, activityId: stored.id, type: stored.type, code: appErr?.code },
          'direct line bot failed on an activity',
        );
        if (ANSWERABLE.has(stored.type)) {
          await appendBotActivity(conversationId, {
            type: 'message',
            text: POLITE_ERROR,
            replyToId: stored.id,
            channelData: { error: true },
          }).catch((e: unknown) =>
            logger.error({ err: e, conversationId }, 'direct line could not post the error reply'),
          );
        }
      }
      return stored;
    },
  };
}

export type Core = ReturnType<typeof createCore>;

/**
 * A self-hosted Direct Line 3.0 service, so the official Web Chat (botframework-webchat / botframework-directlinejs)
 * talks to this app with no Azure: REST under the router's mount point (`/v3/directline`), the WebSocket
 * `streamUrl` through `attachWebSocket(server)`. Conversations are bound to a platform user (and so an account)
 * when they are created; the bot sees only that binding, never identities named by the client.
 */
import type { Server } from 'node:http';
import type express from 'express';
import type { Db } from '../db/client.ts';
import { createRedis } from '../jobs/redis.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { createHub } from './fanout.ts';
import { createPresence } from './presence.ts';
import { createDirectLineRouter } from './router.ts';
import { createCore } from './service.ts';
import { createStore } from './store.ts';
import { createStreams } from './stream.ts';
import { createTokenSigner } from './tokens.ts';

export interface DirectLineUser {
  id: string;
  accountId: string;
  name: string;
  locale: string | null;
}

export interface DirectLineConversation {
  id: string;
  userId: string;
  accountId: string;
}

export interface DirectLineOptions {
  /** Where the router is mounted; the WebSocket upgrade handler serves `${basePath}/conversations/:id/stream`. */
  basePath?: string;
  /** Keepalive (ping + empty frame) and resync period of the streams, ms (default 20,000). */
  keepAliveMs?: number;
  /** The bot as it appears in activities (default `{ id: 'bot', name: 'Bot' }`). */
  bot?: { id: string; name: string };
  /** Most activities per GET or stream frame (default 500). */
  maxActivitiesPerResponse?: number;
}

export interface DirectLineDeps {
  db: Db;
  /** DIRECT_LINE_SECRET */
  secret: string;
  /** config.directLine.tokenTtlSeconds (default 1800) */
  tokenTtlSeconds: number;
  clock: Clock;
  logger: Logger;
  /** for cross-process pub/sub of new activities and the last-seen times */
  redisUrl: string;
  redisPrefix: string;
  /** Looks up a platform user (the PlatformUser table); null if the platform never registered it. */
  resolveUser(userId: string): Promise<DirectLineUser | null>;
  /**
   * Called for every activity a client posts, after it is stored (the bot runs here). Its failures do not fail
   * the POST: they are logged and the customer gets a polite error message from the bot.
   */
  onActivity(conversation: DirectLineConversation, activity: StoredActivity): Promise<void>;
  options?: DirectLineOptions;
}

export interface StoredActivity extends Record<string, unknown> {
  id: string;
  type: string;
  timestamp: string;
  conversation: { id: string };
  from: { id: string; name?: string; role?: 'user' | 'bot' };
  channelId: 'directline';
  serviceUrl?: string;
}

export interface DirectLineServer {
  /** mounted by the lead at /v3/directline */
  router: express.Router;
  /** handles upgrades for /v3/directline/conversations/:id/stream */
  attachWebSocket(server: Server): void;
  /** the paths whose upgrades attachWebSocket's listener answers (`${basePath}/conversations/`) */
  streamPathPrefix: string;
  /** Appends a bot activity (reply or proactive message) to a conversation; stores it, publishes it, returns it with its id. */
  appendBotActivity(conversationId: string, activity: Record<string, unknown>): Promise<StoredActivity>;
  getConversation(conversationId: string): Promise<DirectLineConversation | null>;
  /** Last time the client read or wrote (polling GET, socket connected, POST); null if never. */
  lastSeen(conversationId: string): Promise<Date | null>;
  close(): Promise<void>;
}

export function createDirectLine(deps: DirectLineDeps): DirectLineServer {
  const opts = deps.options ?? {};
  const basePath = (opts.basePath ?? '/v3/directline').replace(/\/+$/, '');
  const batchSize = opts.maxActivitiesPerResponse ?? 500;
  const signer = createTokenSigner(deps.secret, deps.tokenTtlSeconds);
  const store = createStore(deps.db);
  const pub = createRedis(deps.redisUrl, 'producer', deps.logger);
  const sub = createRedis(deps.redisUrl, 'subscriber', deps.logger);
  const hub = createHub({ pub, sub, prefix: deps.redisPrefix, logger: deps.logger });
  const presence = createPresence({ redis: pub, prefix: deps.redisPrefix, clock: deps.clock, logger: deps.logger });
  const core = createCore({
    deps,
    store,
    hub,
    presence,
    signer,
    bot: opts.bot ?? { id: 'bot', name: 'Bot' },
  });
  const streams = createStreams({
    store,
    hub,
    presence,
    signer,
    clock: deps.clock,
    logger: deps.logger,
    basePath,
    keepAliveMs: opts.keepAliveMs ?? 20_000,
    batchSize,
  });
  const router = createDirectLineRouter({ core, store, presence, signer, logger: deps.logger, batchSize });

  return {
    router,
    attachWebSocket: (server) => streams.attach(server),
    streamPathPrefix: `${basePath}/conversations/`,
    appendBotActivity: (conversationId, activity) => core.appendBotActivity(conversationId, activity),
    getConversation: (conversationId) => core.getBinding(conversationId),
    lastSeen: (conversationId) => presence.lastSeen(conversationId),
    async close() {
      await streams.close();
      await hub.close();
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}

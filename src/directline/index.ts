/**
 * A self-hosted Direct Line 3.0 service, so the official Web Chat (botframework-webchat / botframework-directlinejs)
 * talks to this app with no Azure: REST under the router's mount point (`/v3/directline`), the WebSocket
 * `streamUrl` through `attachWebSocket(server)`. Conversations are bound to a platform user (and so an account)
 * when they are created; the bot sees only that binding, never identities named by the client.
 */
import { createRedis } from '../infra/redis.ts';
import { createHub } from './fanout.ts';
import { createPresence } from './presence.ts';
import { createDirectLineRouter } from './router.ts';
import { createCore } from './service.ts';
import { createStore } from './store.ts';
import { createStreams } from './stream.ts';
import { createTokenSigner } from './tokens.ts';
import type { DirectLineDeps, DirectLineServer } from './types.ts';

export type {
  DirectLineConversation,
  DirectLineDeps,
  DirectLineOptions,
  DirectLineServer,
  DirectLineUser,
  StoredActivity,
} from './types.ts';

export function createDirectLine(deps: DirectLineDeps): DirectLineServer {
  const opts = deps.options ?? {};
  const basePath = (opts.basePath ?? '/v3/directline').replace(/\/+$/, '');
  const batchSize = opts.maxActivitiesPerResponse ?? 500;
  const signer = createTokenSigner(deps.secret, deps.tokenTtlSeconds);
  const store = createStore(deps.db, deps.alongUserActivity);
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

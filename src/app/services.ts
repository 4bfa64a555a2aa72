/**
 * The composition root: builds every client and service once from the config and passes them in.
 * No module creates a client on import; tests build their own with their own database and prefix.
 */
import type { WebClient } from '@slack/web-api';
import type { CloudAdapter } from 'botbuilder';
import { ConversationState, type TurnContext } from 'botbuilder-core';
import { createDirectory } from '../accounts/directory.ts';
import { findUser } from '../accounts/users.ts';
import { createBindingStore } from '../chat/bindings.ts';
import { CreditBot, onTurnError } from '../chat/bot.ts';
import { createCloudAdapter } from '../chat/channels/bot-framework.ts';
import { DirectLineBotAdapter } from '../chat/channels/directline-adapter.ts';
import { type ChatEngine, createChatEngine } from '../chat/engine.ts';
import { createEscalationPort } from '../chat/escalation-port.ts';
import type { CatalogPort, DirectoryPort } from '../chat/ports.ts';
import { createProactive, type Proactive } from '../chat/proactive.ts';
import { createRequestPort } from '../chat/request-port.ts';
import { PostgresStorage } from '../chat/state-storage.ts';
import type { Config } from '../config.ts';
import { type ConsoleAuth, createConsoleAuth } from '../console/auth.ts';
import { type CreditService, createCreditService } from '../credits/credit-service.ts';
import { createExportLinks, type ExportLinks, exportKey } from '../credits/usage-export.ts';
import { createDirectLine, type DirectLineServer } from '../directline/index.ts';
import { createEscalationService, type EscalationService } from '../escalations/service.ts';
import { createDb, type Db } from '../infra/db.ts';
import { createRedis, type Redis } from '../infra/redis.ts';
import { closeQueues, createQueues, type Queues, queueStats } from '../jobs/queues.ts';
import { createSideEffects, type SideEffects } from '../jobs/side-effects.ts';
import { createRequestService, type RequestService } from '../requests/request-service.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { createMetrics, type Metrics } from '../shared/metrics.ts';
import { createLinkSigner, type LinkSigner } from '../shared/signed-links.ts';
import { ttlCache } from '../shared/ttl-cache.ts';
import { createSlackClient } from '../slack/web-api.ts';
import { buildAssistant } from './assistant.ts';

export interface Services {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  /** fail-fast command connection (health, producers) */
  redis: Redis;
  queues: Queues;
  credits: CreditService;
  requests: RequestService;
  escalations: EscalationService;
  directory: DirectoryPort;
  catalog: CatalogPort;
  /** the signing key of CSV export links, and the issuer of links */
  exportKey: Buffer;
  exportLinks: ExportLinks;
  directLine: DirectLineServer;
  bot: CreditBot;
  /** the bots' conversation state (PostgreSQL; a Direct Line turn's is read along with the stored message) */
  conversationState: ConversationState;
  /** the channel-neutral chat engine behind the bot (benches drive it directly) */
  engine: ChatEngine;
  cloudAdapter: CloudAdapter;
  proactive: Proactive;
  slackClient?: WebClient;
  consoleAuth: ConsoleAuth;
  sideEffects: SideEffects;
  /** signs links that open one thing without a login (files shared in escalations) */
  linkSigner: LinkSigner;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Where botbuilder's ConversationState keeps a Direct Line conversation's state (see alongUserActivity). */
const stateKey = (conversationId: string) => `directline/conversations/${conversationId}/`;

export interface ServiceOptions {
  logger: Logger;
  clock?: Clock;
  /**
   * Runs a Direct Line turn instead of the credit bot (default: the bot). bench/chat.ts runs a bare echo bot
   * through the very same HTTP app, Direct Line server and adapter this way, so what it compares is the bot.
   */
  directLineTurn?: (ctx: TurnContext) => Promise<void>;
}

export function createServices(config: Config, opts: ServiceOptions): Services {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  const db = createDb({ url: config.databaseUrl, poolSize: config.databasePoolSize, logger });
  const redis = createRedis(config.redisUrl, 'producer', logger);
  const queues = createQueues(redis, config.redisPrefix, logger);
  const credits = createCreditService({ db, clock, followChanges: config.accountCache });
  const requests = createRequestService({ db, clock, credits, sla: config.sla });
  const escalations = createEscalationService({ db, clock, sla: config.escalationSla });
  const directory = createDirectory(db, credits);
  const catalogCache = ttlCache<'plans' | 'packs', unknown>(5_000);
  const catalog: CatalogPort = {
    plans: () => catalogCache.get('plans', () => requests.catalogPlans()) as ReturnType<CatalogPort['plans']>,
    packs: () => catalogCache.get('packs', () => requests.catalogPacks()) as ReturnType<CatalogPort['packs']>,
  };

  // Direct Line is built below (it needs the bot); the escalation port asks it when a customer was last seen.
  let lastSeen: (conversationId: string) => Promise<Date | null> = async () => null;
  const signingKey = exportKey(config.exports.secret);
  const exportLinks = createExportLinks({
    key: signingKey,
    ttlSeconds: config.exports.ttlSeconds,
    baseUrl: config.exports.publicUrl,
    now: () => clock.now(),
  });

  const metrics = createMetrics({
    queueStats: () => queueStats(queues),
    requestsPastSla: () => requests.countPastSla(),
    openEscalations: () => escalations.countActive(),
  });

  // The bot, reachable through the self-hosted Direct Line (in process) and POST /api/messages (CloudAdapter).
  const engine = createChatEngine(
    {
      credits,
      catalog,
      exports: exportLinks,
      requests: createRequestPort(requests),
      escalations: createEscalationPort(escalations, config.escalationSla, (id) => lastSeen(id)),
      directory,
      clock,
    },
    { assistant: buildAssistant(config, { db, redis, logger, metrics }) },
  );
  const stateStorage = new PostgresStorage(db);
  const conversationState = new ConversationState(stateStorage);
  const bindings = createBindingStore(db);
  // The bot and the Direct Line server need each other: the server calls the bot, the bot appends replies.
  let dlAdapter: DirectLineBotAdapter | undefined;
  let bot: CreditBot | undefined;
  const directLine = createDirectLine({
    db,
    secret: config.directLine.secret,
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    clock,
    logger,
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    options: { bot: { id: 'credits-bot', name: 'Credits assistant' } },
    resolveUser: (userId) => findUser(db, userId),
    // The turn's conversation state is read by the statement that stores the customer's message.
    alongUserActivity: PostgresStorage.rowSql(`'directline/conversations/' || $1 || '/'`),
    async onActivity(conversation, activity, along) {
      const run = () => dlAdapter!.processActivity(activity as never, opts.directLineTurn ?? ((ctx) => bot!.run(ctx)));
      // botbuilder's ConversationState keys a conversation's state `${channelId}/conversations/${id}/`.
      await (along === undefined ? run() : stateStorage.withKnown(stateKey(conversation.id), along, run));
    },
  });
  dlAdapter = new DirectLineBotAdapter(directLine);
  lastSeen = (id) => directLine.lastSeen(id);
  dlAdapter.onTurnError = onTurnError(logger);
  const cloudAdapter = createCloudAdapter(config, logger);
  const proactive = createProactive({
    db,
    logger,
    directLine: dlAdapter,
    lastSeen: (id) => directLine.lastSeen(id),
    cloud: { adapter: cloudAdapter, appId: config.bot.appId ?? '' },
    now: () => clock.now(),
  });
  bot = new CreditBot({
    engine,
    conversationState,
    bindings,
    logger,
    inbox: proactive.inbox,
    onTurn: (intent, lang) => metrics.chatTurns.inc({ intent, lang }),
  });
  const slackClient = config.slack
    ? createSlackClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl })
    : undefined;

  return {
    config,
    logger,
    clock,
    db,
    redis,
    queues,
    credits,
    requests,
    escalations,
    directory,
    catalog,
    exportKey: signingKey,
    exportLinks,
    directLine,
    bot,
    conversationState,
    engine,
    cloudAdapter,
    proactive,
    ...(slackClient ? { slackClient } : {}),
    consoleAuth: createConsoleAuth(db),
    sideEffects: createSideEffects(db),
    linkSigner: createLinkSigner(config.linkSigningSecret, 'links'),
    metrics,
    async close() {
      credits.close();
      await directLine.close().catch(() => undefined);
      await closeQueues(queues);
      redis.disconnect();
      await db.close();
    },
  };
}

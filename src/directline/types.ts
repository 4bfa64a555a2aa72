/** The public shapes of the self-hosted Direct Line service (see ./index.ts). */
import type { Server } from 'node:http';
import type express from 'express';
import type { Db } from '../infra/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';

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
  onActivity(conversation: DirectLineConversation, activity: StoredActivity, along?: unknown): Promise<void>;
  /**
   * A read that rides on the statement storing a client's activity, so the bot's first read of the turn costs no
   * round trip of its own: a scalar SQL expression over $1 (the conversation id), e.g. the conversation state's
   * row as json. Its value (null when it finds nothing) is handed to `onActivity` as `along`.
   */
  alongUserActivity?: string;
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

/**
 * POST /api/messages for Bot Framework channels (Azure Bot Service: Web Chat, Teams, ...), behind
 * CloudAdapter. With MicrosoftAppId set every request is JWT-checked by the adapter. Without it the
 * endpoint would accept anyone claiming any user, so it is refused unless BOT_ALLOW_UNAUTHENTICATED
 * allows it for local tools (the Bot Framework Emulator); that is never possible in production.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { ActivityHandler } from 'botbuilder-core';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { checkJson } from '../../shared/text.ts';
import { onTurnError } from '../bot.ts';

export function createCloudAdapter(config: Config, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppType: config.bot.appType ?? 'MultiTenant',
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = onTurnError(logger);
  return adapter;
}

/** Levels of nesting an activity may have (Adaptive Cards included), checked before anything walks it. */
const MAX_DEPTH = 64;

const text = (max: number) => z.string().max(max).nullish();
/** A ChannelAccount as the connector client serializes it again in the reply (it checks every type). */
const accountFields = {
  id: z.string().max(256),
  name: text(256),
  aadObjectId: text(256),
  role: text(32),
  properties: z.looseObject({}).nullish(),
};
const account = z.looseObject(accountFields).nullish();
/** What the adapter and the bot read of an activity, with the types they read it as. */
const activityShape = z.looseObject({
  id: text(256),
  channelId: z.string().min(1).max(64),
  conversation: z.looseObject({
    ...accountFields,
    // it travels back in an HTTP header (x-ms-conversation-id): printable ASCII, as every channel's ids are
    id: z.string().regex(/^[\x20-\x7e]{1,256}$/, 'must be printable ASCII (1 to 256 characters)'),
    isGroup: z.boolean().nullish(),
    conversationType: text(64),
    tenantId: text(256),
  }),
  from: account,
  recipient: account,
  text: text(10_000),
  textFormat: text(16),
  locale: text(64),
  name: text(256),
  replyToId: text(256),
  timestamp: text(64),
  localTimestamp: text(64),
  deliveryMode: text(32),
  membersAdded: z.array(z.looseObject({ id: z.string().max(256) })).nullish(),
  membersRemoved: z.array(z.looseObject({ id: z.string().max(256) })).nullish(),
  entities: z.array(z.looseObject({})).nullish(),
  attachments: z.array(z.looseObject({})).nullish(),
});

const KNOWN_TYPES = new Set([
  'message',
  'event',
  'conversationUpdate',
  'typing',
  'invoke',
  'messageReaction',
  'installationUpdate',
  'endOfConversation',
]);

export function createBotFrameworkRouter(opts: {
  config: Config;
  adapter: CloudAdapter;
  bot: ActivityHandler;
}): Router {
  const { config, adapter, bot } = opts;
  const r = express.Router();
  r.post('/api/messages', express.json({ limit: '256kb' }), async (req, res, next) => {
    try {
      if (!config.bot.appId && !config.bot.allowUnauthenticated) {
        throw new AppError(
          'unauthorized',
          'This bot accepts Bot Framework activities only when MicrosoftAppId is configured (JWT-authenticated). Set BOT_ALLOW_UNAUTHENTICATED=true outside production for the Emulator.',
        );
      }
      const a = req.body as Record<string, unknown> | undefined;
      if (!a || typeof a !== 'object' || Array.isArray(a))
        throw new AppError('bad_request', 'The body must be a Bot Framework activity (a JSON object).');
      if (typeof a.type !== 'string' || !KNOWN_TYPES.has(a.type)) {
        throw new AppError('bad_request', `Unknown activity type; expected one of ${[...KNOWN_TYPES].join(', ')}.`);
      }
      const conversation = a.conversation as { id?: unknown } | undefined;
      if (!conversation || typeof conversation.id !== 'string' || !conversation.id) {
        throw new AppError('bad_request', 'The activity needs conversation.id.');
      }
      if (typeof a.serviceUrl !== 'string' || !/^https?:\/\//.test(a.serviceUrl)) {
        throw new AppError('bad_request', 'The activity needs an http(s) serviceUrl.');
      }
      if (typeof a.text === 'string' && a.text.length > 10_000) {
        throw new AppError('payload_too_large', 'The message text is longer than 10,000 characters.');
      }
      // Before the adapter or the bot touch it: nothing nested too deep, nothing PostgreSQL cannot store
      // (the conversation id, the user's name in the conversation reference, the text, the value...).
      const problem = checkJson(a, { maxDepth: MAX_DEPTH, path: 'activity' });
      if (problem) {
        throw new AppError(problem.tooDeep ? 'payload_too_large' : 'bad_request', `${problem.path} ${problem.reason}.`);
      }
      // The fields the adapter and the bot read have the types they expect (a 400 naming the field otherwise).
      activityShape.parse(a);
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (err) {
      next(err);
    }
  });
  return r;
}

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
import type { Config } from '../../config.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
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
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (err) {
      next(err);
    }
  });
  return r;
}

/**
 * The Bolt app behind POST /slack/events (events, interactivity, slash commands), every request verified
 * with SLACK_SIGNING_SECRET by Bolt's receiver; or Socket Mode. Listeners ack first and work after.
 * Bolt hands Slack's retries through without deduplicating them: decisions are idempotent in PostgreSQL.
 */
import { App, ExpressReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import express, { type Router } from 'express';
import type { Config } from '../config.ts';
import type { SlackDeps } from './deps.ts';
import { slackEdge } from './edge.ts';
import * as decide from './listeners/actions/decide.ts';
import * as escalationButtons from './listeners/actions/escalation.ts';
import * as creditsCommand from './listeners/commands/credits.ts';
import * as appHome from './listeners/events/app-home.ts';
import * as threadReplies from './listeners/events/thread-replies.ts';
import * as fallback from './listeners/fallback.ts';
import * as rejectReason from './listeners/views/reject-reason.ts';

export type { SlackDeps };

export interface SlackApp {
  app: App;
  /** mounted at the HTTP app's root: it serves POST /slack/events (absent in Socket Mode) */
  router: Router | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(slack: NonNullable<Config['slack']>, deps: SlackDeps): SlackApp {
  // Listeners call Slack after acking (ephemerals, the Reject modal, whose trigger lives 3 s): fail fast rather
  // than retry for half an hour as the default client would while Slack is unreachable.
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 1, minTimeout: 300, maxTimeout: 1_000 },
    timeout: 5_000,
  };
  // The bot token without Bolt's blocking auth.test: with a token, Bolt calls auth.test at start and makes
  // every request wait for it (and fail for good if Slack was unreachable then). Nothing here needs the bot's ids.
  const authorize = async () => ({ botToken: slack.botToken });
  let app: App;
  let router: Router | null = null;
  if (slack.socketMode) {
    const receiver = new SocketModeReceiver({ appToken: slack.appToken!, logLevel: LogLevel.WARN });
    app = new App({ authorize, receiver, clientOptions, logLevel: LogLevel.WARN });
  } else {
    router = express.Router();
    // Signature, timestamp window (past and future) and payload shape, before Bolt reads the request.
    router.post('/slack/events', ...slackEdge(slack.signingSecret));
    const receiver = new ExpressReceiver({
      signingSecret: slack.signingSecret,
      endpoints: '/slack/events',
      router,
      // Listeners finish before Slack gets its 200: a thread reply is a row before it is acknowledged (a crash
      // means no ack, so Slack retries; the row's key makes retries harmless). Every listener is quick.
      processBeforeResponse: true,
      logLevel: LogLevel.WARN,
    });
    app = new App({ authorize, receiver, clientOptions, logLevel: LogLevel.WARN });
  }
  app.error(async (err) => {
    deps.logger.error({ err }, 'slack listener failed');
  });
  fallback.register(app, deps);
  decide.register(app, deps);
  rejectReason.register(app, deps);
  escalationButtons.register(app, deps);
  threadReplies.register(app, deps);
  appHome.register(app, deps);
  creditsCommand.register(app, deps);
  return {
    app,
    router,
    start: async () => {
      if (slack.socketMode) await app.start();
    },
    stop: async () => {
      if (slack.socketMode) await app.stop();
    },
  };
}

/** The HTTP surface: each capability mounts its own router here; the entry file only listens. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { createBotFrameworkRouter } from '../chat/channels/bot-framework.ts';
import { createConsoleRouter } from '../console/router.ts';
import { createExportRouter } from '../exports/router.ts';
import { errorHandler, notFoundHandler } from '../infra/http.ts';
import { pendingMigrations } from '../infra/migrate.ts';
import { refuseOtherUpgrades } from '../infra/upgrade.ts';
import { createPlatformApi } from '../platform-api/router.ts';
import { routeGroup } from '../shared/metrics.ts';
import { createSlackApp, type SlackApp } from '../slack/app.ts';
import { createSlackFilesRouter, FILE_LINK_TTL_SECONDS, slackFilePath } from '../slack/files.ts';
import { createWebRouter } from '../web/router.ts';
import { consoleSecurityHeaders, pageSecurityHeaders } from './security-headers.ts';
import type { Services } from './services.ts';

/** The product's version (package.json, next to src/ and dist/). */
function productVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** PING on the fail-fast connection, after waiting (at most `ms`) for it to be connected. */
async function pingRedis(redis: Services['redis'], ms: number): Promise<string> {
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error('redis is not connected'));
      }, ms);
      redis.once('ready', onReady);
    });
  }
  return redis.ping();
}

export async function checkHealth(s: Services) {
  const [pg, redis] = await Promise.allSettled([
    withTimeout(s.db.sql('SELECT 1'), 2_000),
    withTimeout(pingRedis(s.redis, 2_000), 2_000),
  ]);
  const postgres = pg.status === 'fulfilled' ? 'up' : 'down';
  const redisStatus = redis.status === 'fulfilled' ? 'up' : 'down';
  return { ok: postgres === 'up' && redisStatus === 'up', postgres, redis: redisStatus };
}

/**
 * Readiness: PostgreSQL and Redis answer and every migration folder of this build is applied (compared with
 * `_prisma_migrations`). `problems` names what is missing, without connection details.
 */
export async function checkReadiness(s: Services) {
  const [pg, redis, migrations] = await Promise.allSettled([
    withTimeout(s.db.sql('SELECT 1'), 2_000),
    withTimeout(pingRedis(s.redis, 2_000), 2_000),
    withTimeout(pendingMigrations(s.db.sql), 2_000),
  ]);
  const problems: string[] = [];
  if (pg.status === 'rejected') problems.push('postgres: not answering');
  if (redis.status === 'rejected') problems.push('redis: not answering');
  const pending = migrations.status === 'fulfilled' ? migrations.value : null;
  if (pending?.length) problems.push(`migrations: not applied: ${pending.join(', ')}`);
  else if (!pending && pg.status === 'fulfilled') problems.push('migrations: could not be checked');
  return {
    ok: problems.length === 0,
    postgres: pg.status === 'fulfilled' ? 'up' : 'down',
    redis: redis.status === 'fulfilled' ? 'up' : 'down',
    migrations: pending === null ? 'unknown' : pending.length ? 'pending' : 'applied',
    ...(pending?.length ? { pendingMigrations: pending } : {}),
    problems,
  };
}

/** An incoming request id we keep: short, printable, no spaces (anything else gets a fresh one). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** The conversation a request is about, where its path names one (Direct Line). */
export function conversationIdOf(url: string | undefined): string | undefined {
  return /^\/v3\/directline\/conversations\/([^/?#]+)/.exec(url ?? '')?.[1];
}

/** A request's URL for the logs, without the values of query parameters that may carry credentials. */
export function loggableUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:t|token|key|secret|password|code|signature)=)[^&#]*/gi, '$1[redacted]');
}

export interface HttpApp {
  app: express.Express;
  slack: SlackApp | null;
  /** attaches what needs the server itself (the Direct Line WebSocket streams) */
  attach(server: Server): void;
}

export function createHttpApp(s: Services): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  // Only proxies on private networks by default, so a client cannot pose as another address (login throttling).
  app.set(
    'trust proxy',
    s.config.trustProxy === 'true' ? true : s.config.trustProxy === 'false' ? false : s.config.trustProxy,
  );
  app.use(
    pinoHttp({
      logger: s.logger,
      // Request ids: a sane incoming X-Request-Id is kept (and echoed), else a fresh one; every line logged
      // through the request's logger carries it as `reqId`.
      genReqId: requestId,
      quietReqLogger: true,
      customProps: (req) => {
        const conversationId = conversationIdOf(req.url);
        return conversationId ? { conversationId } : {};
      },
      // What a request line says: no headers (cookies, signatures, keys), no bodies, no credentials in URLs.
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: loggableUrl(req.url),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url?.startsWith('/vendor/') === true,
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'debug'),
    }),
  );

  app.use((req, res, next) => {
    const stop = s.metrics.http.startTimer({ route: routeGroup(req.path) });
    res.on('finish', () => stop({ status: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  });
  app.get('/metrics', async (req, res) => {
    const token = s.config.metricsToken;
    if (token && req.get('authorization') !== `Bearer ${token}`) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'Send METRICS_TOKEN as a bearer token.' } });
      return;
    }
    res.type(s.metrics.registry.contentType).send(await s.metrics.registry.metrics());
  });

  app.get('/healthz', async (_req, res) => {
    const h = await checkHealth(s);
    res.status(h.ok ? 200 : 503).json({ status: h.ok ? 'ok' : 'unavailable', postgres: h.postgres, redis: h.redis });
  });
  // Readiness (for a load balancer or an orchestrator): also every migration applied.
  app.get('/readyz', async (_req, res) => {
    const { ok, ...checks } = await checkReadiness(s);
    res.set('cache-control', 'no-store');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', ...checks });
  });

  app.use(
    '/api/platform',
    createPlatformApi({
      db: s.db,
      clock: s.clock,
      credits: s.credits,
      apiKey: s.config.platformApiKey,
      version: productVersion(),
    }),
  );
  app.use('/v3/directline', s.directLine.router);
  app.use(createExportRouter({ credits: s.credits, clock: s.clock, key: s.exportKey }));
  app.use(createBotFrameworkRouter({ config: s.config, adapter: s.cloudAdapter, bot: s.bot }));

  const slack = s.config.slack
    ? createSlackApp(s.config.slack, {
        db: s.db,
        credits: s.credits,
        requests: s.requests,
        escalations: s.escalations,
        approvers: s.config.slack.approvers,
        supportChannel: s.config.slack.supportChannel,
        escalationChannel: s.config.slack.escalationChannel,
        fileLink: (escalationId, fileId) => {
          const path = slackFilePath(escalationId, fileId);
          const { exp, sig } = s.linkSigner.sign(path, FILE_LINK_TTL_SECONDS);
          return `${s.config.publicUrl}${path}?exp=${exp}&sig=${sig}`;
        },
        publicUrl: s.config.publicUrl,
        logger: s.logger,
      })
    : null;
  if (s.slackClient && s.config.slack) {
    app.use(createSlackFilesRouter({ client: s.slackClient, token: s.config.slack.botToken, signer: s.linkSigner }));
  }
  if (slack?.router) app.use(slack.router);
  else {
    app.post('/slack/events', (_req, res) => {
      res.status(404).json({
        error: { code: 'not_found', message: 'Slack is not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET).' },
      });
    });
  }

  app.use('/console', consoleSecurityHeaders);
  app.use(
    createConsoleRouter({
      auth: s.consoleAuth,
      db: s.db,
      requests: s.requests,
      escalations: s.escalations,
      credits: s.credits,
      queues: s.queues,
      logger: s.logger,
      secureCookies: s.config.env === 'production',
      now: () => s.clock.now(),
    }),
  );
  if (s.config.demo.enabled) {
    app.use(pageSecurityHeaders);
    app.use(
      createWebRouter({
        db: s.db,
        credits: s.credits,
        demoUserId: s.config.demo.userId,
        directLineSecret: s.config.directLine.secret,
        exportLinks: s.exportLinks,
      }),
    );
  }

  app.use(notFoundHandler);
  app.use(errorHandler(s.logger));
  return {
    app,
    slack,
    attach: (server) => {
      s.directLine.attachWebSocket(server);
      refuseOtherUpgrades(server, (path) => path.startsWith(s.directLine.streamPathPrefix));
    },
  };
}

export function listen(app: express.Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0', (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = 65_000;
  });
}

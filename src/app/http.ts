/** The HTTP surface: platform API, health, metrics; each capability mounts its own router. */
import type { Server } from 'node:http';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { errorHandler, notFoundHandler } from '../http/errors.ts';
import { createPlatformApi } from '../platform-api/router.ts';
import type { Services } from './services.ts';

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

export async function checkHealth(s: Services) {
  const [pg, redis] = await Promise.allSettled([
    withTimeout(s.db.sql('SELECT 1'), 2_000),
    withTimeout(s.redis.ping(), 2_000),
  ]);
  const postgres = pg.status === 'fulfilled' ? 'up' : 'down';
  const redisStatus = redis.status === 'fulfilled' ? 'up' : 'down';
  return { ok: postgres === 'up' && redisStatus === 'up', postgres, redis: redisStatus };
}

export function createHttpApp(s: Services) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger: s.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'debug'),
    }),
  );

  app.get('/healthz', async (_req, res) => {
    const h = await checkHealth(s);
    res.status(h.ok ? 200 : 503).json({ status: h.ok ? 'ok' : 'unavailable', postgres: h.postgres, redis: h.redis });
  });

  app.use(
    '/api/platform',
    createPlatformApi({ db: s.db, clock: s.clock, credits: s.credits, apiKey: s.config.platformApiKey }),
  );

  app.use(notFoundHandler);
  app.use(errorHandler(s.logger));
  return app;
}

export function listen(app: express.Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0', (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = 65_000;
  });
}

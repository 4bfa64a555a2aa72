/**
 * Starts the real product in-process for a test: real PostgreSQL (the run's database), real Redis
 * (a key prefix of its own), the real HTTP server on a random port, optionally the workers.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createHttpApp, listen } from '../../src/app/http.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { createLogger, type Logger } from '../../src/shared/logger.ts';

import { TEST_API_KEY, TEST_DL_SECRET } from './constants.ts';
import { freshDatabase } from './database.ts';

export { TEST_API_KEY, TEST_DL_SECRET };

export interface TestApp {
  url: string;
  databaseUrl: string;
  services: Services;
  worker?: WorkerRole;
  /** Calls the platform API with the test key. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `test-${randomUUID()}`,
    PLATFORM_API_KEY: TEST_API_KEY,
    DIRECT_LINE_SECRET: TEST_DL_SECRET,
    ...overrides,
  };
}

export async function startTestApp(
  opts: {
    clock?: Clock;
    env?: Record<string, string | undefined>;
    workers?: boolean;
    /**
     * A database of its own, dropped at close: for files that seed fixed ids (the demo) or change the
     * global catalog (credit packs change how Buy More works for every other file running alongside).
     */
    ownDatabase?: boolean;
    /** a logger of the test's (to read what the product logs) */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const own = opts.ownDatabase ? await freshDatabase() : undefined;
  const config = loadConfig(testEnv({ ...(own ? { DATABASE_URL: own.url } : {}), ...opts.env }));
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const services = createServices(config, { logger, clock: opts.clock });
  const http = createHttpApp(services);
  const server: Server = await listen(http.app, 0, '127.0.0.1');
  http.attach(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const worker = opts.workers ? await startWorkerRole(services) : undefined;
  return {
    url,
    databaseUrl: config.databaseUrl,
    services,
    worker,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${url}/api/platform${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_API_KEY}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await worker?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Leave nothing behind in the shared Redis: this app's keys all carry its own prefix.
      const keys: string[] = [];
      try {
        for await (const batch of services.redis.scanStream({ match: `${config.redisPrefix}*`, count: 1_000 })) {
          keys.push(...(batch as string[]));
        }
        for (let i = 0; i < keys.length; i += 500) await services.redis.del(...keys.slice(i, i + 500));
      } catch {
        // Redis may be the one a test stopped; its keys go with it.
      }
      await services.close();
      await own?.drop();
    },
  };
}

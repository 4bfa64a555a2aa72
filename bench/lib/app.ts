/**
 * Starts the real product in-process for a bench, as test/helpers/app.ts does for tests but without
 * vitest: real PostgreSQL (the bench's database), real Redis (a key prefix of its own, cleaned up on
 * close), the real HTTP app on a random loopback port. No workers: benches drive the API directly.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp, listen } from '../../src/app/http.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/shared/logger.ts';

export interface BenchApp {
  url: string;
  apiKey: string;
  services: Services;
  /** Calls the platform API; throws on anything but 2xx, with the error body. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startBenchApp(opts: {
  databaseUrl: string;
  redisUrl?: string;
  env?: Record<string, string>;
}): Promise<BenchApp> {
  const apiKey = `bench-${randomBytes(16).toString('hex')}`;
  const redisPrefix = `cbbench-${Date.now()}-${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: redisPrefix,
    PLATFORM_API_KEY: apiKey,
    DIRECT_LINE_SECRET: randomBytes(16).toString('hex'),
    SEED_DEMO: 'false',
    ...opts.env,
  });
  const logger = createLogger({ level: config.logLevel });
  const services = createServices(config, { logger });
  const http = createHttpApp(services);
  const server: Server = await listen(http.app, 0, '127.0.0.1');
  http.attach(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiKey,
    services,
    async api(method, path, body) {
      const res = await fetch(`${url}/api/platform${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
      return { status: res.status, body: parsed };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Only this run's keys: the prefix is unique to it.
      const keys: string[] = [];
      const stream = services.redis.scanStream({ match: `${redisPrefix}:*`, count: 500 });
      for await (const batch of stream) keys.push(...(batch as string[]));
      if (keys.length) await services.redis.del(...keys);
      await services.close();
    },
  };
}

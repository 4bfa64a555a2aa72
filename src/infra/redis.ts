/** Redis connections. Producers fail fast while Redis is away; workers wait for it (BullMQ's guidance). */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../shared/logger.ts';

export type { Redis };

export function createRedis(url: string, kind: 'producer' | 'worker' | 'subscriber', logger?: Logger): Redis {
  const base: RedisOptions = {
    connectionName: `creditbot-${kind}`,
    // Reconnect forever, but not in a hot loop.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  const opts: RedisOptions =
    kind === 'worker'
      ? { ...base, maxRetriesPerRequest: null, enableReadyCheck: false }
      : kind === 'subscriber'
        ? { ...base, maxRetriesPerRequest: null }
        : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  const client = new Redis(url, opts);
  let lastError = '';
  client.on('error', (err: Error) => {
    // ioredis repeats the same error on every reconnect attempt: log changes only.
    if (err.message !== lastError) logger?.warn({ err: err.message, kind }, 'redis connection error');
    lastError = err.message;
  });
  client.on('ready', () => {
    if (lastError) logger?.info({ kind }, 'redis connection restored');
    lastError = '';
  });
  return client;
}

/**
 * The composition root: builds every client and service once from the config and passes them in.
 * No module creates a client on import; tests build their own with their own database and prefix.
 */
import type { Config } from '../config.ts';
import { type CreditService, createCreditService } from '../credits/credit-service.ts';
import { createDb, type Db } from '../db/client.ts';
import { closeQueues, createQueues, type Queues } from '../jobs/queues.ts';
import { createRedis, type Redis } from '../jobs/redis.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';

export interface Services {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  /** fail-fast command connection (health, producers) */
  redis: Redis;
  queues: Queues;
  credits: CreditService;
  close(): Promise<void>;
}

export function createServices(config: Config, opts: { logger: Logger; clock?: Clock }): Services {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  const db = createDb({ url: config.databaseUrl, poolSize: config.databasePoolSize, logger });
  const redis = createRedis(config.redisUrl, 'producer', logger);
  const queues = createQueues(redis, config.redisPrefix, logger);
  const credits = createCreditService({ db, clock });
  return {
    config,
    logger,
    clock,
    db,
    redis,
    queues,
    credits,
    async close() {
      await closeQueues(queues);
      redis.disconnect();
      await db.close();
    },
  };
}

/** One BullMQ Queue per queue of the catalog, on a shared fail-fast producer connection. */
import { Queue } from 'bullmq';
import type { Redis } from '../infra/redis.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUES, type QueueName } from './catalog.ts';

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, prefix: string, logger: Logger): Queues {
  const queues = {} as Queues;
  for (const name of QUEUES) {
    const q = new Queue(name, { connection, prefix });
    q.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'queue error'));
    queues[name] = q;
  }
  return queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
}

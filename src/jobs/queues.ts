/** One BullMQ Queue per queue of the catalog, on a shared fail-fast producer connection. */
import { Queue } from 'bullmq';
import type { Redis } from '../infra/redis.ts';
import type { Logger } from '../shared/logger.ts';
import type { QueueStats } from '../shared/metrics.ts';
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

/**
 * Depth, age of the oldest ready job and failed jobs of every queue (for /metrics): two Redis round trips per
 * queue, all queues at once. The wait list is oldest-last; a job became ready when its delay ran out.
 */
export async function queueStats(queues: Queues): Promise<QueueStats[]> {
  const now = Date.now();
  return Promise.all(
    (Object.entries(queues) as Array<[QueueName, Queue]>).map(async ([queue, q]) => {
      const [counts, [oldest]] = await Promise.all([
        q.getJobCounts('wait', 'prioritized', 'failed'),
        q.getJobs(['wait'], 0, 0, true),
      ]);
      const readySince = oldest ? oldest.timestamp + (oldest.delay ?? 0) : now;
      return {
        queue,
        depth: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        oldestAgeSeconds: Math.max(0, (now - readySince) / 1000),
        failed: counts.failed ?? 0,
      };
    }),
  );
}

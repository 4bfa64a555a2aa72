/**
 * Runs the catalog's jobs: one BullMQ Worker per queue, dispatching by job name to an exhaustive,
 * typed handler map. Invalid payloads and non-retryable errors fail at once (UnrecoverableError);
 * anything else is retried with the catalog's backoff.
 */
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from '../infra/redis.ts';
import { isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { type JobName, type JobPayload, jobCatalog, QUEUES, type QueueName } from './catalog.ts';

/** How many times a job may be taken over from a dead worker before it fails for good. */
export const MAX_STALLED_COUNT = 3;

export interface JobContext {
  job: Job;
  logger: Logger;
  /**
   * Puts the job back to run again in `ms` without spending an attempt (BullMQ's DelayedError): for "not now,
   * someone else is on it" rather than a failure. Never returns.
   */
  later(ms: number): Promise<never>;
}

export type JobHandlers = { [N in JobName]: (payload: JobPayload<N>, ctx: JobContext) => Promise<unknown> };

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  logger: Logger;
  concurrency?: Partial<Record<QueueName, number>>;
  /**
   * BullMQ lockDuration: a job whose worker died is taken over after this long plus at most two stall checks
   * (every lockDurationMs / 4). Live workers renew their jobs' locks every lockDurationMs / 2.
   */
  lockDurationMs?: number;
  queues?: readonly QueueName[];
  /** told about every finished attempt (metrics) */
  onJob?: (name: string, outcome: 'completed' | 'failed', seconds: number) => void;
}

export function createProcessor(
  handlers: JobHandlers,
  logger: Logger,
  onJob?: (name: string, outcome: 'completed' | 'failed', seconds: number) => void,
) {
  return async (job: Job, token?: string) => {
    const t0 = performance.now();
    try {
      const out = await run(job, token);
      onJob?.(job.name, 'completed', (performance.now() - t0) / 1000);
      return out;
    } catch (err) {
      if (!(err instanceof DelayedError)) onJob?.(job.name, 'failed', (performance.now() - t0) / 1000);
      throw err;
    }
  };

  async function run(job: Job, token: string | undefined) {
    const name = job.name as JobName;
    const def = jobCatalog[name];
    if (!def) throw new UnrecoverableError(`No job named '${job.name}' in the catalog.`);
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid payload for ${name}: ${parsed.error.message}`);
    const log = logger.child({ job: name, jobId: job.id, attempt: job.attemptsMade + 1 });
    try {
      const handler = handlers[name] as (p: unknown, ctx: JobContext) => Promise<unknown>;
      const later = async (ms: number): Promise<never> => {
        await job.moveToDelayed(Date.now() + ms, token);
        throw new DelayedError();
      };
      return await handler(parsed.data, { job, logger: log, later });
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      if (isAppError(err) && !err.retryable) {
        log.warn({ code: err.code, msg: err.message }, 'job failed for good');
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      log.warn({ err: (err as Error).message }, 'job failed; will retry');
      throw err;
    }
  }
}

export function startWorkers(handlers: JobHandlers, opts: WorkerOptions): Worker[] {
  const processor = createProcessor(handlers, opts.logger, opts.onJob);
  return (opts.queues ?? QUEUES).map((queue) => {
    const worker = new Worker(queue, processor, {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency?.[queue] ?? 8,
      ...(opts.lockDurationMs
        ? { lockDuration: opts.lockDurationMs, stalledInterval: Math.max(250, Math.floor(opts.lockDurationMs / 4)) }
        : {}),
      // A stall is a worker that died (or an event loop blocked for a whole lock): jobs are idempotent, so a few
      // takeovers are fine before BullMQ gives up on one.
      maxStalledCount: MAX_STALLED_COUNT,
    });
    worker.on('error', (err) => opts.logger.warn({ err: err.message, queue }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        opts.logger.error({ queue, job: job.name, jobId: job.id, err: err.message }, 'job exhausted its attempts');
      }
    });
    return worker;
  });
}

/** The worker role: the outbox relay, the job workers, and the schedulers they keep. */
import type { Worker } from 'bullmq';
import { chatAlertJobHandlers } from '../chat/credit-alerts.ts';
import { escalationDeliveryHandlers } from '../chat/escalations.ts';
import { noticeJobHandlers } from '../chat/notices.ts';
import { creditAlertJobHandlers } from '../credits/alerts.ts';
import { closeLastPeriod, syncTopUpSchedule } from '../credits/top-up.ts';
import { escalationJobHandlers } from '../escalations/jobs.ts';
import { createRedis } from '../infra/redis.ts';
import { createOutboxRelay, type OutboxRelay } from '../jobs/outbox.ts';
import { type JobHandlers, startWorkers } from '../jobs/worker.ts';
import { requestJobHandlers } from '../requests/jobs.ts';
import { creditAlertJobHandlers as slackAlertJobHandlers, slackJobHandlers } from '../slack/jobs/index.ts';
import type { Services } from './services.ts';

/** Every job of the catalog, each handled by the folder that owns its side effect (exhaustive by type). */
export function jobHandlers(s: Services): JobHandlers {
  const alertSent = (threshold: string, recipient: string) => s.metrics.alertsSent.inc({ threshold, recipient });
  return {
    'v1.credits.sync-top-up-schedule': ({ accountId }) => syncTopUpSchedule(s.db, s.queues.credits, accountId),
    'v1.credits.close-period': ({ accountId }) => closeLastPeriod(s.db, s.clock, s.credits, accountId),
    ...requestJobHandlers({
      db: s.db,
      clock: s.clock,
      logger: s.logger,
      requests: s.requests,
      sideEffects: s.sideEffects,
      webhook: s.config.webhook,
    }),
    ...escalationJobHandlers({ clock: s.clock, logger: s.logger, escalations: s.escalations }),
    ...slackJobHandlers({
      db: s.db,
      logger: s.logger,
      requests: s.requests,
      escalations: s.escalations,
      credits: s.credits,
      sideEffects: s.sideEffects,
      publicUrl: s.config.publicUrl,
      slack: s.slackClient
        ? {
            client: s.slackClient,
            supportChannel: s.config.slack?.supportChannel,
            escalationChannel: s.config.slack?.escalationChannel,
          }
        : undefined,
    }),
    ...escalationDeliveryHandlers({
      db: s.db,
      escalations: s.escalations,
      proactive: s.proactive,
      timeZoneOf: async (accountId) => (await s.credits.profile(accountId)).timeZone,
    }),
    ...noticeJobHandlers({
      db: s.db,
      requests: s.requests,
      credits: s.credits,
      proactive: s.proactive,
      sideEffects: s.sideEffects,
    }),
    ...creditAlertJobHandlers({ db: s.db, clock: s.clock, credits: s.credits, logger: s.logger }),
    ...chatAlertJobHandlers({
      db: s.db,
      proactive: s.proactive,
      sideEffects: s.sideEffects,
      onSent: alertSent,
    }),
    ...slackAlertJobHandlers({
      db: s.db,
      logger: s.logger,
      sideEffects: s.sideEffects,
      slack: s.slackClient ? { client: s.slackClient, supportChannel: s.config.slack?.supportChannel } : undefined,
      onSent: alertSent,
    }),
  };
}

/** How long a stopping worker waits for its running jobs before leaving them to other workers. */
export const SHUTDOWN_GRACE_MS = 3_000;

export interface WorkerRole {
  relay: OutboxRelay;
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkerRole(s: Services): Promise<WorkerRole> {
  const relay = createOutboxRelay({ db: s.db, databaseUrl: s.config.databaseUrl, queues: s.queues, logger: s.logger });
  await relay.start();
  const connection = createRedis(s.config.redisUrl, 'worker', s.logger);
  const workers = startWorkers(jobHandlers(s), {
    connection,
    prefix: s.config.redisPrefix,
    logger: s.logger,
    lockDurationMs: s.config.jobLockMs,
    onJob: (job, outcome, seconds) => s.metrics.jobs.observe({ job, outcome }, seconds),
  });
  return {
    relay,
    workers,
    async close() {
      await relay.stop();
      // Running jobs get a short grace; one still waiting on an unreachable service (Slack, the webhook) is then
      // left behind: its lock lapses and another worker takes it over (jobs are idempotent).
      const finished = await Promise.race([
        Promise.all(workers.map((w) => w.pause())).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref()),
      ]);
      if (!finished)
        s.logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'jobs still running at shutdown: left to other workers');
      await Promise.all(workers.map((w) => w.close(true)));
      connection.disconnect();
    },
  };
}

/**
 * The request jobs that belong to the request itself: the platform webhook of an approval and the SLA check.
 * Messages to people are the channels' jobs (src/slack/jobs, src/chat/notices.ts).
 */
import type { Db } from '../infra/db.ts';
import { enqueue } from '../jobs/outbox.ts';
import type { SideEffects } from '../jobs/side-effects.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { RequestService } from './request-service.ts';
import { postWebhook } from './webhook.ts';

export interface RequestJobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  requests: RequestService;
  sideEffects: SideEffects;
  webhook: { url?: string | undefined; secret: string };
}

type RequestHandlers = Pick<JobHandlers, 'v1.platform.request-approved' | 'v1.requests.sla-check'>;

export function requestJobHandlers(deps: RequestJobDeps): RequestHandlers {
  const { db, clock, logger, requests, sideEffects } = deps;
  return {
    async 'v1.platform.request-approved'({ requestId }) {
      const key = `webhook:${requestId}`;
      if (await sideEffects.done(key)) return { already: true };
      const r = await requests.get(requestId);
      if (!deps.webhook.url) {
        logger.info({ requestId }, 'PLATFORM_WEBHOOK_URL not set: approval not sent to the platform');
        return { skipped: 'PLATFORM_WEBHOOK_URL not set' };
      }
      const grants = await db.prisma.creditGrant.findMany({
        where: { requestId },
        select: { id: true, credits: true, kind: true },
        orderBy: { id: 'asc' },
      });
      const payload = {
        event: 'request.approved',
        id: r.id,
        reference: r.reference,
        accountId: r.accountId,
        kind: r.kind,
        requestedBy: r.requesterUserId,
        decidedBy: r.deciderId,
        decidedAt: r.decidedAt,
        ...(r.kind === 'buy_credits'
          ? { credits: r.credits, packId: r.packId, price: r.price }
          : {
              plan: r.targetPlan,
              previousPlan: r.currentPlan,
              effective: r.effective,
              proratedCredits: grants.find((g) => g.kind === 'adjustment')?.credits ?? 0,
            }),
        grants,
      };
      const res = await postWebhook({
        url: deps.webhook.url,
        secret: deps.webhook.secret,
        idempotencyKey: `request-approved-${r.id}`,
        payload,
        now: clock.now(),
      });
      await sideEffects.record(key, res);
      return res;
    },

    async 'v1.requests.sla-check'({ requestId }, { job }) {
      const r = await requests.get(requestId);
      if (r.status !== 'pending') return { skipped: r.status };
      const due = Date.parse(r.slaDueAt);
      if (clock.now().getTime() < due - 1_000) {
        // Ran early (a clock difference): BullMQ retries it later.
        throw new AppError('unavailable', 'SLA deadline not reached yet', {
          retryable: true,
          context: { attempts: job.attemptsMade },
        });
      }
      // The breach is recorded once; each reminder is a job of its own, retried on its own.
      const recorded = await requests.recordSlaBreach(r.id, clock.now(), async (tx) => {
        await enqueue(tx, 'v1.slack.sla-remind-manager', { requestId: r.id }, { key: r.id });
        await enqueue(tx, 'v1.slack.sla-notify-support', { requestId: r.id }, { key: r.id });
      });
      if (!recorded) return { already: true };
      logger.warn({ requestId: r.id, reference: r.reference }, 'request past its SLA');
      return { breached: true };
    },
  };
}

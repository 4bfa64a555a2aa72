/** The escalation's own job: at the claim deadline, a breach is recorded once and the channels are told. */
import { enqueue } from '../jobs/outbox.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { EscalationService } from './service.ts';

export function escalationJobHandlers(deps: {
  clock: Clock;
  logger: Logger;
  escalations: EscalationService;
}): Pick<JobHandlers, 'v1.escalations.sla-check'> {
  const { clock, escalations } = deps;
  return {
    async 'v1.escalations.sla-check'({ escalationId }, { job }) {
      const e = await escalations.get(escalationId);
      if (e.status !== 'open') return { skipped: e.status };
      if (clock.now().getTime() < Date.parse(e.slaDueAt) - 1_000) {
        throw new AppError('unavailable', 'claim deadline not reached yet', {
          retryable: true,
          context: { attempts: job.attemptsMade },
        });
      }
      // The customer hears what happens next (a system message the chat delivers); support is told in Slack.
      const recorded = await escalations.recordSlaBreach(e.id, async (tx) => {
        await enqueue(tx, 'v1.escalations.notify-support', { escalationId: e.id }, { key: e.id });
      });
      if (recorded) deps.logger.warn({ escalationId: e.id, reference: e.reference }, 'escalation not claimed in time');
      return recorded ? { breached: true } : { already: true };
    },
  };
}

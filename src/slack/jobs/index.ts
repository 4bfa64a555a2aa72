/** Every job that talks to Slack. */
import type { JobHandlers } from '../../jobs/worker.ts';
import { approvalJobHandlers } from './approvals.ts';
import { creditAlertJobHandlers, type SlackAlertDeps } from './credit-alerts.ts';
import type { SlackJobDeps } from './deps.ts';
import { escalationJobHandlers } from './escalations.ts';
import { homeJobHandlers } from './home.ts';
import { slaJobHandlers } from './sla.ts';

export type { SlackAlertDeps, SlackJobDeps };
export { creditAlertJobHandlers };

export const slackJobHandlers = (deps: SlackJobDeps) =>
  ({
    ...approvalJobHandlers(deps),
    ...slaJobHandlers(deps),
    ...escalationJobHandlers(deps),
    ...homeJobHandlers(deps),
  }) satisfies Partial<JobHandlers>;

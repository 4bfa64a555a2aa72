/**
 * The one typed job catalog: every job's name, queue, payload schema, attempts and backoff.
 * Names are versioned and never change meaning once shipped; payloads carry ids only.
 * The handler map (see ../worker.ts) is typed from this, so a job without a handler does not compile.
 */
import { z } from 'zod';

export interface JobDefinition {
  queue: QueueName;
  schema: z.ZodType;
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  /** What a job means, for operators reading the queues. */
  description: string;
  /**
   * Waits this long before running (unless the outbox row says when): lets a burst settle, e.g. several replies
   * sent at once are delivered by one job in their author's order.
   */
  delayMs?: number;
}

export const QUEUES = ['credits', 'slack', 'platform', 'chat', 'requests', 'escalations'] as const;
export type QueueName = (typeof QUEUES)[number];

const requestId = z.object({ requestId: z.string().uuid() });
const escalationId = z.object({ escalationId: z.string().uuid() });
const alertId = z.object({ alertId: z.string().uuid() });

export const jobCatalog = {
  'v1.credits.sync-top-up-schedule': {
    queue: 'credits',
    schema: z.object({ accountId: z.string().min(1) }),
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    description: "Creates or moves the account's monthly top-up job scheduler (its time zone and top-up day).",
  },
  'v1.credits.close-period': {
    queue: 'credits',
    schema: z.object({ accountId: z.string().min(1) }),
    attempts: 10,
    backoff: { type: 'exponential', delay: 5_000 },
    description:
      'At a top-up: records the figures of the period that just ended (idempotent; late or twice is harmless).',
  },
  'v1.credits.evaluate-alerts': {
    queue: 'credits',
    schema: z.object({ accountId: z.string().min(1) }),
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    description:
      'After usage batches (one job per account and time window) and at the top-up: records the low-credit thresholds newly crossed this period (once each) and hands the messages to the channels.',
  },
  'v1.chat.credit-alert': {
    queue: 'chat',
    schema: alertId.extend({ userId: z.string().min(1) }),
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description:
      "Tells one of the account's users about a low-credit alert in their open conversation, or on their next visit (with Buy More and Change Plan).",
  },
  'v1.slack.credit-alert': {
    queue: 'slack',
    schema: alertId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description:
      'Tells the account manager (Slack DM) about a low-credit alert, or the support channel when the account has no manager.',
  },
  'v1.requests.notify-approver': {
    queue: 'slack',
    schema: requestId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description: "Sends the request to the account manager's Slack DM with Approve / Reject buttons.",
  },
  'v1.requests.update-approver-message': {
    queue: 'slack',
    schema: requestId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description: 'Rewrites the Slack approval message to show the decision, who made it and when.',
  },
  'v1.requests.notify-customer': {
    queue: 'chat',
    schema: requestId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description: 'Tells the customer the decision in their conversation, or on their next visit.',
  },
  'v1.platform.request-approved': {
    queue: 'platform',
    schema: requestId,
    attempts: 25,
    backoff: { type: 'exponential', delay: 2_000 },
    description: "Signed webhook to PLATFORM_WEBHOOK_URL so the platform's billing follows an approved request.",
  },
  'v1.requests.sla-check': {
    queue: 'requests',
    schema: requestId,
    attempts: 10,
    backoff: { type: 'exponential', delay: 5_000 },
    description:
      'At the SLA deadline: if still undecided, records the breach and hands the reminders to Slack (one job per recipient).',
  },
  'v1.slack.sla-remind-manager': {
    queue: 'slack',
    schema: requestId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description: "Reminds the manager in the approval message's thread that a request is past its SLA.",
  },
  'v1.slack.sla-notify-support': {
    queue: 'slack',
    schema: requestId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description: 'Tells the support channel that a request is past its SLA.',
  },
  'v1.slack.publish-home': {
    queue: 'slack',
    schema: z.object({ slackUserId: z.string().regex(/^[A-Z0-9]{2,32}$/, 'must be a Slack user id') }),
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    description:
      "Publishes a person's Slack App Home (views.publish): the pending requests and open escalations of the accounts they manage and the escalations they hold, with the buttons of the messages. One job per person and change (a request created, decided or cancelled; an escalation opened, claimed, reassigned or closed; the tab opened).",
  },
  'v1.escalations.open-thread': {
    queue: 'slack',
    schema: escalationId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description:
      "Opens the escalation's Slack thread (the manager's DM, the escalation channel, or the support channel) with the summary and Claim / Hand back / Resolve, then mirrors what the customer said so far.",
  },
  'v1.escalations.sync-thread': {
    queue: 'slack',
    schema: escalationId,
    attempts: 20,
    backoff: { type: 'exponential', delay: 500 },
    description:
      "Posts the customer's new messages into the escalation's thread under their name, in order, once each.",
  },
  'v1.escalations.update-thread': {
    queue: 'slack',
    schema: escalationId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description: "Rewrites the thread's root message to show who holds the escalation, or that it is closed.",
  },
  'v1.escalations.deliver': {
    queue: 'chat',
    schema: escalationId,
    attempts: 20,
    backoff: { type: 'exponential', delay: 500 },
    delayMs: 250,
    description:
      "Delivers the person's replies and status changes to the customer's chat under the person's name, in order, once each (or on the customer's next visit).",
  },
  'v1.escalations.sla-check': {
    queue: 'escalations',
    schema: escalationId,
    attempts: 10,
    backoff: { type: 'exponential', delay: 5_000 },
    description:
      'At the claim deadline: if nobody has picked the escalation up, records the breach, tells the customer what happens next and the support channel.',
  },
  'v1.escalations.notify-support': {
    queue: 'slack',
    schema: escalationId,
    attempts: 15,
    backoff: { type: 'exponential', delay: 1_000 },
    description:
      'Tells the support channel that an escalation has waited past its deadline without anyone claiming it.',
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['schema']>;

/** BullMQ job ids may not contain ':' and must not be only digits. */
export function jobIdFor(name: JobName, key: string): string {
  return `${name}__${key}`.replaceAll(':', '_');
}

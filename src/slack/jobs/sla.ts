/** SLA reminders: one job per recipient, so a retry redoes only what failed, and Slack's failures are retried. */
import type { JobHandlers } from '../../jobs/worker.ts';
import type { RequestView } from '../../requests/request-service.ts';
import { whatIsAsked } from '../blocks.ts';
import { slackCall } from '../web-api.ts';
import type { SlackJobDeps } from './deps.ts';

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const breachText = (r: RequestView) =>
  `:alarm_clock: ${r.reference} for ${r.accountName} is waiting for a decision since ${utc(r.createdAt)} (SLA ${utc(r.slaDueAt)}): ${whatIsAsked(r)}`;

export function slaJobHandlers(
  deps: SlackJobDeps,
): Pick<JobHandlers, 'v1.slack.sla-remind-manager' | 'v1.slack.sla-notify-support'> {
  const { requests, sideEffects } = deps;

  /** Posts once per key; a request decided meanwhile needs no reminder. */
  async function postOnce(key: string, r: RequestView, message: { channel: string; text: string; thread_ts?: string }) {
    if (r.status !== 'pending') return { skipped: r.status };
    if (await sideEffects.done(key)) return { already: true };
    const client = deps.slack!.client;
    const res = await slackCall(
      message.thread_ts
        ? client.chat.postMessage({
            channel: message.channel,
            text: message.text,
            thread_ts: message.thread_ts,
            reply_broadcast: true,
          })
        : client.chat.postMessage({ channel: message.channel, text: message.text }),
    );
    await sideEffects.record(key, { ts: res.ts ?? null });
    return { posted: res.ts ?? null };
  }

  return {
    async 'v1.slack.sla-remind-manager'({ requestId }) {
      const r = await requests.get(requestId);
      if (!deps.slack || !r.slackChannel || !r.slackTs) return { skipped: 'no approval message in Slack' };
      return postOnce(`slack-sla-manager:${r.id}`, r, {
        channel: r.slackChannel,
        thread_ts: r.slackTs,
        text: `Reminder: ${breachText(r)}`,
      });
    },

    async 'v1.slack.sla-notify-support'({ requestId }) {
      const r = await requests.get(requestId);
      if (!deps.slack?.supportChannel) return { skipped: 'no support channel' };
      return postOnce(`slack-sla-support:${r.id}`, r, {
        channel: deps.slack.supportChannel,
        text: `SLA breached: ${breachText(r)}${r.managerSlackUserId ? ` (manager <@${r.managerSlackUserId}>)` : ''}`,
      });
    },
  };
}

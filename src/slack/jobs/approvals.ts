/**
 * The account manager's approval messages: the Block Kit DM with Approve / Reject, and its rewrite once the
 * request is decided or cancelled. A rerun after a crash finds the message it posted by its metadata.
 */
import type { JobHandlers } from '../../jobs/worker.ts';
import type { RequestView } from '../../requests/request-service.ts';
import { approvalBlocks, decidedBlocks, whatIsAsked } from '../blocks.ts';
import { slackCall } from '../web-api.ts';
import type { SlackJobDeps } from './deps.ts';

const METADATA_TYPE = 'credit_request';

export function approvalJobHandlers(
  deps: SlackJobDeps,
): Pick<JobHandlers, 'v1.requests.notify-approver' | 'v1.requests.update-approver-message'> {
  const { requests, credits, sideEffects } = deps;

  async function approverChannel(r: RequestView): Promise<string | null> {
    if (!deps.slack) return null;
    if (r.managerSlackUserId) {
      const dm = await slackCall(deps.slack.client.conversations.open({ users: r.managerSlackUserId }));
      if (dm.channel?.id) return dm.channel.id;
    }
    return deps.slack.supportChannel ?? null;
  }

  /** A message we posted for this request earlier (an attempt that died before recording it). */
  async function findPosted(channel: string, r: RequestView): Promise<string | null> {
    const history = await deps
      .slack!.client.conversations.history({
        channel,
        limit: 100,
        include_all_metadata: true,
        oldest: String(Date.parse(r.createdAt) / 1000 - 60),
      })
      .catch(() => null);
    const match = history?.messages?.find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { request_id?: string } } }).metadata;
      return meta?.event_type === METADATA_TYPE && meta.event_payload?.request_id === r.id;
    });
    return match?.ts ?? null;
  }

  return {
    async 'v1.requests.notify-approver'({ requestId }, { logger: log }) {
      const r = await requests.get(requestId);
      if (!deps.slack) return { skipped: 'Slack is not configured: the request is decided on /console' };
      if (r.slackTs) return { already: r.slackTs };
      const channel = await approverChannel(r);
      if (!channel) {
        log.warn({ requestId }, 'no account manager or support channel to notify; decide on /console');
        return { skipped: 'no recipient' };
      }
      const attempt = `slack-approval-attempt:${r.id}`;
      let ts = (await sideEffects.done(attempt)) ? await findPosted(channel, r) : null;
      if (!ts) {
        await sideEffects.record(attempt, { channel });
        const [state, fc] = await Promise.all([credits.getState(r.accountId), credits.forecast(r.accountId)]);
        const blocks = r.status === 'pending' ? approvalBlocks(r, state, fc) : decidedBlocks(r, state.timeZone);
        const res = await slackCall(
          deps.slack.client.chat.postMessage({
            channel,
            text: `${r.reference}: ${whatIsAsked(r, state.timeZone).replaceAll('*', '')} for ${r.accountName}`,
            blocks,
            metadata: { event_type: METADATA_TYPE, event_payload: { request_id: r.id } },
          }),
        );
        ts = res.ts ?? null;
      }
      await requests.recordApprovalMessage(r.id, channel, ts);
      return { channel, ts };
    },

    async 'v1.requests.update-approver-message'({ requestId }) {
      const r = await requests.get(requestId);
      if (!deps.slack || !r.slackTs || !r.slackChannel) return { skipped: 'no Slack message to update' };
      const state = await credits.getState(r.accountId);
      await slackCall(
        deps.slack.client.chat.update({
          channel: r.slackChannel,
          ts: r.slackTs,
          text: `${r.reference} ${r.status}`,
          blocks: decidedBlocks(r, state.timeZone),
        }),
      );
      return { updated: r.slackTs };
    },
  };
}

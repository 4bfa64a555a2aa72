/**
 * Escalation threads in Slack: the root message (summary and Claim / Hand back / Resolve) in the manager's DM,
 * the escalation channel, or the support channel; the customer's messages mirrored into it under their name, in
 * order, once each; the root rewritten when the status changes; the support channel told when nobody claimed it.
 * A rerun after a crash finds what it posted by the message metadata.
 */

import { drainLane } from '../../escalations/lanes.ts';
import type { EscalationView } from '../../escalations/service.ts';
import { chatLines } from '../../escalations/transcript.ts';
import type { JobHandlers } from '../../jobs/worker.ts';
import { AppError } from '../../shared/errors.ts';
import { escalationBlocks, escalationText, reasonLabel } from '../escalation-blocks.ts';
import { slackEscape } from '../text.ts';
import { slackCall } from '../web-api.ts';
import type { SlackJobDeps } from './deps.ts';

const ROOT_TYPE = 'credit_escalation';
const MESSAGE_TYPE = 'credit_escalation_message';

type Handlers = Pick<
  JobHandlers,
  | 'v1.escalations.open-thread'
  | 'v1.escalations.sync-thread'
  | 'v1.escalations.update-thread'
  | 'v1.escalations.notify-support'
>;

export function escalationJobHandlers(deps: SlackJobDeps): Handlers {
  const { escalations, credits, requests, sideEffects } = deps;

  async function summary(e: EscalationView) {
    const [state, forecast, lines, pendingRequests] = await Promise.all([
      credits.getState(e.accountId),
      credits.forecast(e.accountId),
      chatLines(deps.db, e.conversationId, 8),
      requests.list({ accountId: e.accountId, status: 'pending', limit: 10 }),
    ]);
    return {
      escalation: e,
      state,
      forecast,
      lines,
      pendingRequests,
      consoleUrl: `${deps.publicUrl}/console/escalations/${e.id}`,
    };
  }

  async function threadChannel(e: EscalationView): Promise<string | null> {
    const slack = deps.slack!;
    if (slack.escalationChannel) return slack.escalationChannel;
    if (e.managerSlackUserId) {
      const dm = await slackCall(slack.client.conversations.open({ users: e.managerSlackUserId }));
      if (dm.channel?.id) return dm.channel.id;
    }
    return slack.supportChannel ?? null;
  }

  /** A root we posted before dying between the post and recording it. */
  async function findRoot(channel: string, e: EscalationView): Promise<string | null> {
    const history = await deps
      .slack!.client.conversations.history({
        channel,
        limit: 100,
        include_all_metadata: true,
        oldest: String(Date.parse(e.createdAt) / 1000 - 60),
      })
      .catch(() => null);
    const found = history?.messages?.find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { escalation_id?: string } } }).metadata;
      return meta?.event_type === ROOT_TYPE && meta.event_payload?.escalation_id === e.id;
    });
    return found?.ts ?? null;
  }

  /** Mirrors what the customer said that the thread has not got yet, in order (one mirror per thread at a time). */
  async function mirror(escalationId: string, later: (ms: number) => Promise<never>) {
    const e = await escalations.get(escalationId);
    if (!deps.slack || !e.slackChannel || !e.slackThreadTs) return { done: 0 };
    const slack = deps.slack;
    const channel = e.slackChannel;
    const threadTs = e.slackThreadTs;
    return drainLane({
      lease: (ms) => escalations.lease(escalationId, 'mirror', ms),
      hasPending: async () => (await escalations.pending(escalationId, 'mirror')).length > 0,
      later,
      work: async (keep) => {
        let done = 0;
        for (const m of await escalations.pending(escalationId, 'mirror')) {
          const attempt = `slack-mirror-attempt:${m.id}`;
          let ts: string | null = null;
          if (await sideEffects.done(attempt)) {
            // An earlier attempt may have posted it before dying: find it by its metadata.
            const replies = await slack.client.conversations
              .replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
              .catch(() => null);
            ts =
              replies?.messages?.find((r) => {
                const meta = (r as { metadata?: { event_type?: string; event_payload?: { message_id?: string } } })
                  .metadata;
                return meta?.event_type === MESSAGE_TYPE && meta.event_payload?.message_id === m.id;
              })?.ts ?? null;
          }
          if (!ts) {
            await sideEffects.record(attempt, null);
            const res = await slackCall(
              slack.client.chat.postMessage({
                channel,
                thread_ts: threadTs,
                text: slackEscape(m.text),
                username: `${m.authorName ?? e.customerName} (customer)`.slice(0, 80),
                icon_emoji: ':bust_in_silhouette:',
                unfurl_links: false,
                unfurl_media: false,
                metadata: { event_type: MESSAGE_TYPE, event_payload: { message_id: m.id, escalation_id: e.id } },
              }),
            );
            ts = res.ts ?? null;
          }
          await escalations.markMirrored(m.id, ts);
          done++;
          await keep();
        }
        return { done };
      },
    });
  }

  return {
    async 'v1.escalations.open-thread'({ escalationId }, { logger, later }) {
      const e = await escalations.get(escalationId);
      if (!deps.slack) return { skipped: 'Slack is not configured: the escalation is answered on /console' };
      if (!e.slackThreadTs) {
        const channel = await threadChannel(e);
        if (!channel) {
          logger.warn({ escalationId }, 'no manager, escalation channel or support channel: answer on /console');
          return { skipped: 'no recipient' };
        }
        const attempt = `slack-escalation-root-attempt:${e.id}`;
        let ts = (await sideEffects.done(attempt)) ? await findRoot(channel, e) : null;
        if (!ts) {
          await sideEffects.record(attempt, { channel });
          const res = await slackCall(
            deps.slack.client.chat.postMessage({
              channel,
              text: escalationText(e),
              blocks: escalationBlocks(await summary(e)),
              unfurl_links: false,
              metadata: { event_type: ROOT_TYPE, event_payload: { escalation_id: e.id } },
            }),
          );
          ts = res.ts ?? null;
        }
        if (!ts) throw new AppError('unavailable', 'Slack answered without a message ts', { retryable: true });
        await escalations.recordThread(e.id, channel, ts);
      }
      // What the customer said while the thread was being opened.
      return { mirrored: await mirror(e.id, later) };
    },

    async 'v1.escalations.sync-thread'({ escalationId }, { later }) {
      const e = await escalations.get(escalationId);
      if (!deps.slack) return { skipped: 'Slack is not configured' };
      // Before the root exists, open-thread mirrors everything once it has posted it.
      if (!e.slackThreadTs) return { waiting: 'thread' };
      return { mirrored: await mirror(escalationId, later) };
    },

    async 'v1.escalations.update-thread'({ escalationId }) {
      const e = await escalations.get(escalationId);
      if (!deps.slack || !e.slackChannel || !e.slackThreadTs) return { skipped: 'no thread' };
      await slackCall(
        deps.slack.client.chat.update({
          channel: e.slackChannel,
          ts: e.slackThreadTs,
          text: escalationText(e),
          blocks: escalationBlocks(await summary(e)),
        }),
      );
      return { updated: e.status };
    },

    async 'v1.escalations.notify-support'({ escalationId }) {
      const e = await escalations.get(escalationId);
      if (!deps.slack?.supportChannel) return { skipped: 'no support channel' };
      if (e.status !== 'open') return { skipped: e.status };
      const key = `slack-escalation-support:${e.id}`;
      if (await sideEffects.done(key)) return { already: true };
      const where = e.slackChannel && e.slackThreadTs ? ` (thread in <#${e.slackChannel}>)` : '';
      const res = await slackCall(
        deps.slack.client.chat.postMessage({
          channel: deps.slack.supportChannel,
          text: `:rotating_light: Nobody has claimed escalation ${e.reference} of ${slackEscape(e.customerName)} (${slackEscape(e.accountName)}): ${reasonLabel(e.reason)}. Waiting since ${e.createdAt.slice(0, 16).replace('T', ' ')} UTC${where}${e.managerSlackUserId ? `, manager <@${e.managerSlackUserId}>` : ''}. <${deps.publicUrl}/console/escalations/${e.id}|Answer in the console>`,
        }),
      );
      await sideEffects.record(key, { ts: res.ts ?? null });
      return { posted: res.ts ?? null };
    },
  };
}

/**
 * The request jobs. Each does one side effect, keyed so that a rerun (a retry, a worker killed mid-job)
 * does it once: the Slack message is found again by its metadata, the customer message and the webhook
 * are recorded in side_effect, the SLA reminder in change_request.sla_reminded_at.
 */
import type { WebClient } from '@slack/web-api';
import { toLang } from '../chat/i18n.ts';
import type { Proactive } from '../chat/proactive.ts';
import type { CreditService } from '../credits/credit-service.ts';
import type { Db } from '../db/client.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { approvalBlocks, decidedBlocks, whatIsAsked } from '../slack/blocks.ts';
import { decisionMessage } from './messages.ts';
import type { RequestService, RequestView } from './request-service.ts';
import { postWebhook } from './webhook.ts';

export interface RequestJobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  requests: RequestService;
  credits: CreditService;
  proactive: Proactive;
  slack?: { client: WebClient; supportChannel?: string | undefined } | undefined;
  webhook: { url?: string | undefined; secret: string };
}

type RequestHandlers = Pick<
  JobHandlers,
  | 'v1.requests.notify-approver'
  | 'v1.requests.update-approver-message'
  | 'v1.requests.notify-customer'
  | 'v1.platform.request-approved'
  | 'v1.requests.sla-check'
>;

const METADATA_TYPE = 'credit_request';

/** Turns a Slack API failure into a retryable error (BullMQ backs off), keeping the reason. */
function slackError(err: unknown): AppError {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  const reason = e.data?.error ?? e.message ?? String(err);
  const permanent = [
    'channel_not_found',
    'user_not_found',
    'invalid_auth',
    'not_authed',
    'account_inactive',
    'invalid_blocks',
  ].includes(e.data?.error ?? '');
  return new AppError(permanent ? 'bad_request' : 'unavailable', `Slack: ${reason}`, { retryable: !permanent });
}

export function requestJobHandlers(deps: RequestJobDeps): RequestHandlers {
  const { db, clock, logger, requests, credits, slack } = deps;

  async function sideEffectDone(key: string): Promise<boolean> {
    const { rows } = await db.sql('SELECT 1 FROM side_effect WHERE key = $1', [key]);
    return rows.length > 0;
  }
  async function markDone(key: string, result: unknown) {
    await db.sql('INSERT INTO side_effect (key, result) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING', [
      key,
      JSON.stringify(result ?? null),
    ]);
  }

  async function approverChannel(r: RequestView): Promise<string | null> {
    if (!slack) return null;
    if (r.managerSlackUserId) {
      const dm = await slack.client.conversations.open({ users: r.managerSlackUserId }).catch((err) => {
        throw slackError(err);
      });
      if (dm.channel?.id) return dm.channel.id;
    }
    return slack.supportChannel ?? null;
  }

  /** A message we posted for this request earlier (an attempt that died before recording it). */
  async function findPosted(channel: string, r: RequestView): Promise<string | null> {
    const history = await slack!.client.conversations
      .history({ channel, limit: 100, include_all_metadata: true, oldest: String(Date.parse(r.createdAt) / 1000 - 60) })
      .catch(() => null);
    const match = history?.messages?.find(
      (m) =>
        (m as { metadata?: { event_type?: string; event_payload?: { request_id?: string } } }).metadata?.event_type ===
          METADATA_TYPE &&
        (m as { metadata?: { event_payload?: { request_id?: string } } }).metadata?.event_payload?.request_id === r.id,
    );
    return match?.ts ?? null;
  }

  return {
    async 'v1.requests.notify-approver'({ requestId }, { logger: log }) {
      const r = await requests.get(requestId);
      if (!slack) return { skipped: 'Slack is not configured: the request is decided on /console' };
      if (r.slackTs) return { already: r.slackTs };
      const channel = await approverChannel(r);
      if (!channel) {
        log.warn({ requestId }, 'no account manager or support channel to notify; decide on /console');
        return { skipped: 'no recipient' };
      }
      const claimKey = `slack-approval-attempt:${r.id}`;
      let ts = (await sideEffectDone(claimKey)) ? await findPosted(channel, r) : null;
      if (!ts) {
        await markDone(claimKey, { channel });
        const [state, fc] = await Promise.all([credits.getState(r.accountId), credits.forecast(r.accountId)]);
        const blocks = r.status === 'pending' ? approvalBlocks(r, state, fc) : decidedBlocks(r, state.timeZone);
        const res = await slack.client.chat
          .postMessage({
            channel,
            text: `${r.reference}: ${whatIsAsked(r, state.timeZone).replaceAll('*', '')} for ${r.accountName}`,
            blocks,
            metadata: { event_type: METADATA_TYPE, event_payload: { request_id: r.id } },
          })
          .catch((err) => {
            throw slackError(err);
          });
        ts = res.ts ?? null;
      }
      await db.sql('UPDATE change_request SET slack_channel = $2, slack_ts = $3 WHERE id = $1', [r.id, channel, ts]);
      return { channel, ts };
    },

    async 'v1.requests.update-approver-message'({ requestId }) {
      const r = await requests.get(requestId);
      if (!slack || !r.slackTs || !r.slackChannel) return { skipped: 'no Slack message to update' };
      const state = await credits.getState(r.accountId);
      await slack.client.chat
        .update({
          channel: r.slackChannel,
          ts: r.slackTs,
          text: `${r.reference} ${r.status}`,
          blocks: decidedBlocks(r, state.timeZone),
        })
        .catch((err) => {
          throw slackError(err);
        });
      return { updated: r.slackTs };
    },

    async 'v1.requests.notify-customer'({ requestId }) {
      const key = `customer-notified:${requestId}`;
      if (await sideEffectDone(key)) return { already: true };
      const r = await requests.get(requestId);
      if (r.status === 'pending') return { skipped: 'not decided' };
      const { rows } = await db.sql<{ locale: string | null }>(
        `SELECT coalesce((SELECT locale FROM chat_conversation WHERE id = $1),
                         (SELECT locale FROM platform_user WHERE id = $2),
                         (SELECT locale FROM account WHERE id = $3)) AS locale`,
        [r.conversationId ?? '', r.requesterUserId, r.accountId],
      );
      const lang = toLang(rows[0]?.locale) ?? 'en';
      const state = await credits.getState(r.accountId);
      const view =
        r.deciderId && r.deciderId === r.managerSlackUserId && r.managerName ? { ...r, decidedBy: r.managerName } : r;
      const text = decisionMessage(view, state, lang);
      const delivery = await deps.proactive.deliver({
        conversationId: r.conversationId,
        userId: r.requesterUserId,
        accountId: r.accountId,
        text,
        dedupeKey: key,
      });
      await markDone(key, delivery);
      return delivery;
    },

    async 'v1.platform.request-approved'({ requestId }) {
      const key = `webhook:${requestId}`;
      if (await sideEffectDone(key)) return { already: true };
      const r = await requests.get(requestId);
      if (!deps.webhook.url) {
        logger.info({ requestId }, 'PLATFORM_WEBHOOK_URL not set: approval not sent to the platform');
        return { skipped: 'PLATFORM_WEBHOOK_URL not set' };
      }
      const { rows } = await db.sql<{ id: string; credits: number; kind: string }>(
        'SELECT id, credits, kind::text AS kind FROM credit_grant WHERE request_id = $1 ORDER BY id',
        [requestId],
      );
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
              proratedCredits: rows.find((g) => g.kind === 'adjustment')?.credits ?? 0,
            }),
        grants: rows,
      };
      const res = await postWebhook({
        url: deps.webhook.url,
        secret: deps.webhook.secret,
        idempotencyKey: `request-approved-${r.id}`,
        payload,
        now: clock.now(),
      });
      await markDone(key, res);
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
      const claimed = await db.sql(
        'UPDATE change_request SET sla_reminded_at = $2 WHERE id = $1 AND sla_reminded_at IS NULL AND status = $3',
        [r.id, clock.now(), 'pending'],
      );
      if (claimed.rowCount !== 1) return { already: true };
      if (!slack) {
        logger.warn({ requestId: r.id, reference: r.reference }, 'request past its SLA (decide it on /console)');
        return { reminded: 'log' };
      }
      const text = `:alarm_clock: ${r.reference} for ${r.accountName} is waiting for a decision since ${new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC (SLA ${r.slaDueAt.slice(0, 16).replace('T', ' ')} UTC): ${whatIsAsked(r)}`;
      if (r.slackChannel && r.slackTs) {
        await slack.client.chat
          .postMessage({
            channel: r.slackChannel,
            thread_ts: r.slackTs,
            reply_broadcast: true,
            text: `Reminder: ${text}`,
          })
          .catch((err) => logger.warn({ err: (err as Error).message }, 'SLA reminder to the manager failed'));
      }
      if (slack.supportChannel) {
        await slack.client.chat
          .postMessage({
            channel: slack.supportChannel,
            text: `SLA breached: ${text}${r.managerSlackUserId ? ` (manager <@${r.managerSlackUserId}>)` : ''}`,
          })
          .catch((err) => logger.warn({ err: (err as Error).message }, 'SLA notice to the support channel failed'));
      }
      return { reminded: true };
    },
  };
}

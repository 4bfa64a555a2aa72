/**
 * Low-credit alerts for the account manager (src/credits/alerts.ts decides them): a note in their DM, or in the
 * support channel when the account has no manager; skipped without Slack. One job per alert (one recipient); a
 * rerun after a crash finds the message it posted by its metadata.
 */
import type { WebClient } from '@slack/web-api';
import { RUNOUT } from '../../credits/alert-rules.ts';
import { type CreditAlert, getAlert } from '../../credits/alerts.ts';
import type { Db } from '../../infra/db.ts';
import type { SideEffects } from '../../jobs/side-effects.ts';
import type { JobHandlers } from '../../jobs/worker.ts';
import { formatter } from '../../locale/format.ts';
import type { Logger } from '../../shared/logger.ts';
import { escapeMrkdwn, escapeMrkdwnCode } from '../mrkdwn.ts';
import { slackCall } from '../web-api.ts';

const METADATA_TYPE = 'credit_alert';

export interface SlackAlertDeps {
  db: Db;
  logger: Logger;
  sideEffects: SideEffects;
  /** absent without SLACK_BOT_TOKEN: the job then skips */
  slack?: { client: WebClient; supportChannel?: string | undefined } | undefined;
  /** told about every alert delivered (metrics) */
  onSent?: (trigger: string, recipient: 'manager' | 'support_channel') => void;
}

interface AlertAccount {
  id: string;
  name: string;
  timeZone: string;
  managerSlackUserId: string | null;
}

/** The note, in English (the managers' working language), with the account's time zone. */
export function creditAlertNote(a: CreditAlert, account: AlertAccount): string {
  const f = formatter('en', account.timeZone);
  const name = `*${escapeMrkdwn(account.name)}* (\`${escapeMrkdwnCode(account.id)}\`)`;
  const what =
    a.trigger === RUNOUT || a.threshold === null
      ? `is forecast to run out of credits before the top-up: *${f.n(a.balance)}* credits left`
      : `is below *${f.percent(a.threshold, 2)}* of its plan: *${f.n(a.balance)}* credits left of ${f.n(a.planCredits)}`;
  const pace =
    a.burnRatePerDay > 0
      ? `Burn rate ~${f.n(Math.round(a.burnRatePerDay))}/day over the last 7 days${
          a.runsOutBeforeTopUp && a.runsOutAt
            ? `: runs out ~${f.date(a.runsOutAt)}, *before the top-up* on ${f.date(a.periodEnd)}`
            : `; the top-up is on ${f.date(a.periodEnd)}`
        }.`
      : `No usage in the last 7 days; the top-up is on ${f.date(a.periodEnd)}.`;
  return `:warning: Low credits: ${name} ${what} (${f.dateTime(a.evaluatedAt)}). ${pace} The customer was told in the chat, with Buy More and Change Plan.`;
}

export function creditAlertJobHandlers(deps: SlackAlertDeps): Pick<JobHandlers, 'v1.slack.credit-alert'> {
  const { db, sideEffects } = deps;

  /** A note we posted for this alert earlier (an attempt that died before recording it). */
  async function findPosted(client: WebClient, channel: string, a: CreditAlert): Promise<string | null> {
    const history = await client.conversations
      .history({
        channel,
        limit: 100,
        include_all_metadata: true,
        oldest: String(a.createdAt.getTime() / 1000 - 60),
      })
      .catch(() => null);
    const match = history?.messages?.find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { alert_id?: string } } }).metadata;
      return meta?.event_type === METADATA_TYPE && meta.event_payload?.alert_id === a.id;
    });
    return match?.ts ?? null;
  }

  return {
    async 'v1.slack.credit-alert'({ alertId }, { logger: log }) {
      const done = `slack-credit-alert:${alertId}`;
      if (await sideEffects.done(done)) return { already: true };
      const alert = await getAlert(db, alertId);
      if (!alert.notified) return { skipped: 'another alert of the evaluation carried the message' };
      if (!deps.slack) return { skipped: 'Slack is not configured' };
      const account = await db.prisma.account.findUnique({
        where: { id: alert.accountId },
        select: { id: true, name: true, timeZone: true, managerSlackUserId: true },
      });
      if (!account) return { skipped: 'no such account' };
      const { client, supportChannel } = deps.slack;
      let channel: string | null = null;
      let recipient: 'manager' | 'support_channel' = 'manager';
      if (account.managerSlackUserId) {
        const dm = await slackCall(client.conversations.open({ users: account.managerSlackUserId }));
        channel = dm.channel?.id ?? null;
      }
      if (!channel && supportChannel) {
        channel = supportChannel;
        recipient = 'support_channel';
      }
      if (!channel) {
        log.warn({ alertId, accountId: alert.accountId }, 'no account manager or support channel for a credit alert');
        return { skipped: 'no recipient' };
      }
      const attempt = `slack-credit-alert-attempt:${alertId}`;
      let ts = (await sideEffects.done(attempt)) ? await findPosted(client, channel, alert) : null;
      if (!ts) {
        await sideEffects.record(attempt, { channel });
        const res = await slackCall(
          client.chat.postMessage({
            channel,
            text: creditAlertNote(alert, account),
            metadata: { event_type: METADATA_TYPE, event_payload: { alert_id: alert.id } },
          }),
        );
        ts = res.ts ?? null;
        deps.onSent?.(alert.trigger, recipient);
      }
      await sideEffects.record(done, { channel, ts });
      return { channel, ts };
    },
  };
}

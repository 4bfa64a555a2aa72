/** Block Kit for approval requests: pure builders, English (the account managers' working language). */
import type { KnownBlock } from '@slack/types';
import type { CreditState, Forecast } from '../credits/types.ts';
import { formatter } from '../locale/format.ts';
import type { RequestView } from '../requests/request-service.ts';
import { escapeMrkdwn, escapeMrkdwnCode } from './mrkdwn.ts';

export const ACTION_APPROVE = 'request_approve';
export const ACTION_REJECT = 'request_reject';
export const VIEW_REJECT = 'request_reject_reason';
export const REJECT_BLOCK = 'reason_block';
export const REJECT_INPUT = 'reason_input';

const fmt = (tz: string) => formatter('en', tz);

export function whatIsAsked(r: RequestView, tz = 'UTC'): string {
  const f = fmt(tz);
  if (r.kind === 'buy_credits') {
    return `Buy *${f.credits(r.credits)}* for *${f.money(r.price.amount, r.price.currency)}* (one-off${r.packId ? `, pack \`${escapeMrkdwnCode(r.packId)}\`` : ''})`;
  }
  const t = r.targetPlan!;
  const delta = t.price.amount - r.currentPlan.price.amount;
  return `Change plan *${escapeMrkdwn(r.currentPlan.name)} → ${escapeMrkdwn(t.name)}* (${f.n(t.monthlyCredits)} credits/month, ${f.money(t.price.amount, t.price.currency)}/month, ${delta >= 0 ? '+' : '−'}${f.money(Math.abs(delta), t.price.currency)}/month), ${r.effective === 'immediate' ? 'effective on approval with a prorated grant' : 'effective at the next top-up'}`;
}

export function approvalBlocks(r: RequestView, s: CreditState, fc: Forecast): KnownBlock[] {
  const f = fmt(s.timeZone);
  const title = r.kind === 'buy_credits' ? 'Buy More request' : 'Plan change request';
  const runway = fc.runsOutAt
    ? `${f.n(Math.round(fc.burnRatePerDay))}/day · runs out ~${f.date(fc.runsOutAt)}${fc.runsOutBeforeTopUp ? ' *(before the top-up)*' : ''}`
    : 'no usage in the last 7 days';
  const priceLine =
    r.kind === 'buy_credits'
      ? `${f.money(r.price.amount, r.price.currency)} one-off`
      : `${f.money(r.currentPlan.price.amount, r.currentPlan.price.currency)} → ${f.money(r.price.amount, r.price.currency)} per month`;
  return [
    { type: 'header', text: { type: 'plain_text', text: `${title} ${r.reference}`, emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: whatIsAsked(r, s.timeZone) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Account*\n${r.accountName} (\`${r.accountId}\`)` },
        { type: 'mrkdwn', text: `*Requested by*\n${r.requesterName ?? r.requesterUserId}` },
        {
          type: 'mrkdwn',
          text: `*Current plan*\n${s.plan.name}: ${f.n(s.plan.monthlyCredits)} credits, ${f.money(s.plan.price.amount, s.plan.price.currency)}/month`,
        },
        {
          type: 'mrkdwn',
          text: `*Balance*\n${f.n(s.credits.balance)} (${f.n(s.credits.accumulated)} accumulated, ${f.n(s.credits.usedThisPeriod)} used this period)`,
        },
        { type: 'mrkdwn', text: `*Burn rate · forecast*\n${runway}` },
        { type: 'mrkdwn', text: `*Price*\n${priceLine}` },
        { type: 'mrkdwn', text: `*Next top-up*\n${f.date(s.nextTopUpAt)}` },
        { type: 'mrkdwn', text: `*Decide by*\n${f.dateTime(r.slaDueAt)}` },
      ],
    },
    {
      type: 'actions',
      block_id: `decide_${r.id}`,
      elements: [
        {
          type: 'button',
          action_id: ACTION_APPROVE,
          text: { type: 'plain_text', text: 'Approve', emoji: true },
          style: 'primary',
          value: r.id,
        },
        {
          type: 'button',
          action_id: ACTION_REJECT,
          text: { type: 'plain_text', text: 'Reject', emoji: true },
          style: 'danger',
          value: r.id,
        },
      ],
    },
  ];
}

export function decidedBlocks(r: RequestView, tz = 'UTC'): KnownBlock[] {
  const f = fmt(tz);
  const title = r.kind === 'buy_credits' ? 'Buy More request' : 'Plan change request';
  const who = r.deciderId && r.decidedVia === 'slack' ? `<@${r.deciderId}>` : (r.decidedBy ?? 'someone');
  const line =
    r.status === 'approved'
      ? `:white_check_mark: *Approved* by ${who} on ${f.dateTime(r.decidedAt!)}`
      : r.status === 'rejected'
        ? `:x: *Rejected* by ${who} on ${f.dateTime(r.decidedAt!)}${r.reason ? `: _${r.reason}_` : ''}`
        : r.status === 'cancelled'
          ? `:no_entry_sign: *Cancelled* by the customer on ${f.dateTime(r.decidedAt!)}`
          : ':hourglass: Pending';
  return [
    { type: 'header', text: { type: 'plain_text', text: `${title} ${r.reference}`, emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${whatIsAsked(r, tz)}\n*Account:* ${r.accountName} (\`${r.accountId}\`) · *Requested by:* ${r.requesterName ?? r.requesterUserId}`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: line }] },
  ];
}

export function rejectModal(r: RequestView) {
  return {
    type: 'modal' as const,
    callback_id: VIEW_REJECT,
    private_metadata: r.id,
    title: { type: 'plain_text' as const, text: `Reject ${r.reference}` },
    submit: { type: 'plain_text' as const, text: 'Reject' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: whatIsAsked(r) } },
      {
        type: 'input',
        block_id: REJECT_BLOCK,
        label: { type: 'plain_text', text: 'Reason (the customer sees it)' },
        element: { type: 'plain_text_input', action_id: REJECT_INPUT, multiline: true, max_length: 500 },
      },
    ] as KnownBlock[],
  };
}

/** Block Kit for escalation threads: pure builders, English (the managers' working language). */
import type { KnownBlock } from '@slack/types';
import type { CreditState, Forecast } from '../credits/types.ts';
import type { EscalationView } from '../escalations/service.ts';
import type { TranscriptLine } from '../escalations/transcript.ts';
import { formatter } from '../locale/format.ts';
import type { RequestView } from '../requests/request-service.ts';
import { whatIsAsked } from './blocks.ts';
import { slackEscape as esc } from './text.ts';

export const ACTION_CLAIM = 'escalation_claim';
export const ACTION_HAND_BACK = 'escalation_hand_back';
export const ACTION_RESOLVE = 'escalation_resolve';

const REASONS: Record<string, string> = {
  asked_for_person: 'asked for a person',
  refund_or_dispute: 'a refund or a disputed charge',
  invoice: 'an invoice or billing question',
  carryover_exception: 'an exception to carry unused credits over',
  custom_offer: 'a custom offer (price or plan)',
  misunderstood: 'the assistant did not understand twice in a row',
  frustration: 'the customer sounds frustrated',
};

export const reasonLabel = (r: string) => REASONS[r] ?? r;

const quote = (s: string, max = 300) => esc(s.length > max ? `${s.slice(0, max - 1)}…` : s).replaceAll('\n', ' ');

export interface ThreadSummary {
  escalation: EscalationView;
  state: CreditState;
  forecast: Forecast;
  lines: TranscriptLine[];
  pendingRequests: RequestView[];
  consoleUrl: string;
}

function statusLine(e: EscalationView, tz: string): string {
  const f = formatter('en', tz);
  if (e.status === 'claimed')
    return `:raising_hand: *${esc(e.assigneeName ?? 'Someone')}* has the conversation (since ${f.dateTime(e.claimedAt!)}). Reply in this thread: the customer reads it. Start with \`note:\` to keep a reply internal.`;
  if (e.status === 'closed') {
    const how =
      e.outcome === 'resolved'
        ? 'Resolved'
        : e.outcome === 'handed_back'
          ? 'Handed back to the bot'
          : 'The customer went back to the bot';
    return `:white_check_mark: *${how}*${e.closedBy && e.outcome !== 'customer_left' ? ` by ${esc(e.closedBy)}` : ''} on ${f.dateTime(e.closedAt!)}. Replies here no longer reach the customer.`;
  }
  return `:hourglass: Waiting for a person: pick it up by *${f.dateTime(e.slaDueAt)}*. Reply in this thread (it claims the conversation) or press Claim; start with \`note:\` to keep a reply internal.`;
}

function buttons(e: EscalationView): KnownBlock[] {
  if (e.status === 'closed') return [];
  const elements = [
    ...(e.status === 'open'
      ? [
          {
            type: 'button' as const,
            action_id: ACTION_CLAIM,
            text: { type: 'plain_text' as const, text: 'Claim', emoji: true },
            style: 'primary' as const,
            value: e.id,
          },
        ]
      : []),
    {
      type: 'button' as const,
      action_id: ACTION_HAND_BACK,
      text: { type: 'plain_text' as const, text: 'Hand back to the bot', emoji: true },
      value: e.id,
    },
    {
      type: 'button' as const,
      action_id: ACTION_RESOLVE,
      text: { type: 'plain_text' as const, text: 'Resolve', emoji: true },
      value: e.id,
    },
  ];
  return [{ type: 'actions', block_id: `escalation_${e.id}`, elements }];
}

/** The thread's root: who, why, the account's figures, the last messages, open requests, the console link. */
export function escalationBlocks(t: ThreadSummary): KnownBlock[] {
  const { escalation: e, state: s, forecast: fc } = t;
  const f = formatter('en', s.timeZone);
  const runway = fc.runsOutAt
    ? `${f.n(Math.round(fc.burnRatePerDay))}/day · runs out ~${f.date(fc.runsOutAt)}${fc.runsOutBeforeTopUp ? ' *(before the top-up)*' : ''}`
    : 'no usage in the last 7 days';
  const last = t.lines.length
    ? t.lines.map((l) => `>*${l.from === 'customer' ? esc(e.customerName) : 'Assistant'}:* ${quote(l.text)}`).join('\n')
    : '_No chat transcript on this channel._';
  const requests = t.pendingRequests.length
    ? t.pendingRequests.map((r) => `• ${r.reference}: ${whatIsAsked(r, s.timeZone)}`).join('\n')
    : 'none';
  return [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: `Escalation ${e.reference}: ${e.customerName} (${e.accountName})`.slice(0, 150),
        emoji: true,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${esc(e.customerName)}* of *${esc(e.accountName)}* needs a person: ${reasonLabel(e.reason)}.${e.trigger ? `\n>${quote(e.trigger, 500)}` : ''}`,
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Account*\n${esc(e.accountName)} (\`${esc(e.accountId)}\`)` },
        {
          type: 'mrkdwn',
          text: `*Plan*\n${esc(s.plan.name)}: ${f.n(s.plan.monthlyCredits)} credits, ${f.money(s.plan.price.amount, s.plan.price.currency)}/month`,
        },
        {
          type: 'mrkdwn',
          text: `*Balance*\n${f.n(s.credits.balance)} (${f.n(s.credits.accumulated)} accumulated, ${f.n(s.credits.usedThisPeriod)} used this period)`,
        },
        { type: 'mrkdwn', text: `*Burn rate · forecast*\n${runway}` },
        { type: 'mrkdwn', text: `*Next top-up*\n${f.date(s.nextTopUpAt)}` },
        { type: 'mrkdwn', text: `*Pending requests*\n${requests}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Last messages*\n${last}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: statusLine(e, s.timeZone) }] },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${t.consoleUrl}|Transcript and history in the support console>` }],
    },
    ...buttons(e),
  ];
}

export const escalationText = (e: EscalationView) =>
  `Escalation ${e.reference}: ${e.customerName} (${e.accountName}) needs a person: ${reasonLabel(e.reason)}`;

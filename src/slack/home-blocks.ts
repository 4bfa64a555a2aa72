/**
 * Block Kit for a person's App Home (pure builders, English): the pending requests and open escalations they
 * look after, each with the buttons of its message (the same action ids, so the same listeners decide), within
 * Slack's 100 blocks per view.
 */
import type { KnownBlock } from '@slack/types';
import type { EscalationView } from '../escalations/service.ts';
import { formatter } from '../locale/format.ts';
import type { RequestView } from '../requests/request-service.ts';
import { ACTION_APPROVE, ACTION_REJECT, whatIsAsked } from './blocks.ts';
import { ACTION_CLAIM, ACTION_HAND_BACK, ACTION_RESOLVE, reasonLabel } from './escalation-blocks.ts';
import { escapeMrkdwn, escapeMrkdwnCode } from './mrkdwn.ts';

/** Slack's limit of blocks in a Home tab. */
export const MAX_HOME_BLOCKS = 100;
/** Blocks besides the items: header, intro, two section titles, a divider, two "more" notes, the footer. */
const FIXED_BLOCKS = 8;
/** Each item is a section and its buttons. */
const BLOCKS_PER_ITEM = 2;
const MAX_ITEMS = Math.floor((MAX_HOME_BLOCKS - FIXED_BLOCKS) / BLOCKS_PER_ITEM);

export interface HomeInput {
  requests: RequestView[];
  escalations: EscalationView[];
  /** the account's time zone, for dates (UTC when unknown) */
  timeZoneOf(accountId: string): string;
  consoleUrl: string;
  now: Date;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const account = (name: string, id: string) => `${escapeMrkdwn(name)} (\`${escapeMrkdwnCode(id)}\`)`;

function requestItem(r: RequestView, tz: string, now: Date): KnownBlock[] {
  const f = formatter('en', tz);
  const overdue = Date.parse(r.slaDueAt) < now.getTime();
  const lines = [
    `*${r.reference}* · ${account(r.accountName, r.accountId)}`,
    whatIsAsked(r, tz),
    `Requested by ${escapeMrkdwn(r.requesterName ?? r.requesterUserId)} · decide by ${f.dateTime(r.slaDueAt)}${overdue ? ' · :warning: *overdue*' : ''}${r.assigneeName ? ` · with ${escapeMrkdwn(r.assigneeName)}` : ''}`,
  ];
  return [
    { type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 2_900) } },
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

function escalationItem(e: EscalationView, tz: string, now: Date): KnownBlock[] {
  const f = formatter('en', tz);
  const overdue = e.status === 'open' && Date.parse(e.slaDueAt) < now.getTime();
  const status =
    e.status === 'claimed'
      ? `:raising_hand: held by *${escapeMrkdwn(e.assigneeName ?? 'someone')}*`
      : `:hourglass: waiting for a person · pick up by ${f.dateTime(e.slaDueAt)}${overdue ? ' · :warning: *overdue*' : ''}`;
  const lines = [
    `*${e.reference}* · ${escapeMrkdwn(e.customerName)} of ${account(e.accountName, e.accountId)}`,
    `${reasonLabel(e.reason)}${e.trigger ? `: _${escapeMrkdwn(clip(e.trigger.replaceAll('\n', ' '), 200))}_` : ''}`,
    status,
  ];
  const button = (action_id: string, text: string, primary = false) => ({
    type: 'button' as const,
    action_id,
    text: { type: 'plain_text' as const, text, emoji: true },
    ...(primary ? { style: 'primary' as const } : {}),
    value: e.id,
  });
  return [
    { type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 2_900) } },
    {
      type: 'actions',
      block_id: `escalation_${e.id}`,
      elements: [
        ...(e.status === 'open' ? [button(ACTION_CLAIM, 'Claim', true)] : []),
        button(ACTION_HAND_BACK, 'Hand back to the bot'),
        button(ACTION_RESOLVE, 'Resolve'),
      ],
    },
  ];
}

/** How many of each fit: escalations get at least half the room when both kinds are waiting. */
export function homeShares(requests: number, escalations: number, room = MAX_ITEMS): [number, number] {
  const req = Math.min(requests, Math.max(room - escalations, Math.ceil(room / 2)));
  return [req, Math.min(escalations, room - req)];
}

/** The Home tab: a `home` view of at most 100 blocks. */
export function homeView(input: HomeInput) {
  const { requests, escalations, now } = input;
  const [nReq, nEsc] = homeShares(requests.length, escalations.length);
  const more = (n: number, what: string): KnownBlock[] =>
    n > 0
      ? [
          {
            type: 'context',
            elements: [
              { type: 'mrkdwn', text: `…and ${n} more ${what}: <${input.consoleUrl}|see the support console>` },
            ],
          },
        ]
      : [];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Credits: your open items', emoji: true } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Pending requests and open escalations of the accounts you manage, and those you hold. Updated <!date^${Math.floor(now.getTime() / 1000)}^{date_short_pretty} {time}|${now.toISOString().slice(0, 16).replace('T', ' ')} UTC>. Look an account up with \`/credits <account name or id>\`.`,
        },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Pending requests (${requests.length})*` } },
    ...(requests.length === 0
      ? [
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'Nothing is waiting for your decision.' }],
          } as KnownBlock,
        ]
      : requests.slice(0, nReq).flatMap((r) => requestItem(r, input.timeZoneOf(r.accountId), now))),
    ...more(requests.length - nReq, 'pending requests'),
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: `*Escalations (${escalations.length})*` } },
    ...(escalations.length === 0
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'No customer is waiting for you.' }] } as KnownBlock]
      : escalations.slice(0, nEsc).flatMap((e) => escalationItem(e, input.timeZoneOf(e.accountId), now))),
    ...more(escalations.length - nEsc, 'escalations'),
  ];
  return { type: 'home' as const, callback_id: 'credits_home', blocks: blocks.slice(0, MAX_HOME_BLOCKS) };
}

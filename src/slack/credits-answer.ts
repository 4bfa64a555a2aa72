/** What `/credits <account>` answers (pure builders, English): the account's state, forecast and open items. */
import type { KnownBlock } from '@slack/types';
import type { AccountMatch } from '../accounts/lookup.ts';
import type { CreditState, Forecast } from '../credits/types.ts';
import type { EscalationView } from '../escalations/service.ts';
import { formatter } from '../locale/format.ts';
import type { RequestView } from '../requests/request-service.ts';
import { whatIsAsked } from './blocks.ts';
import { reasonLabel } from './escalation-blocks.ts';
import { escapeMrkdwn, escapeMrkdwnCode } from './mrkdwn.ts';

export interface SlashAnswer {
  response_type: 'ephemeral';
  text: string;
  blocks?: KnownBlock[];
}

const ephemeral = (text: string): SlashAnswer => ({ response_type: 'ephemeral', text });

export const CREDITS_USAGE =
  'Usage: `/credits <account name or id>`, for example `/credits Acme` or `/credits acc_123`.';

/** Someone who is neither an approver nor the manager of any account. */
export const CREDITS_REFUSED =
  ':no_entry: `/credits` answers account managers and configured approvers only. Ask your Slack admin to add you to the approvers (SLACK_APPROVERS), or use the support console.';

/** A manager naming an account they do not manage. */
export const CREDITS_NOT_YOURS =
  ':no_entry: That account is not one you manage: only its account manager or a configured approver can look it up.';

export function creditsHelp(managed: AccountMatch[]): SlashAnswer {
  const list = managed.length
    ? `\nYour accounts: ${managed
        .slice(0, 20)
        .map((a) => `${escapeMrkdwn(a.name)} (\`${escapeMrkdwnCode(a.id)}\`)`)
        .join(', ')}${managed.length > 20 ? `, and ${managed.length - 20} more` : ''}.`
    : '';
  return ephemeral(`${CREDITS_USAGE}${list}`);
}

export function noAccount(query: string): SlashAnswer {
  return ephemeral(
    `No account matches “${escapeMrkdwn(query.slice(0, 100))}”. Try the account's id (\`acc_…\`) or a part of its name. ${CREDITS_USAGE}`,
  );
}

export function severalAccounts(query: string, matches: AccountMatch[]): SlashAnswer {
  return ephemeral(
    `Several accounts match “${escapeMrkdwn(query.slice(0, 100))}”:\n${matches
      .map((a) => `• ${escapeMrkdwn(a.name)}: \`/credits ${escapeMrkdwnCode(a.id)}\``)
      .join('\n')}`,
  );
}

export interface AccountAnswerInput {
  account: AccountMatch;
  state: CreditState;
  forecast: Forecast;
  pending: RequestView[];
  escalations: EscalationView[];
  consoleUrl: string;
  now: Date;
}

const MAX_ITEMS = 10;

export function accountAnswer(x: AccountAnswerInput): SlashAnswer {
  const { account: a, state: s, forecast: fc } = x;
  const f = formatter('en', s.timeZone);
  const name = `${escapeMrkdwn(a.name)} (\`${escapeMrkdwnCode(a.id)}\`)`;
  const runway = fc.runsOutAt
    ? `${f.n(Math.round(fc.burnRatePerDay))}/day over the last ${fc.windowDays} days · runs out ~${f.date(fc.runsOutAt)}${fc.runsOutBeforeTopUp ? ` *before the top-up* (short by ${f.n(fc.shortfall)})` : ''}`
    : `no usage in the last ${fc.windowDays} days`;
  const requests = x.pending.length
    ? x.pending
        .slice(0, MAX_ITEMS)
        .map((r) => {
          const overdue = Date.parse(r.slaDueAt) < x.now.getTime();
          return `• *${r.reference}*: ${whatIsAsked(r, s.timeZone)} · decide by ${f.dateTime(r.slaDueAt)}${overdue ? ' :warning: *overdue*' : ''}`;
        })
        .join('\n') + (x.pending.length > MAX_ITEMS ? `\n…and ${x.pending.length - MAX_ITEMS} more` : '')
    : 'none';
  const escalations = x.escalations.length
    ? x.escalations
        .slice(0, MAX_ITEMS)
        .map(
          (e) =>
            `• *${e.reference}*: ${escapeMrkdwn(e.customerName)}, ${reasonLabel(e.reason)} · ${
              e.status === 'claimed'
                ? `held by ${escapeMrkdwn(e.assigneeName ?? 'someone')}`
                : `waiting, pick up by ${f.dateTime(e.slaDueAt)}`
            }`,
        )
        .join('\n') + (x.escalations.length > MAX_ITEMS ? `\n…and ${x.escalations.length - MAX_ITEMS} more` : '')
    : 'none';
  const clip = (t: string) => (t.length > 2_900 ? `${t.slice(0, 2_899)}…` : t);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${name}*${a.managerName ? ` · manager ${escapeMrkdwn(a.managerName)}` : ''}\nPlan *${escapeMrkdwn(s.plan.name)}*: ${f.n(s.plan.monthlyCredits)} credits, ${f.money(s.plan.price.amount, s.plan.price.currency)}/month`,
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Balance*\n${f.n(s.credits.balance)}` },
        { type: 'mrkdwn', text: `*Used this period*\n${f.n(s.credits.usedThisPeriod)}` },
        {
          type: 'mrkdwn',
          text: `*Add-on · accumulated*\n${f.n(s.credits.addOn)} · ${f.n(s.credits.accumulated)}`,
        },
        { type: 'mrkdwn', text: `*Overage*\n${f.n(s.credits.overage)}` },
        { type: 'mrkdwn', text: `*Next top-up*\n${f.date(s.nextTopUpAt)}` },
        { type: 'mrkdwn', text: `*Forecast*\n${runway}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*Pending requests (${x.pending.length})*\n${requests}`) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*Open escalations (${x.escalations.length})*\n${escalations}`) },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Figures as of ${f.dateTime(s.asOf)} (${escapeMrkdwn(s.timeZone)}). <${x.consoleUrl}|Account page in the support console>`,
        },
      ],
    },
  ];
  const text = `${name}: balance ${f.n(s.credits.balance)} credits, ${x.pending.length} pending request(s), ${x.escalations.length} open escalation(s)`;
  return { response_type: 'ephemeral', text, blocks };
}

/**
 * Intent scoring: weighted cues over concepts.
 *
 * A cue fires when all of `all`, at least one of `any` (and of `any2`) and none of `none` are present (and, for `near`, the
 * first concept precedes the second within a few tokens). An intent's score is the sum of its fired cues.
 * Weights follow a scale:
 *   6–15  decisive, explicit words that override the topic (prompt injection, "escalate", "refund",
 *         "roll over", "was it approved?", "cancel my request");
 *   4–5   the core signal of an intent ("credits left", "upgrade", "when do credits reset");
 *   1–3   supporting evidence.
 *
 * Precedence principles the weights encode (learned from how support agents label these questions):
 * - Explicit escalation dominates: asking for a person/support/a call is talk_to_human whatever the topic.
 * - Conditionals take the intent of the condition's action: "if I downgrade will I lose credits" is
 *   change_plan, "if my refund is approved do I lose credits" is refund; but a question about what happens to
 *   credits at the cycle boundary (next cycle, end of month, unused credits, expiry) is rollover.
 * - Asking about a date is renewal_date even when an upgrade is mentioned ("does upgrading change my renewal
 *   date").
 * - "Credits left" beats "credits used" when both are asked (balance).
 * - A usage question names its breakdown: an action type → usage_by_type, a person/"who"/"per user" →
 *   usage_by_user, only a time range → usage_by_period. Complaints about unexpected consumption (vanished,
 *   spiked, "by themselves", a failed job that still charged) are usage_spike even when an action is named.
 * - Money questions ("how much", "price") are price unless the cost is in credits of an action
 *   ("enrichment costs 8 credits per row" → usage_by_type).
 * - "Enough credits for X now" is balance; "enough until the end of the month"/"when will I run out" is forecast.
 * - A refused or withdrawn request never counts as the request ("I don't want to upgrade, just more credits"
 *   → buy_credits; "never mind, cancel the purchase" → cancel_request).
 * - What happens to credits when cancelling, pausing or downgrading, and whether purchased credits stay valid,
 *   is rollover; "if I downgrade will I lose/keep them" stays change_plan (the condition's action decides).
 * - Hypothetical charging rules ("am I charged for failed lookups?") are usage_by_type; a failure that already
 *   cost credits is usage_spike; asking for them back is refund_or_dispute.
 * - A purchase that does not show up yet, or "they say we're out of credits, is that true?", is balance.
 * - Greetings and thanks only win when nothing else is asked.
 */
import type { Concept } from './concepts.ts';
import type { Intent } from './types.ts';

interface Cue {
  intent: Intent;
  w: number;
  all?: Concept[];
  any?: Concept[];
  /** A second "at least one of" group. */
  any2?: Concept[];
  none?: Concept[];
  /** [a, b, maxDistance]: some a occurs before some b, at most maxDistance tokens apart. */
  near?: [Concept, Concept, number];
}

/** Concepts that show a usage question. */
const USAGE: Concept[] = ['USE', 'RUN'];
/** Request topics that "cancel"/"status" can refer to. */
const REQUEST_TOPICS: Concept[] = [
  'REQUEST',
  'BUY',
  'BOUGHT',
  'UPGRADE',
  'DOWNGRADE',
  'CHANGE',
  'NEG_REQ',
  'PLAN',
  'CREDIT',
  'MORE',
];
const CONVERSATION_WORDS: Concept[] = ['CONVERSATION', 'MESSAGE'];
const SPIKE_SIGNS: Concept[] = ['SPIKE', 'VANISH', 'FAILED'];
/** Follow-ups on an existing request (withdrawn, or asked about) are not a new request. */
const REQUEST_FOLLOW_UP: Concept[] = ['NEVERMIND', 'APPROVE', 'STATUS', 'WAITING', 'REQUEST_REF'];
/** A money question about a plan change is a price question. */
const PLAN_CHANGE_EXCLUDES: Concept[] = [...REQUEST_FOLLOW_UP, 'REQUEST_REF', 'PRICE', 'PRICE_Q'];

const CUES: Cue[] = [
  // ---------------------------------------------------------------- balance
  {
    intent: 'balance',
    w: 5,
    all: ['LEFT', 'CREDIT'],
    none: [
      'HORIZON',
      'RUNOUT',
      'LOSE',
      'KEEP',
      'WHAT_HAPPENS',
      'CYCLE_END',
      'FORECAST',
      'HOW_LONG',
      'LAST_VERB',
      'RATE_PACE',
    ],
  },
  { intent: 'balance', w: 2, all: ['LEFT', 'BALANCE'] },
  { intent: 'balance', w: 1.5, all: ['LEFT'], none: ['CONVERSATION'] },
  { intent: 'balance', w: 1, all: ['LEFT', 'USE'] },
  {
    intent: 'balance',
    w: 3.5,
    all: ['BALANCE'],
    none: [
      'RUNOUT',
      'RUNOUT_PAST',
      'VANISH',
      'LAST_VERB',
      'RESET',
      'BUY',
      'ADD',
      'LOSE',
      'KEEP',
      'WHAT_HAPPENS',
      'EXPIRE',
    ],
  },
  {
    intent: 'balance',
    w: 3,
    all: ['HOW_MANY', 'CREDIT', 'HAVE'],
    none: ['USE', 'NEED', 'INCLUDE', 'PLAN', 'UNUSED', 'FORECAST'],
  },
  { intent: 'balance', w: 2, all: ['HOW_MUCH', 'CREDIT', 'HAVE'], none: ['USE', 'NEED', 'PRICE'] },
  {
    intent: 'balance',
    w: 3,
    all: ['ENOUGH'],
    any: ['HAVE', 'LEFT'],
    none: ['WILL', 'HORIZON', 'CYCLE_END', 'LAST_VERB'],
  },
  {
    intent: 'balance',
    w: 1.5,
    all: ['ENOUGH', 'CREDIT'],
    any: ['ACTION', 'AMOUNT'],
    none: ['WILL', 'HORIZON', 'CYCLE_END'],
  },
  { intent: 'balance', w: 2, all: ['CHECK', 'CREDIT'], none: ['USE', 'PLAN', 'UNUSED'] },
  { intent: 'balance', w: 1.5, all: ['WHERE'], any: ['CREDIT', 'BALANCE'], none: ['VANISH', 'BY_TYPE'] },
  // "they say we're out of credits, is that true?": checking the balance.
  { intent: 'balance', w: 3, all: ['RUNOUT_PAST', 'CHECK'], none: ['BUY', 'HOWTO', 'WHEN', 'NEED', 'MORE'] },
  // "am I at zero?", "are we out of credits?": asked, not stated before a purchase.
  { intent: 'balance', w: 3, all: ['LEFT', 'RUNOUT_PAST'], none: ['BUY', 'WHEN', 'HOWTO'] },
  { intent: 'balance', w: 2, all: ['NOT_RECEIVED'] },
  // A purchase that does not show yet is a balance question, not a new purchase.
  { intent: 'balance', w: 3, all: ['NOT_RECEIVED'], any: ['CREDIT', 'BALANCE', 'PACK', 'BUY', 'BOUGHT'] },
  { intent: 'balance', w: 2, all: ['BOUGHT', 'STILL'] },
  // "can you check if my extra credits got added": whether they arrived.
  { intent: 'balance', w: 3, all: ['RECEIVED'], any: ['CHECK', 'IF'], none: ['WHEN', 'REQUEST_REF'] },
  {
    intent: 'balance',
    w: 3,
    all: ['WAITING'],
    any: ['BOUGHT', 'PLAN_CHANGED'],
    none: ['REQUEST', 'REQUEST_REF', 'APPROVE'],
  },
  // "upgraded an hour ago and the new credits aren't there": a change made that does not show yet.
  { intent: 'balance', w: 2.5, all: ['NOT_RECEIVED'], any: ['PLAN_CHANGED', 'BOUGHT'], none: ['WHEN'] },
  { intent: 'balance', w: 1.2, all: ['CREDIT'] },
  // The balance named outright, with nothing about consumption, refills or purchases.
  {
    intent: 'balance',
    w: 2,
    all: ['BALANCE'],
    none: [
      'USE',
      'SPIKE',
      'VANISH',
      'RUNOUT',
      'RUNOUT_PAST',
      'LAST_VERB',
      'RESET',
      'BUY',
      'ADD',
      'CYCLE_END',
      'FORECAST',
      'HORIZON',
      'RATE_PACE',
      'HOW_LONG',
      'LOSE',
      'KEEP',
      'WHAT_HAPPENS',
      'EXPIRE',
    ],
  },

  // ---------------------------------------------------------------- plan_details
  { intent: 'plan_details', w: 2.5, all: ['PLAN_WHICH'] },
  { intent: 'plan_details', w: 3.5, all: ['DEFINE', 'CREDIT'], none: ['HOW_COUNTED', 'USE', 'PER_UNIT'] },
  // "my current plan" as the object of a request ("add a pack on top of my current plan") is context.
  {
    intent: 'plan_details',
    w: 1.5,
    all: ['PLAN_WHICH'],
    none: ['ADD', 'BUY', 'NEG_REQ', 'UPGRADE', 'DOWNGRADE', 'CHANGE'],
  },
  // "what's my monthly credit allowance": what the plan grants.
  {
    intent: 'plan_details',
    w: 3,
    all: ['QUOTA'],
    any: ['CREDIT', 'MONTHLY', 'PLAN'],
    none: [
      'LEFT',
      'USE',
      'CONVERSATION',
      'MESSAGE',
      'RESET',
      'WHEN',
      'BUY',
      'MORE',
      'NEED',
      'RUNOUT',
      'RUNOUT_PAST',
      'LIMIT',
      'SHARED',
    ],
  },
  { intent: 'plan_details', w: 4, all: ['INCLUDE', 'PLAN'], none: CONVERSATION_WORDS },
  { intent: 'plan_details', w: 1.5, all: ['INCLUDE'], none: ['ACCUMULATED'] },
  {
    intent: 'plan_details',
    w: 2.5,
    all: ['INCLUDE'],
    any: ['IDENTITY', 'SEAT', 'CONVERSATION', 'CREDIT', 'TEAM_MEMBER'],
    none: ['ACCUMULATED'],
  },
  {
    intent: 'plan_details',
    w: 4,
    all: ['SEAT'],
    none: ['BUY', 'ADD', 'MORE', 'UPGRADE', 'DOWNGRADE', 'CHANGE', 'NEED', 'CREATE', 'PRICE', 'PRICE_Q', 'RESET'],
  },
  // "how many credits do we get on growth": what a named plan grants.
  {
    intent: 'plan_details',
    w: 3,
    all: ['HOW_MANY', 'CREDIT'],
    any: ['NAMED_PLAN', 'TIER'],
    none: ['USE', 'LEFT', 'BUY', 'NEED', 'MORE', 'PRICE', 'PRICE_Q'],
  },
  { intent: 'plan_details', w: 1.5, all: ['SEAT'] },
  {
    intent: 'plan_details',
    w: 4.5,
    all: ['SHARED'],
    any: ['CREDIT', 'PLAN', 'BALANCE', 'TEAM_MEMBER', 'PER_USER'],
    none: ['CONVERSATION', 'MESSAGE', 'QUOTA', 'LIMIT'],
  },
  // "is the credit allowance per user or per workspace": how the plan's credits are split.
  { intent: 'plan_details', w: 4.5, all: ['SHARED', 'QUOTA', 'CREDIT'], none: [...CONVERSATION_WORDS, 'LIMIT'] },
  {
    intent: 'plan_details',
    w: 3.5,
    all: ['DIFFERENCE'],
    any: ['TEAM_MEMBER', 'IDENTITY', 'PLAN', 'CREDIT', 'SEAT', 'TIER', 'NAMED_PLAN'],
    none: ['PRICE', 'PRICE_Q'],
  },
  {
    intent: 'plan_details',
    w: 3,
    all: ['HOW_MANY', 'IDENTITY'],
    any: ['PLAN', 'HAVE', 'INCLUDE', 'NAMED_PLAN', 'TIER', 'LIMIT', 'CAPACITY'],
    none: CONVERSATION_WORDS,
  },
  {
    intent: 'plan_details',
    w: 2.5,
    all: ['HOW_MANY', 'TEAM_MEMBER'],
    any: ['PLAN', 'HAVE'],
    none: [...USAGE, 'CONVERSATION'],
  },
  { intent: 'plan_details', w: 3, all: ['PER_USER', 'CREDIT'], none: [...USAGE, 'WHO', 'HISTORY', 'PERIOD', 'MOST'] },
  {
    intent: 'plan_details',
    w: 2,
    all: ['CREDIT', 'PLAN', 'HOW_MANY'],
    none: [...USAGE, 'LEFT', 'BUY', 'NEED', 'MORE'],
  },
  { intent: 'plan_details', w: 1, all: ['PLAN'] },
  // "how many contacts can I store on the free plan": a capacity of the plan (not the sending cap).
  {
    intent: 'plan_details',
    w: 2.5,
    all: ['CAPACITY'],
    any: ['PLAN', 'TIER', 'NAMED_PLAN'],
    none: [...CONVERSATION_WORDS, 'SEND', 'LIMIT', 'DAILY', 'CREDIT', 'BUY', 'MORE'],
  },
  // "what limits does my plan have": the plan's limits in general, not the conversation cap.
  {
    intent: 'plan_details',
    w: 2.5,
    all: ['LIMIT', 'PLAN'],
    none: ['CONVERSATION', 'MESSAGE', 'SEND', 'IDENTITY', 'QUOTA', 'DAILY', 'USE'],
  },

  // ---------------------------------------------------------------- price
  { intent: 'price', w: 3.5, all: ['PRICE'], none: ['ACTION', 'PER_UNIT'] },
  { intent: 'price', w: 1.5, all: ['PRICE'] },
  { intent: 'price', w: 2, all: ['PRICE_Q'], none: ['ACTION'] },
  { intent: 'price', w: 3.5, all: ['HOW_MUCH', 'PAY'] },
  { intent: 'price', w: 1.5, all: ['PAY'], none: ['REFUND'] },
  { intent: 'price', w: 3, all: ['HOW_MUCH'], any: ['BILLING', 'CHARGE'], none: ['USE', 'LEFT', 'CREDIT'] },
  { intent: 'price', w: 2, all: ['HOW_MUCH'], any: ['PLAN', 'PACK'], none: [...USAGE, 'LEFT'] },
  { intent: 'price', w: 1.5, all: ['MONEY'] },
  { intent: 'price', w: 1.5, all: ['HOW_MUCH', 'MORE', 'CREDIT'], none: [...USAGE, 'LEFT', 'NEED'] },
  { intent: 'price', w: 1, all: ['PACK'], none: ['BUY'] },

  // ---------------------------------------------------------------- renewal_date
  { intent: 'renewal_date', w: 3, all: ['RESET'] },
  // "do I lose them when the plan renews?" asks about the policy at the renewal, not its date.
  { intent: 'renewal_date', w: 3, all: ['WHEN', 'RESET'], none: ['WHAT_HAPPENS', 'LOSE', 'KEEP'] },
  // "does my renewal date change if I switch?": the date is asked, the change is the condition.
  { intent: 'renewal_date', w: 3.5, all: ['RESET', 'DATE'], any: ['CHANGE', 'IF', 'UPGRADE', 'DOWNGRADE'] },
  { intent: 'renewal_date', w: 4, all: ['RESET', 'DATE'] },
  // "still waiting on this month's credits": the refill has not come.
  {
    intent: 'renewal_date',
    w: 3.5,
    all: ['WAITING'],
    any: ['CREDIT', 'BALANCE', 'QUOTA'],
    none: ['BOUGHT', 'BUY', 'REQUEST', 'REQUEST_REF', 'APPROVE', 'PLAN_CHANGED', 'UPGRADE', 'DOWNGRADE'],
  },
  // "When do my credits expire?" asks for the date they reset.
  { intent: 'renewal_date', w: 5, all: ['WHEN', 'EXPIRE'] },
  { intent: 'renewal_date', w: 1.5, all: ['NEXT', 'RESET'] },
  {
    intent: 'renewal_date',
    w: 3,
    all: ['WHEN'],
    any: ['CYCLE_END', 'BILLING', 'CHARGE', 'PAY'],
    none: ['RUNOUT', 'ENOUGH'],
  },
  {
    intent: 'renewal_date',
    w: 1.5,
    all: ['WHEN'],
    any: ['CREDIT', 'QUOTA', 'BALANCE'],
    none: ['RUNOUT', 'RUNOUT_PAST', 'LAST_VERB', 'ENOUGH'],
  },
  { intent: 'renewal_date', w: 1.5, all: ['DATE'], any: ['BILLING', 'PLAN', 'NEXT', 'CREDIT'] },
  { intent: 'renewal_date', w: 2, all: ['BILLING', 'NEXT'] },
  {
    intent: 'renewal_date',
    w: 4,
    all: ['BUY'],
    any: ['WHEN', 'DATE'],
    none: ['HOWTO', 'WANT', 'NEED', 'RUNOUT_PAST', 'RUNOUT'],
  },

  // ---------------------------------------------------------------- rollover_policy
  { intent: 'rollover_policy', w: 6, all: ['ROLLOVER'] },
  // "accumulated credits" are the carried-over part of the balance: a policy question, unless asked about the balance.
  { intent: 'rollover_policy', w: 3.5, all: ['ACCUMULATED'], none: ['BALANCE', 'INCLUDE'] },
  { intent: 'rollover_policy', w: 1, all: ['ACCUMULATED'] },
  { intent: 'balance', w: 2.5, all: ['ACCUMULATED'], any: ['BALANCE', 'INCLUDE', 'HAVE', 'AMOUNT'] },
  { intent: 'rollover_policy', w: 6, all: ['EXPIRE'], none: ['PAYMENT_METHOD', 'WHEN'] },
  { intent: 'rollover_policy', w: 2, all: ['UNUSED'], none: ['CHARGED'] },
  {
    intent: 'rollover_policy',
    w: 3,
    all: ['UNUSED'],
    any: ['LOSE', 'KEEP', 'WHAT_HAPPENS', 'CYCLE_END', 'EXPIRE', 'VANISH'],
  },
  {
    intent: 'rollover_policy',
    w: 4,
    all: ['CYCLE_END'],
    any: ['LOSE', 'KEEP', 'WHAT_HAPPENS', 'EXPIRE'],
    none: ['LIMIT'],
  },
  // Leftover credits and the next cycle ("si me sobran créditos, ¿los puedo usar el mes que viene?").
  {
    intent: 'rollover_policy',
    w: 4.5,
    all: ['CYCLE_END'],
    any: ['LEFT', 'UNUSED'],
    none: ['ENOUGH', 'HORIZON', 'LIMIT'],
  },
  {
    intent: 'rollover_policy',
    w: 2.5,
    all: ['LOSE'],
    any: ['CREDIT', 'BALANCE'],
    none: ['UPGRADE', 'DOWNGRADE', 'CHANGE', 'REFUND', 'SPIKE', 'WHAT_HAPPENED', 'CANCEL'],
  },
  { intent: 'rollover_policy', w: 2, all: ['WHAT_HAPPENS'], any: ['CREDIT', 'BALANCE', 'LEFT'], none: ['LIMIT'] },
  // What happens to the credits when I cancel, downgrade or pause: the policy, not the plan change itself.
  {
    intent: 'rollover_policy',
    w: 4,
    all: ['WHAT_HAPPENS'],
    any: ['CREDIT', 'BALANCE', 'LEFT'],
    any2: ['CANCEL', 'DOWNGRADE', 'PAUSE'],
    none: ['LIMIT', 'REFUND'],
  },
  // "cuánto duran los créditos de los packs": how long purchased credits stay valid.
  {
    intent: 'rollover_policy',
    w: 5,
    all: ['LAST_VERB'],
    any: ['PACK', 'BOUGHT', 'BUY'],
    none: ['RATE_PACE', 'HORIZON', 'LEFT', 'WILL', 'AMOUNT', 'ENOUGH'],
  },
  // "if we pause, do our credits freeze or vanish?"
  {
    intent: 'rollover_policy',
    w: 4,
    all: ['IF'],
    any: ['PAUSE', 'CANCEL'],
    any2: ['VANISH', 'KEEP', 'LOSE', 'EXPIRE', 'WHAT_HAPPENS'],
    none: ['REFUND', 'CHARGED'],
  },
  {
    intent: 'rollover_policy',
    w: 4,
    all: ['CANCEL'],
    any: ['CREDIT', 'BALANCE', 'LEFT'],
    any2: ['KEEP', 'LOSE', 'EXPIRE'],
    none: ['REFUND', 'CHARGED', 'REQUEST', 'BUY'],
  },
  { intent: 'rollover_policy', w: 3, all: ['RESET'], any: ['LOSE', 'KEEP', 'WHAT_HAPPENS', 'UNUSED', 'EXPIRE'] },
  // "do bought credits disappear when my month resets?": what the cycle boundary does to them.
  { intent: 'rollover_policy', w: 7, all: ['VANISH', 'CYCLE_END'], none: ['WHY', 'WHAT_HAPPENED'] },
  // Whether purchased/add-on credits reset too, or stay during a pause, is a policy question.
  { intent: 'rollover_policy', w: 3, all: ['RESET'], any: ['BOUGHT', 'MORE'], none: ['WHEN', 'DATE'] },
  {
    intent: 'rollover_policy',
    w: 3,
    all: ['PAUSE'],
    any: ['KEEP', 'LOSE', 'WHAT_HAPPENS', 'UNUSED', 'EXPIRE'],
    none: ['SPIKE', 'VANISH'],
  },
  {
    intent: 'rollover_policy',
    w: 1.5,
    all: ['KEEP'],
    any: ['CREDIT', 'BALANCE'],
    none: ['UPGRADE', 'DOWNGRADE', 'CHANGE', 'REFUND', 'SPIKE', 'VANISH'],
  },

  // ---------------------------------------------------------------- usage_by_type
  {
    intent: 'usage_by_type',
    w: 4,
    all: ['TYPED_ACTION'],
    any: [...USAGE, 'CHARGE', 'PRICE', 'PRICE_Q'],
    none: SPIKE_SIGNS,
  },
  {
    intent: 'usage_by_type',
    w: 2.5,
    all: ['ACTION_MISC'],
    any: [...USAGE, 'CHARGE', 'PRICE', 'PRICE_Q', 'PAY'],
    none: SPIKE_SIGNS,
  },
  { intent: 'usage_by_type', w: 2, all: ['TYPED_ACTION', 'CREDIT'] },
  { intent: 'usage_by_type', w: 1, all: ['ACTION_MISC', 'CREDIT'] },
  // "do API calls consume credits": whether and how much an action costs.
  { intent: 'usage_by_type', w: 1.5, all: ['ACTION_MISC', 'CREDIT'], any: [...USAGE, 'CHARGE'], none: SPIKE_SIGNS },
  { intent: 'usage_by_type', w: 2.5, all: ['PER_UNIT'], any: ['CREDIT', ...USAGE, 'PRICE', 'CHARGE'] },
  { intent: 'usage_by_type', w: 5, all: ['BY_TYPE'] },
  // "am I charged for lookups that fail / return nothing?": the charging rule of an action.
  {
    intent: 'usage_by_type',
    w: 3,
    all: ['CHARGE'],
    any: ['ACTION_MISC', 'TYPED_ACTION', 'PER_UNIT'],
    any2: ['FAILED', 'NO_RESULT'],
    none: ['REFUND', 'DISPUTE', 'CHARGED'],
  },
  {
    intent: 'usage_by_type',
    w: 4.5,
    all: ['HOW_COUNTED'],
    // "how does switching plans work" is about the plan change.
    none: [...CONVERSATION_WORDS, 'IDENTITY', 'SEAT', 'SHARED', 'UPGRADE', 'DOWNGRADE', 'CHANGE', 'PRORATE'],
  },
  { intent: 'usage_by_type', w: 1, all: ['TYPED_ACTION', 'HOW_MANY'] },
  // "how much does a claygent run cost in credits": what something costs in credits, whatever it is called.
  {
    intent: 'usage_by_type',
    w: 3,
    all: ['CHARGE', 'CREDIT'],
    any: ['HOW_MUCH', 'HOW_MANY', 'PRICE_Q'],
    none: ['CHARGED', 'REFUND', 'DISPUTE'],
  },

  // ---------------------------------------------------------------- usage_by_user
  { intent: 'usage_by_user', w: 5, near: ['WHO', 'USE', 5] },
  { intent: 'usage_by_user', w: 5, near: ['WHO', 'RUN', 4] },
  // "who exported 2000 contacts", "who ran the enrichment": the person behind an action.
  ...(['ACTION_MISC', 'ENRICH', 'SCRAPE', 'AI', 'WORKFLOW'] as const).map(
    (action): Cue => ({ intent: 'usage_by_user', w: 5, near: ['WHO', action, 3], none: ['TALK', 'HOWTO'] }),
  ),
  {
    intent: 'usage_by_user',
    w: 4.5,
    all: ['WHICH', 'TEAM_MEMBER'],
    any: [...USAGE, 'MOST', 'CREDIT', 'ACTION_MISC', 'TYPED_ACTION'],
  },
  {
    intent: 'usage_by_user',
    w: 5.5,
    all: ['PER_USER'],
    any: [...USAGE, 'HISTORY', 'PERIOD', 'WHO', 'MOST'],
    none: ['SHARED', 'PRICE', 'LIMIT'],
  },
  { intent: 'usage_by_user', w: 3.5, all: ['EACH', 'TEAM_MEMBER'], any: [...USAGE, 'CREDIT'], none: ['SHARED'] },
  { intent: 'usage_by_user', w: 3, all: ['MOST', 'TEAM_MEMBER'] },
  { intent: 'usage_by_user', w: 6.5, all: ['NAMED_USER'], any: [...USAGE, 'CREDIT'], none: ['TALK', 'CALL_ME'] },
  { intent: 'usage_by_user', w: 2, all: ['TEAM_MEMBER', 'USE'] },
  { intent: 'usage_by_user', w: 1, all: ['WHO', 'CREDIT'] },
  { intent: 'usage_by_user', w: 1, all: ['WHO', 'MOST'] },

  // ---------------------------------------------------------------- usage_by_period
  // Hypothetical or next-cycle use ("if I use...", "can I use them next month") is not a usage report.
  {
    intent: 'usage_by_period',
    w: 2,
    all: ['USE'],
    any: ['CREDIT', 'QUOTA'],
    none: ['IF', 'CYCLE_END', 'HORIZON', 'WILL'],
  },
  {
    intent: 'usage_by_period',
    w: 2,
    all: ['USE', 'PERIOD'],
    none: ['IF', 'CYCLE_END', 'TYPED_ACTION', 'ACTION_MISC', 'BY_TYPE', 'PER_USER', 'NAMED_USER', 'TEAM_MEMBER', 'WHY'],
  },
  { intent: 'usage_by_period', w: 1, all: ['USE'], none: ['IF', 'CYCLE_END', 'HORIZON', 'WILL'] },
  { intent: 'usage_by_period', w: 2.5, all: ['DAILY'], none: [...CONVERSATION_WORDS, 'LIMIT', 'SEND', 'IDENTITY'] },
  { intent: 'usage_by_period', w: 2, all: ['HISTORY'], none: ['INVOICE', 'PER_USER', 'BY_TYPE', 'WHO', 'NAMED_USER'] },
  { intent: 'usage_by_period', w: 1.5, all: ['TOTAL'], any: ['USE', 'CREDIT'] },
  // "how much usage did we rack up this quarter": an amount used over a time span.
  {
    intent: 'usage_by_period',
    w: 2,
    all: ['USE'],
    any: ['HOW_MUCH', 'HOW_MANY', 'TOTAL'],
    any2: ['TIME', 'PERIOD', 'DATE'],
    none: ['IF', 'CYCLE_END', 'TYPED_ACTION', 'ACTION_MISC', 'NAMED_USER', 'PER_USER', 'TEAM_MEMBER', 'WILL', 'NEED'],
  },

  // ---------------------------------------------------------------- usage_spike
  {
    intent: 'usage_spike',
    w: 5,
    all: ['VANISH'],
    any: ['CREDIT', 'BALANCE', 'USE', 'QUOTA'],
    // Credits gone after a pause or cancellation, or at the cycle boundary, are a policy question.
    none: ['UNUSED', 'BY_TYPE', 'PAUSE', 'CANCEL', 'CYCLE_END'],
  },
  { intent: 'usage_spike', w: 2, all: ['VANISH'], none: ['UNUSED', 'BY_TYPE'] },
  { intent: 'usage_spike', w: 4, all: ['SPIKE'], any: ['USE', 'CREDIT', 'BALANCE', 'LOSE'] },
  { intent: 'usage_spike', w: 1.5, all: ['SPIKE'] },
  {
    intent: 'usage_spike',
    w: 3,
    all: ['WHY'],
    any: ['USE', 'VANISH', 'SPIKE', 'LOSE'],
    none: ['TYPED_ACTION', 'PER_UNIT', 'UNUSED'],
  },
  // "my job failed but still charged"; "do I pay for failed lookups?" asks the rule (usage_by_type).
  {
    intent: 'usage_spike',
    w: 3.5,
    all: ['FAILED'],
    any: ['USE', 'CREDIT', 'CHARGED'],
    none: ['REFUND', 'DISPUTE', 'PAY', 'CHARGE'],
  },
  // "why did I get charged 500 credits for a table that errored": a failure that cost credits, with no claim.
  {
    intent: 'usage_spike',
    w: 4,
    all: ['FAILED', 'WHY'],
    any: ['CHARGE', 'CHARGED', 'CREDIT', 'USE'],
    none: ['REFUND', 'DISPUTE', 'IF'],
  },
  { intent: 'usage_spike', w: 2.5, all: ['WHAT_HAPPENED'], any: ['CREDIT', 'BALANCE', 'USE', 'LOSE'] },
  { intent: 'usage_spike', w: 2, all: ['WRONG'], any: ['CREDIT', 'BALANCE', 'USE'], none: ['CHARGED'] },
  { intent: 'usage_spike', w: 1.5, all: ['LOSE'], any: ['SPIKE', 'WHAT_HAPPENED', 'WHY', 'PERIOD'] },
  // "why did we spend 3000 credits today?": asking why about an amount or a period is a complaint.
  {
    intent: 'usage_spike',
    w: 2.5,
    all: ['WHY', 'USE'],
    any: ['AMOUNT', 'PERIOD'],
    none: ['TYPED_ACTION', 'PER_UNIT', 'UNUSED', 'ACTION_MISC', 'NAMED_USER'],
  },
  // "ran it twice by accident and it ate 1500 credits", with no claim: an unexpected consumption.
  { intent: 'usage_spike', w: 3, all: ['MISTAKE'], any: ['USE', 'RUN'], none: ['REFUND', 'DISPUTE', 'CHARGED'] },

  // ---------------------------------------------------------------- conversations_by_identity
  {
    intent: 'conversations_by_identity',
    w: 4,
    all: ['CONVERSATION'],
    any: ['IDENTITY', 'CAMPAIGN', 'NAMED_IDENTITY', 'NAMED_CAMPAIGN'],
    none: ['LIMIT', 'CAPACITY', 'QUOTA', 'SHARED', 'HOW_COUNTED', 'INCLUDE', 'AMOUNT'],
  },
  {
    intent: 'conversations_by_identity',
    w: 2,
    all: ['CONVERSATION'],
    none: ['LIMIT', 'CAPACITY', 'QUOTA', 'SHARED', 'HOW_COUNTED', 'INCLUDE'],
  },
  {
    intent: 'conversations_by_identity',
    w: 1,
    all: ['CONVERSATION'],
    any: ['EACH', 'WHICH', 'MOST', 'PERIOD', 'HOW_MANY'],
  },
  {
    intent: 'conversations_by_identity',
    w: 1.5,
    all: ['IDENTITY'],
    any: ['EACH', 'WHICH', 'MOST'],
    none: ['LIMIT', 'PLAN', 'CREATE', 'NEW'],
  },
  { intent: 'conversations_by_identity', w: 4, all: ['NAMED_IDENTITY'], any: [...CONVERSATION_WORDS, 'SEND', 'USE'] },
  { intent: 'conversations_by_identity', w: 2, all: ['NAMED_CAMPAIGN'] },
  { intent: 'conversations_by_identity', w: 1, all: ['CAMPAIGN'], any: ['SEND', 'MOST'], none: ['CREATE', 'NEW'] },

  // ---------------------------------------------------------------- conversations_limit
  { intent: 'conversations_limit', w: 5, all: ['LIMIT'], any: [...CONVERSATION_WORDS, 'SEND', 'QUOTA'] },
  // "limit per identity?" is the sending cap; "how many identities are we allowed" is the plan (plan_details).
  {
    intent: 'conversations_limit',
    w: 5,
    all: ['LIMIT', 'IDENTITY'],
    none: [...CONVERSATION_WORDS, 'SEND', 'QUOTA', 'HOW_MANY', 'SEAT', 'TEAM_MEMBER'],
  },
  { intent: 'conversations_limit', w: 2, all: ['LIMIT'] },
  { intent: 'conversations_limit', w: 4, all: ['QUOTA'], any: CONVERSATION_WORDS },
  { intent: 'conversations_limit', w: 2.5, all: ['DAILY'], any: [...CONVERSATION_WORDS, 'SEND'] },
  { intent: 'conversations_limit', w: 3, all: ['CAPACITY'], any: [...CONVERSATION_WORDS, 'SEND'] },
  { intent: 'conversations_limit', w: 4, all: ['SHARED'], any: CONVERSATION_WORDS },
  // A shared quota of something other than credits ("¿compartimos las cuotas o cada uno tiene las suyas?").
  { intent: 'conversations_limit', w: 4, all: ['SHARED', 'QUOTA'], none: [...CONVERSATION_WORDS, 'CREDIT', 'BALANCE'] },
  { intent: 'conversations_limit', w: 3, all: ['AMOUNT', 'CONVERSATION'] },
  // "how many conversations does my plan include": the cap that comes with the plan.
  {
    intent: 'conversations_limit',
    w: 5,
    all: ['INCLUDE', 'HOW_MANY'],
    any: CONVERSATION_WORDS,
    none: ['IDENTITY', 'SEAT', 'TEAM_MEMBER'],
  },
  // How conversations are counted is a rule of the cap, not a report.
  { intent: 'conversations_limit', w: 4.5, all: ['HOW_COUNTED'], any: CONVERSATION_WORDS },

  // ---------------------------------------------------------------- forecast_runout
  // "auto top-up when I run low" is a purchase; the run-out is its trigger.
  { intent: 'forecast_runout', w: 4.5, all: ['RUNOUT'], none: ['BUY'] },
  { intent: 'forecast_runout', w: 1.5, all: ['RUNOUT', 'BUY'] },
  { intent: 'forecast_runout', w: 1, all: ['WHEN', 'RUNOUT'] },
  { intent: 'forecast_runout', w: 4, all: ['RATE_PACE'] },
  { intent: 'forecast_runout', w: 1.5, all: ['RATE_PACE', 'LEFT'] },
  // How long purchased credits last is their validity (rollover), unless asked against the pace of use.
  { intent: 'forecast_runout', w: 4, all: ['FORECAST'], none: ['BOUGHT', 'PACK'] },
  { intent: 'forecast_runout', w: 4, all: ['LAST_VERB'], none: ['BOUGHT', 'PACK'] },
  { intent: 'forecast_runout', w: 2, all: ['HOW_LONG'], any: ['CREDIT', 'BALANCE', 'LAST_VERB'] },
  { intent: 'forecast_runout', w: 4, all: ['ENOUGH'], any: ['HORIZON', 'CYCLE_END', 'WILL'] },
  { intent: 'forecast_runout', w: 1, all: ['ENOUGH'] },
  { intent: 'forecast_runout', w: 2, all: ['HORIZON'] },
  // "will we burn through our credits before renewal": future consumption against a horizon.
  { intent: 'forecast_runout', w: 3, all: ['WILL', 'USE'], any: ['HORIZON', 'CYCLE_END'] },
  { intent: 'forecast_runout', w: 4.5, all: ['HOW_MANY', 'NEED'], any: ['CREDIT', 'QUOTA'], none: ['MORE'] },
  { intent: 'forecast_runout', w: 3, all: ['NEED'], any: ['HORIZON', 'CYCLE_END', 'WILL', 'RATE_PACE'] },
  // "will I need to buy more before renewal?": a question about the future, not a purchase.
  { intent: 'forecast_runout', w: 6, all: ['BUY', 'WILL', 'NEED'], any: ['HORIZON', 'CYCLE_END'] },
  // "when do I run out" in any tense; "recharge when I run out" stays a purchase.
  { intent: 'forecast_runout', w: 4.5, all: ['WHEN', 'RUNOUT_PAST'], none: ['BUY'] },

  // ---------------------------------------------------------------- buy_credits
  {
    intent: 'buy_credits',
    w: 4.5,
    all: ['BUY'],
    any: ['CREDIT', 'MORE', 'PACK', 'QUOTA', 'AMOUNT', 'BALANCE'],
    none: ['NEVERMIND', 'PRICE', 'PRICE_Q', 'EXPIRE', 'ROLLOVER', 'APPROVE', 'STATUS', 'WAITING', 'NOT_RECEIVED'],
  },
  {
    intent: 'buy_credits',
    w: 3,
    all: ['BUY'],
    none: ['NEVERMIND', 'APPROVE', 'STATUS', 'WAITING', 'IDENTITY', 'SEAT', 'NOT_RECEIVED'],
  },
  {
    intent: 'buy_credits',
    w: 2,
    all: ['MORE', 'CREDIT'],
    none: ['PRICE', 'PRICE_Q', 'USE', 'WHY', 'SPIKE', 'NEVERMIND', 'UPGRADE', 'HORIZON', 'CYCLE_END', 'PER_UNIT'],
  },
  {
    intent: 'buy_credits',
    w: 2.5,
    all: ['NEED', 'MORE'],
    none: ['NEVERMIND', 'HORIZON', 'CYCLE_END', 'RATE_PACE', 'FORECAST', 'WILL'],
  },
  { intent: 'buy_credits', w: 1, all: ['NEED', 'CREDIT'], none: ['HOW_MANY'] },
  {
    intent: 'buy_credits',
    w: 3,
    all: ['ADD'],
    any: ['CREDIT', 'MORE', 'PACK'],
    none: ['IDENTITY', 'TEAM_MEMBER', 'SEAT', 'NEVERMIND', 'PRICE', 'PRICE_Q', 'UNUSED', 'CYCLE_END', 'ROLLOVER'],
  },
  { intent: 'buy_credits', w: 2, all: ['RUNOUT_PAST'] },
  { intent: 'buy_credits', w: 2, all: ['PACK'], any: ['ADD', 'BUY', 'MORE'], none: ['PRICE', 'PRICE_Q', 'NEVERMIND'] },
  // "add 1000 credits": a quantity to add.
  { intent: 'buy_credits', w: 2, all: ['ADD', 'AMOUNT', 'CREDIT'], none: ['NEVERMIND', 'PRICE', 'PRICE_Q'] },

  // ---------------------------------------------------------------- change_plan
  { intent: 'change_plan', w: 4.5, all: ['UPGRADE'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 4.5, all: ['DOWNGRADE'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 4, all: ['CHANGE'], any: ['PLAN', 'TIER', 'NAMED_PLAN'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 4, all: ['CHANGE'], any: ['ANNUAL', 'MONTHLY'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 1.5, all: ['PLAN_CHANGED'], none: ['BALANCE', 'LEFT', 'NOT_RECEIVED'] },
  { intent: 'price', w: 1.5, any: ['UPGRADE', 'DOWNGRADE', 'CHANGE'], all: ['PRICE'] },
  { intent: 'change_plan', w: 1, all: ['PLAN'], any: ['ANNUAL', 'MONTHLY', 'TIER', 'NAMED_PLAN'] },
  // "if I upgrade, do I pay full price or prorated?": how a plan change is billed.
  { intent: 'change_plan', w: 5, all: ['PRORATE'], any: ['UPGRADE', 'DOWNGRADE', 'CHANGE', 'PLAN'], none: ['REFUND'] },
  { intent: 'change_plan', w: 2, all: ['WANT'], any: ['TIER', 'NAMED_PLAN'] },
  {
    intent: 'change_plan',
    w: 3,
    all: ['WANT', 'PLAN'],
    any: ['MORE', 'UPGRADE', 'TIER', 'NAMED_PLAN', 'ANNUAL', 'MONTHLY'],
    none: ['CHECK', 'PLAN_WHICH', 'PRICE', 'INCLUDE', 'NEG_REQ'],
  },
  { intent: 'change_plan', w: 2, all: ['PAUSE'], any: ['PLAN'] },
  // More identities or seats means a bigger plan ("can I add more identities", "we need 2 more seats").
  {
    intent: 'change_plan',
    w: 4,
    all: ['IDENTITY'],
    any: ['MORE', 'BUY'],
    none: ['PRICE', 'PRICE_Q', 'CONVERSATION', 'LIMIT', 'NEW', 'CREATE'],
  },
  {
    intent: 'change_plan',
    w: 4,
    all: ['SEAT'],
    any: ['MORE', 'BUY', 'ADD', 'NEED', 'DOWNGRADE', 'CHANGE', 'CREATE'],
    none: ['PRICE', 'PRICE_Q'],
  },
  { intent: 'change_plan', w: 2, all: ['ADD'], any: ['IDENTITY'], none: ['NEW', 'CREATE'] },
  {
    intent: 'change_plan',
    w: 3,
    all: ['CANCEL', 'PLAN'],
    none: ['REQUEST', 'BUY', 'CHARGED', 'RESET', 'NEG_REQ', 'KEEP', 'LOSE', 'WHAT_HAPPENS'],
  },
  { intent: 'change_plan', w: 0.5, all: ['CHANGE'] },
  // "if I downgrade will I lose/keep my credits": the condition's action decides.
  {
    intent: 'change_plan',
    w: 2,
    all: ['IF'],
    any: ['UPGRADE', 'DOWNGRADE'],
    none: ['DATE', 'CYCLE_END', 'UNUSED', 'WHAT_HAPPENS', 'ROLLOVER'],
  },

  // ---------------------------------------------------------------- talk_to_human
  { intent: 'talk_to_human', w: 10, all: ['ESCALATE'] },
  { intent: 'talk_to_human', w: 10, all: ['TALK'], any: ['HUMAN', 'SUPPORT', 'SOMEONE'] },
  { intent: 'talk_to_human', w: 10, all: ['CALL_ME'] },
  { intent: 'talk_to_human', w: 5, all: ['HUMAN'], any: ['BOT', 'BOT_COMPLAINT'] },
  // Asking a person or support to look into something is an escalation, whatever the topic.
  { intent: 'talk_to_human', w: 10, all: ['SOMEONE'], any: ['SUPPORT', 'HUMAN', 'REVIEW'] },
  { intent: 'talk_to_human', w: 10, all: ['HUMAN'], any: ['REVIEW', 'CALL_ME'] },
  { intent: 'talk_to_human', w: 10, all: ['SUPPORT', 'REVIEW'] },
  { intent: 'talk_to_human', w: 3, all: ['WANT'], any: ['HUMAN', 'SOMEONE'] },
  { intent: 'talk_to_human', w: 3, all: ['NEED'], any: ['HUMAN', 'SOMEONE'] },
  { intent: 'talk_to_human', w: 1, all: ['HUMAN'] },
  { intent: 'talk_to_human', w: 1.2, all: ['SUPPORT'] },
  // "human", "agent please", "a human": the whole message is the request.
  { intent: 'talk_to_human', w: 3, all: ['SHORT'], any: ['HUMAN', 'SOMEONE', 'SUPPORT'] },
  { intent: 'talk_to_human', w: 3, all: ['BOT_COMPLAINT'] },
  // "quiero poner una queja con un responsable": a complaint to be heard by a person, not a disputed charge.
  {
    intent: 'talk_to_human',
    w: 4,
    all: ['DISPUTE', 'HUMAN'],
    none: ['CHARGE', 'CHARGED', 'CREDIT', 'REFUND', 'BILLING', 'MONEY'],
  },
  { intent: 'talk_to_human', w: 1, all: ['TALK'] },
  // "who can I contact about...", "where do I reach someone".
  { intent: 'talk_to_human', w: 3.5, all: ['TALK'], any: ['WHO', 'WHERE'] },

  // ---------------------------------------------------------------- refund_or_dispute
  { intent: 'refund_or_dispute', w: 6, all: ['REFUND'] },
  { intent: 'refund_or_dispute', w: 2, all: ['REFUND'], any: ['LOSE', 'KEEP', 'IF'] },
  { intent: 'refund_or_dispute', w: 5, all: ['DISPUTE'] },
  {
    intent: 'refund_or_dispute',
    w: 4,
    all: ['CHARGED'],
    any: ['WRONG', 'NO_RESULT', 'MISTAKE', 'DISPUTE', 'CANCEL', 'FAILED', 'UNUSED', 'NOT_RECEIVED'],
  },
  { intent: 'refund_or_dispute', w: 2, all: ['CHARGED'], none: ['TYPED_ACTION', 'PER_UNIT'] },
  { intent: 'refund_or_dispute', w: 2, all: ['NO_RESULT'], any: ['CREDIT', 'CHARGED', 'USE'] },
  { intent: 'refund_or_dispute', w: 2, all: ['MISTAKE'], any: ['USE', 'CREDIT'] },

  // ---------------------------------------------------------------- request_status
  { intent: 'request_status', w: 5, all: ['STATUS'], any: REQUEST_TOPICS, none: ['CANCEL', 'NEVERMIND'] },
  { intent: 'request_status', w: 2.5, all: ['STATUS'], none: ['CANCEL', 'NEVERMIND'] },
  // "can you confirm how many I have" asks for a figure, not about an approval.
  { intent: 'request_status', w: 6, all: ['APPROVE'], none: ['IF', 'HOW_MANY', 'HOW_MUCH'] },
  // Waiting on credits with no request in sight is their arrival (renewal or purchase), not a request follow-up.
  { intent: 'request_status', w: 4, all: ['WAITING'], none: ['CREDIT', 'BALANCE'] },
  {
    intent: 'request_status',
    w: 4,
    all: ['WAITING'],
    any: ['REQUEST', 'REQUEST_REF', 'APPROVE', 'UPGRADE', 'DOWNGRADE'],
  },
  { intent: 'request_status', w: 2, all: ['WAITING'], any: REQUEST_TOPICS },
  { intent: 'request_status', w: 3, all: ['REQUEST'], any: ['WHAT_HAPPENED', 'WHERE'] },
  {
    intent: 'request_status',
    w: 3,
    all: ['REQUEST_REF'],
    any: ['WHAT_HAPPENED', 'WHERE', 'STATUS', 'WAITING', 'APPROVE', 'WHEN'],
  },

  // ---------------------------------------------------------------- cancel_request
  {
    intent: 'cancel_request',
    w: 6,
    all: ['CANCEL'],
    any: ['REQUEST', 'BUY', 'UPGRADE', 'DOWNGRADE', 'CHANGE', 'NEG_REQ'],
    none: ['CHARGED', 'RESET'],
  },
  { intent: 'cancel_request', w: 4, all: ['NEVERMIND'] },
  { intent: 'cancel_request', w: 2, all: ['NEVERMIND'], any: REQUEST_TOPICS },
  { intent: 'cancel_request', w: 2, all: ['CANCEL'], none: ['PLAN', 'CHARGED', 'IF', 'WHAT_HAPPENS'] },

  // ---------------------------------------------------------------- small talk
  { intent: 'greeting', w: 1.2, all: ['GREETING'] },
  { intent: 'thanks', w: 1.3, all: ['THANKS'] },
  { intent: 'thanks', w: 1.2, all: ['ACK', 'SHORT'] },

  // ---------------------------------------------------------------- out of scope
  { intent: 'other_out_of_scope', w: 15, all: ['INJECTION'] },
  { intent: 'other_out_of_scope', w: 4.5, all: ['INVOICE'] },
  { intent: 'other_out_of_scope', w: 5, all: ['BILLING_INFO'] },
  // The card as context of a question about credits ("if my card declines, do I lose my balance?").
  {
    intent: 'other_out_of_scope',
    w: 3,
    all: ['PAYMENT_METHOD'],
    none: ['DISPUTE', 'REFUND', 'CHARGED', 'LOSE', 'KEEP', 'WHAT_HAPPENS', 'EXPIRE'],
  },
  // "charge the card on file for 1000 more credits": the card is how a purchase is paid.
  { intent: 'other_out_of_scope', w: 2, all: ['PAYMENT_METHOD'], none: ['BUY', 'ADD'] },
  // "how many identities can I connect" is about the plan's capacity, not an integration how-to.
  // An integration named while asking about credits ("the extension shows 0 credits") is about the credits.
  {
    intent: 'other_out_of_scope',
    w: 4,
    all: ['INTEGRATION'],
    none: ['TALK', 'HUMAN', 'HOW_MANY', 'CAPACITY', 'CREDIT', 'BALANCE', 'INCLUDE', 'TYPED_ACTION'],
  },
  { intent: 'other_out_of_scope', w: 4.5, all: ['ACCOUNT_ADMIN'] },
  { intent: 'other_out_of_scope', w: 4, all: ['CAMPAIGN'], any: ['CREATE', 'NEW'], none: CONVERSATION_WORDS },
  { intent: 'other_out_of_scope', w: 4, all: ['IDENTITY'], any: ['CREATE', 'NEW'], none: CONVERSATION_WORDS },
  { intent: 'other_out_of_scope', w: 1.5, all: ['DOWNLOAD'] },
];

/** Tie-break order: the more consequential or explicit intent first. */
const PRIORITY: readonly Intent[] = [
  'other_out_of_scope',
  'talk_to_human',
  'refund_or_dispute',
  'cancel_request',
  'request_status',
  'change_plan',
  'buy_credits',
  'rollover_policy',
  'renewal_date',
  'forecast_runout',
  'usage_spike',
  'usage_by_user',
  'usage_by_type',
  'usage_by_period',
  'conversations_limit',
  'conversations_by_identity',
  'price',
  'plan_details',
  'balance',
  'thanks',
  'greeting',
];
const PRIORITY_RANK = new Map(PRIORITY.map((intent, i) => [intent, i]));

export interface Occ {
  concept: Concept;
  pos: number;
}

function nearFires(occurrences: readonly Occ[], [a, b, max]: [Concept, Concept, number]): boolean {
  for (const x of occurrences) {
    if (x.concept !== a) continue;
    for (const y of occurrences) {
      if (y.concept === b && y.pos > x.pos && y.pos - x.pos <= max) return true;
    }
  }
  return false;
}

export interface Ranked {
  intent: Intent;
  score: number;
}

/** All intents with a positive score, best first. */
export function scoreIntents(concepts: ReadonlySet<Concept>, occurrences: readonly Occ[]): Ranked[] {
  const scores = new Map<Intent, number>();
  for (const cue of CUES) {
    if (cue.all && !cue.all.every((c) => concepts.has(c))) continue;
    if (cue.any && !cue.any.some((c) => concepts.has(c))) continue;
    if (cue.any2 && !cue.any2.some((c) => concepts.has(c))) continue;
    if (cue.none?.some((c) => concepts.has(c))) continue;
    if (cue.near && !nearFires(occurrences, cue.near)) continue;
    scores.set(cue.intent, (scores.get(cue.intent) ?? 0) + cue.w);
  }
  return [...scores.entries()]
    .filter(([, s]) => s > 0)
    .map(([intent, score]) => ({ intent, score }))
    .sort((x, y) => y.score - x.score || (PRIORITY_RANK.get(x.intent) ?? 99) - (PRIORITY_RANK.get(y.intent) ?? 99));
}

/**
 * Intent scoring: weighted cues over concepts.
 *
 * A cue fires when all of `all`, at least one of `any` and none of `none` are present (and, for `near`, the
 * first concept precedes the second within a few tokens). An intent's score is the sum of its fired cues.
 * Weights follow a scale:
 *   6–12  decisive, explicit words that override the topic (prompt injection, "escalate", "refund",
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
 * - Greetings and thanks only win when nothing else is asked.
 */
import type { Concept } from './concepts.ts';
import type { Intent } from './types.ts';

interface Cue {
  intent: Intent;
  w: number;
  all?: Concept[];
  any?: Concept[];
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
    none: ['HORIZON', 'RUNOUT', 'LOSE', 'KEEP', 'WHAT_HAPPENS', 'CYCLE_END'],
  },
  { intent: 'balance', w: 2, all: ['LEFT', 'BALANCE'] },
  { intent: 'balance', w: 1.5, all: ['LEFT'], none: ['CONVERSATION'] },
  { intent: 'balance', w: 1, all: ['LEFT', 'USE'] },
  {
    intent: 'balance',
    w: 3.5,
    all: ['BALANCE'],
    none: ['RUNOUT', 'RUNOUT_PAST', 'VANISH', 'LAST_VERB', 'RESET', 'BUY', 'ADD'],
  },
  { intent: 'balance', w: 3, all: ['HOW_MANY', 'CREDIT', 'HAVE'], none: ['USE', 'NEED', 'INCLUDE', 'PLAN', 'UNUSED'] },
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
  { intent: 'balance', w: 2, all: ['NOT_RECEIVED'] },
  { intent: 'balance', w: 2, all: ['BOUGHT', 'STILL'] },
  { intent: 'balance', w: 1.2, all: ['CREDIT'] },

  // ---------------------------------------------------------------- plan_details
  { intent: 'plan_details', w: 4, all: ['PLAN_WHICH'] },
  { intent: 'plan_details', w: 4, all: ['INCLUDE', 'PLAN'] },
  { intent: 'plan_details', w: 1.5, all: ['INCLUDE'], none: ['ACCUMULATED'] },
  {
    intent: 'plan_details',
    w: 2.5,
    all: ['INCLUDE'],
    any: ['IDENTITY', 'SEAT', 'CONVERSATION', 'CREDIT', 'TEAM_MEMBER'],
    none: ['ACCUMULATED'],
  },
  { intent: 'plan_details', w: 4, all: ['SEAT'], none: ['BUY', 'ADD', 'MORE', 'UPGRADE'] },
  { intent: 'plan_details', w: 1.5, all: ['SEAT'] },
  {
    intent: 'plan_details',
    w: 4.5,
    all: ['SHARED'],
    any: ['CREDIT', 'PLAN', 'BALANCE', 'TEAM_MEMBER', 'PER_USER'],
    none: ['CONVERSATION', 'MESSAGE', 'QUOTA', 'LIMIT'],
  },
  { intent: 'plan_details', w: 3.5, all: ['DIFFERENCE'], any: ['TEAM_MEMBER', 'IDENTITY', 'PLAN', 'CREDIT', 'SEAT'] },
  {
    intent: 'plan_details',
    w: 3,
    all: ['HOW_MANY', 'IDENTITY'],
    any: ['PLAN', 'HAVE', 'INCLUDE'],
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
  { intent: 'renewal_date', w: 3, all: ['WHEN', 'RESET'] },
  { intent: 'renewal_date', w: 4, all: ['RESET', 'DATE'] },
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
    w: 1,
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
  { intent: 'rollover_policy', w: 3, all: ['RESET'], any: ['LOSE', 'KEEP', 'WHAT_HAPPENS', 'UNUSED', 'EXPIRE'] },
  // Whether purchased/add-on credits reset too, or stay during a pause, is a policy question.
  { intent: 'rollover_policy', w: 3, all: ['RESET'], any: ['BOUGHT', 'MORE'], none: ['WHEN', 'DATE'] },
  { intent: 'rollover_policy', w: 3, all: ['PAUSE'], any: ['KEEP', 'LOSE', 'WHAT_HAPPENS', 'UNUSED', 'EXPIRE'] },
  {
    intent: 'rollover_policy',
    w: 1.5,
    all: ['KEEP'],
    any: ['CREDIT', 'BALANCE'],
    none: ['UPGRADE', 'DOWNGRADE', 'CHANGE', 'REFUND'],
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
    any: [...USAGE, 'CHARGE', 'PRICE', 'PRICE_Q'],
    none: SPIKE_SIGNS,
  },
  { intent: 'usage_by_type', w: 2, all: ['TYPED_ACTION', 'CREDIT'] },
  { intent: 'usage_by_type', w: 1, all: ['ACTION_MISC', 'CREDIT'] },
  { intent: 'usage_by_type', w: 2.5, all: ['PER_UNIT'], any: ['CREDIT', ...USAGE, 'PRICE', 'CHARGE'] },
  { intent: 'usage_by_type', w: 5, all: ['BY_TYPE'] },
  { intent: 'usage_by_type', w: 4.5, all: ['HOW_COUNTED'], none: CONVERSATION_WORDS },
  { intent: 'usage_by_type', w: 1, all: ['TYPED_ACTION', 'HOW_MANY'] },

  // ---------------------------------------------------------------- usage_by_user
  { intent: 'usage_by_user', w: 5, near: ['WHO', 'USE', 5] },
  { intent: 'usage_by_user', w: 5, near: ['WHO', 'RUN', 4] },
  { intent: 'usage_by_user', w: 4.5, all: ['WHICH', 'TEAM_MEMBER'], any: [...USAGE, 'MOST', 'CREDIT'] },
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
  { intent: 'usage_by_user', w: 1.5, all: ['TEAM_MEMBER', 'USE'] },
  { intent: 'usage_by_user', w: 1, all: ['WHO', 'CREDIT'] },
  { intent: 'usage_by_user', w: 1, all: ['WHO', 'MOST'] },

  // ---------------------------------------------------------------- usage_by_period
  // Hypothetical or next-cycle use ("if I use...", "can I use them next month") is not a usage report.
  { intent: 'usage_by_period', w: 2, all: ['USE'], any: ['CREDIT', 'QUOTA'], none: ['IF', 'CYCLE_END'] },
  {
    intent: 'usage_by_period',
    w: 2,
    all: ['USE', 'PERIOD'],
    none: ['IF', 'CYCLE_END', 'TYPED_ACTION', 'BY_TYPE', 'PER_USER', 'NAMED_USER', 'TEAM_MEMBER'],
  },
  { intent: 'usage_by_period', w: 1, all: ['USE'], none: ['IF', 'CYCLE_END'] },
  { intent: 'usage_by_period', w: 2.5, all: ['DAILY'], none: [...CONVERSATION_WORDS, 'LIMIT', 'SEND', 'IDENTITY'] },
  { intent: 'usage_by_period', w: 2, all: ['HISTORY'], none: ['INVOICE', 'PER_USER', 'BY_TYPE', 'WHO', 'NAMED_USER'] },
  { intent: 'usage_by_period', w: 1.5, all: ['TOTAL'], any: ['USE', 'CREDIT'] },

  // ---------------------------------------------------------------- usage_spike
  {
    intent: 'usage_spike',
    w: 5,
    all: ['VANISH'],
    any: ['CREDIT', 'BALANCE', 'USE', 'QUOTA'],
    none: ['UNUSED', 'BY_TYPE'],
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
  { intent: 'usage_spike', w: 3.5, all: ['FAILED'], any: ['USE', 'CREDIT', 'CHARGED'], none: ['REFUND', 'DISPUTE'] },
  { intent: 'usage_spike', w: 2.5, all: ['WHAT_HAPPENED'], any: ['CREDIT', 'BALANCE', 'USE', 'LOSE'] },
  { intent: 'usage_spike', w: 2, all: ['WRONG'], any: ['CREDIT', 'BALANCE', 'USE'], none: ['CHARGED'] },
  { intent: 'usage_spike', w: 1.5, all: ['LOSE'], any: ['SPIKE', 'WHAT_HAPPENED', 'WHY', 'PERIOD'] },

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
  { intent: 'conversations_limit', w: 5, all: ['LIMIT'], any: [...CONVERSATION_WORDS, 'IDENTITY', 'SEND', 'QUOTA'] },
  { intent: 'conversations_limit', w: 2, all: ['LIMIT'] },
  { intent: 'conversations_limit', w: 4, all: ['QUOTA'], any: CONVERSATION_WORDS },
  { intent: 'conversations_limit', w: 2.5, all: ['DAILY'], any: [...CONVERSATION_WORDS, 'SEND'] },
  { intent: 'conversations_limit', w: 3, all: ['CAPACITY'], any: [...CONVERSATION_WORDS, 'SEND', 'IDENTITY'] },
  { intent: 'conversations_limit', w: 4, all: ['SHARED'], any: [...CONVERSATION_WORDS, 'QUOTA'] },
  { intent: 'conversations_limit', w: 3, all: ['AMOUNT', 'CONVERSATION'] },
  // How conversations are counted is a rule of the cap, not a report.
  { intent: 'conversations_limit', w: 4.5, all: ['HOW_COUNTED'], any: CONVERSATION_WORDS },

  // ---------------------------------------------------------------- forecast_runout
  { intent: 'forecast_runout', w: 4.5, all: ['RUNOUT'] },
  { intent: 'forecast_runout', w: 1, all: ['WHEN', 'RUNOUT'] },
  { intent: 'forecast_runout', w: 4, all: ['RATE_PACE'] },
  { intent: 'forecast_runout', w: 1.5, all: ['RATE_PACE', 'LEFT'] },
  { intent: 'forecast_runout', w: 4, all: ['FORECAST'] },
  { intent: 'forecast_runout', w: 4, all: ['LAST_VERB'] },
  { intent: 'forecast_runout', w: 2, all: ['HOW_LONG'], any: ['CREDIT', 'BALANCE', 'LAST_VERB'] },
  { intent: 'forecast_runout', w: 4, all: ['ENOUGH'], any: ['HORIZON', 'CYCLE_END', 'WILL'] },
  { intent: 'forecast_runout', w: 1, all: ['ENOUGH'] },
  { intent: 'forecast_runout', w: 2, all: ['HORIZON'] },
  { intent: 'forecast_runout', w: 4.5, all: ['HOW_MANY', 'NEED'], any: ['CREDIT', 'QUOTA'], none: ['MORE'] },
  { intent: 'forecast_runout', w: 3, all: ['NEED'], any: ['HORIZON', 'CYCLE_END', 'WILL', 'RATE_PACE'] },
  // "when do I run out" in any tense; "recharge when I run out" stays a purchase.
  { intent: 'forecast_runout', w: 4.5, all: ['WHEN', 'RUNOUT_PAST'], none: ['BUY'] },

  // ---------------------------------------------------------------- buy_credits
  {
    intent: 'buy_credits',
    w: 4.5,
    all: ['BUY'],
    any: ['CREDIT', 'MORE', 'PACK', 'QUOTA', 'AMOUNT', 'BALANCE'],
    none: ['NEVERMIND', 'PRICE', 'PRICE_Q', 'EXPIRE', 'ROLLOVER', 'APPROVE', 'STATUS', 'WAITING'],
  },
  {
    intent: 'buy_credits',
    w: 3,
    all: ['BUY'],
    none: ['NEVERMIND', 'APPROVE', 'STATUS', 'WAITING', 'IDENTITY', 'SEAT'],
  },
  {
    intent: 'buy_credits',
    w: 2,
    all: ['MORE', 'CREDIT'],
    none: ['PRICE', 'PRICE_Q', 'USE', 'WHY', 'SPIKE', 'NEVERMIND', 'UPGRADE', 'HORIZON', 'CYCLE_END'],
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
    any: ['CREDIT', 'MORE'],
    none: ['IDENTITY', 'TEAM_MEMBER', 'SEAT', 'NEVERMIND', 'PRICE', 'PRICE_Q'],
  },
  { intent: 'buy_credits', w: 2, all: ['RUNOUT_PAST'] },

  // ---------------------------------------------------------------- change_plan
  { intent: 'change_plan', w: 4.5, all: ['UPGRADE'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 4.5, all: ['DOWNGRADE'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 4, all: ['CHANGE'], any: ['PLAN', 'TIER', 'NAMED_PLAN'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 4, all: ['CHANGE'], any: ['ANNUAL', 'MONTHLY'], none: PLAN_CHANGE_EXCLUDES },
  { intent: 'change_plan', w: 1.5, all: ['PLAN_CHANGED'], none: ['BALANCE', 'LEFT', 'NOT_RECEIVED'] },
  { intent: 'price', w: 1.5, any: ['UPGRADE', 'DOWNGRADE', 'CHANGE'], all: ['PRICE'] },
  { intent: 'change_plan', w: 1, all: ['PLAN'], any: ['ANNUAL', 'MONTHLY', 'TIER', 'NAMED_PLAN'] },
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
  { intent: 'change_plan', w: 4, all: ['SEAT'], any: ['MORE', 'BUY', 'ADD', 'NEED'], none: ['PRICE', 'PRICE_Q'] },
  { intent: 'change_plan', w: 2, all: ['ADD'], any: ['IDENTITY'], none: ['NEW', 'CREATE'] },
  { intent: 'change_plan', w: 3, all: ['CANCEL', 'PLAN'], none: ['REQUEST', 'BUY', 'CHARGED', 'RESET', 'NEG_REQ'] },
  { intent: 'change_plan', w: 0.5, all: ['CHANGE'] },
  // "if I downgrade will I lose/keep my credits": the condition's action decides.
  { intent: 'change_plan', w: 2, all: ['IF'], any: ['UPGRADE', 'DOWNGRADE'], none: ['DATE', 'CYCLE_END', 'UNUSED'] },

  // ---------------------------------------------------------------- talk_to_human
  { intent: 'talk_to_human', w: 7, all: ['ESCALATE'] },
  { intent: 'talk_to_human', w: 6, all: ['TALK'], any: ['HUMAN', 'SUPPORT', 'SOMEONE'] },
  { intent: 'talk_to_human', w: 6, all: ['CALL_ME'] },
  { intent: 'talk_to_human', w: 5, all: ['HUMAN'], any: ['BOT', 'BOT_COMPLAINT'] },
  { intent: 'talk_to_human', w: 5, all: ['SOMEONE'], any: ['SUPPORT', 'HUMAN', 'REVIEW'] },
  { intent: 'talk_to_human', w: 5, all: ['HUMAN'], any: ['REVIEW', 'CALL_ME'] },
  { intent: 'talk_to_human', w: 3, all: ['WANT'], any: ['HUMAN', 'SOMEONE'] },
  { intent: 'talk_to_human', w: 1, all: ['HUMAN'] },
  { intent: 'talk_to_human', w: 1, all: ['SUPPORT'] },
  // "human", "agent please", "a human": the whole message is the request.
  { intent: 'talk_to_human', w: 3, all: ['SHORT'], any: ['HUMAN', 'SOMEONE', 'SUPPORT'] },
  { intent: 'talk_to_human', w: 3, all: ['BOT_COMPLAINT'] },
  { intent: 'talk_to_human', w: 1, all: ['TALK'] },

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
  { intent: 'request_status', w: 6, all: ['APPROVE'], none: ['IF'] },
  { intent: 'request_status', w: 4, all: ['WAITING'] },
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
  { intent: 'other_out_of_scope', w: 12, all: ['INJECTION'] },
  { intent: 'other_out_of_scope', w: 4.5, all: ['INVOICE'] },
  { intent: 'other_out_of_scope', w: 5, all: ['BILLING_INFO'] },
  { intent: 'other_out_of_scope', w: 5, all: ['PAYMENT_METHOD'] },
  { intent: 'other_out_of_scope', w: 4, all: ['INTEGRATION'], none: ['TALK', 'HUMAN'] },
  { intent: 'other_out_of_scope', w: 4.5, all: ['ACCOUNT_ADMIN'] },
  { intent: 'other_out_of_scope', w: 4, all: ['CAMPAIGN'], any: ['CREATE', 'NEW'], none: CONVERSATION_WORDS },
  { intent: 'other_out_of_scope', w: 4, all: ['IDENTITY'], any: ['CREATE', 'NEW'], none: CONVERSATION_WORDS },
  { intent: 'other_out_of_scope', w: 1.5, all: ['DOWNLOAD'] },
];

export const INTENTS: readonly Intent[] = [
  'balance',
  'plan_details',
  'price',
  'renewal_date',
  'rollover_policy',
  'usage_by_type',
  'usage_by_user',
  'usage_by_period',
  'usage_spike',
  'conversations_by_identity',
  'conversations_limit',
  'forecast_runout',
  'buy_credits',
  'change_plan',
  'talk_to_human',
  'refund_or_dispute',
  'request_status',
  'cancel_request',
  'greeting',
  'thanks',
  'other_out_of_scope',
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
    if (cue.none?.some((c) => concepts.has(c))) continue;
    if (cue.near && !nearFires(occurrences, cue.near)) continue;
    scores.set(cue.intent, (scores.get(cue.intent) ?? 0) + cue.w);
  }
  return [...scores.entries()]
    .filter(([, s]) => s > 0)
    .map(([intent, score]) => ({ intent, score }))
    .sort((x, y) => y.score - x.score || (PRIORITY_RANK.get(x.intent) ?? 99) - (PRIORITY_RANK.get(y.intent) ?? 99));
}

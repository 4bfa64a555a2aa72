/**
 * Public types of the deterministic NLU engine (no LLM, no I/O).
 * `understand()` maps one customer chat message, in English or Spanish, to an intent and slots.
 */

export type Lang = 'en' | 'es';

/** Every intent the bot knows, in one list (the type below and the LLM's schema come from it). */
export const INTENTS = [
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
] as const;

export type Intent = (typeof INTENTS)[number];

export type PeriodSlot =
  | { kind: 'today' }
  | { kind: 'yesterday' }
  | { kind: 'this_week' }
  | { kind: 'last_week' }
  | { kind: 'this_month' }
  | { kind: 'last_month' }
  /** "last 7 days", "últimos 30 días", "past two weeks" => 14 */
  | { kind: 'last_n_days'; days: number }
  /** A named month: "in october", "en marzo de 2026" (month 1-12). */
  | { kind: 'month'; month: number; year?: number }
  | { kind: 'this_year' }
  /** Credit periods (top-up to top-up): "the previous billing period", "el ciclo anterior" (compound questions). */
  | { kind: 'current_period' }
  | { kind: 'previous_period' };

export type ActionTypeSlot =
  | 'scraping'
  | 'company_scraping'
  | 'contact_scraping'
  | 'enrichment'
  | 'ai_variable'
  | 'workflow';

export interface NamedEntity {
  id: string;
  name: string;
}

export interface EntityDictionary {
  users: NamedEntity[];
  identities: NamedEntity[];
  campaigns: NamedEntity[];
  plans: NamedEntity[];
}

export interface Slots {
  period?: PeriodSlot;
  actionType?: ActionTypeSlot;
  /** Integer the customer mentions ("500 contacts", "2.000 créditos", "1,500", "3k"). */
  amount?: number;
  /** A plan from the dictionary, or a generic target such as 'annual'/'anual' when not in it. */
  targetPlan?: { id?: string; name: string };
  /** A team member named in the text, fuzzy-matched against the dictionary (first name alone is enough). */
  user?: NamedEntity;
  identity?: NamedEntity;
  campaign?: NamedEntity;
}

/** What else a message says, beyond its intent (./signals.ts): when a person should take over. */
export interface Signals {
  asksForPerson?: boolean;
  frustrated?: boolean;
  customOffer?: boolean;
  exception?: boolean;
  invoice?: boolean;
}

export type Metric = 'credits' | 'conversations';

/** What one figure is about: a period (none: the current credit period) and at most one of each filter. */
export interface Selector {
  period?: PeriodSlot;
  actionType?: ActionTypeSlot;
  user?: NamedEntity;
  identity?: NamedEntity;
  campaign?: NamedEntity;
}

export type RankBy = 'user' | 'type' | 'identity' | 'campaign';
export type GroupBy = 'day' | RankBy;
export type PlanField = 'price' | 'credits' | 'identities';

/**
 * A compound question, read by ./compound.ts: an operator over operands (selectors) with a metric. The answer
 * is computed from the credit domain; `ask` is an ordinary single question inside a `multi`.
 */
export type Frame =
  | { op: 'total'; metric: Metric; sel: Selector }
  /**
   * two or more selectors side by side; `explicit` when the customer asked to compare ("vs", "more than"),
   * `combined` when they asked for the sum ("together", "en total"), `asShare` for each one's share of the whole
   */
  | { op: 'compare'; metric: Metric; items: Selector[]; explicit: boolean; combined?: boolean; asShare?: boolean }
  /** members of a dimension ordered by the metric; n: how many were asked for (undefined: all, or the one) */
  | { op: 'rank'; metric: Metric; by: RankBy; order: 'desc' | 'asc'; n?: number; sel: Selector }
  | { op: 'share'; metric: Metric; sel: Selector; of: 'plan' | 'total' | 'limit' }
  | { op: 'average'; metric: Metric; sel: Selector }
  /** a time series (a chart), day by day or month by month */
  | { op: 'series'; metric: Metric; sel: Selector; step: 'day' | 'month' }
  /**
   * a catalog plan's terms (or the customer's own: 'current'); `vs`: the difference from the current plan (or from
   * `against`, a second plan) first
   */
  | {
      op: 'plan';
      plan: NamedEntity | 'current';
      fields: PlanField[];
      vs: boolean;
      against?: NamedEntity;
      /** "is it worth moving to it?": with what it would have cost on past usage */
      advise?: boolean;
    }
  | { op: 'advice' }
  | { op: 'export'; groupBy: GroupBy; sel: Selector }
  | { op: 'ask'; intent: Intent; slots: Slots }
  | { op: 'multi'; parts: Frame[] };

export interface NluResult {
  intent: Intent;
  /** 0..1 */
  confidence: number;
  /** Detected language of the message. */
  lang: Lang;
  slots: Slots;
  /** Next best intents, best first (for offering choices when unsure). */
  alternatives: { intent: Intent; score: number }[];
  /** Set by understand(); absent on results built elsewhere (button presses). */
  signals?: Signals;
  /** A compound question (comparison, ranking, share, average, chart, plan, advice, export, several asks). */
  frame?: Frame;
}

export interface NluContext {
  entities?: EntityDictionary;
  langHint?: Lang;
}

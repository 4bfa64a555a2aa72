/** Shapes of the credit domain, as the platform API and the chat see them (docs/contract.md). */

export const USAGE_TYPES = ['company_scraping', 'contact_scraping', 'enrichment', 'ai_variable', 'workflow'] as const;
export type UsageType = (typeof USAGE_TYPES)[number];

export interface Money {
  /** integer minor units (44900 = 449.00) */
  amount: number;
  /** ISO 4217 */
  currency: string;
}

export interface PlanTerms {
  id?: string | null;
  name: string;
  monthlyCredits: number;
  price: Money;
  identities: number;
  conversationsPerIdentity: number;
}

export interface AccountInfo {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
  topUpDay: number;
  createdAt: Date;
  accountManager: { slackUserId: string; name: string; email?: string | null } | null;
}

export interface PlanAssignmentRow extends PlanTerms {
  effectiveFrom: Date;
}

export interface CreditState {
  accountId: string;
  plan: PlanTerms;
  period: { start: string; end: string };
  nextTopUpAt: string;
  credits: {
    plan: number;
    addOn: number;
    accumulated: number;
    balance: number;
    usedThisPeriod: number;
    overage: number;
  };
  conversations: {
    limitPerIdentity: number;
    byIdentity: { identityId: string; name: string; used: number; limit: number }[];
  };
  /** Extra: the plan change scheduled for the next top-up, if any. */
  scheduledPlan?: (PlanTerms & { effectiveFrom: string }) | null;
  /** Extra: the account's time zone and locale, for presenting the figures. */
  timeZone: string;
  locale: string;
  /** Extra: the active grants with what is left of each. */
  grants: {
    id: string;
    kind: 'plan' | 'carryover' | 'addon' | 'adjustment';
    credits: number;
    remaining: number;
    expiresAt: string;
  }[];
  asOf: string;
  /** Extra: the low-credit alert shares in force for the account, highest first. */
  alerts?: { thresholds: number[] };
}

export type UsageGroupBy = 'type' | 'user' | 'day' | 'identity' | 'campaign';

export interface UsageRow {
  key: string;
  name?: string;
  credits?: number;
  conversations?: number;
}

export interface Forecast {
  accountId: string;
  asOf: string;
  /** credits per day over the window */
  burnRatePerDay: number;
  windowDays: number;
  usedInWindow: number;
  balance: number;
  nextTopUpAt: string;
  /** when the balance reaches zero at this rate; null when nothing is being used */
  runsOutAt: string | null;
  runsOutBeforeTopUp: boolean;
  /** credits needed until the top-up at this rate, and how many are missing */
  neededUntilTopUp: number;
  shortfall: number;
}

/** A plan's columns as the plan and plan_assignment tables store them, and the domain shape they map to. */
import type { PlanTerms } from './types.ts';

export interface PlanRow {
  name: string;
  monthly_credits: number;
  price_amount: number;
  price_currency: string;
  identities: number;
  conversations_per_identity: number;
}

export const planFromRow = (r: PlanRow, id: string | null = null): PlanTerms => ({
  id,
  name: r.name,
  monthlyCredits: r.monthly_credits,
  price: { amount: r.price_amount, currency: r.price_currency },
  identities: r.identities,
  conversationsPerIdentity: r.conversations_per_identity,
});

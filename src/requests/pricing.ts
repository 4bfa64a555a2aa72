/**
 * What Buy More and Change Plan cost, and the plan-change policy. Pure and integer-only.
 *
 * Policy (said to the customer before they confirm):
 * - Buying credits adds an add-on grant when approved; like every add-on it expires at the next top-up.
 * - Upgrading (more monthly credits) takes effect when approved: the new plan from then on, plus a
 *   prorated grant of the extra credits for the rest of the current period (the platform bills the prorated
 *   price difference); the full new allowance comes with the next top-up.
 * - Downgrading (fewer or equal monthly credits) takes effect at the next top-up, so nothing already paid
 *   for is taken away.
 */
import type { Money, PlanTerms } from '../credits/types.ts';

export interface CatalogPlan extends PlanTerms {
  id: string;
}

export interface CatalogPack {
  id: string;
  credits: number;
  price: Money;
}

export interface BuyQuote {
  credits: number;
  price: Money;
  packId: string | null;
}

/** Price of `credits` at the plan's rate (plan price / plan credits), rounded up to the minor unit. */
export function planRatePrice(plan: PlanTerms, credits: number): Money {
  if (plan.monthlyCredits <= 0) return { amount: 0, currency: plan.price.currency };
  return { amount: Math.ceil((credits * plan.price.amount) / plan.monthlyCredits), currency: plan.price.currency };
}

export type BuyResolution =
  | { ok: true; quote: BuyQuote }
  | { ok: false; reason: 'not_a_pack'; nearest: CatalogPack[] }
  | { ok: false; reason: 'invalid_amount' }
  | { ok: false; reason: 'too_large' };

export const MAX_PURCHASE = 10_000_000;
/** Prices are stored in 32-bit columns of minor units: a larger one is not something to request here. */
export const MAX_PRICE = 2_147_483_647;

/** With packs, only packs are sold (an amount picks the pack of that size); without, any whole amount. */
export function quoteBuy(
  plan: PlanTerms,
  packs: readonly CatalogPack[],
  want: { packId?: string; credits?: number },
): BuyResolution {
  if (want.packId) {
    const pack = packs.find((p) => p.id === want.packId);
    if (pack) return { ok: true, quote: { credits: pack.credits, price: pack.price, packId: pack.id } };
  }
  const credits = want.credits;
  if (credits === undefined || !Number.isInteger(credits) || credits <= 0 || credits > MAX_PURCHASE) {
    return { ok: false, reason: 'invalid_amount' };
  }
  if (packs.length === 0) {
    const price = planRatePrice(plan, credits);
    if (price.amount > MAX_PRICE) return { ok: false, reason: 'too_large' };
    return { ok: true, quote: { credits, price, packId: null } };
  }
  const exact = packs.find((p) => p.credits === credits);
  if (exact) return { ok: true, quote: { credits: exact.credits, price: exact.price, packId: exact.id } };
  const nearest = [...packs].sort((a, b) => Math.abs(a.credits - credits) - Math.abs(b.credits - credits)).slice(0, 2);
  return { ok: false, reason: 'not_a_pack', nearest: nearest.sort((a, b) => a.credits - b.credits) };
}

export interface PlanChangeQuote {
  target: CatalogPlan;
  direction: 'upgrade' | 'downgrade';
  effective: 'immediate' | 'next_top_up';
  /** monthly price difference (may be negative) */
  monthlyPriceDelta: Money;
  /** upgrade only: extra credits granted now for the rest of the period, and the prorated price */
  proratedCredits: number;
  proratedPrice: Money;
}

export function quotePlanChange(
  current: PlanTerms,
  target: CatalogPlan,
  period: { start: Date; end: Date },
  at: Date,
): PlanChangeQuote {
  const upgrade = target.monthlyCredits > current.monthlyCredits;
  const total = period.end.getTime() - period.start.getTime();
  const left = Math.max(0, Math.min(total, period.end.getTime() - at.getTime()));
  const extraCredits = Math.max(0, target.monthlyCredits - current.monthlyCredits);
  const extraPrice = Math.max(0, target.price.amount - current.price.amount);
  return {
    target,
    direction: upgrade ? 'upgrade' : 'downgrade',
    effective: upgrade ? 'immediate' : 'next_top_up',
    monthlyPriceDelta: { amount: target.price.amount - current.price.amount, currency: target.price.currency },
    proratedCredits: upgrade && total > 0 ? Math.floor((extraCredits * left) / total) : 0,
    proratedPrice: {
      amount: upgrade && total > 0 ? Math.ceil((extraPrice * left) / total) : 0,
      currency: target.price.currency,
    },
  };
}

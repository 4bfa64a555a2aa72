/**
 * "Which plan fits me?": the usage of past (closed) credit periods re-priced under every catalog plan. Pure and
 * integer-only (credits, minor units of money).
 *
 * For each period and plan: overflow = max(0, used − plan credits), covered by the cheapest combination of
 * catalog packs (any number of each; exact, not "repeat the best price per credit", which overpays), or, with no
 * packs in the catalog, bought at the plan's own rate (as Buy More sells credits then); cost = plan price + that.
 * The recommendation is the plan with the lowest total over the periods (ties: fewer monthly credits).
 */
import { type CatalogPack, type CatalogPlan, planRatePrice } from './pricing.ts';

export interface PackCover {
  /** packs bought, only those with a count > 0 */
  packs: Array<{ packId: string; credits: number; count: number }>;
  credits: number;
  /** minor units */
  cost: number;
}

/** Work size above which the search first takes copies of the best-value pack (exact by an exchange argument). */
const MAX_UNITS = 200_000;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The cheapest combination of packs whose credits cover `needed` (ties: fewer credits bought, then fewer packs).
 * Dynamic programming over multiples of the packs' greatest common divisor. An optimal cover never holds as many
 * as b copies of another pack, where b is the best-value pack's size in units (b copies of a size-p pack can be
 * swapped for p best-value packs, same credits, no dearer), so for a huge need the best-value packs beyond that
 * bound are taken first and only the rest is searched.
 */
export function cheapestCover(needed: number, packs: readonly CatalogPack[]): PackCover {
  if (needed <= 0) return { packs: [], credits: 0, cost: 0 };
  const usable = packs.filter((p) => Number.isInteger(p.credits) && p.credits > 0 && p.price.amount >= 0);
  if (usable.length === 0) throw new Error('no credit packs to cover an overflow');
  const g = usable.map((p) => p.credits).reduce(gcd);
  const units = usable.map((p) => p.credits / g);
  const maxUnit = Math.max(...units);
  let target = Math.ceil(needed / g);
  // Best value: lowest price per credit (ties: the bigger pack).
  let best = 0;
  usable.forEach((p, i) => {
    const a = p.price.amount * usable[best]!.credits;
    const b = usable[best]!.price.amount * p.credits;
    if (a < b || (a === b && p.credits > usable[best]!.credits)) best = i;
  });
  let pre = 0;
  if (target + maxUnit > MAX_UNITS) {
    const bound = units[best]! * (units.reduce((s, u) => s + u, 0) + 1) + maxUnit;
    pre = Math.max(0, Math.floor((target - bound) / units[best]!));
    target -= pre * units[best]!;
  }
  const size = target + maxUnit;
  const cost = new Float64Array(size + 1).fill(Number.POSITIVE_INFINITY);
  const count = new Int32Array(size + 1);
  const last = new Int32Array(size + 1).fill(-1);
  cost[0] = 0;
  for (let t = 1; t <= size; t++) {
    for (let i = 0; i < usable.length; i++) {
      const u = units[i]!;
      if (u > t || !Number.isFinite(cost[t - u]!)) continue;
      const c = cost[t - u]! + usable[i]!.price.amount;
      const n = count[t - u]! + 1;
      if (c < cost[t]! || (c === cost[t]! && n < count[t]!)) {
        cost[t] = c;
        count[t] = n;
        last[t] = i;
      }
    }
  }
  let pick = -1;
  for (let t = target; t <= size; t++) {
    if (!Number.isFinite(cost[t]!)) continue;
    // Ascending: on equal cost the first (fewest credits) stays; within one total the fewest packs won above.
    if (pick < 0 || cost[t]! < cost[pick]!) pick = t;
  }
  const counts = usable.map(() => 0);
  counts[best] = (counts[best] ?? 0) + pre;
  for (let t = pick; t > 0; t -= units[last[t]!]!) counts[last[t]!] = (counts[last[t]!] ?? 0) + 1;
  const chosen = usable
    .map((p, i) => ({ packId: p.id, credits: p.credits, count: counts[i]! }))
    .filter((x) => x.count > 0);
  return {
    packs: chosen,
    credits: chosen.reduce((s, x) => s + x.credits * x.count, 0),
    cost: chosen.reduce((s, x) => s + usable.find((p) => p.id === x.packId)!.price.amount * x.count, 0),
  };
}

export interface PeriodUsage {
  start: string;
  end: string;
  used: number;
}

export interface PlanCost {
  plan: CatalogPlan;
  perPeriod: Array<{ used: number; overflow: number; cover: PackCover; cost: number }>;
  /** minor units over all the periods */
  total: number;
}

export interface PlanAdvice {
  periods: PeriodUsage[];
  currency: string;
  /** every catalog plan in the currency, cheapest first */
  rows: PlanCost[];
  recommended: PlanCost;
  /** the account's own plan, when it is in the catalog */
  current: PlanCost | null;
}

/**
 * Re-prices the periods' usage under every catalog plan. Null without periods or plans. Plans and packs in
 * another currency than the current plan's (or the first plan's) are left out: totals are never mixed.
 */
export function advisePlans(
  periods: readonly PeriodUsage[],
  plans: readonly CatalogPlan[],
  packs: readonly CatalogPack[],
  currentPlanId?: string | null,
): PlanAdvice | null {
  if (periods.length === 0 || plans.length === 0) return null;
  const currency = (plans.find((p) => p.id === currentPlanId) ?? plans[0]!).price.currency;
  const samePlans = plans.filter((p) => p.price.currency === currency);
  const samePacks = packs.filter((p) => p.price.currency === currency);
  const rows = samePlans.map((plan): PlanCost => {
    const perPeriod = periods.map(({ used }) => {
      const overflow = Math.max(0, used - plan.monthlyCredits);
      const cover: PackCover =
        samePacks.length > 0 || overflow === 0
          ? cheapestCover(overflow, samePacks)
          : { packs: [], credits: overflow, cost: planRatePrice(plan, overflow).amount };
      return { used, overflow, cover, cost: plan.price.amount + cover.cost };
    });
    return { plan, perPeriod, total: perPeriod.reduce((s, p) => s + p.cost, 0) };
  });
  rows.sort((a, b) => a.total - b.total || a.plan.monthlyCredits - b.plan.monthlyCredits);
  return {
    periods: [...periods],
    currency,
    rows,
    recommended: rows[0]!,
    current: rows.find((r) => r.plan.id === currentPlanId) ?? null,
  };
}

/**
 * The credit ledger's arithmetic, pure. Credits come from grants; usage consumes the active grants,
 * soonest-expiring first; among grants that expire together the oldest credits go first: carry-over,
 * then plan, then add-on, then adjustment, then by grant time. Balance never goes below zero: what usage
 * cannot draw is overage (recorded, never taken from grants that start later).
 *
 * Usage between two consecutive change points (a grant starting or expiring) meets the same set of
 * grants in the same order, so only its total matters: the simulation needs per-segment sums, not events.
 */

export type GrantKind = 'carryover' | 'plan' | 'addon' | 'adjustment';

export interface LedgerGrant {
  id: string;
  kind: GrantKind;
  credits: number;
  /** ms since epoch: active from (inclusive) */
  effectiveAt: number;
  /** ms since epoch: active until (exclusive) */
  expiresAt: number;
}

export interface Segment {
  start: number;
  end: number;
  usage: number;
}

export interface SimulationResult {
  remaining: Map<string, number>;
  /** overage per segment, same order as the segments */
  overage: number[];
}

const kindRank: Record<GrantKind, number> = { carryover: 0, plan: 1, addon: 2, adjustment: 3 };

/** Draw order: soonest expiry, then carry-over < plan < add-on < adjustment, then grant time, then id. */
export function drawOrder(a: LedgerGrant, b: LedgerGrant): number {
  return (
    a.expiresAt - b.expiresAt ||
    kindRank[a.kind] - kindRank[b.kind] ||
    a.effectiveAt - b.effectiveAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export const isActiveAt = (g: LedgerGrant, t: number) => g.effectiveAt <= t && t < g.expiresAt;

/**
 * Sorted, de-duplicated change points in [from, to]: `from`, `to`, and every grant start or expiry between.
 * Consecutive points delimit the segments whose usage sums the simulation needs.
 */
export function changePoints(grants: readonly LedgerGrant[], from: number, to: number): number[] {
  const points = new Set<number>([from, to]);
  for (const g of grants) {
    if (g.effectiveAt > from && g.effectiveAt < to) points.add(g.effectiveAt);
    if (g.expiresAt > from && g.expiresAt < to) points.add(g.expiresAt);
  }
  return [...points].sort((a, b) => a - b);
}

/** Runs the draw-down over consecutive segments and returns what is left of every grant. */
export function simulate(grants: readonly LedgerGrant[], segments: readonly Segment[]): SimulationResult {
  const remaining = new Map<string, number>(grants.map((g) => [g.id, g.credits]));
  const ordered = [...grants].sort(drawOrder);
  const overage: number[] = [];
  for (const seg of segments) {
    let left = seg.usage;
    for (const g of ordered) {
      if (left <= 0) break;
      // Active for the whole segment: segments never straddle a change point.
      if (!(g.effectiveAt <= seg.start && seg.start < g.expiresAt)) continue;
      const have = remaining.get(g.id) ?? 0;
      if (have <= 0) continue;
      const take = Math.min(have, left);
      remaining.set(g.id, have - take);
      left -= take;
    }
    overage.push(Math.max(0, left));
  }
  return { remaining, overage };
}

export interface CreditFigures {
  /** credits of add-on grants granted in the period */
  addOn: number;
  /** what is left of active carry-over grants */
  accumulated: number;
  /** what is left of all active grants */
  balance: number;
  /** usage in the period's segments (overage included) */
  usedThisPeriod: number;
  overage: number;
  /** active grants and what is left of each */
  active: Array<LedgerGrant & { remaining: number }>;
}

/** The state's figures at `now`, from a draw-down over segments that cover the period up to now. */
export function creditFigures(
  grants: readonly LedgerGrant[],
  segments: readonly Segment[],
  result: SimulationResult,
  now: number,
  period: { start: number; end: number },
): CreditFigures {
  let usedThisPeriod = 0;
  let overage = 0;
  segments.forEach((s, i) => {
    if (s.start >= period.start) {
      usedThisPeriod += s.usage;
      overage += result.overage[i] ?? 0;
    }
  });
  const active = grants
    .filter((g) => isActiveAt(g, now))
    .map((g) => ({ ...g, remaining: result.remaining.get(g.id) ?? 0 }));
  return {
    addOn: grants
      .filter((g) => g.kind === 'addon' && g.effectiveAt >= period.start && g.effectiveAt < period.end)
      .reduce((s, g) => s + g.credits, 0),
    accumulated: active.filter((g) => g.kind === 'carryover').reduce((s, g) => s + g.remaining, 0),
    balance: active.reduce((s, g) => s + g.remaining, 0),
    usedThisPeriod,
    overage,
    active,
  };
}

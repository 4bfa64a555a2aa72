/** Re-pricing closed periods under every catalog plan (src/requests/plan-advice.ts): exact pack covers and advice. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advisePlans, cheapestCover } from '../../../src/requests/plan-advice.ts';
import type { CatalogPack, CatalogPlan } from '../../../src/requests/pricing.ts';

const eur = (euros: number) => ({ amount: euros * 100, currency: 'EUR' });
const pack = (id: string, credits: number, euros: number): CatalogPack => ({ id, credits, price: eur(euros) });
const plan = (id: string, credits: number, euros: number): CatalogPlan => ({
  id,
  name: id,
  monthlyCredits: credits,
  price: eur(euros),
  identities: 5,
  conversationsPerIdentity: 500,
});

/** Every combination up to the need, the slow way. */
function bruteForce(needed: number, packs: CatalogPack[]): { cost: number; credits: number; n: number } {
  let best = { cost: Number.POSITIVE_INFINITY, credits: 0, n: 0 };
  const visit = (i: number, credits: number, cost: number, n: number) => {
    if (credits >= needed) {
      if (
        cost < best.cost ||
        (cost === best.cost && (credits < best.credits || (credits === best.credits && n < best.n)))
      )
        best = { cost, credits, n };
      return;
    }
    if (i === packs.length) return;
    const p = packs[i]!;
    for (let k = 0; k <= Math.ceil((needed - credits) / p.credits); k++)
      visit(i + 1, credits + k * p.credits, cost + k * p.price.amount, n + k);
  };
  visit(0, 0, 0, 0);
  return best;
}

describe('cheapestCover', () => {
  it('finds the exact cheapest combination, not the best price per credit repeated', () => {
    // 2,400 over: two 2,000 packs cost 400 €, but 2,000 + 500 cost 260 €.
    const packs = [pack('p2k', 2_000, 200), pack('p500', 500, 60)];
    const c = cheapestCover(2_400, packs);
    expect(c.cost).toBe(26_000);
    expect(c.credits).toBe(2_500);
    expect(c.packs).toEqual([
      { packId: 'p2k', credits: 2_000, count: 1 },
      { packId: 'p500', credits: 500, count: 1 },
    ]);
    expect(cheapestCover(0, packs)).toEqual({ packs: [], credits: 0, cost: 0 });
  });

  it('prefers fewer credits, then fewer packs, on equal cost', () => {
    const packs = [pack('a', 1_000, 50), pack('b', 2_000, 100)];
    expect(cheapestCover(2_000, packs)).toMatchObject({
      credits: 2_000,
      cost: 10_000,
      packs: [{ packId: 'b', count: 1 }],
    });
  });

  it('equals an exhaustive search on random catalogs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ credits: fc.integer({ min: 1, max: 40 }), price: fc.integer({ min: 1, max: 500 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 120 }),
        (raw, needed) => {
          const packs = raw.map((r, i) => ({
            id: `p${i}`,
            credits: r.credits * 100,
            price: { amount: r.price, currency: 'EUR' },
          }));
          const got = cheapestCover(needed * 100, packs);
          const want = bruteForce(needed * 100, packs);
          expect(got.cost).toBe(want.cost);
          expect(got.credits).toBe(want.credits);
          expect(got.packs.reduce((s, p) => s + p.count, 0)).toBe(want.n);
          expect(got.credits).toBeGreaterThanOrEqual(needed * 100);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays exact and fast for a need far beyond the search window', () => {
    const packs = [pack('p2k', 2_000, 99), pack('p5k', 5_000, 229), pack('p10k', 10_000, 419)];
    const started = performance.now();
    const big = cheapestCover(123_456_789, packs);
    expect(performance.now() - started).toBeLessThan(2_000);
    // the exchange argument: all but a bounded rest in the best-value pack (10,000 for 419 €)
    const rest = cheapestCover(123_456_789 - 12_340 * 10_000, packs);
    expect(big.cost).toBe(12_340 * 41_900 + rest.cost);
  });
});

describe('advisePlans', () => {
  const plans = [
    plan('lite', 4_000, 199),
    plan('pro', 10_000, 449),
    plan('business', 20_000, 799),
    plan('premier', 50_000, 1_690),
  ];
  const packs = [pack('p2k', 2_000, 99), pack('p5k', 5_000, 229), pack('p10k', 10_000, 419)];
  const periods = [
    { start: '2026-08-01', end: '2026-09-01', used: 16_830 },
    { start: '2026-09-01', end: '2026-10-01', used: 18_940 },
    { start: '2026-10-01', end: '2026-11-01', used: 17_560 },
  ];

  it('re-prices the periods under every plan and recommends the cheapest total', () => {
    const a = advisePlans(periods, plans, packs, 'pro')!;
    expect(a.rows.map((r) => [r.plan.id, r.total / 100])).toEqual([
      ['business', 2_397],
      ['lite', 2_479],
      ['pro', 2_490],
      ['premier', 5_070],
    ]);
    expect(a.recommended.plan.id).toBe('business');
    expect(a.current?.plan.id).toBe('pro');
    // Pro in September: 8,940 over, covered by one 10,000 pack (419 €) rather than 5,000 + 2,000 + 2,000 (427 €)
    expect(a.current!.perPeriod[1]).toMatchObject({ overflow: 8_940, cost: 44_900 + 41_900 });
  });

  it('breaks a tie towards fewer monthly credits, and prices overflow at the plan rate without packs', () => {
    const tie = advisePlans(
      [{ start: 'a', end: 'b', used: 0 }],
      [plan('big', 9_000, 100), plan('small', 1_000, 100)],
      packs,
    );
    expect(tie!.recommended.plan.id).toBe('small');
    const noPacks = advisePlans([{ start: 'a', end: 'b', used: 1_500 }], [plan('p', 1_000, 100)], [])!;
    // 500 credits at 100 € / 1,000 credits
    expect(noPacks.recommended.total).toBe(10_000 + 5_000);
  });

  it('has nothing to advise without periods or plans, and never mixes currencies', () => {
    expect(advisePlans([], plans, packs)).toBeNull();
    expect(advisePlans(periods, [], packs)).toBeNull();
    const usd = { ...plan('usd', 100_000, 1), price: { amount: 100, currency: 'USD' } };
    const a = advisePlans(periods, [...plans, usd], packs, 'pro')!;
    expect(a.rows.map((r) => r.plan.id)).not.toContain('usd');
  });
});

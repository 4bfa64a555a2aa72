import { describe, expect, it } from 'vitest';
import { planRatePrice, quoteBuy, quotePlanChange } from '../../../src/requests/pricing.ts';

const growth = {
  id: 'growth',
  name: 'Growth',
  monthlyCredits: 10_000,
  price: { amount: 44_900, currency: 'EUR' },
  identities: 5,
  conversationsPerIdentity: 500,
};
const scale = {
  id: 'scale',
  name: 'Scale',
  monthlyCredits: 25_000,
  price: { amount: 99_000, currency: 'EUR' },
  identities: 10,
  conversationsPerIdentity: 500,
};
const starter = {
  id: 'starter',
  name: 'Starter',
  monthlyCredits: 5_000,
  price: { amount: 24_900, currency: 'EUR' },
  identities: 2,
  conversationsPerIdentity: 500,
};
const packs = [
  { id: 'p1', credits: 1_000, price: { amount: 5_900, currency: 'EUR' } },
  { id: 'p5', credits: 5_000, price: { amount: 25_900, currency: 'EUR' } },
];

describe('Buy More pricing', () => {
  it('prices any whole amount at the plan rate, rounded up to the cent, when there are no packs', () => {
    expect(planRatePrice(growth, 1)).toEqual({ amount: 5, currency: 'EUR' }); // 4.49 cents → 5
    expect(planRatePrice(growth, 1_000)).toEqual({ amount: 4_490, currency: 'EUR' });
    expect(quoteBuy(growth, [], { credits: 2_345 })).toEqual({
      ok: true,
      quote: { credits: 2_345, price: { amount: 10_530, currency: 'EUR' }, packId: null }, // 10529.05 → 10530
    });
  });
  it('sells only packs when there are packs, and suggests the nearest for another amount', () => {
    expect(quoteBuy(growth, packs, { packId: 'p5' })).toMatchObject({
      ok: true,
      quote: { credits: 5_000, packId: 'p5' },
    });
    expect(quoteBuy(growth, packs, { credits: 1_000 })).toMatchObject({ ok: true, quote: { packId: 'p1' } });
    const r = quoteBuy(growth, packs, { credits: 4_000 });
    expect(r).toMatchObject({ ok: false, reason: 'not_a_pack' });
    if (!r.ok && r.reason === 'not_a_pack') expect(r.nearest.map((p) => p.id)).toEqual(['p1', 'p5']);
  });
  it('refuses zero, negative, fractional and absurd amounts', () => {
    for (const credits of [0, -5, 1.5, 100_000_000]) {
      expect(quoteBuy(growth, [], { credits })).toEqual({ ok: false, reason: 'invalid_amount' });
    }
  });
});

describe('plan-change policy', () => {
  const period = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') };
  it('applies an upgrade at once with the extra credits and price prorated to the rest of the period', () => {
    const q = quotePlanChange(growth, scale, period, new Date('2026-11-16T00:00:00Z')); // half the period left
    expect(q).toMatchObject({ direction: 'upgrade', effective: 'immediate', proratedCredits: 7_500 });
    expect(q.proratedPrice).toEqual({ amount: 27_050, currency: 'EUR' });
    expect(q.monthlyPriceDelta.amount).toBe(54_100);
  });
  it('applies a downgrade at the next top-up, with nothing prorated', () => {
    const q = quotePlanChange(growth, starter, period, new Date('2026-11-16T00:00:00Z'));
    expect(q).toMatchObject({ direction: 'downgrade', effective: 'next_top_up', proratedCredits: 0 });
    expect(q.monthlyPriceDelta.amount).toBe(-20_000);
  });
});

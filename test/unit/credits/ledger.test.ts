import { describe, expect, it } from 'vitest';
import { changePoints, creditFigures, drawOrder, type LedgerGrant, simulate } from '../../../src/credits/ledger.ts';

const T0 = Date.UTC(2026, 10, 1);
const T1 = Date.UTC(2026, 11, 1);
const g = (id: string, kind: LedgerGrant['kind'], credits: number, effectiveAt = T0, expiresAt = T1): LedgerGrant => ({
  id,
  kind,
  credits,
  effectiveAt,
  expiresAt,
});

describe('draw order', () => {
  it('takes the soonest-expiring grant first', () => {
    const soon = g('soon', 'adjustment', 10, T0, T0 + 86_400_000 * 10);
    const late = g('late', 'carryover', 10);
    expect([late, soon].sort(drawOrder).map((x) => x.id)).toEqual(['soon', 'late']);
  });

  it('breaks ties by kind: carry-over, plan, add-on, adjustment; then by grant time; then id', () => {
    const grants = [
      g('adj', 'adjustment', 1),
      g('addon-late', 'addon', 1, T0 + 2_000),
      g('addon-early', 'addon', 1, T0 + 1_000),
      g('plan', 'plan', 1),
      g('carry', 'carryover', 1),
      g('addon-b', 'addon', 1, T0 + 1_000),
    ];
    expect(grants.sort(drawOrder).map((x) => x.id)).toEqual([
      'carry',
      'plan',
      'addon-b',
      'addon-early',
      'addon-late',
      'adj',
    ]);
  });
});

describe('simulate', () => {
  it('reproduces the seed page: plan 10.000 + carry-over 7.200, 2.269 used → 4.931 accumulated, 14.931 balance', () => {
    const grants = [g('plan', 'plan', 10_000), g('carry', 'carryover', 7_200)];
    const { remaining, overage } = simulate(grants, [{ start: T0, end: T1, usage: 2_269 }]);
    expect(remaining.get('carry')).toBe(4_931);
    expect(remaining.get('plan')).toBe(10_000);
    expect(overage).toEqual([0]);
  });

  it('spills over grants in order and records overage beyond the balance', () => {
    const grants = [g('plan', 'plan', 100), g('addon', 'addon', 50), g('adj', 'adjustment', 25)];
    const r = simulate(grants, [{ start: T0, end: T1, usage: 200 }]);
    expect([...r.remaining.values()]).toEqual([0, 0, 0]);
    expect(r.overage).toEqual([25]);
  });

  it('does not let a grant that starts later pay for earlier overage', () => {
    const mid = T0 + 10 * 86_400_000;
    const grants = [g('plan', 'plan', 100), g('addon', 'addon', 500, mid)];
    const r = simulate(grants, [
      { start: T0, end: mid, usage: 150 },
      { start: mid, end: T1, usage: 20 },
    ]);
    expect(r.overage).toEqual([50, 0]);
    expect(r.remaining.get('addon')).toBe(480);
  });

  it('lets expired grants absorb usage only while active', () => {
    const mid = T0 + 5 * 86_400_000;
    const grants = [g('short', 'addon', 100, T0, mid), g('plan', 'plan', 1_000)];
    const r = simulate(grants, [
      { start: T0, end: mid, usage: 30 },
      { start: mid, end: T1, usage: 200 },
    ]);
    expect(r.remaining.get('short')).toBe(70); // expired with 70 unused
    expect(r.remaining.get('plan')).toBe(800);
  });

  it('lists change points inside the window', () => {
    const mid = T0 + 5 * 86_400_000;
    expect(changePoints([g('a', 'addon', 1, mid, T1 + 5)], T0, T1)).toEqual([T0, mid, T1]);
  });
});

describe('creditFigures', () => {
  it('gives the seed page figures from the draw-down, counting only this period and active grants', () => {
    const prevStart = T0 - 30 * 86_400_000;
    const grants = [
      g('old-plan', 'plan', 10_000, prevStart, T0),
      g('plan', 'plan', 10_000),
      g('carry', 'carryover', 7_200),
      g('late-addon', 'addon', 500, T0 + 3 * 86_400_000, T0 + 5 * 86_400_000),
    ];
    const segments = [
      { start: prevStart, end: T0, usage: 2_800 },
      { start: T0, end: T0 + 3 * 86_400_000, usage: 2_000 },
      { start: T0 + 3 * 86_400_000, end: T0 + 5 * 86_400_000, usage: 269 },
      { start: T0 + 5 * 86_400_000, end: T1, usage: 0 },
    ];
    const f = creditFigures(grants, segments, simulate(grants, segments), T0 + 10 * 86_400_000, { start: T0, end: T1 });
    // 2,000 from the carry-over (it ties with the plan and goes first), then 269 from the add-on, which
    // expires first and takes its 231 unused credits with it.
    expect(f).toMatchObject({ addOn: 500, usedThisPeriod: 2_269, overage: 0, balance: 15_200, accumulated: 5_200 });
    expect(f.active.map((a) => [a.id, a.remaining])).toEqual([
      ['plan', 10_000],
      ['carry', 5_200],
    ]);
  });
});

/** The rules of the low-credit alerts (pure): thresholds in force, when a share is crossed, what is recorded and told. */
import { describe, expect, it } from 'vitest';
import { decideAlerts, effectiveThresholds, limitCredits, RUNOUT } from '../../../src/credits/alert-rules.ts';

const decide = (balance: number, opts: { existing?: string[]; runout?: boolean; thresholds?: number[] } = {}) =>
  decideAlerts({
    thresholds: opts.thresholds ?? [0.2, 0.05],
    balance,
    plan: 10_000,
    runsOutBeforeTopUp: opts.runout ?? false,
    existing: new Set(opts.existing ?? []),
  }).map((c) => `${c.trigger}${c.notified ? '!' : ''}`);

describe('low-credit alert rules', () => {
  it('uses the default thresholds unless the account has its own, highest first', () => {
    expect(effectiveThresholds(null)).toEqual([0.2, 0.05]);
    expect(effectiveThresholds([0.05, 0.5])).toEqual([0.5, 0.05]);
    expect(effectiveThresholds([])).toEqual([]);
  });

  it('crosses a share when the balance is below it, in whole credits', () => {
    expect(limitCredits(0.2, 10_000)).toBe(2_000);
    expect(limitCredits(0.07, 100)).toBe(7); // not 8: 0.07 × 100 is 7.000000000000001 in floating point
    expect(limitCredits(0.05, 9_999)).toBe(500); // below 499.95 means 499 or less
    expect(decide(2_000)).toEqual([]);
    expect(decide(1_999)).toEqual(['0.2!']);
  });

  it('tells the lowest share crossed at once and records the others without a message', () => {
    expect(decide(400)).toEqual(['0.05!', '0.2']);
    expect(decide(400, { existing: ['0.2'] })).toEqual(['0.05!']);
    expect(decide(400, { existing: ['0.2', '0.05'] })).toEqual([]);
  });

  it('does not tell a higher share once a lower one was told this period', () => {
    expect(decide(400, { existing: ['0.05'], thresholds: [0.3, 0.2, 0.05] })).toEqual(['0.2', '0.3']);
  });

  it('tells the forecast alone, or lets a share carry it', () => {
    expect(decide(5_000, { runout: true })).toEqual([`${RUNOUT}!`]);
    expect(decide(1_900, { runout: true })).toEqual(['0.2!', RUNOUT]);
    expect(decide(1_900, { runout: true, existing: [RUNOUT] })).toEqual(['0.2!']);
    expect(decide(1_800, { runout: true, existing: ['0.2', RUNOUT] })).toEqual([]);
  });

  it('has no share alerts for a plan without credits', () => {
    expect(
      decideAlerts({ thresholds: [0.2], balance: 0, plan: 0, runsOutBeforeTopUp: false, existing: new Set() }),
    ).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  localDate,
  periodAt,
  previousPeriod,
  startOfLocalDate,
} from '../../../src/credits/period.ts';
import { planRange } from '../../../src/credits/ranges.ts';

const iso = (d: Date) => d.toISOString();

describe('periodAt', () => {
  it('is the calendar month in UTC with the default top-up day', () => {
    const p = periodAt(new Date('2026-11-30T15:00:00Z'), 'UTC', 1);
    expect(iso(p.start)).toBe('2026-11-01T00:00:00.000Z');
    expect(iso(p.end)).toBe('2026-12-01T00:00:00.000Z');
  });

  it('starts at local midnight in Europe/Madrid across the October DST change (CEST → CET)', () => {
    const p = periodAt(new Date('2026-10-26T12:00:00Z'), 'Europe/Madrid', 1);
    expect(iso(p.start)).toBe('2026-09-30T22:00:00.000Z'); // 1 Oct 00:00 CEST (+02:00)
    expect(iso(p.end)).toBe('2026-10-31T23:00:00.000Z'); // 1 Nov 00:00 CET (+01:00)
  });

  it('handles the March DST change (CET → CEST) and a period one hour shorter', () => {
    const p = periodAt(new Date('2026-03-15T12:00:00Z'), 'Europe/Madrid', 1);
    expect(iso(p.start)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(p.end)).toBe('2026-03-31T22:00:00.000Z');
    expect(p.end.getTime() - p.start.getTime()).toBe(31 * 86_400_000 - 3_600_000);
  });

  it('runs from the 15th to the 15th with topUpDay 15, across DST', () => {
    const p = periodAt(new Date('2026-10-20T10:00:00Z'), 'Europe/Madrid', 15);
    expect(iso(p.start)).toBe('2026-10-14T22:00:00.000Z');
    expect(iso(p.end)).toBe('2026-11-14T23:00:00.000Z');
    const before = periodAt(new Date('2026-10-14T21:59:59.999Z'), 'Europe/Madrid', 15);
    expect(iso(before.start)).toBe('2026-09-14T22:00:00.000Z');
    expect(iso(before.end)).toBe('2026-10-14T22:00:00.000Z');
  });

  it('puts the exact top-up instant in the new period', () => {
    const p = periodAt(new Date('2026-11-14T23:00:00.000Z'), 'Europe/Madrid', 15);
    expect(iso(p.start)).toBe('2026-11-14T23:00:00.000Z');
  });

  it('walks back across a year boundary', () => {
    const p = periodAt(new Date('2026-01-10T00:00:00Z'), 'America/New_York', 15);
    expect(iso(p.start)).toBe('2025-12-15T05:00:00.000Z');
    const prev = previousPeriod(p, 'America/New_York', 15);
    expect(iso(prev.start)).toBe('2025-11-15T05:00:00.000Z');
    expect(iso(prev.end)).toBe(iso(p.start));
  });

  it('gives the local date in the account time zone', () => {
    expect(localDate(new Date('2026-11-30T23:30:00Z'), 'Europe/Madrid')).toBe('2026-12-01');
    expect(localDate(new Date('2026-11-30T23:30:00Z'), 'UTC')).toBe('2026-11-30');
  });
});

describe('planRange', () => {
  const now = new Date('2026-11-30T15:00:00Z');
  it('reads aligned local days from the rollups only', () => {
    const plan = planRange(new Date('2026-10-31T23:00:00Z'), new Date('2026-11-29T23:00:00Z'), 'Europe/Madrid', now);
    expect(plan).toEqual({ fullDays: { fromDay: '2026-11-01', toDay: '2026-11-30' }, edges: [] });
  });
  it('reads partial days at the edges from raw events', () => {
    const plan = planRange(new Date('2026-11-01T10:00:00Z'), new Date('2026-11-05T10:00:00Z'), 'UTC', now);
    expect(plan.fullDays).toEqual({ fromDay: '2026-11-02', toDay: '2026-11-05' });
    expect(plan.edges.map((e) => [iso(e.from), iso(e.to)])).toEqual([
      ['2026-11-01T10:00:00.000Z', '2026-11-02T00:00:00.000Z'],
      ['2026-11-05T00:00:00.000Z', '2026-11-05T10:00:00.000Z'],
    ]);
  });
  it('reads a range that ends after now + 5 minutes as whole days', () => {
    const plan = planRange(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-30T20:00:00Z'), 'UTC', now);
    expect(plan).toEqual({ fullDays: { fromDay: '2026-11-01', toDay: '2026-12-01' }, edges: [] });
  });
  it('keeps a range inside one day as a single raw piece', () => {
    const plan = planRange(new Date('2026-11-10T01:00:00Z'), new Date('2026-11-10T05:00:00Z'), 'UTC', now);
    expect(plan.fullDays).toBeNull();
    expect(plan.edges).toHaveLength(1);
  });
});

describe('local-date arithmetic', () => {
  it('adds days across months, leap days and years, both ways', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-10-25', 0)).toBe('2026-10-25');
  });

  it('counts calendar days between local dates, whatever the DST change in between', () => {
    expect(daysBetween('2026-10-01', '2026-11-01')).toBe(31);
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(daysBetween('2026-11-01', '2026-10-01')).toBe(-31);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });
});

describe('days that do not begin at 00:00 once', () => {
  it('a midnight skipped (Santiago, clocks 00:00 → 01:00): the day and the period begin at 01:00', () => {
    expect(iso(startOfLocalDate('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(periodAt(new Date('2026-09-10T12:00:00Z'), 'America/Santiago', 6).start)).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('a midnight repeated (Havana, clocks 01:00 → 00:00): the day began at the first, as PostgreSQL dates it', () => {
    expect(iso(startOfLocalDate('2026-11-01', 'America/Havana'))).toBe('2026-11-01T04:00:00.000Z');
    expect(localDate(new Date('2026-11-01T04:30:00Z'), 'America/Havana')).toBe('2026-11-01');
    expect(iso(periodAt(new Date('2026-11-10T12:00:00Z'), 'America/Havana', 1).start)).toBe('2026-11-01T04:00:00.000Z');
  });
});

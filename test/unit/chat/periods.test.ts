/** The periods customers speak of, as exact ranges in the account's time zone (pure; reused within a local day). */
import { describe, expect, it } from 'vitest';
import { resolvePeriod } from '../../../src/chat/periods.ts';
import { localDate } from '../../../src/credits/period.ts';

const iso = (d: Date) => d.toISOString();

describe('resolvePeriod', () => {
  it('resolves in the account zone: Madrid this week runs Monday to Monday, local midnights', () => {
    const r = resolvePeriod({ kind: 'this_week' }, new Date('2026-12-02T10:00:00Z'), 'Europe/Madrid', 'en');
    expect(iso(r.from)).toBe('2026-11-29T23:00:00.000Z');
    expect(iso(r.to)).toBe('2026-12-06T23:00:00.000Z');
    expect(r).toMatchObject({ label: 'this week', days: 7 });
  });

  it('gives the same answer on a second call the same local day, and a new one after the zone midnight', () => {
    const slot = { kind: 'today' } as const;
    const morning = resolvePeriod(slot, new Date('2026-12-02T07:00:00Z'), 'America/New_York', 'en');
    const evening = resolvePeriod(slot, new Date('2026-12-03T04:59:59Z'), 'America/New_York', 'en'); // 23:59:59 local
    expect(evening).toEqual(morning);
    expect(iso(morning.from)).toBe('2026-12-02T05:00:00.000Z');
    const next = resolvePeriod(slot, new Date('2026-12-03T05:00:00Z'), 'America/New_York', 'en'); // 00:00 local
    expect(iso(next.from)).toBe('2026-12-03T05:00:00.000Z');
    // and back: an earlier instant is never answered from the later day
    expect(resolvePeriod(slot, new Date('2026-12-02T07:00:00Z'), 'America/New_York', 'en')).toEqual(morning);
  });

  it('keeps zones, languages and slots apart', () => {
    const now = new Date('2026-12-02T23:30:00Z');
    const utc = resolvePeriod({ kind: 'today' }, now, 'UTC', 'en');
    const madrid = resolvePeriod({ kind: 'today' }, now, 'Europe/Madrid', 'en'); // already 3 December there
    expect(iso(utc.from)).toBe('2026-12-02T00:00:00.000Z');
    expect(iso(madrid.from)).toBe('2026-12-02T23:00:00.000Z');
    expect(resolvePeriod({ kind: 'today' }, now, 'UTC', 'es').label).toBe('hoy');
    expect(resolvePeriod({ kind: 'last_n_days', days: 7 }, now, 'UTC', 'en').days).toBe(7);
    expect(resolvePeriod({ kind: 'last_n_days', days: 30 }, now, 'UTC', 'en').days).toBe(30);
    expect(resolvePeriod({ kind: 'month', month: 10 }, now, 'UTC', 'es').label).toBe('en octubre');
    expect(resolvePeriod({ kind: 'month', month: 10, year: 2025 }, now, 'UTC', 'en').label).toBe('in October 2025');
  });

  it('hands out copies: changing one result does not change the next', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const a = resolvePeriod({ kind: 'this_month' }, now, 'UTC', 'en');
    a.from.setTime(0);
    expect(iso(resolvePeriod({ kind: 'this_month' }, now, 'UTC', 'en').from)).toBe('2026-12-01T00:00:00.000Z');
  });

  it('reads a month after the current one as last year, across the DST change', () => {
    const r = resolvePeriod({ kind: 'month', month: 3 }, new Date('2026-02-10T12:00:00Z'), 'Europe/Madrid', 'en');
    expect(iso(r.from)).toBe('2025-02-28T23:00:00.000Z');
    expect(iso(r.to)).toBe('2025-03-31T22:00:00.000Z');
    expect(r.days).toBe(31);
  });
});

describe('resolvePeriod reused within the local day, in zones whose clocks jump at midnight', () => {
  // Santiago, Havana, Beirut and Cairo move their clocks at 00:00: some days begin at 01:00, in Havana one
  // midnight happens twice. Every half hour of a year, "today" must run from the first instant of the local day
  // to the first instant of the next, whichever call filled the reuse; the reference walks the clock in hours.
  const HOUR = 3_600_000;
  it.each(['America/Santiago', 'America/Havana', 'Asia/Beirut', 'Africa/Cairo', 'Europe/Madrid'])('%s', (zone) => {
    const day = (t: number) => localDate(new Date(t), zone);
    const start = Date.parse('2026-01-01T00:00:00Z');
    const wrong: string[] = [];
    for (let h = 0; h < 366 * 24; h++) {
      for (const minute of [30]) {
        const t = start + h * HOUR + minute * 60_000;
        const today = day(t);
        let from = t - minute * 60_000;
        while (day(from - 1) === today) from -= HOUR;
        let to = from + HOUR;
        while (day(to) === today) to += HOUR;
        const r = resolvePeriod({ kind: 'today' }, new Date(t), zone, 'en');
        if (r.from.getTime() !== from || r.to.getTime() !== to) wrong.push(new Date(t).toISOString());
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

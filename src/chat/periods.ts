/** Turns the periods customers speak of into exact ranges in the account's time zone. Pure. */
import { DateTime } from 'luxon';
import { dayStart } from '../credits/period.ts';
import type { Lang } from '../locale/format.ts';
import type { PeriodSlot } from './nlu/index.ts';

export interface ResolvedRange {
  from: Date;
  to: Date;
  /** "this week (since Mon 23 Nov)", "la semana pasada" */
  label: string;
  /** number of local days covered */
  days: number;
}

const names = {
  en: {
    today: 'today',
    yesterday: 'yesterday',
    this_week: 'this week',
    last_week: 'last week',
    this_month: 'this month',
    last_month: 'last month',
    this_year: 'this year',
    lastN: (n: number) => `in the last ${n} days`,
    month: (m: string) => `in ${m}`,
    current_period: 'this billing period',
    previous_period: 'in the previous billing period',
  },
  es: {
    today: 'hoy',
    yesterday: 'ayer',
    this_week: 'esta semana',
    last_week: 'la semana pasada',
    this_month: 'este mes',
    last_month: 'el mes pasado',
    this_year: 'este año',
    lastN: (n: number) => `en los últimos ${n} días`,
    month: (m: string) => `en ${m}`,
    current_period: 'este periodo de facturación',
    previous_period: 'en el periodo de facturación anterior',
  },
};

/**
 * A resolved range depends on `now` only through the local day it falls in, so each one is kept with that day's
 * bounds and reused until the zone's midnight (calendar arithmetic with zones is the costly part of a chat turn).
 */
const resolved = new Map<string, { from: number; until: number; range: ResolvedRange }>();
const slotKey = (s: PeriodSlot): string =>
  s.kind === 'last_n_days' ? `n${s.days}` : s.kind === 'month' ? `m${s.month}/${s.year ?? ''}` : s.kind;

export function resolvePeriod(slot: PeriodSlot, now: Date, timeZone: string, lang: Lang): ResolvedRange {
  const key = `${timeZone}|${lang}|${slotKey(slot)}`;
  const t = now.getTime();
  let hit = resolved.get(key);
  if (!hit || t < hit.from || t >= hit.until) {
    const today = dayStart(DateTime.fromJSDate(now, { zone: timeZone }));
    hit = {
      from: today.toMillis(),
      until: dayStart(today.plus({ days: 1 })).toMillis(),
      range: computeRange(slot, now, timeZone, lang, today),
    };
    if (resolved.size >= 5_000) resolved.clear();
    resolved.set(key, hit);
  }
  const r = hit.range;
  return { from: new Date(r.from), to: new Date(r.to), label: r.label, days: r.days };
}

function computeRange(slot: PeriodSlot, now: Date, timeZone: string, lang: Lang, today: DateTime): ResolvedRange {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const n = names[lang];
  // Every bound is the start of a local day: calendar arithmetic keeps the wall time, which on a day that began
  // at 01:00 is an hour late, so each bound is taken back to its day's first instant.
  const range = (from: DateTime, to: DateTime, label: string): ResolvedRange => ({
    from: dayStart(from).toJSDate(),
    to: dayStart(to).toJSDate(),
    label,
    days: Math.round(dayStart(to).diff(dayStart(from), 'days').days),
  });
  switch (slot.kind) {
    case 'today':
      return range(today, today.plus({ days: 1 }), n.today);
    case 'yesterday':
      return range(today.minus({ days: 1 }), today, n.yesterday);
    case 'this_week': {
      const monday = today.minus({ days: today.weekday - 1 });
      return range(monday, monday.plus({ weeks: 1 }), n.this_week);
    }
    case 'last_week': {
      const monday = today.minus({ days: today.weekday - 1 });
      return range(monday.minus({ weeks: 1 }), monday, n.last_week);
    }
    case 'this_month': {
      const first = today.startOf('month');
      return range(first, first.plus({ months: 1 }), n.this_month);
    }
    case 'last_month': {
      const first = today.startOf('month');
      return range(first.minus({ months: 1 }), first, n.last_month);
    }
    case 'last_n_days': {
      const days = Math.max(1, Math.min(366, Math.round(slot.days)));
      return range(today.minus({ days: days - 1 }), today.plus({ days: 1 }), n.lastN(days));
    }
    // Credit periods need the account's top-up day: the chat's figures resolve them from the credit state
    // (answers/figures.ts); here, calendar months (exact with the default top-up day 1).
    case 'current_period': {
      const first = today.startOf('month');
      return range(first, first.plus({ months: 1 }), n.current_period);
    }
    case 'previous_period': {
      const first = today.startOf('month');
      return range(first.minus({ months: 1 }), first, n.previous_period);
    }
    case 'this_year': {
      const first = today.startOf('year');
      return range(first, first.plus({ years: 1 }), n.this_year);
    }
    case 'month': {
      let year = slot.year ?? local.year;
      if (slot.year === undefined && slot.month > local.month) year -= 1;
      const first = DateTime.fromObject({ year, month: slot.month, day: 1 }, { zone: timeZone });
      const monthName = first.setLocale(lang === 'es' ? 'es' : 'en').toFormat(slot.year ? 'LLLL yyyy' : 'LLLL');
      return range(first, first.plus({ months: 1 }), n.month(monthName));
    }
  }
}

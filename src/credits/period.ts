/**
 * Credit periods. A period runs from one top-up to the next, at 00:00 of `topUpDay` in the account's
 * time zone (the calendar month with the default topUpDay 1). Pure: no I/O, no clock.
 */
import { DateTime } from 'luxon';

export interface Period {
  start: Date;
  end: Date;
}

/**
 * The first instant of the local day of `t`. Where the clocks jump at midnight a day begins at 01:00 (luxon's
 * startOf resolves that forward); where they go back at 01:00 midnight happens twice and the day began at the
 * first one, as PostgreSQL's `AT TIME ZONE` dates the hour between them (luxon's startOf gives the second).
 */
export function dayStart(t: DateTime): DateTime {
  const start = t.startOf('day');
  const hourBefore = start.minus({ hours: 1 });
  return hourBefore.toISODate() === start.toISODate() ? hourBefore.startOf('day') : start;
}

function topUpAt(year: number, month: number, topUpDay: number, timeZone: string): DateTime {
  return dayStart(DateTime.fromObject({ year, month, day: topUpDay }, { zone: timeZone }));
}

/**
 * Calendar arithmetic with time zones is costly (luxon asks Intl for offsets) and the answers change once a
 * month or once a day: the last period and the day starts seen per zone are remembered. Pure all the same.
 */
const lastPeriod = new Map<string, Period>();
const dayStarts = new Map<string, number>();
const remember = <K, V>(m: Map<K, V>, k: K, v: V) => {
  if (m.size > 20_000) m.clear();
  m.set(k, v);
  return v;
};

/** The period that contains instant `t`. */
export function periodAt(t: Date, timeZone: string, topUpDay: number): Period {
  const key = `${timeZone}|${topUpDay}`;
  const known = lastPeriod.get(key);
  const ms = t.getTime();
  if (known && known.start.getTime() <= ms && ms < known.end.getTime()) {
    return { start: new Date(known.start), end: new Date(known.end) };
  }
  const p = computePeriodAt(t, timeZone, topUpDay);
  remember(lastPeriod, key, p);
  return { start: new Date(p.start), end: new Date(p.end) };
}

function computePeriodAt(t: Date, timeZone: string, topUpDay: number): Period {
  const local = DateTime.fromJSDate(t, { zone: timeZone });
  let start = topUpAt(local.year, local.month, topUpDay, timeZone);
  if (start.toMillis() > t.getTime()) {
    const prev = local.minus({ months: 1 });
    start = topUpAt(prev.year, prev.month, topUpDay, timeZone);
  }
  const next = start.plus({ months: 1 });
  const end = topUpAt(next.year, next.month, topUpDay, timeZone);
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** The period just before `p`. */
export function previousPeriod(p: Period, timeZone: string, topUpDay: number): Period {
  return periodAt(new Date(p.start.getTime() - 1), timeZone, topUpDay);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(t: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    remember(dateFormats, timeZone, f);
  }
  return f.format(t);
}

/** The instant a local calendar date starts in a time zone. */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return new Date(known);
  const start = dayStart(DateTime.fromISO(date, { zone: timeZone })).toMillis();
  return new Date(remember(dayStarts, key, start));
}

const DAY_MS = 86_400_000;
/** A local date (YYYY-MM-DD) as a day number (days since 1970-01-01): plain calendar arithmetic, no zone. */
const dayNumber = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** Adds whole local days to a local date. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from local date `a` to local date `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** Whether an IANA time zone name is known to this runtime. */
export function isValidTimeZone(timeZone: string): boolean {
  return DateTime.local().setZone(timeZone).isValid;
}

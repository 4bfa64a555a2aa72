/** Cuts a time range into whole local days and raw edges. Pure. */
import { addDays, localDate, startOfLocalDate } from './period.ts';
import type { RangePlan } from './usage-queries.ts';

/** How far in the future an event may lie when it is reported (the platform API rejects later ones). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export function planRange(from: Date, to: Date, timeZone: string, now: Date): RangePlan {
  let end = to;
  // Nothing can have happened after now + the allowed skew, so a range reaching past that point
  // holds the same events as one running to the end of its last local day: read that day whole.
  if (end.getTime() >= now.getTime() + MAX_FUTURE_SKEW_MS) {
    const lastDay = localDate(new Date(end.getTime() - 1), timeZone);
    const dayEnd = startOfLocalDate(addDays(lastDay, 1), timeZone);
    if (dayEnd.getTime() > end.getTime()) end = dayEnd;
  }
  if (end.getTime() <= from.getTime()) return { fullDays: null, edges: [] };

  const fromDay = localDate(from, timeZone);
  const firstFull = startOfLocalDate(fromDay, timeZone).getTime() === from.getTime() ? fromDay : addDays(fromDay, 1);
  const endDay = localDate(end, timeZone);
  const endDayStart = startOfLocalDate(endDay, timeZone);
  const lastFullExclusive = endDay; // whole days run up to the local midnight at or before `end`
  const firstFullStart = startOfLocalDate(firstFull, timeZone);

  if (firstFull >= lastFullExclusive) {
    // No whole day inside: at most one raw piece.
    return { fullDays: null, edges: [{ from, to: end }] };
  }
  const edges: RangePlan['edges'] = [];
  if (firstFullStart.getTime() > from.getTime()) edges.push({ from, to: firstFullStart });
  if (endDayStart.getTime() < end.getTime()) edges.push({ from: endDayStart, to: end });
  return { fullDays: { fromDay: firstFull, toDay: lastFullExclusive }, edges };
}

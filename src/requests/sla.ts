/**
 * When a request must be decided: a number of business hours after it was made (default 4, business
 * hours 09:00–18:00 Monday to Friday in the SLA time zone), brought forward to the account's next
 * top-up when that comes first (a Buy More request decided after the top-up would be late). Pure.
 */
import { DateTime } from 'luxon';

export interface SlaPolicy {
  hours: number;
  businessStart: string; // "09:00"
  businessEnd: string; // "18:00"
  timeZone: string;
  /** ISO weekdays that are business days (1 = Monday); default Monday to Friday */
  businessDays?: number[];
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** Adds business time to `from`, skipping nights and weekends. */
export function addBusinessHours(from: Date, policy: SlaPolicy): Date {
  const open = minutesOf(policy.businessStart);
  const close = minutesOf(policy.businessEnd);
  if (close <= open) throw new Error('SLA business hours must end after they start');
  let left = Math.round(policy.hours * 3_600); // seconds
  let t = DateTime.fromJSDate(from, { zone: policy.timeZone });
  for (let guard = 0; guard < 1_000 && left > 0; guard++) {
    const dayStart = t.startOf('day');
    const weekday = (policy.businessDays ?? [1, 2, 3, 4, 5]).includes(t.weekday);
    const openAt = dayStart.plus({ minutes: open });
    const closeAt = dayStart.plus({ minutes: close });
    if (!weekday || t >= closeAt) {
      t = dayStart.plus({ days: 1 }).plus({ minutes: open });
      continue;
    }
    if (t < openAt) t = openAt;
    const available = Math.floor(closeAt.diff(t, 'seconds').seconds);
    if (left <= available) return t.plus({ seconds: left }).toJSDate();
    left -= available;
    t = dayStart.plus({ days: 1 }).plus({ minutes: open });
  }
  return t.toJSDate();
}

export function slaDeadline(createdAt: Date, policy: SlaPolicy, nextTopUpAt: Date): Date {
  const business = addBusinessHours(createdAt, policy);
  return nextTopUpAt.getTime() < business.getTime() && nextTopUpAt.getTime() > createdAt.getTime()
    ? nextTopUpAt
    : business;
}

import { describe, expect, it } from 'vitest';
import { addBusinessHours, slaDeadline } from '../../../src/requests/sla.ts';

const policy = { hours: 4, businessStart: '09:00', businessEnd: '18:00', timeZone: 'Europe/Madrid' };

describe('SLA deadline', () => {
  it('adds business hours within a day', () => {
    // Monday 30 Nov 2026, 10:00 in Madrid (09:00Z)
    expect(addBusinessHours(new Date('2026-11-30T09:00:00Z'), policy).toISOString()).toBe('2026-11-30T13:00:00.000Z');
  });
  it('carries over the night', () => {
    // 16:00 Madrid: 2 hours today, 2 tomorrow from 09:00 → 11:00 Madrid (10:00Z)
    expect(addBusinessHours(new Date('2026-11-30T15:00:00Z'), policy).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
  it('skips the weekend', () => {
    // Friday 4 Dec 2026 17:00 Madrid: 1 hour Friday, 3 hours Monday → Monday 12:00 Madrid
    expect(addBusinessHours(new Date('2026-12-04T16:00:00Z'), policy).toISOString()).toBe('2026-12-07T11:00:00.000Z');
  });
  it('starts at opening time for a request made at night or on a weekend', () => {
    expect(addBusinessHours(new Date('2026-12-05T20:00:00Z'), policy).toISOString()).toBe('2026-12-07T12:00:00.000Z');
  });
  it('is brought forward to a top-up that comes first', () => {
    const topUp = new Date('2026-11-30T23:00:00Z');
    expect(slaDeadline(new Date('2026-11-30T15:00:00Z'), policy, topUp).toISOString()).toBe(topUp.toISOString());
    expect(slaDeadline(new Date('2026-11-30T09:00:00Z'), policy, topUp).toISOString()).toBe('2026-11-30T13:00:00.000Z');
  });
});

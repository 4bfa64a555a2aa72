import { DateTime } from 'luxon';
import { resolvePeriod } from './src/chat/periods.ts';
import { resolvePeriod as oldResolve } from './tmp-review-periods-old.ts';
const zones = ['Europe/Madrid', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'America/Asuncion', 'Africa/Cairo', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC'];
const by: Record<string, Set<string>> = {};
for (const z of zones) {
  for (let t = Date.UTC(2025,0,1); t < Date.UTC(2027,0,1); t += 10 * 60_000) {
    const s = { kind: 'today' } as const;
    const x = resolvePeriod(s, new Date(t), z, 'en'), y = oldResolve(s, new Date(t), z, 'en');
    if (x.from.getTime() !== y.from.getTime()) (by[z] ??= new Set()).add(new Date(t).toISOString().slice(0, 13));
  }
}
for (const [z, s] of Object.entries(by)) console.log(z, [...s].join(' '));
// what luxon gives
const d = DateTime.fromISO('2026-09-06T12:00', { zone: 'America/Santiago' }).startOf('day');
console.log('Santiago Sep 6 startOf(day)', d.toISO(), 'plus 1 day', d.plus({ days: 1 }).toISO(), 'true next day start', DateTime.fromISO('2026-09-07', { zone: 'America/Santiago' }).startOf('day').toISO(), d.plus({days:1}).startOf('day').toISO());

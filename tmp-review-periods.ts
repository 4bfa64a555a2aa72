import { resolvePeriod } from './src/chat/periods.ts';
import { resolvePeriod as oldResolve } from './tmp-review-periods-old.ts';
const zones = ['Europe/Madrid', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/Sao_Paulo', 'UTC', 'Asia/Kolkata'];
const slots: any[] = [{kind:'today'},{kind:'yesterday'},{kind:'this_week'},{kind:'last_week'},{kind:'this_month'},{kind:'last_month'},{kind:'last_n_days',days:7},{kind:'month',month:3},{kind:'month',month:11},{kind:'this_year'},{kind:'current_period'},{kind:'previous_period'}];
let n = 0, bad = 0;
for (const z of zones) for (const lang of ['en','es'] as const) {
  // walk forward and backward in 17-minute steps through 2011 (Apia skipped a day) and 2026
  for (const [a, b] of [[Date.UTC(2011,11,28), Date.UTC(2012,0,3)], [Date.UTC(2026,2,20), Date.UTC(2026,3,10)], [Date.UTC(2026,8,1), Date.UTC(2026,8,12)], [Date.UTC(2026,9,20), Date.UTC(2026,10,5)], [Date.UTC(2026,11,29), Date.UTC(2027,0,3)]]) {
    const steps: number[] = [];
    for (let t = a; t < b; t += 17 * 60_000) steps.push(t);
    for (const t of [...steps, ...steps.reverse()]) for (const s of slots) {
      n++;
      const x = resolvePeriod(s, new Date(t), z, lang), y = oldResolve(s, new Date(t), z, lang);
      if (x.from.getTime() !== y.from.getTime() || x.to.getTime() !== y.to.getTime() || x.label !== y.label || x.days !== y.days) {
        if (bad++ < 5) console.log('DIFF', z, lang, s, new Date(t).toISOString(), x, y);
      }
    }
  }
}
console.log('checked', n, 'mismatches', bad);

/**
 * The demo account of the platform's "View Usage" page (docs/view-usage-page.md):
 * plan 10.000 credits at 449 EUR/month, add-on 0, balance 14.931 of which 4.931 accumulated (a carry-over
 * of 7.200 granted at this top-up, 2.269 used this period), 5 identities, top-up on the 1st, Europe/Madrid.
 * Three previous months and the current one get realistic usage of every action type by four users, and
 * conversations by identity and campaign. Written through the same domain functions the platform API uses.
 */
import {
  upsertAccount,
  upsertCatalogPlan,
  upsertCreditPack,
  upsertIdentity,
  upsertUser,
} from '../accounts/accounts.ts';
import { createGrant, ingestConversationEvents, ingestUsageEvents, type UsageEventInput } from '../credits/ingest.ts';
import { addDays, localDate, type Period, periodAt, previousPeriod, startOfLocalDate } from '../credits/period.ts';
import type { UsageType } from '../credits/types.ts';
import type { Db } from '../infra/db.ts';
import type { Clock } from '../shared/clock.ts';

export const DEMO_ACCOUNT_ID = 'acc_demo_northwind';
const TZ = 'Europe/Madrid';

export const DEMO_USERS = [
  { id: 'usr_demo_laura', name: 'Laura Martín', email: 'laura.martin@northwind.example', weight: 0.3 },
  { id: 'usr_demo_juan', name: 'Juan Pérez', email: 'juan.perez@northwind.example', weight: 0.35 },
  { id: 'usr_demo_sofia', name: 'Sofía Ruiz', email: 'sofia.ruiz@northwind.example', weight: 0.2 },
  { id: 'usr_demo_marc', name: 'Marc Dubois', email: 'marc.dubois@northwind.example', weight: 0.15 },
] as const;

export const DEMO_IDENTITIES = [
  { id: 'idn_juan_linkedin', name: 'Juan Pérez · LinkedIn', share: 468 },
  { id: 'idn_ana_linkedin', name: 'Ana García · LinkedIn', share: 412 },
  { id: 'idn_sofia_linkedin', name: 'Sofía Ruiz · LinkedIn', share: 305 },
  { id: 'idn_sales_email', name: 'Sales team · Email', share: 188 },
  { id: 'idn_marc_linkedin', name: 'Marc Dubois · LinkedIn', share: 97 },
] as const;

const CAMPAIGNS = [
  { id: 'cmp_saas_ctos', name: 'SaaS CTOs Spain', weight: 0.4 },
  { id: 'cmp_fintech_q4', name: 'Fintech Q4 outreach', weight: 0.3 },
  { id: 'cmp_retail', name: 'Retail decision makers', weight: 0.2 },
  { id: 'cmp_webinar', name: 'Webinar follow-up', weight: 0.1 },
] as const;

const TYPE_WEIGHTS: Array<[UsageType, number]> = [
  ['company_scraping', 0.18],
  ['contact_scraping', 0.27],
  ['enrichment', 0.3],
  ['ai_variable', 0.15],
  ['workflow', 0.1],
];

export const DEMO_CATALOG = {
  plans: [
    {
      id: 'plan_starter',
      name: 'Starter',
      monthlyCredits: 5_000,
      price: { amount: 24_900, currency: 'EUR' },
      identities: 2,
    },
    {
      id: 'plan_growth',
      name: 'Growth',
      monthlyCredits: 10_000,
      price: { amount: 44_900, currency: 'EUR' },
      identities: 5,
    },
    {
      id: 'plan_scale',
      name: 'Scale',
      monthlyCredits: 25_000,
      price: { amount: 99_000, currency: 'EUR' },
      identities: 10,
    },
    {
      id: 'plan_enterprise',
      name: 'Enterprise',
      monthlyCredits: 60_000,
      price: { amount: 199_000, currency: 'EUR' },
      identities: 25,
    },
  ],
  packs: [
    { id: 'pack_1k', credits: 1_000, price: { amount: 5_900, currency: 'EUR' } },
    { id: 'pack_5k', credits: 5_000, price: { amount: 25_900, currency: 'EUR' } },
    { id: 'pack_10k', credits: 10_000, price: { amount: 47_900, currency: 'EUR' } },
  ],
};

/** Deterministic pseudo-random numbers, so the same clock gives the same demo. */
export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits a whole total over weights, exactly (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}

interface DaySlot {
  date: string;
  start: number;
  end: number;
}

/** Local days of [from, to), each with the part of it before `to`. */
function daysOf(from: Date, to: Date): DaySlot[] {
  const days: DaySlot[] = [];
  for (let d = localDate(from, TZ); ; d = addDays(d, 1)) {
    const start = Math.max(startOfLocalDate(d, TZ).getTime(), from.getTime());
    const end = Math.min(startOfLocalDate(addDays(d, 1), TZ).getTime(), to.getTime());
    if (start >= to.getTime()) break;
    if (end > start) days.push({ date: d, start, end });
  }
  return days;
}

function dayWeight(date: string, rnd: () => number): number {
  const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  return (weekend ? 0.15 : 1) * (0.6 + rnd() * 0.8);
}

function usageFor(period: { from: Date; to: Date }, total: number, rnd: () => number, tag: string, spike?: DaySlot) {
  const days = daysOf(period.from, period.to);
  const events: UsageEventInput[] = [];
  if (days.length === 0 || total <= 0) return events;
  const spikeCredits = spike && days.some((d) => d.date === spike.date) ? Math.min(480, Math.floor(total * 0.2)) : 0;
  const perDay = apportion(
    total - spikeCredits,
    days.map((d) => dayWeight(d.date, rnd) * ((d.end - d.start) / 86_400_000)),
  );
  let n = 0;
  days.forEach((day, di) => {
    const dayTotal = perDay[di]!;
    const perUser = apportion(
      dayTotal,
      DEMO_USERS.map((u) => u.weight * (0.5 + rnd())),
    );
    DEMO_USERS.forEach((user, ui) => {
      const perType = apportion(
        perUser[ui]!,
        TYPE_WEIGHTS.map(([, w]) => w * (0.4 + rnd() * 1.2)),
      );
      TYPE_WEIGHTS.forEach(([type], ti) => {
        let credits = perType[ti]!;
        const pieces = credits > 40 ? 3 : credits > 10 ? 2 : 1;
        for (let p = 0; p < pieces && credits > 0; p++) {
          const c = p === pieces - 1 ? credits : Math.max(1, Math.floor(credits / (pieces - p)));
          credits -= c;
          const at = day.start + Math.floor(rnd() * (day.end - day.start));
          events.push({
            id: `seed_${tag}_${String(n++).padStart(6, '0')}`,
            accountId: DEMO_ACCOUNT_ID,
            userId: user.id,
            type,
            credits: c,
            occurredAt: new Date(at),
          });
        }
      });
    });
  });
  if (spikeCredits > 0 && spike) {
    // A workflow left running overnight: the "why did my credits drop?" story.
    const at = spike.start + Math.floor((spike.end - spike.start) * 0.1);
    events.push({
      id: `seed_${tag}_spike`,
      accountId: DEMO_ACCOUNT_ID,
      userId: 'usr_demo_juan',
      type: 'workflow',
      credits: spikeCredits,
      occurredAt: new Date(at),
    });
  }
  return events;
}

export interface SeedDeps {
  db: Db;
  clock: Clock;
}

export interface SeedResult {
  accountId: string;
  usageEvents: number;
  conversationEvents: number;
  period: Period;
}

/** Creates the demo account as of the clock's now. Refuses when it already exists. */
export async function seedDemo({ db, clock }: SeedDeps): Promise<SeedResult> {
  const now = clock.now();
  const cur = periodAt(now, TZ, 1);
  const p1 = previousPeriod(cur, TZ, 1);
  const p2 = previousPeriod(p1, TZ, 1);
  const p3 = previousPeriod(p2, TZ, 1);
  const rnd = mulberry32(Number(localDate(now, TZ).replaceAll('-', '')));

  for (const p of DEMO_CATALOG.plans) await upsertCatalogPlan(db, p.id, p);
  for (const p of DEMO_CATALOG.packs) await upsertCreditPack(db, p.id, p);

  const growth = DEMO_CATALOG.plans[1]!;
  await upsertAccount(
    db,
    clock,
    DEMO_ACCOUNT_ID,
    {
      name: 'Northwind Sales S.L.',
      plan: growth,
      timeZone: TZ,
      locale: 'es',
      topUpDay: 1,
      accountManager: { slackUserId: 'U0DEMOAM01', name: 'Carlos Vega', email: 'carlos.vega@platform.example' },
    },
    { createdAt: p3.start, planEffectiveFrom: p3.start },
  );
  for (const u of DEMO_USERS) await upsertUser(db, DEMO_ACCOUNT_ID, u.id, { name: u.name, email: u.email });
  for (const i of DEMO_IDENTITIES) await upsertIdentity(db, DEMO_ACCOUNT_ID, i.id, i.name);

  // The story: a busy August-like month, a busy one, a quiet one whose 7.200 unused credits the account
  // manager carried over, and this period with 2.269 used so far.
  const spikeDay = daysOf(new Date(now.getTime() - 3 * 86_400_000), new Date(now.getTime() - 2 * 86_400_000))[0];
  const events = [
    ...usageFor({ from: p3.start, to: p3.end }, 9_214, rnd, 'p3'),
    ...usageFor({ from: p2.start, to: p2.end }, 8_736, rnd, 'p2', spikeDay),
    ...usageFor({ from: p1.start, to: p1.end }, 2_800, rnd, 'p1', spikeDay),
    ...usageFor({ from: cur.start, to: now }, 2_269, rnd, 'p0', spikeDay),
  ];
  for (let i = 0; i < events.length; i += 1_000) {
    await ingestUsageEvents(db, clock, events.slice(i, i + 1_000));
  }
  await createGrant(db, clock, {
    id: `seed_carryover_${localDate(cur.start, TZ)}`,
    accountId: DEMO_ACCOUNT_ID,
    kind: 'carryover',
    credits: 7_200,
    effectiveAt: cur.start,
    expiresAt: cur.end,
    reason: 'Unused credits of the previous period carried over, approved by Carlos Vega',
  });

  // Conversations: each identity towards its share of the 500 monthly limit, spread over the campaigns.
  const convs: Parameters<typeof ingestConversationEvents>[2] = [];
  let n = 0;
  for (const [tag, from, to] of [
    ['p3', p3.start, p3.end],
    ['p2', p2.start, p2.end],
    ['p1', p1.start, p1.end],
    ['p0', cur.start, now],
  ] as const) {
    const days = daysOf(from, to);
    const elapsed = (to.getTime() - from.getTime()) / (cur.end.getTime() - cur.start.getTime());
    for (const identity of DEMO_IDENTITIES) {
      const scale = tag === 'p0' ? 1 : 0.75 + rnd() * 0.3;
      const total = Math.min(500, Math.round(identity.share * scale * Math.min(1, elapsed)));
      const perDay = apportion(
        total,
        days.map((d) => dayWeight(d.date, rnd) * ((d.end - d.start) / 86_400_000)),
      );
      days.forEach((day, di) => {
        const perCampaign = apportion(
          perDay[di]!,
          CAMPAIGNS.map((c) => c.weight * (0.5 + rnd())),
        );
        CAMPAIGNS.forEach((campaign, ci) => {
          for (let k = 0; k < perCampaign[ci]!; k++) {
            convs.push({
              id: `seedc_${tag}_${String(n++).padStart(6, '0')}`,
              accountId: DEMO_ACCOUNT_ID,
              identityId: identity.id,
              campaignId: campaign.id,
              campaignName: campaign.name,
              occurredAt: new Date(day.start + Math.floor(rnd() * (day.end - day.start))),
            });
          }
        });
      });
    }
  }
  for (let i = 0; i < convs.length; i += 1_000) {
    await ingestConversationEvents(db, clock, convs.slice(i, i + 1_000));
  }
  return { accountId: DEMO_ACCOUNT_ID, usageEvents: events.length, conversationEvents: convs.length, period: cur };
}

export async function seedDemoIfEmpty(deps: SeedDeps): Promise<SeedResult | null> {
  const { rows } = await deps.db.sql<{ n: number }>('SELECT count(*)::int AS n FROM account');
  if ((rows[0]?.n ?? 0) > 0) return null;
  return seedDemo(deps);
}

/** Removes the demo account and everything it owns (for `npm run db:seed -- --reset`). */
export async function deleteDemo(db: Db): Promise<void> {
  for (const table of [
    'usage_event',
    'usage_hour',
    'usage_day',
    'conversation_event',
    'conversation_day',
    'period_close',
  ]) {
    await db.sql(`DELETE FROM ${table} WHERE account_id = $1`, [DEMO_ACCOUNT_ID]);
  }
  await db.sql('DELETE FROM account WHERE id = $1', [DEMO_ACCOUNT_ID]);
}

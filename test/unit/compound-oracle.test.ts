/**
 * The compound set's oracle checked against a tiny hand-made account whose answers were worked out by hand
 * (below each test), plus the scorer and the soundness of the real set. Pure: no database, no Redis.
 */
import { describe, expect, it } from 'vitest';
import { buildScenario, NOW } from '../fixtures/compound/fixture.ts';
import {
  type ConversationEvent,
  cheapestPacks,
  expectedFigures,
  planAdvice,
  resolveRange,
  type ScenarioData,
  total,
  type UsageEvent,
} from '../fixtures/compound/oracle.ts';
import { KINDS, loadQuestions, problemsOf } from '../fixtures/compound/questions.ts';
import { findFigure, formatCount, scoreReply } from '../fixtures/compound/score.ts';

const eur = (euros: number) => ({ amount: euros * 100, currency: 'EUR' });

let n = 0;
const use = (at: string, userId: string, type: UsageEvent['type'], credits: number): UsageEvent => ({
  id: `u${n++}`,
  userId,
  type,
  credits,
  occurredAt: new Date(at),
});
const conv = (at: string, identityId: string, campaignId: string, times = 1): ConversationEvent[] =>
  Array.from({ length: times }, () => ({ id: `c${n++}`, identityId, campaignId, occurredAt: new Date(at) }));

/**
 * Madrid, top-up on the 1st, now Wednesday 18 Nov 2026 11:30 local (UTC+1 since 25 Oct). Several events sit on
 * a local-day boundary that is not the UTC one.
 */
const tiny: ScenarioData = {
  now: new Date('2026-11-18T10:30:00Z'),
  account: { id: 'acc', name: 'Tiny', timeZone: 'Europe/Madrid', locale: 'en', topUpDay: 1, planId: 'mid' },
  users: [
    { id: 'ana', name: 'Ana Núñez' },
    { id: 'bo', name: 'Bo Berg' },
    { id: 'cy', name: 'Cy Cole' },
  ],
  identities: [
    { id: 'alpha', name: 'Alpha · LinkedIn' },
    { id: 'beta', name: 'Beta · Email' },
  ],
  campaigns: [
    { id: 'spring', name: 'Spring' },
    { id: 'autumn', name: 'Autumn' },
  ],
  plans: [
    {
      id: 'small',
      name: 'Small',
      monthlyCredits: 1_000,
      price: eur(100),
      identities: 1,
      conversationsPerIdentity: 100,
    },
    { id: 'mid', name: 'Mid', monthlyCredits: 3_000, price: eur(250), identities: 2, conversationsPerIdentity: 200 },
    { id: 'big', name: 'Big', monthlyCredits: 10_000, price: eur(700), identities: 5, conversationsPerIdentity: 500 },
  ],
  packs: [
    { id: 'p500', credits: 500, price: eur(60) },
    { id: 'p2000', credits: 2_000, price: eur(200) },
  ],
  usage: [
    use('2026-11-18T08:00:00Z', 'ana', 'enrichment', 100), // today
    use('2026-11-17T12:00:00Z', 'bo', 'workflow', 50), // yesterday
    use('2026-11-16T22:59:59Z', 'ana', 'workflow', 30), // Mon 16 23:59:59 local: this week
    use('2026-11-15T23:30:00Z', 'cy', 'enrichment', 40), // Mon 16 00:30 local: this week (UTC says Sunday)
    use('2026-11-15T22:30:00Z', 'bo', 'company_scraping', 20), // Sun 15 23:30 local: last week
    use('2026-11-09T08:00:00Z', 'cy', 'contact_scraping', 70), // Mon 9: last week
    use('2026-10-31T23:30:00Z', 'ana', 'enrichment', 200), // 1 Nov 00:30 local: this month (UTC says October)
    use('2026-10-31T22:30:00Z', 'bo', 'enrichment', 1_000), // 31 Oct 23:30 local: last month
    use('2026-10-10T10:00:00Z', 'ana', 'workflow', 2_500),
    use('2026-09-15T10:00:00Z', 'cy', 'ai_variable', 3_400),
    use('2026-08-20T10:00:00Z', 'bo', 'contact_scraping', 2_900),
    use('2026-07-31T21:59:59Z', 'ana', 'enrichment', 10_000), // 31 Jul 23:59:59 local: not in the last 3 periods
  ],
  conversations: [
    ...conv('2026-11-18T09:00:00Z', 'alpha', 'spring', 3),
    ...conv('2026-11-02T09:00:00Z', 'alpha', 'autumn'),
    ...conv('2026-11-05T09:00:00Z', 'beta', 'autumn', 2),
    ...conv('2026-10-12T09:00:00Z', 'beta', 'spring', 4),
    ...conv('2026-10-12T09:00:00Z', 'alpha', 'spring'),
  ],
};

const values = (spec: Parameters<typeof expectedFigures>[0], data = tiny) =>
  expectedFigures(spec, data).figures.map((f) =>
    f.kind === 'name'
      ? f.value
      : f.kind === 'money'
        ? `${f.amount / 100} ${f.currency}`
        : f.kind === 'date'
          ? f.iso
          : f.value,
  );

describe('compound oracle: periods as documented in src/chat/periods.ts', () => {
  it('resolves the named ranges in the account time zone', () => {
    const iso = (label: string) => {
      const r = resolveRange(label, tiny);
      return [r.from.toISO(), r.to.toISO(), r.days, r.current];
    };
    expect(iso('today')).toEqual(['2026-11-18T00:00:00.000+01:00', '2026-11-19T00:00:00.000+01:00', 1, true]);
    expect(iso('this_week')).toEqual(['2026-11-16T00:00:00.000+01:00', '2026-11-23T00:00:00.000+01:00', 3, true]);
    expect(iso('last_week')).toEqual(['2026-11-09T00:00:00.000+01:00', '2026-11-16T00:00:00.000+01:00', 7, false]);
    expect(iso('this_month')).toEqual(['2026-11-01T00:00:00.000+01:00', '2026-12-01T00:00:00.000+01:00', 18, true]);
    // October 2026 in Madrid has 31 days and one extra hour (DST ends on the 25th): still 31 days.
    expect(iso('last_month')).toEqual(['2026-10-01T00:00:00.000+02:00', '2026-11-01T00:00:00.000+01:00', 31, false]);
    expect(iso('last_7_days')).toEqual(['2026-11-12T00:00:00.000+01:00', '2026-11-19T00:00:00.000+01:00', 7, true]);
    // A month after the current one is last year's; a month up to the current one is this year's.
    expect(iso('month_12')[0]).toBe('2025-12-01T00:00:00.000+01:00');
    expect(iso('month_11')[0]).toBe('2026-11-01T00:00:00.000+01:00');
    expect(iso('month_12_2026')[0]).toBe('2026-12-01T00:00:00.000+01:00');
    expect(iso('current_period')).toEqual(iso('this_month'));
    expect(iso('previous_period')).toEqual(iso('last_month'));
    expect(() => resolveRange('fortnight', tiny)).toThrow(/unknown period/);
  });

  it('credit periods start on topUpDay at local midnight', () => {
    const day15 = { ...tiny, account: { ...tiny.account, topUpDay: 15 } };
    const r = resolveRange('current_period', day15);
    expect([r.from.toISO(), r.to.toISO()]).toEqual(['2026-11-15T00:00:00.000+01:00', '2026-12-15T00:00:00.000+01:00']);
    const early = { ...day15, now: new Date('2026-11-10T10:00:00Z') };
    expect(resolveRange('current_period', early).from.toISO()).toBe('2026-10-15T00:00:00.000+02:00');
    expect(resolveRange('previous_period', early).from.toISO()).toBe('2026-09-15T00:00:00.000+02:00');
  });
});

describe('compound oracle: figures', () => {
  it('sums by local day, not UTC day', () => {
    // this month: 100 + 50 + 30 + 40 + 20 + 70 + 200 (the 1 Nov 00:30 local event) = 510
    expect(total(tiny, 'credits', { period: 'this_month' })).toBe(510);
    // October: 1,000 (31 Oct 23:30 local) + 2,500 = 3,500
    expect(total(tiny, 'credits', { period: 'last_month' })).toBe(3_500);
    // this week, Mon 16 00:00 local on: 100 + 50 + 30 + 40 = 220; last week: 20 + 70 = 90
    expect(total(tiny, 'credits', { period: 'this_week' })).toBe(220);
    expect(total(tiny, 'credits', { period: 'last_week' })).toBe(90);
    expect(total(tiny, 'credits', { period: 'this_month', type: 'scraping' })).toBe(90);
    expect(total(tiny, 'credits', { period: 'this_month', user: 'ana', type: 'enrichment' })).toBe(300);
    expect(total(tiny, 'conversations', { period: 'this_month', identity: 'alpha' })).toBe(4);
    expect(total(tiny, 'conversations', { period: 'last_month', campaign: 'spring' })).toBe(5);
    expect(() => total(tiny, 'credits', { period: 'this_month', identity: 'alpha' })).toThrow(/conversations/);
  });

  it('a comparison expects both values and the absolute difference', () => {
    const a = { period: 'this_month' };
    const b = { period: 'last_month' };
    expect(values({ op: 'compare', metric: 'credits', a, b })).toEqual([510, 3_500, 2_990]);
    expect(
      values({ op: 'compare', metric: 'credits', a: { period: 'this_week' }, b: { period: 'last_week' } }),
    ).toEqual([220, 90, 130]);
    expect(
      values({
        op: 'compare',
        metric: 'conversations',
        a: { period: 'this_month', identity: 'beta' },
        b: { period: 'this_month', identity: 'alpha' },
      }),
    ).toEqual([2, 4, 2]);
  });

  it('a ranking expects names and values in order, zeros included', () => {
    // this month: Ana 100 + 30 + 200 = 330, Cy 40 + 70 = 110, Bo 50 + 20 = 70
    const top2 = expectedFigures(
      { op: 'rank', metric: 'credits', by: 'user', period: 'this_month', order: 'desc', n: 2 },
      tiny,
    );
    expect(values({ op: 'rank', metric: 'credits', by: 'user', period: 'this_month', order: 'desc', n: 2 })).toEqual([
      'Ana Núñez',
      330,
      'Cy Cole',
      110,
    ]);
    expect(top2.rankings).toEqual([
      {
        top: [
          { value: 'Ana Núñez', aliases: [] },
          { value: 'Cy Cole', aliases: [] },
        ],
        others: [{ value: 'Bo Berg', aliases: [] }],
      },
    ]);
    expect(values({ op: 'rank', metric: 'credits', by: 'user', period: 'this_month', order: 'asc', n: 1 })).toEqual([
      'Bo Berg',
      70,
    ]);
    // by type this month: enrichment 340, workflow 80, contact 70, company 20, AI variables 0
    expect(values({ op: 'rank', metric: 'credits', by: 'type', period: 'this_month', order: 'desc', n: 3 })).toEqual([
      'enrichment',
      340,
      'workflow',
      80,
      'contact scraping',
      70,
    ]);
    expect(values({ op: 'rank', metric: 'credits', by: 'type', period: 'this_month', order: 'asc', n: 1 })).toEqual([
      'AI variable',
      0,
    ]);
    expect(
      values({ op: 'rank', metric: 'conversations', by: 'campaign', period: 'last_month', order: 'desc', n: 1 }),
    ).toEqual(['Spring', 5]);
  });

  it('a share is the rounded whole percentage', () => {
    // 510 of the Mid plan's 3,000 = 17 %; enrichment 340 of 510 = 66.7 % → 67; Alpha 4 of its 200 limit = 2 %
    expect(values({ op: 'share', metric: 'credits', sel: { period: 'current_period' }, of: 'plan' })).toEqual([17]);
    expect(
      values({ op: 'share', metric: 'credits', sel: { period: 'this_month', type: 'enrichment' }, of: 'total' }),
    ).toEqual([67]);
    expect(
      values({ op: 'share', metric: 'conversations', sel: { period: 'last_month', identity: 'beta' }, of: 'total' }),
    ).toEqual([80]);
    expect(() =>
      values({ op: 'share', metric: 'conversations', sel: { period: 'this_month' }, of: 'limit' }),
    ).toThrow();
  });

  it('an average divides by the days elapsed for a current range, by all days for a past one', () => {
    // this month: 510 / 18 days (1–18 Nov) = 28.3 → 28; last week 90 / 7 = 12.9 → 13
    expect(values({ op: 'average', metric: 'credits', sel: { period: 'this_month' }, per: 'day' })).toEqual([28]);
    expect(values({ op: 'average', metric: 'credits', sel: { period: 'last_week' }, per: 'day' })).toEqual([13]);
    // this week: 220 / 3 (Mon–Wed) = 73.3 → 73; last 7 days (12–18 Nov): 100 + 50 + 30 + 40 + 20 = 240 / 7 → 34
    expect(values({ op: 'average', metric: 'credits', sel: { period: 'this_week' }, per: 'day' })).toEqual([73]);
    expect(values({ op: 'average', metric: 'credits', sel: { period: 'last_7_days' }, per: 'day' })).toEqual([34]);
    // October (31 days and an hour): 3,500 / 31 = 112.9 → 113
    expect(values({ op: 'average', metric: 'credits', sel: { period: 'month_10' }, per: 'day' })).toEqual([113]);
  });

  it('balance, renewal, plans and packs; multi is the union of its parts', () => {
    expect(values({ op: 'balance' })).toEqual([3_000 - 510]);
    expect(values({ op: 'renewal' })).toEqual(['2026-12-01']);
    expect(values({ op: 'plan', plan: 'big', fields: ['price', 'credits'], vs: 'current' })).toEqual([
      '700 EUR',
      '450 EUR',
      10_000,
      7_000,
    ]);
    expect(values({ op: 'pack', pack: 'p500', fields: ['credits', 'price'] })).toEqual([500, '60 EUR']);
    expect(
      values({
        op: 'multi',
        parts: [
          { op: 'balance' },
          { op: 'renewal' },
          { op: 'total', metric: 'credits', sel: { period: 'current_period' } },
        ],
      }),
    ).toEqual([2_490, '2026-12-01', 510]);
    // a figure asked twice is expected once
    expect(values({ op: 'multi', parts: [{ op: 'balance' }, { op: 'balance' }] })).toEqual([2_490]);
  });
});

describe('compound oracle: packs and plan advice', () => {
  it('covers an overflow with the exact cheapest combination, not the best price per credit', () => {
    // 2,400: 2,000 + 500 = 260 € (two 2,000 packs, the cheaper per credit, would be 400 €)
    expect(cheapestPacks(2_400, tiny.packs)).toEqual({
      packs: [
        { id: 'p500', count: 1 },
        { id: 'p2000', count: 1 },
      ],
      credits: 2_500,
      cost: 26_000,
    });
    // 1,900: one 2,000 pack (200 €) beats four 500 packs (240 €)
    expect(cheapestPacks(1_900, tiny.packs)).toMatchObject({ packs: [{ id: 'p2000', count: 1 }], cost: 20_000 });
    expect(cheapestPacks(0, tiny.packs)).toEqual({ packs: [], credits: 0, cost: 0 });
    // equal cost: fewer credits bought wins (1,000 for 100 € vs 2,000 for 100 €)
    const tie = [
      { id: 'a', credits: 2_000, price: eur(100) },
      { id: 'b', credits: 1_000, price: eur(100) },
    ];
    expect(cheapestPacks(900, tie).packs).toEqual([{ id: 'b', count: 1 }]);
  });

  it('re-prices the last three closed periods under every plan and recommends the cheapest', () => {
    // Closed periods Aug 2,900, Sep 3,400, Oct 3,500 (July's 10,000 is older).
    // Small: 3 × 100 + packs for 1,900 (200) + 2,400 (260) + 2,500 (260) = 1,020 €
    // Mid:   3 × 250 + packs for 0 + 400 (60) + 500 (60) = 870 €
    // Big:   3 × 700 = 2,100 €
    const a = planAdvice(tiny);
    expect(a.periods.map((p) => p.used)).toEqual([2_900, 3_400, 3_500]);
    expect(a.rows.map((r) => [r.plan.name, r.total / 100])).toEqual([
      ['Small', 1_020],
      ['Mid', 870],
      ['Big', 2_100],
    ]);
    expect(a.recommended.plan.name).toBe('Mid');
    expect(values({ op: 'advice' })).toEqual(['Mid', '870 EUR']);
  });

  it('breaks a tie between plans towards fewer credits', () => {
    const plans = [
      { ...tiny.plans[2]!, id: 'x', name: 'Roomy', monthlyCredits: 8_000, price: eur(300) },
      { ...tiny.plans[2]!, id: 'y', name: 'Snug', monthlyCredits: 4_000, price: eur(300) },
    ];
    expect(planAdvice({ ...tiny, plans, account: { ...tiny.account, planId: 'x' } }).recommended.plan.name).toBe(
      'Snug',
    );
  });
});

describe('compound scorer', () => {
  it('looks for numbers as the bot prints them in the language, not inside other numbers', () => {
    expect(formatCount(12_345, 'en')).toBe('12,345');
    expect(formatCount(12_345, 'es')).toBe('12.345');
    expect(formatCount(4_931, 'es')).toBe('4.931');
    const fig = { kind: 'count' as const, value: 1_234, label: '' };
    expect(findFigure('You used 1,234 credits.', fig, 'en')).toBeGreaterThan(0);
    expect(findFigure('You used 11,234 credits.', fig, 'en')).toBe(-1);
    expect(findFigure('You used 1,234,567 credits.', fig, 'en')).toBe(-1);
    expect(findFigure('Has usado 1.234 créditos.', fig, 'es')).toBeGreaterThan(0);
    expect(findFigure('Has usado 1,234 créditos.', fig, 'es')).toBe(-1);
    expect(findFigure('Has usado 1234 créditos.', fig, 'es')).toBe(-1);
  });

  it('finds percentages, money, dates and names', () => {
    expect(findFigure('el 87\u00a0% del plan', { kind: 'percent', value: 87, label: '' }, 'es')).toBeGreaterThan(0);
    expect(findFigure('87 credits', { kind: 'percent', value: 87, label: '' }, 'en')).toBe(-1);
    const money = { kind: 'money' as const, amount: 239_700, currency: 'EUR', label: '' };
    expect(findFigure('Business: €2,397 over three months', money, 'en')).toBeGreaterThan(0);
    expect(findFigure('Business: 2.397\u00a0€ en tres meses', money, 'es')).toBeGreaterThan(0);
    expect(findFigure('Business: 2.397,00 €', money, 'es')).toBeGreaterThan(0);
    expect(findFigure('Business: 2,397 credits', money, 'en')).toBe(-1);
    const date = { kind: 'date' as const, iso: '2026-12-01', label: '' };
    expect(findFigure('tops up on 1 December 2026', date, 'en')).toBeGreaterThan(0);
    expect(findFigure('se recarga el 1 de diciembre de 2026', date, 'es')).toBeGreaterThan(0);
    expect(findFigure('se recarga el 11 de diciembre', date, 'es')).toBe(-1);
    const name = { kind: 'name' as const, value: 'Lucía Fernández', aliases: [], label: '' };
    expect(findFigure('**LUCIA FERNANDEZ** used the most', name, 'en')).toBeGreaterThan(0);
  });

  it('a reply is right with every figure (rankings in order), partial with one', () => {
    const expected = expectedFigures(
      { op: 'rank', metric: 'credits', by: 'user', period: 'this_month', order: 'desc', n: 2 },
      tiny,
    );
    expect(scoreReply('- Ana Núñez: 330\n- Cy Cole: 110\n- Bo Berg: 70', expected, 'en')).toMatchObject({
      right: true,
      partial: true,
    });
    expect(scoreReply('- Cy Cole: 110\n- Ana Núñez: 330', expected, 'en')).toMatchObject({
      right: false,
      partial: true,
      orderOk: false,
    });
    expect(scoreReply('Ana Núñez used the most', expected, 'en')).toMatchObject({ right: false, partial: true });
    expect(scoreReply('No idea', expected, 'en')).toMatchObject({ right: false, partial: false });
  });

  it('a "least" ranking is not right when the reply leads with someone else', () => {
    // Bo Berg used the least this month (70)
    const least = expectedFigures(
      { op: 'rank', metric: 'credits', by: 'user', period: 'this_month', order: 'asc', n: 1 },
      tiny,
    );
    const descList = '**Ana Núñez** used the most:\n- Ana Núñez: 330\n- Cy Cole: 110\n- Bo Berg: 70';
    expect(scoreReply(descList, least, 'en')).toMatchObject({ right: false, partial: true, orderOk: false });
    expect(scoreReply('Bo Berg used the least: 70 credits (Ana Núñez the most, 330).', least, 'en').right).toBe(true);
  });

  it('a count is not found in a percentage', () => {
    const fig = { kind: 'count' as const, value: 24, label: '' };
    expect(findFigure('- Diego: 86 (24%)', fig, 'en')).toBe(-1);
    expect(findFigure('- Diego: 86 (24 %)', fig, 'es')).toBe(-1);
    expect(findFigure('24 more conversations', fig, 'en')).toBe(0);
  });
});

describe('the compound set', () => {
  const data = buildScenario();
  const questions = loadQuestions();

  it('is generated deterministically, with no event after NOW', () => {
    const again = buildScenario();
    expect(again.usage).toEqual(data.usage);
    expect(again.conversations).toEqual(data.conversations);
    const latest = Math.max(
      ...data.usage.map((e) => e.occurredAt.getTime()),
      ...data.conversations.map((e) => e.occurredAt.getTime()),
    );
    expect(latest).toBeLessThan(NOW.getTime());
    expect(new Set(data.usage.map((e) => e.id)).size).toBe(data.usage.length);
    expect(new Set(data.conversations.map((e) => e.id)).size).toBe(data.conversations.length);
    // the monthly totals the scenario was built with
    expect(
      ['month_7', 'month_8', 'month_9', 'month_10', 'month_11'].map((p) => total(data, 'credits', { period: p })),
    ).toEqual([9_460, 16_830, 18_940, 17_560, 8_734]);
    // no identity goes over its 500 conversations in a period
    for (const p of ['month_7', 'month_8', 'month_9', 'month_10', 'month_11']) {
      for (const i of data.identities) {
        expect(total(data, 'conversations', { period: p, identity: i.id })).toBeLessThanOrEqual(500);
      }
    }
  });

  it('has sound questions: ids unique, every spec computable, no ties, no tiny figures', () => {
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(new Set(questions.map((q) => q.text.toLowerCase())).size).toBe(questions.length);
    const problems = questions.flatMap((q) => problemsOf(q, data).map((p) => `${q.id}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('covers every kind in both languages, about half each', () => {
    expect(questions.length).toBeGreaterThanOrEqual(170);
    for (const kind of KINDS) {
      const of = questions.filter((q) => q.kind === kind);
      expect(of.length, kind).toBeGreaterThanOrEqual(kind === 'plan_info' || kind === 'plan_advice' ? 10 : 12);
      expect(of.some((q) => q.lang === 'en') && of.some((q) => q.lang === 'es'), kind).toBe(true);
    }
    const es = questions.filter((q) => q.lang === 'es').length;
    expect(Math.abs(es - questions.length / 2)).toBeLessThan(questions.length * 0.1);
  });
});

/**
 * The grounding guard: every figure of a model reply (numbers in any locale, amounts, shares, dates, times) must be
 * one of this turn's facts; repeating the instructions is caught too.
 */
import { describe, expect, it } from 'vitest';
import { addFacts, checkGrounding, emptyFacts, figuresOf, leakDetector } from '../../../src/chat/llm/grounding.ts';

const facts = addFacts(
  emptyFacts(),
  {
    balance: 14_931,
    used_this_period: 2_269,
    used_percent_of_plan: 22.69,
    burn_rate_per_day: 75.3,
    price_per_month: { amount: 449, currency: 'EUR' },
    next_top_up: '2026-12-01',
    asOf: '2026-11-30T10:00:00Z',
    campaign: 'Fintech Q4 outreach',
    shown_to_customer: 'valid until the top-up on 1 December 2026, for 224,50 €',
  },
  'Europe/Madrid',
);

describe('figures in a reply', () => {
  it('reads numbers in English, Spanish and French formats, with k, mil, %, currency and signs', () => {
    const values = (t: string) => figuresOf(t).map((f) => [f.kind, ...(f.values ?? f.dates ?? [f.month])]);
    expect(values('14,931')).toEqual([['number', 14_931, 14.931]]);
    expect(values('14.931')).toEqual([['number', 14_931, 14.931]]);
    expect(values('14 931 crédits')).toEqual([['number', 14_931]]);
    expect(values('14\u202f931')).toEqual([['number', 14_931]]);
    expect(values('14.931,50 €')).toEqual([['number', 14_931.5]]);
    expect(values('€1,234.5')).toEqual([['number', 1_234.5]]);
    expect(values('15k')).toEqual([['number', 15_000]]);
    expect(values('15 mil créditos')).toEqual([['number', 15_000]]);
    expect(values('22,7 %')).toEqual([['percent', 22.7]]);
    expect(values('−2,269')).toEqual([['number', 2_269, 2.269]]);
    expect(values('between 2 and 3')).toEqual([
      ['number', 2],
      ['number', 3],
    ]);
  });

  it('reads dates in seven languages, ISO and d/m/y, and times', () => {
    const dates = (t: string) => figuresOf(t).flatMap((f) => f.dates ?? [f.month]);
    expect(dates('on 1 December 2026')).toEqual(['2026-12-01']);
    expect(dates('December 1st, 2026')).toEqual(['2026-12-01']);
    expect(dates('el 1 de diciembre de 2026')).toEqual(['2026-12-01']);
    expect(dates('le 1er décembre 2026')).toEqual(['2026-12-01']);
    expect(dates('am 1. Dezember 2026')).toEqual(['2026-12-01']);
    expect(dates('em 1 de dezembro de 2026')).toEqual(['2026-12-01']);
    expect(dates('il 1 dicembre 2026')).toEqual(['2026-12-01']);
    expect(dates('op 1 december 2026')).toEqual(['2026-12-01']);
    expect(dates('2026-12-01')).toEqual(['2026-12-01']);
    expect(dates('01/12/2026')).toEqual(['2026-12-01', '2026-01-12']);
    expect(dates('in December 2026')).toEqual(['2026-12']);
    expect(dates('at 11:00')).toEqual(['11:00']);
  });
});

describe('checkGrounding', () => {
  const ok = (t: string) => checkGrounding(t, facts).ok;

  it('accepts the facts in every format a reply may use', () => {
    for (const t of [
      'You have **14,931 credits** left.',
      'Te quedan 14.931 créditos.',
      'Il vous reste 14 931 crédits.',
      'About 14.9k credits (15k).',
      "You've used 2,269 credits, 23 % of your plan (22.7 %, 22.69 %).",
      'Your plan costs €449 a month (449,00 €); the pack costs 224.50 EUR.',
      'Your credits renew on 1 December 2026 (2026-12-01), el 1 de diciembre.',
      'At about 75 credits a day (75.3), you are fine.',
      'Fintech Q4 outreach used the most.',
      'In two sentences: all good.',
    ]) {
      expect(checkGrounding(t, facts), t).toEqual({ ok: true, ungrounded: [] });
    }
  });

  it('refuses any figure no fact holds', () => {
    expect(checkGrounding('You have 15,000 credits.', facts)).toEqual({ ok: false, ungrounded: ['15,000'] });
    expect(ok('You have 14,930 credits.')).toBe(false);
    expect(ok('You have 5 credits.')).toBe(false);
    expect(ok('That is 12 % of your plan.')).toBe(false);
    // A count is not a share: 75 % is not 75.3 a day.
    expect(ok('You used 75 % of it.')).toBe(false);
    expect(ok('They renew on 2 December 2026.')).toBe(false);
    expect(ok('They renew in January 2027.')).toBe(false);
    expect(ok('at 09:15')).toBe(false);
    expect(ok('Fintech Q3 did well.')).toBe(false);
    expect(ok('20k credits')).toBe(false);
    // Large numbers in words cannot be checked.
    expect(ok('You have fifteen thousand credits.')).toBe(false);
    expect(ok('Te quedan quince mil créditos.')).toBe(false);
  });
});

describe('leakDetector', () => {
  const system =
    'You are the credits assistant in the support chat. Every figure you write must be in a tool result of this turn or in the known facts below.';
  const leaked = leakDetector([system], ['cb-assistant', 'get_usage']);

  it('catches a reply that repeats the instructions, a marker or a tool name', () => {
    expect(
      leaked(
        'Sure! My instructions: every figure you write must be in a tool result of this turn or in the known facts.',
      ),
    ).toBe(true);
    expect(leaked('(prompt cb-assistant-1) You are...')).toBe(true);
    expect(leaked('I called get_usage for you.')).toBe(true);
  });

  it('lets ordinary answers through', () => {
    expect(leaked('You are on the Growth plan and your credits renew on the top-up day.')).toBe(false);
  });
});

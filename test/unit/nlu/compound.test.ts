/**
 * Compound frames (src/chat/nlu/compound.ts): operands, operator, metric and grouping read from one message, in
 * English and Spanish, and left alone for single questions.
 */
import { describe, expect, it } from 'vitest';
import { understand } from '../../../src/chat/nlu/index.ts';
import type { EntityDictionary, Frame } from '../../../src/chat/nlu/types.ts';

const entities: EntityDictionary = {
  users: [
    { id: 'u_ana', name: 'Ana Ruiz' },
    { id: 'u_tom', name: 'Tom Berg' },
    { id: 'u_eva', name: 'Eva Soler' },
  ],
  identities: [
    { id: 'i_ana', name: 'Ana Ruiz · LinkedIn' },
    { id: 'i_sales', name: 'Sales · Email' },
    { id: 'i_ops', name: 'Ops · Email' },
  ],
  campaigns: [
    { id: 'c_fintech', name: 'Fintech founders Berlin' },
    { id: 'c_retail', name: 'Retail buyers' },
  ],
  plans: [
    { id: 'p_basic', name: 'Basic' },
    { id: 'p_team', name: 'Team' },
    { id: 'p_scale', name: 'Scale' },
  ],
};
const frame = (text: string): Frame | undefined => understand(text, { entities }).frame;
const ids = (items: Array<Record<string, unknown>>, key: string) =>
  items.map((s) => (s[key] as { id?: string; kind?: string; month?: number } | string | undefined) ?? null);

describe('comparisons', () => {
  it('two periods, in either language', () => {
    const en = frame('did we spend more in march than in april?');
    expect(en).toMatchObject({ op: 'compare', metric: 'credits' });
    expect(ids((en as Extract<Frame, { op: 'compare' }>).items as Array<Record<string, unknown>>, 'period')).toEqual([
      { kind: 'month', month: 3 },
      { kind: 'month', month: 4 },
    ]);
    const es = frame('compara la semana pasada con esta semana');
    expect((es as Extract<Frame, { op: 'compare' }>).items.map((i) => i.period)).toEqual([
      { kind: 'last_week' },
      { kind: 'this_week' },
    ]);
  });

  it('two action types share the period; a scraping takes its company or contact word', () => {
    const f = frame('company scraping vs contact scraping last month') as Extract<Frame, { op: 'compare' }>;
    expect(f.items).toEqual([
      { period: { kind: 'last_month' }, actionType: 'company_scraping' },
      { period: { kind: 'last_month' }, actionType: 'contact_scraping' },
    ]);
  });

  it('two users for credits, the same names as identities for conversations', () => {
    const credits = frame('who used more credits this week, Ana or Tom?') as Extract<Frame, { op: 'compare' }>;
    expect(credits.metric).toBe('credits');
    expect(credits.items.map((i) => i.user?.id)).toEqual(['u_ana', 'u_tom']);
    const convs = frame("Ana's LinkedIn vs the Sales inbox, conversations in May") as Extract<Frame, { op: 'compare' }>;
    expect(convs.metric).toBe('conversations');
    expect(convs.items.map((i) => i.identity?.id)).toEqual(['i_ana', 'i_sales']);
  });

  it('two campaigns, one named by a distinctive word alone; "in total" sums them', () => {
    const f = frame('¿la campaña fintech tuvo más conversaciones que Retail buyers en junio?') as Extract<
      Frame,
      { op: 'compare' }
    >;
    expect(f.items.map((i) => i.campaign?.id)).toEqual(['c_fintech', 'c_retail']);
    expect(frame('how many credits did Ana and Eva use in total this month')).toMatchObject({
      op: 'compare',
      combined: true,
    });
  });

  it('pairs operands of two kinds: "enrichment last week and workflows this week"', () => {
    const f = frame('credits on enrichment last week and on workflows this week') as Extract<Frame, { op: 'compare' }>;
    expect(f.items).toEqual([
      { period: { kind: 'last_week' }, actionType: 'enrichment' },
      { period: { kind: 'this_week' }, actionType: 'workflow' },
    ]);
  });
});

describe('rankings, shares, averages, series', () => {
  it('reads the dimension, the order and how many', () => {
    expect(frame('bottom three users by credits in may')).toMatchObject({ op: 'rank', by: 'user', order: 'asc', n: 3 });
    expect(frame('¿qué campaña consiguió más conversaciones el mes pasado?')).toMatchObject({
      op: 'rank',
      by: 'campaign',
      order: 'desc',
      metric: 'conversations',
    });
    expect(frame('ordena los tipos de acción de menos a más')).toMatchObject({ op: 'rank', by: 'type', order: 'asc' });
    expect(frame('¿qué campaña va peor este mes?')).toMatchObject({ op: 'rank', by: 'campaign', order: 'asc' });
  });

  it('a share of the plan, of the total, of an identity limit', () => {
    expect(frame('what percentage of our plan did we use in march')).toMatchObject({ op: 'share', of: 'plan' });
    expect(frame('qué porcentaje del consumo de abril fue de Tom')).toMatchObject({
      op: 'share',
      of: 'total',
      sel: { user: { id: 'u_tom' } },
    });
    expect(frame('what % of its conversation limit has Sales email used')).toMatchObject({ op: 'share', of: 'limit' });
  });

  it('an average per day and a time series', () => {
    expect(frame('average credits per day in april')).toMatchObject({
      op: 'average',
      sel: { period: { kind: 'month' } },
    });
    expect(frame('promedio diario de conversaciones esta semana')).toMatchObject({
      op: 'average',
      metric: 'conversations',
    });
    expect(frame('show me a chart of credits this month')).toMatchObject({ op: 'series', step: 'day' });
    expect(frame('monthly usage trend')).toMatchObject({ op: 'series', step: 'month' });
  });
});

describe('plans, advice, exports', () => {
  it('a named plan, with the difference from mine or from another plan', () => {
    expect(frame('how much is the Team plan?')).toMatchObject({
      op: 'plan',
      plan: { id: 'p_team' },
      fields: ['price'],
    });
    expect(frame('¿en qué se diferencia el plan Scale del mío?')).toMatchObject({ op: 'plan', vs: true });
    expect(frame('upgrade me to the Team plan')).toBeUndefined(); // a request, not a question
    expect(frame('¿nos conviene pasar al plan Scale?')).toMatchObject({
      op: 'plan',
      plan: { id: 'p_scale' },
      advise: true,
    });
  });

  it('advice, but not a plan change asked outright', () => {
    expect(frame('which plan would be cheapest for how we use credits?')).toEqual({ op: 'advice' });
    expect(frame('¿qué plan nos conviene más?')).toEqual({ op: 'advice' });
    expect(frame('move me to the cheaper plan')).toBeUndefined();
  });

  it('an export with its grouping, not the platform export of contacts', () => {
    expect(frame('export my usage by user as csv for last month')).toMatchObject({
      op: 'export',
      groupBy: 'user',
      sel: { period: { kind: 'last_month' } },
    });
    expect(frame('descarga el consumo de este mes en excel')).toMatchObject({ op: 'export', groupBy: 'day' });
    expect(frame('how do i export my contacts to a csv')).toBeUndefined();
    expect(frame('send me a csv of our usage by type for may')).toMatchObject({ op: 'export', groupBy: 'type' });
  });
});

describe('several asks', () => {
  it('answers each ask, with the period carried over', () => {
    const f = frame("what's my balance, and how much did Tom spend in april?");
    expect(f).toEqual({
      op: 'multi',
      parts: [
        { op: 'ask', intent: 'balance', slots: {} },
        {
          op: 'total',
          metric: 'credits',
          sel: { period: { kind: 'month', month: 4 }, user: { id: 'u_tom', name: 'Tom Berg' } },
        },
      ],
    });
    const es = frame('cuántas conversaciones tuvo Sales ayer y cuántos créditos gastamos') as Extract<
      Frame,
      { op: 'multi' }
    >;
    expect(es.parts.map((p) => p.op)).toEqual(['total', 'total']);
    expect((es.parts[1] as { sel: { period?: unknown } }).sel.period).toEqual({ kind: 'yesterday' });
  });

  it('does not split statements, operand lists or a question with its refinement', () => {
    expect(frame('a workflow ran all night and ate my credits')).toBeUndefined();
    expect(frame('compare Ana and Tom for march')?.op).toBe('compare');
    expect(frame('how many credits did we use last month, by type?')).toBeUndefined();
    expect(frame("not asking about the price, just tell me what's left")).toBeUndefined();
  });
});

describe('single questions', () => {
  it('get no frame', () => {
    for (const text of [
      'how many credits do I have left?',
      '¿cuándo se renuevan mis créditos?',
      'what did we spend credits on this month',
      'I want to buy 2000 credits',
      'ran out of credits mid campaign, how do i top up',
      'talk to a human please',
    ])
      expect(frame(text), text).toBeUndefined();
  });
});

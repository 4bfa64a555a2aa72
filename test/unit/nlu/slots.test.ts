import { describe, expect, it } from 'vitest';
import { understand } from '../../../src/chat/nlu/index.ts';
import type { EntityDictionary } from '../../../src/chat/nlu/types.ts';

const period = (text: string) => understand(text).slots.period;
const amount = (text: string) => understand(text).slots.amount;
const action = (text: string) => understand(text).slots.actionType;

describe('period slot', () => {
  it.each([
    ['how many credits did we use today?', { kind: 'today' }],
    ['cuántos créditos gastamos ayer', { kind: 'yesterday' }],
    ['credits used yesterday', { kind: 'yesterday' }],
    ['usage this week', { kind: 'this_week' }],
    ['consumo de esta semana', { kind: 'this_week' }],
    ['how many credits did we use last week', { kind: 'last_week' }],
    ['conversaciones por identidad de la semana pasada', { kind: 'last_week' }],
    ['remaining credits for this month', { kind: 'this_month' }],
    ['cuantos creditos me quedan este mes', { kind: 'this_month' }],
    ['total credits used last month?', { kind: 'last_month' }],
    ['cuántos créditos gastamos el mes pasado', { kind: 'last_month' }],
    ['credits used this year', { kind: 'this_year' }],
    ['cuantos creditos hemos usado en lo que va de año', { kind: 'this_year' }],
  ])('%s', (text, expected) => {
    expect(period(text)).toEqual(expected);
  });

  it.each([
    ['daily credit usage for the last 7 days', 7],
    ['gasto de creditos de los ultimos 30 dias', 30],
    ['últimos 15 días de consumo', 15],
    ['credits used in the past two weeks', 14],
    ['consumo de las últimas dos semanas', 14],
    ['credits spent in the last 24 hours', 1],
    ['usage over the last 3 months', 90],
  ])('%s → last %i days', (text, days) => {
    expect(period(text)).toEqual({ kind: 'last_n_days', days });
  });

  it('named months, with and without a year', () => {
    expect(period('credit usage in october')).toEqual({ kind: 'month', month: 10 });
    expect(period('cuanto consumimos en marzo de 2026')).toEqual({ kind: 'month', month: 3, year: 2026 });
    expect(period('credits used october 2025')).toEqual({ kind: 'month', month: 10, year: 2025 });
    expect(period('consumo de septiembre')).toEqual({ kind: 'month', month: 9 });
  });

  it('"may" the verb is not May the month', () => {
    expect(period('may i see how many credits we used')).toBeUndefined();
    expect(period('credits used in may')).toEqual({ kind: 'month', month: 5 });
  });

  it('"until the end of the month" is this month for a forecast', () => {
    const r = understand('me van a llegar los creditos hasta fin de mes?');
    expect(r.intent).toBe('forecast_runout');
    expect(r.slots.period).toEqual({ kind: 'this_month' });
  });

  it('is left out where the period is only context (purchases, rollover, plan changes)', () => {
    expect(understand('i just need a few more credits this month').slots.period).toBeUndefined();
    expect(understand('si no gasto todos los créditos este mes los pierdo?').slots.period).toBeUndefined();
    expect(understand('if i upgrade today does my renewal date change?').slots.period).toBeUndefined();
  });

  it('a past period does not scope a balance ("bought yesterday")', () => {
    const r = understand('bought extra credits yesterday but my balance still shows the old number');
    expect(r.intent).toBe('balance');
    expect(r.slots.period).toBeUndefined();
  });
});

describe('amount slot', () => {
  it.each([
    ['do i still have enough credits to enrich 500 contacts', 500],
    ['quiero comprar 2.000 créditos', 2000],
    ['i want to buy 1,500 credits', 1500],
    ['add 3k credits please', 3000],
    ['cuanto cuesta un paquete de 10.000 creditos', 10000],
    ['necesito 2,5k creditos', 2500],
    ['quiero 2 mil créditos más', 2000],
    ['how much for 10,000 credits?', 10000],
    ['i burned all 2000 credits by mistake, can you restore them', 2000],
  ])('%s → %i', (text, expected) => {
    expect(amount(text)).toBe(expected);
  });

  it('takes the last quantity mentioned', () => {
    expect(amount('if i only use 300 of my 1000 credits do the other 700 carry over?')).toBe(700);
    expect(amount('we have 3000 left and 10 days to go, is that enough?')).toBe(3000);
  });

  it.each([
    'its been 30 days since i signed up, when does my quota refill',
    'the plan costs 449€ a month',
    'is it $99 per month?',
    'do credits refill on the 1st?',
    'el saldo se reinicia el dia 1?',
    'our 3 linkedin identities - how many new convos did each open this month?',
    'why is enrich person and company charging 8 credits per row',
    'why did one reveal cost 6 credits?',
    'how many credits did we use in the last 7 days',
  ])('no amount in "%s"', (text) => {
    expect(amount(text)).toBeUndefined();
  });
});

describe('action type slot', () => {
  it.each([
    ['how many credits did linkedin scraping use this month', 'scraping'],
    ['credits used by company scrapes yesterday', 'company_scraping'],
    ['cuantos creditos se fueron en scraping de empresas', 'company_scraping'],
    ['credits spent on lead scraping this month', 'contact_scraping'],
    ['cuantos creditos gaste scrapeando contactos de linkedin', 'contact_scraping'],
    ['breakdown of credits spent on email enrichment last month pls', 'enrichment'],
    ['cuántos créditos consume cada enriquecimiento?', 'enrichment'],
    ['why did one reveal cost 6 credits?', 'enrichment'],
    ['do ai columns eat credits? how many per row', 'ai_variable'],
    ['how many credits per gpt prompt', 'ai_variable'],
    ['cuanto gastan las variables de IA?', 'ai_variable'],
    ['does each workflow run cost credits?', 'workflow'],
    ['cuanto consumen los flujos de trabajo?', 'workflow'],
  ])('%s → %s', (text, expected) => {
    expect(action(text)).toBe(expected);
  });

  it('phone or email credits are not an action type', () => {
    expect(action('can i buy phone credits only, not email ones')).toBeUndefined();
  });
});

describe('target plan slot', () => {
  it('billing frequency as a generic target, in the customer language', () => {
    expect(understand('can i switch from monthly to annual billing').slots.targetPlan).toEqual({ name: 'annual' });
    expect(understand('pasar de mensual a anual, se puede?').slots.targetPlan).toEqual({ name: 'anual' });
    expect(understand('switch me to monthly billing please').slots.targetPlan).toEqual({ name: 'monthly' });
  });

  it('a tier name next to "plan" or after "to", echoing the spelling', () => {
    expect(understand('we want the scale plan with custom credits, how do we switch').slots.targetPlan).toEqual({
      name: 'Scale',
    });
    expect(understand('downgrade us to starter next month').slots.targetPlan).toEqual({ name: 'Starter' });
    expect(understand('i want to move from the growth plan to scale').slots.targetPlan).toEqual({ name: 'Scale' });
    expect(understand('podemos bajar al plan básico?').slots.targetPlan).toEqual({ name: 'Básico' });
  });

  it('"monthly price" is not a monthly plan', () => {
    expect(understand("what's the monthly price of our plan").slots.targetPlan).toBeUndefined();
  });

  it('only for plan questions (not for an escalation that mentions a plan)', () => {
    const r = understand('can someone from sales call me about the scale plan');
    expect(r.intent).toBe('talk_to_human');
    expect(r.slots.targetPlan).toBeUndefined();
  });
});

describe('entities from the account dictionary', () => {
  const entities: EntityDictionary = {
    users: [
      { id: 'u1', name: 'Juan Pérez' },
      { id: 'u2', name: 'María López' },
      { id: 'u3', name: 'Will Turner' },
    ],
    identities: [
      { id: 'i1', name: 'Marta García (LinkedIn)' },
      { id: 'i2', name: 'Carlos Ruiz' },
    ],
    campaigns: [
      { id: 'c1', name: 'Q4 Outbound Spain' },
      { id: 'c2', name: 'Black Friday' },
    ],
    plans: [
      { id: 'p1', name: 'Starter' },
      { id: 'p2', name: 'Scale' },
      { id: 'p3', name: 'Growth' },
    ],
  };

  it('a first name is enough for a team member', () => {
    const r = understand('how many credits did juan use last week', { entities });
    expect(r.intent).toBe('usage_by_user');
    expect(r.slots.user).toEqual({ id: 'u1', name: 'Juan Pérez' });
    expect(r.slots.period).toEqual({ kind: 'last_week' });
  });

  it('accents and typos in names', () => {
    expect(understand('cuánto ha gastado maria este mes?', { entities }).slots.user?.id).toBe('u2');
    expect(understand('how many credits did jaun spend', { entities }).slots.user?.id).toBe('u1');
    expect(understand('consumo de Perez en octubre', { entities }).slots.user?.id).toBe('u1');
  });

  it('a name that is also a word only matches when capitalised mid-sentence', () => {
    expect(understand('will my credits last until the end of the month?', { entities }).slots.user).toBeUndefined();
    expect(understand('how many credits did Will use?', { entities }).slots.user?.id).toBe('u3');
  });

  it('identities and campaigns', () => {
    const r = understand("how many conversations did marta's identity open this month", { entities });
    expect(r.intent).toBe('conversations_by_identity');
    expect(r.slots.identity).toEqual({ id: 'i1', name: 'Marta García (LinkedIn)' });
    expect(understand('conversations from the black friday campaign', { entities }).slots.campaign?.id).toBe('c2');
    expect(understand('conversaciones de la campaña q4 outbound spain', { entities }).slots.campaign?.id).toBe('c1');
  });

  it('a person who is an identity is the identity in a conversation question', () => {
    const r = understand('how many conversations has carlos started this week', { entities });
    expect(r.slots.identity?.id).toBe('i2');
    expect(r.slots.user).toBeUndefined();
  });

  it('plans from the dictionary carry their id; the target after "to" wins', () => {
    expect(understand('i want to upgrade to scale', { entities }).slots.targetPlan).toEqual({
      id: 'p2',
      name: 'Scale',
    });
    expect(understand('move us from growth to starter', { entities }).slots.targetPlan).toEqual({
      id: 'p1',
      name: 'Starter',
    });
  });

  it('a dictionary name carries no meaning of its own ("Sales Push" is not "talk to sales")', () => {
    const dict: EntityDictionary = { ...entities, campaigns: [{ id: 'c9', name: 'Sales Push' }] };
    const r = understand('how many conversations did sales push generate', { entities: dict });
    expect(r.intent).toBe('conversations_by_identity');
    expect(r.slots.campaign?.id).toBe('c9');
  });

  it('without a dictionary a named person still makes it a per-user question, without a slot', () => {
    const r = understand('how many credits did juan use last week');
    expect(r.intent).toBe('usage_by_user');
    expect(r.slots.user).toBeUndefined();
  });
});

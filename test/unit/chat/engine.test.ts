/**
 * The chat engine's turn logic through its ports, with no database: a fixed clock, an account's state, a
 * catalog and a request port that records what it is asked. Integration tests drive the same engine through
 * Direct Line; these pin the turn logic itself (what is asked of the domain, and what the customer reads).
 */
import { describe, expect, it } from 'vitest';
import { createChatEngine } from '../../../src/chat/engine.ts';
import type { ChatDeps, NewRequest, RequestSummary } from '../../../src/chat/ports.ts';
import type { ChatIdentity, ChatState, TurnInput } from '../../../src/chat/types.ts';
import type { CreditState, Forecast } from '../../../src/credits/types.ts';
import { fixedClock } from '../../../src/shared/clock.ts';

const NOW = '2026-11-30T10:00:00Z';

const state: CreditState = {
  accountId: 'acc_1',
  plan: {
    id: 'plan_growth',
    name: 'Growth',
    monthlyCredits: 10_000,
    price: { amount: 44_900, currency: 'EUR' },
    identities: 5,
    conversationsPerIdentity: 500,
  },
  period: { start: '2026-10-31T23:00:00.000Z', end: '2026-11-30T23:00:00.000Z' },
  nextTopUpAt: '2026-11-30T23:00:00.000Z',
  credits: { plan: 10_000, addOn: 0, accumulated: 4_931, balance: 14_931, usedThisPeriod: 2_269, overage: 0 },
  conversations: { limitPerIdentity: 500, byIdentity: [] },
  scheduledPlan: null,
  timeZone: 'Europe/Madrid',
  locale: 'es',
  grants: [
    { id: 'c1', kind: 'carryover', credits: 7_200, remaining: 4_931, expiresAt: '2026-11-30T23:00:00.000Z' },
    { id: 'p1', kind: 'plan', credits: 10_000, remaining: 10_000, expiresAt: '2026-11-30T23:00:00.000Z' },
  ],
  asOf: NOW,
};

const forecast: Forecast = {
  accountId: 'acc_1',
  asOf: NOW,
  burnRatePerDay: 75,
  windowDays: 7,
  usedInWindow: 525,
  balance: 14_931,
  nextTopUpAt: state.nextTopUpAt,
  runsOutAt: null,
  runsOutBeforeTopUp: false,
  neededUntilTopUp: 40,
  shortfall: 0,
};

function rig(overrides: Partial<ChatDeps> = {}) {
  const created: Array<{ who: ChatIdentity; req: NewRequest }> = [];
  const summary = (req: NewRequest): RequestSummary => ({
    id: '00000000-0000-4000-8000-000000000001',
    reference: 'R-000000',
    kind: req.kind,
    status: 'pending',
    credits: req.credits ?? 0,
    targetPlanName: null,
    price: { amount: 22_450, currency: 'EUR' },
    createdAt: NOW,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    effective: null,
  });
  const deps: ChatDeps = {
    clock: fixedClock(NOW),
    credits: {
      getState: async () => state,
      forecast: async () => forecast,
      usage: async (_id, q) => ({
        from: state.period.start,
        to: state.period.end,
        groupBy: q.groupBy,
        timeZone: 'Europe/Madrid',
        rows:
          q.groupBy === 'type'
            ? [
                { key: 'enrichment', credits: 1_200 },
                { key: 'workflow', credits: 1_069 },
              ]
            : [],
      }),
      closedPeriods: async () => [],
    },
    exports: {
      link: (accountId, q) => ({
        url: `/exports/usage.csv?account=${accountId}&by=${q.by}&sig=test`,
        expiresAt: new Date(Date.parse(NOW) + 900_000),
      }),
    },
    catalog: {
      plans: async () => [
        { ...state.plan, id: 'plan_growth' },
        {
          id: 'plan_scale',
          name: 'Scale',
          monthlyCredits: 25_000,
          price: { amount: 99_000, currency: 'EUR' },
          identities: 10,
          conversationsPerIdentity: 500,
        },
      ],
      packs: async () => [],
    },
    requests: {
      async create(who, req) {
        created.push({ who, req });
        return { request: summary(req), managerName: 'Carla Manager', created: created.length === 1 };
      },
      list: async () => [],
      cancel: async () => {
        throw new Error('not expected');
      },
    },
    directory: {
      account: async () => ({
        id: 'acc_1',
        name: 'Northwind',
        timeZone: 'Europe/Madrid',
        locale: 'es',
        manager: { name: 'Carla Manager', email: 'carla@example.com', slackUserId: 'U1' },
        userCount: 3,
      }),
      names: async () => ({ users: [], identities: [], campaigns: [] }),
    },
    ...overrides,
  };
  const engine = createChatEngine(deps);
  const who: ChatIdentity = {
    conversationId: 'conv-1',
    accountId: 'acc_1',
    userId: 'usr_1',
    userName: 'Laura',
    userLocale: null,
  };
  let chatState: ChatState = {};
  let turn = 0;
  return {
    created,
    async say(input: TurnInput) {
      const out = await engine.handle(who, input, chatState, `turn-${++turn}`);
      chatState = out.state;
      return out;
    },
    get state() {
      return chatState;
    },
  };
}

describe('chat engine (through its ports)', () => {
  it('answers the balance with the exact figures in the language of the message', async () => {
    const r = rig();
    const en = await r.say({ kind: 'message', text: 'how many credits do I have left?' });
    expect(en.intent).toBe('balance');
    expect(en.replies[0]!.text).toContain('14,931 credits');
    expect(en.replies[0]!.text).toContain('4,931 accumulated');
    const es = await r.say({ kind: 'message', text: '¿cuántos créditos me quedan?' });
    expect(es.state.lang).toBe('es');
    expect(es.replies[0]!.text).toContain('14.931 créditos');
  });

  it("opens in the client's language when the chat starts from a button, before the account's", async () => {
    const r = rig();
    const out = await r.say({ kind: 'join', origin: 'help', clientLocale: 'en-US' });
    expect(out.state.lang).toBe('en');
    expect(out.intent).toBe('join:help');
  });

  it('takes a Buy More amount, quotes at the plan rate, and confirms once per draft', async () => {
    const r = rig();
    const start = await r.say({ kind: 'message', text: 'I want to buy more credits', clientLocale: 'en' });
    expect(start.state.draft).toMatchObject({ kind: 'buy_credits', awaiting: 'amount' });
    const quote = await r.say({ kind: 'message', text: '5000' });
    expect(quote.state.draft).toMatchObject({ kind: 'buy_credits', credits: 5_000, awaiting: 'confirm' });
    // 449 € for 10,000 credits: 5,000 credits cost 224.50 €.
    expect(quote.replies[0]!.text).toMatch(/€224\.50|224\.50 €/);
    const confirm = quote.replies[0]!.suggestions!.find((s) => /confirm/i.test(s.title))!;
    const first = await r.say({ kind: 'postback', text: confirm.title, value: confirm.value! });
    expect(first.replies[0]!.text).toContain('R-000000');
    expect(first.replies[0]!.text).toContain('Carla Manager');
    expect(r.created).toHaveLength(1);
    expect(r.created[0]!.req).toMatchObject({ kind: 'buy_credits', credits: 5_000 });
    // A double click: the same idempotency key, so the domain sees the same request.
    await r.say({ kind: 'postback', text: confirm.title, value: confirm.value! });
    expect(r.created[1]!.req.idempotencyKey).toBe(r.created[0]!.req.idempotencyKey);
  });

  it('sends nothing when the customer says no to the quote', async () => {
    const r = rig();
    await r.say({ kind: 'message', text: 'buy 2000 credits', clientLocale: 'en' });
    expect(r.state.draft).toMatchObject({ awaiting: 'confirm' });
    const no = await r.say({ kind: 'message', text: 'no' });
    expect(no.intent).toBe('draft_cancel');
    expect(no.state.draft).toBeNull();
    expect(r.created).toHaveLength(0);
  });

  it('offers choices for a malformed button value instead of guessing', async () => {
    const r = rig();
    const out = await r.say({ kind: 'postback', text: '', value: { action: 'no.such.action' } });
    expect(out.intent).toBe('unknown_action');
    expect(out.replies[0]!.suggestions?.length).toBeGreaterThan(0);
    expect(r.created).toHaveLength(0);
  });

  it('asks nothing of the domain for a greeting, and every figure comes from the ports', async () => {
    let reads = 0;
    const r = rig({
      credits: {
        getState: async () => {
          reads++;
          return state;
        },
        forecast: async () => forecast,
        usage: async () => ({ from: '', to: '', groupBy: 'type', timeZone: 'UTC', rows: [] }),
        closedPeriods: async () => [],
      },
    });
    await r.say({ kind: 'message', text: 'hello!', clientLocale: 'en' });
    expect(reads).toBe(0);
    await r.say({ kind: 'message', text: 'what is my balance' });
    expect(reads).toBe(1);
  });

  it("greets in the visitor's language, then follows the customer when they switch, and stays there", async () => {
    const r = rig(); // the account's locale is es
    const open = await r.say({ kind: 'join', origin: 'help', clientLocale: 'en-GB' });
    expect(open.replies[0]!.text).toMatch(/^Hi Laura! You have \*\*14,931 credits\*\*/);
    const es = await r.say({ kind: 'message', text: '¿cuántos créditos me quedan?', clientLocale: 'en-GB' });
    expect(es.replies[0]!.text).toContain('14.931 créditos');
    const ok = await r.say({ kind: 'message', text: 'ok', clientLocale: 'en-GB' });
    expect(ok.state.lang).toBe('es');
    // Without a visitor locale: the user's, then the account's.
    const r2 = rig();
    expect((await r2.say({ kind: 'join', origin: 'help' })).replies[0]!.text).toMatch(/^¡Hola, Laura!/);
  });

  it('compares two action types with both figures and the difference, read from the usage port', async () => {
    const r = rig();
    const out = await r.say({ kind: 'message', text: 'enrichment vs workflows this month', clientLocale: 'en' });
    expect(out.intent).toBe('frame:compare');
    expect(out.replies[0]!.text).toBe(
      '**1,200 credits** on enrichment against **1,069** on workflows this month: **131 more** on enrichment.',
    );
  });

  it('answers two asks in one message, each in turn', async () => {
    const r = rig();
    const out = await r.say({
      kind: 'message',
      text: "what's my balance and when do my credits renew?",
      clientLocale: 'en',
    });
    expect(out.intent).toBe('frame:multi');
    const text = out.replies[0]!.text;
    expect(text).toContain('**14,931 credits** available');
    expect(text).toContain('renew on **1 December 2026');
    expect(text.indexOf('14,931')).toBeLessThan(text.indexOf('renew on'));
  });

  it('offers the usage as signed CSV links', async () => {
    const r = rig();
    const out = await r.say({ kind: 'message', text: 'export my usage as csv', clientLocale: 'en' });
    expect(out.intent).toBe('frame:export');
    expect(out.replies[0]!.text).toMatch(/\[CSV by day\]\(\/exports\/usage\.csv\?account=acc_1&by=day&sig=test\)/);
    expect(out.replies[0]!.text).toContain('15 minutes');
  });

  it('writes Markdown whose lists are always closed by a blank line', async () => {
    const r = rig();
    const texts = [
      'what does my plan include?',
      'how much does it cost?',
      'what did we spend credits on this month?',
      'who used the most credits?',
      'conversation limits',
      'usage day by day this month',
      "what's my balance and what did we spend credits on?",
    ];
    for (const text of texts) {
      const out = await r.say({ kind: 'message', text, clientLocale: 'en' });
      for (const reply of out.replies) {
        const lines = reply.text.split('\n');
        lines.forEach((line, i) => {
          if (line.startsWith('- ') && lines[i + 1] !== undefined)
            expect(lines[i + 1] === '' || lines[i + 1]!.startsWith('- '), `${text}: ${reply.text}`).toBe(true);
        });
      }
    }
  });

  it('charts a time series and lists every day behind the "Day by day" button', async () => {
    const r = rig({
      credits: {
        getState: async () => state,
        forecast: async () => forecast,
        closedPeriods: async () => [],
        usage: async (_id, q) => ({
          from: state.period.start,
          to: state.period.end,
          groupBy: q.groupBy,
          timeZone: 'Europe/Madrid',
          rows:
            q.groupBy === 'day'
              ? [
                  { key: '2026-11-02', credits: 1_200 },
                  { key: '2026-11-20', credits: 1_069 },
                ]
              : [],
        }),
      },
    });
    const out = await r.say({ kind: 'message', text: 'credits used day by day this month', clientLocale: 'en' });
    const reply = out.replies[0]!;
    expect(reply.text).toMatch(/^\*\*2,269 credits\*\* used this month\./);
    expect(reply.text).toContain('the busiest day was **Mon 2 Nov** (1,200)');
    expect(reply.attachments?.[0]).toMatchObject({ kind: 'image', contentType: 'image/svg+xml' });
    expect(reply.attachments?.[0]?.data).toMatch(/^<svg /);
    const dayByDay = reply.suggestions!.find((s) => s.title === 'Day by day')!;
    const list = await r.say({ kind: 'postback', text: dayByDay.title, value: dayByDay.value! });
    expect(list.intent).toBe('list_full');
    const items = list.replies[0]!.text.split('\n').filter((l) => l.startsWith('- '));
    expect(items).toHaveLength(30); // 1..30 November (NOW is the 30th)
    expect(items[1]).toBe('- Mon 2 Nov: 1,200');
  });

  it('advises the plan that fits by re-pricing closed periods, in chat and on the Change Plan quote', async () => {
    const periods = [16_830, 18_940, 17_560].map((used, i) => ({
      start: `2026-${String(8 + i).padStart(2, '0')}-01T00:00:00.000Z`,
      end: `2026-${String(9 + i).padStart(2, '0')}-01T00:00:00.000Z`,
      used,
    }));
    const r = rig({
      credits: {
        getState: async () => state,
        forecast: async () => forecast,
        usage: async () => ({ from: '', to: '', groupBy: 'type', timeZone: 'UTC', rows: [] }),
        closedPeriods: async () => periods,
      },
    });
    const advice = await r.say({ kind: 'message', text: 'which plan fits us best?', clientLocale: 'en' });
    expect(advice.intent).toBe('frame:advice');
    // No packs in this catalog: Growth's overflow (23,330 credits) is priced at its own rate, 1,047.53 €, so
    // 3 × 449 + 1,047.53 = 2,394.53 € against 3 × 990 = 2,970 € for Scale.
    expect(advice.replies[0]!.text).toMatch(
      /^You're already on the cheapest plan for your usage: \*\*Growth\*\* would cost \*\*€2,394\.53\*\*/,
    );
    expect(advice.replies[0]!.text).toContain('- Scale: €2,970 (no extra credits needed)');
    const quote = await r.say({
      kind: 'postback',
      text: 'Scale',
      value: { action: 'plan.pick', planId: 'plan_scale' },
    });
    expect(quote.replies[0]!.text).toContain(
      "On your last 3 closed periods' usage, Scale would have cost €2,970; the cheapest for you is Growth (€2,394.53).",
    );
  });
});

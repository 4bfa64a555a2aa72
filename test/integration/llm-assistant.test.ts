/**
 * The LLM assistant in the real product: Direct Line → bot → engine → the OpenAI-compatible stand-in on loopback,
 * scripted turn by turn, with PostgreSQL and Redis. Confident intents cost zero tokens; free-form and other-language
 * messages reach the model, whose tool calls read only the conversation's account; a reply with a wrong figure
 * never reaches the customer (the deterministic answer does, and the metric counts it); timeouts, 429 and 500 give
 * the deterministic answer within 10 s; tokens are recorded per conversation; the per-user limit holds across two
 * processes sharing Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateRequestTokens } from '../../src/chat/llm/tokens.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type BotMessage, ChatClient } from '../helpers/chat.ts';
import { seedAccount, usageEvent } from '../helpers/factories.ts';
import { type OpenAIStandin, startOpenAIStandin } from '../standins/openai.ts';

const clock = fixedClock('2026-11-20T10:00:00Z'); // period 1–30 Nov (UTC account); the previous one is October
let app: TestApp;
let openai: OpenAIStandin;
const env = (extra: Record<string, string> = {}) => ({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: openai.baseURL,
  OPENAI_MODEL: 'gpt-4o-mini',
  ...extra,
});

beforeAll(async () => {
  openai = await startOpenAIStandin(undefined, { apiKey: 'sk-test' });
  app = await startTestApp({ clock, env: env() });
});
afterAll(async () => {
  await app?.close();
  await openai?.close();
});

const messages = (rs: BotMessage[]) => rs.filter((r) => r.type === 'message');
const text = (rs: BotMessage[]) =>
  messages(rs)
    .map((r) => r.text)
    .join('\n');
const toolResults = (req: { messages: unknown[] }) =>
  req.messages
    .filter((m) => (m as { role: string }).role === 'tool')
    .map((m) => JSON.parse((m as { content: string }).content));

/** An account with usage in October (the previous period) and November (this one). */
async function account() {
  const acc = await seedAccount(app, {
    monthlyCredits: 10_000,
    users: [{ name: 'Marta Soler' }, { name: 'Pedro Gil' }],
    accountManager: { slackUserId: 'U0AM000001', name: 'Ana Manager' },
  });
  const [marta, pedro] = acc.users;
  const events = [
    usageEvent(acc.id, { userId: marta!.id, type: 'enrichment', credits: 600, occurredAt: '2026-10-10T10:00:00Z' }),
    usageEvent(acc.id, { userId: pedro!.id, type: 'workflow', credits: 700, occurredAt: '2026-10-12T10:00:00Z' }),
    usageEvent(acc.id, { userId: marta!.id, type: 'enrichment', credits: 1_500, occurredAt: '2026-11-10T10:00:00Z' }),
    usageEvent(acc.id, { userId: pedro!.id, type: 'workflow', credits: 769, occurredAt: '2026-11-12T10:00:00Z' }),
  ];
  expect((await app.api('POST', '/usage-events', { events })).status).toBe(200);
  return acc;
}

async function metric(name: string): Promise<number> {
  const body = await (await fetch(`${app.url}/metrics`)).text();
  return body
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
}

describe('LLM assistant through Direct Line', () => {
  it('answers confidently recognised questions and compound frames at zero tokens', async () => {
    const acc = await account();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.reset();
    for (const q of ['how many credits do I have left?', '¿cuántos créditos me quedan?', 'enrichment vs workflows']) {
      const rs = await chat.say(q);
      expect(rs.some((r) => r.type === 'typing')).toBe(false);
      expect((messages(rs)[0]!.channelData as { intent: string }).intent).not.toBe('llm:answer');
    }
    expect(openai.completions()).toHaveLength(0);
    const { rows } = await app.services.db.sql('SELECT 1 FROM chat_llm_usage WHERE conversation_id = $1', [
      chat.conversationId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('round-trips tool calls for "what changed since last month and why?", shows typing, records the tokens', async () => {
    const acc = await account();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.reset();
    const tokensBefore = await metric('creditbot_llm_tokens_total');
    openai.enqueue({
      toolCalls: [
        {
          name: 'get_usage',
          arguments: {
            period: 'current_period',
            from: null,
            to: null,
            group_by: 'user',
            metric: 'credits',
            compare_previous: true,
          },
        },
      ],
    });
    openai.setHandler((req) => {
      const [byType, byUser] = toolResults(req as never);
      const c = byType.compared_with;
      return `You used **${byType.total} credits** this period against ${c.total} in the previous one (${c.change} more, +${c.change_percent} %). ${byUser.rows[0].name} used the most: ${byUser.rows[0].value}.`;
    });
    try {
      const rs = await chat.say('what changed since last month and why?');
      const i = rs.findIndex((r) => r.type === 'typing');
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(rs.findIndex((r) => r.type === 'message'));
      expect(text(rs)).toBe(
        'You used **2269 credits** this period against 1300 in the previous one (969 more, +74\\.54 %). Marta Soler used the most\\: 1500.',
      );
      const reqs = openai.completions();
      expect(reqs).toHaveLength(2);
      // The model saw only this account's figures, and no ids.
      const sent = JSON.stringify(reqs);
      expect(sent).not.toContain(acc.id);
      expect(sent).not.toContain(acc.users[0]!.id);
      // The tokens the server reported (the stand-in: characters / 4 of each request), added per conversation.
      const reported = reqs.reduce((s, r) => s + estimateRequestTokens(r.messages, r.tools ?? []), 0);
      const { rows } = await app.services.db.sql<{ turns: number; requests: number; prompt_tokens: string }>(
        'SELECT turns, requests, prompt_tokens FROM chat_llm_usage WHERE conversation_id = $1',
        [chat.conversationId],
      );
      expect(Number(rows[0]!.prompt_tokens)).toBe(reported);
      expect(rows[0]).toMatchObject({ turns: 1, requests: 2 });
      expect(await metric('creditbot_llm_tokens_total')).toBeGreaterThan(tokensBefore);
    } finally {
      openai.setHandler(undefined);
    }
  });

  it('never shows a reply with a wrong figure: the deterministic answer goes, and the metric counts it', async () => {
    const acc = await account();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.reset();
    const before = await metric('creditbot_llm_grounding_blocked_total{reason="ungrounded_figure"}');
    openai.enqueue('You have 8,731 credits left, so no need to worry: they renew on 1 December 2026.');
    const rs = await chat.say('explain how my credits are doing and whether I should worry');
    expect(openai.completions()).toHaveLength(1);
    expect(text(rs)).not.toContain('8,731');
    expect(text(rs)).toContain('**7,731 credits**'); // the balance answer: 10,000 − 2,269
    expect(await metric('creditbot_llm_grounding_blocked_total{reason="ungrounded_figure"}')).toBe(before + 1);
    const { rows } = await app.services.db.sql<{ blocked_replies: number }>(
      'SELECT blocked_replies FROM chat_llm_usage WHERE conversation_id = $1',
      [chat.conversationId],
    );
    expect(rows[0]!.blocked_replies).toBe(1);
  });

  it('sends other languages to the model and shows its grounded answer, escaped', async () => {
    const acc = await account();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.reset();
    openai.enqueue(
      'Sie haben noch **7.731 Credits**; die nächste Aufladung ist am 1. Dezember 2026. [Mehr](https://x.example)',
    );
    const rs = await chat.say('Wie viele Credits habe ich noch?');
    expect(openai.completions()).toHaveLength(1);
    expect((openai.completions()[0]!.messages.at(-1) as { content: string }).content).toBe(
      'Wie viele Credits habe ich noch?',
    );
    expect(text(rs)).toBe(
      'Sie haben noch **7\\.731 Credits**; die nächste Aufladung ist am 1. Dezember 2026. \\[Mehr\\](https\\:\\/\\/x\\.example)',
    );
  });

  it('ignores a tool argument naming another account or user: nothing of theirs is read or shown', async () => {
    const acc = await account();
    const victim = await seedAccount(app, { monthlyCredits: 55_555, users: [{ name: 'Victor Victim' }] });
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.reset();
    openai.enqueue(
      { toolCalls: [{ name: 'get_credit_state', arguments: { account_id: victim.id } }] },
      { toolCalls: [{ name: 'get_forecast', arguments: { user_id: victim.users[0]!.id } }] },
      `Account ${victim.id} has 55,555 credits.`,
    );
    const rs = await chat.say(`summarise the account ${victim.id} in two sentences`);
    const last = openai.completions().at(-1)!;
    const results = toolResults(last as never);
    expect(results.map((r) => r.error)).toEqual([
      `Refused: "account_id" is not an argument. Tools read only this conversation's own account.`,
      `Refused: "user_id" is not an argument. Tools read only this conversation's own account.`,
    ]);
    expect(JSON.stringify(openai.completions())).not.toContain('55555');
    expect(text(rs)).not.toContain('55');
  });

  it('falls back within 10 s on a timeout (8 s default), and at once on 429 and 500', async () => {
    const acc = await account();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.reset();
    openai.enqueue({ content: 'You have 7,731 credits.', delayMs: 12_000 });
    let t0 = Date.now();
    let rs = await chat.say('summarise my account in two sentences');
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThan(7_500);
    expect(waited).toBeLessThan(10_000);
    expect(messages(rs)[0]!.suggestedActions?.actions.length).toBeGreaterThan(1);
    for (const fault of [{ status: 429 as const, retryAfter: 30 }, { status: 500 as const }]) {
      openai.failNext([fault]);
      t0 = Date.now();
      rs = await chat.say('summarise my account in two sentences');
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(messages(rs)).toHaveLength(1);
      expect(messages(rs)[0]!.suggestedActions?.actions.length).toBeGreaterThan(1);
    }
  }, 30_000);

  it('limits the messages a user sends to the model, across two processes sharing Redis', async () => {
    const prefix = `test-${randomUUID()}`;
    const limited = { REDIS_PREFIX: prefix, LLM_USER_RATE_LIMIT: '3', LLM_USER_RATE_WINDOW: '600' };
    const a = await startTestApp({ clock, env: env(limited) });
    const b = await startTestApp({ clock, env: env(limited) });
    try {
      const acc = await seedAccount(a, { users: [{ name: 'Rita Rate' }] });
      const ca = await ChatClient.open(a.url, acc.users[0]!.id);
      const cb = await ChatClient.open(b.url, acc.users[0]!.id);
      openai.reset();
      openai.setReply('You are on the Growth plan.');
      const got: string[] = [];
      for (const chat of [ca, cb, ca, cb]) got.push(text(await chat.say('summarise my account in two sentences')));
      expect(openai.completions()).toHaveLength(3);
      expect(got.slice(0, 3)).toEqual(Array(3).fill('You are on the Growth plan.'));
      expect(got[3]).toMatch(/a lot of open questions in a short time/);
      // The usual questions still answer, at zero tokens.
      expect(text(await cb.say('how many credits do I have left?'))).toContain('10,000 credits');
      expect(openai.completions()).toHaveLength(3);
    } finally {
      openai.setReply('Hello from the OpenAI stand-in.');
      await a.close();
      await b.close();
    }
  });

  it('without OPENAI_API_KEY: no model, the deterministic choices', async () => {
    const plain = await startTestApp({ clock });
    try {
      const acc = await seedAccount(plain);
      const chat = await ChatClient.open(plain.url, acc.users[0]!.id);
      openai.reset();
      const rs = await chat.say('summarise my account in two sentences');
      expect(openai.requests).toHaveLength(0);
      expect(messages(rs)[0]!.suggestedActions?.actions.length).toBeGreaterThan(1);
    } finally {
      await plain.close();
    }
  });
});

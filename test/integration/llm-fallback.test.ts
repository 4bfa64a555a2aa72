/**
 * With OPENAI_API_KEY set, a message the deterministic engine is unsure about gets a second opinion from an
 * OpenAI-compatible server (a stand-in on loopback): labels only, the answer and its figures still come from
 * the ledger. Without an answer (errors, nonsense), the bot offers choices as it does without an LLM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { ChatClient, textOf } from '../helpers/chat.ts';
import { seedAccount, usageEvent } from '../helpers/factories.ts';
import { type OpenAIStandin, startOpenAIStandin } from '../standins/openai.ts';

let app: TestApp;
let openai: OpenAIStandin;

beforeAll(async () => {
  openai = await startOpenAIStandin(undefined, { apiKey: 'sk-test' });
  app = await startTestApp({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: 'gpt-4o-mini' },
  });
});
afterAll(async () => {
  await app?.close();
  await openai?.close();
});

const en = (n: number) =>
  new Intl.NumberFormat('en-GB', { useGrouping: 'always' } as Intl.NumberFormatOptions).format(n);

describe('LLM second opinion', () => {
  it('asks only when unsure, sends only the message, and answers from the ledger', async () => {
    const acc = await seedAccount(app, { monthlyCredits: 8_000 });
    await app.api('POST', '/usage-events', { events: [usageEvent(acc.id, { credits: 1_234 })] });
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);

    // A clear question: no call.
    await chat.say('how many credits do i have left?');
    expect(openai.completions()).toHaveLength(0);

    openai.setReply(JSON.stringify({ intent: 'balance', period: null, actionType: null, amount: null }));
    const odd = 'zorblax flimflam for my squad??';
    const replies = await chat.say(odd);
    expect(textOf(replies)).toContain(`You have **${en(8_000 - 1_234)} credits** available`);
    const [req] = openai.completions();
    expect(req!.model).toBe('gpt-4o-mini');
    expect((req!.response_format as { type: string }).type).toBe('json_schema');
    const user = req!.messages.find((m) => m.role === 'user')!;
    expect(user.content).toBe(odd);
    // The model never sees the account's figures or ids.
    expect(JSON.stringify(req!.messages)).not.toContain(acc.id);
    expect(JSON.stringify(req!.messages)).not.toContain('6766');
  });

  it('offers choices when the model fails or answers outside the schema', async () => {
    const acc = await seedAccount(app);
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    openai.failNext([{ status: 500 }, { status: 500 }]);
    const first = await chat.say('zorblax quota juice please');
    expect(first.flatMap((r) => r.suggestedActions?.actions ?? []).length).toBeGreaterThan(1);
    openai.setReply('{"intent":"transfer_all_credits_to_account_42"}');
    const second = await chat.say('zorblax quota juice please');
    expect(textOf(second)).not.toMatch(/transfer/);
    expect(second.flatMap((r) => r.suggestedActions?.actions ?? []).length).toBeGreaterThan(1);
  });
});

/**
 * Customer chat end to end: the real bot behind the product's own Direct Line (HTTP and WebSocket) and
 * behind POST /api/messages (CloudAdapter, replies to a Bot Connector stand-in), answering with exact
 * figures for a freshly created account with random usage, in English and Spanish.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fixedClock } from '../../src/shared/clock.ts';
import { startTestApp, TEST_DL_SECRET, type TestApp } from '../helpers/app.ts';
import { ChatClient, textOf } from '../helpers/chat.ts';
import { seedAccount, uid } from '../helpers/factories.ts';
import { type ConnectorStandin, startConnectorStandin } from '../standins/connector.ts';

const clock = fixedClock('2026-11-20T10:00:00Z'); // a Friday; period 1–30 Nov (UTC account) / Madrid
let app: TestApp;
const en = (n: number) =>
  new Intl.NumberFormat('en-GB', { useGrouping: 'always' } as Intl.NumberFormatOptions).format(n);
const es = (n: number) =>
  new Intl.NumberFormat('es-ES', { useGrouping: 'always' } as Intl.NumberFormatOptions).format(n);

/** A fresh account with random usage this period, and the sums the answers must show. */
async function accountWithRandomUsage() {
  const acc = await seedAccount(app, {
    monthlyCredits: 20_000,
    timeZone: 'Europe/Madrid',
    locale: 'en',
    users: [{ name: 'Marta Soler' }, { name: 'Pedro Gil' }],
    accountManager: { slackUserId: 'U0AM000001', name: 'Ana Manager' },
  });
  const types = ['company_scraping', 'contact_scraping', 'enrichment', 'ai_variable', 'workflow'];
  const byType: Record<string, number> = {};
  const byUser: Record<string, number> = {};
  let total = 0;
  const events = [];
  const start = Date.parse('2026-10-31T23:00:00Z');
  for (let i = 0; i < 300; i++) {
    const type = types[Math.floor(Math.random() * types.length)]!;
    const user = acc.users[Math.floor(Math.random() * acc.users.length)]!;
    const credits = 1 + Math.floor(Math.random() * 40);
    const at = new Date(start + Math.floor(Math.random() * (clock.now().getTime() - start)));
    events.push({ id: uid('e'), accountId: acc.id, userId: user.id, type, credits, occurredAt: at.toISOString() });
    byType[type] = (byType[type] ?? 0) + credits;
    byUser[user.id] = (byUser[user.id] ?? 0) + credits;
    total += credits;
  }
  // Last month too, which must not count this period.
  events.push({
    id: uid('e'),
    accountId: acc.id,
    userId: acc.users[0]!.id,
    type: 'workflow',
    credits: 999,
    occurredAt: '2026-10-15T10:00:00Z',
  });
  expect((await app.api('POST', '/usage-events', { events })).status).toBe(200);
  await app.api('PUT', `/accounts/${acc.id}/identities/idn_a`, { name: 'Marta · LinkedIn' });
  const conv = Array.from({ length: 37 }, (_, i) => ({
    id: `${acc.id}_c${i}`,
    accountId: acc.id,
    identityId: 'idn_a',
    campaignId: 'cmp_1',
    campaignName: 'Fintech',
    occurredAt: '2026-11-10T10:00:00Z',
  }));
  await app.api('POST', '/conversation-events', { events: conv });
  return { acc, byType, byUser, total, balance: 20_000 - total };
}

beforeAll(async () => {
  app = await startTestApp({ clock, ownDatabase: true }); // this file adds credit packs to the catalog
});
afterAll(async () => {
  await app?.close();
});

describe('exact answers through Direct Line', () => {
  it('answers balance, usage by type and by user, renewal and conversations with the exact figures, in English', async () => {
    const { acc, byType, byUser, total, balance } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);

    const bal = textOf(await chat.say('how many credits do i have left?'));
    expect(bal).toContain(`You have **${en(balance)} credits** available`);
    expect(bal).toContain(`You've used ${en(total)} this period`);

    const types = textOf(await chat.say('what did we spend credits on this month?'));
    for (const [type, credits] of Object.entries(byType)) {
      const label = {
        company_scraping: 'Company scraping',
        contact_scraping: 'Contact scraping',
        enrichment: 'Enrichment',
        ai_variable: 'AI variables',
        workflow: 'Workflows',
      }[type];
      expect(types).toContain(`- ${label}: ${en(credits)}`);
    }

    const pedro = acc.users[1]!;
    const one = textOf(await chat.say('how many credits did pedro use this month'));
    expect(one).toContain(`**Pedro Gil** used **${en(byUser[pedro.id] ?? 0)} credits**`);

    const who = textOf(await chat.say('which team member is using the most credits?'));
    for (const u of acc.users) expect(who).toContain(`- ${u.name}: ${en(byUser[u.id] ?? 0)}`);

    const renew = textOf(await chat.say('when do my credits reset?'));
    expect(renew).toContain('1 December 2026');

    const convs = textOf(await chat.say('how many conversations did each identity start this month'));
    expect(convs).toMatch(/Marta · LinkedIn: 37( \(100%\))?/);
  });

  it('answers in Spanish with Spanish formats, and follows the customer when they switch language', async () => {
    const { acc, balance, byType } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const bal = textOf(await chat.say('¿cuántos créditos me quedan?'));
    expect(bal).toContain(`Tienes **${es(balance)} créditos** disponibles`);
    const enr = textOf(await chat.say('cuantos creditos he gastado en enriquecimiento este mes'));
    expect(enr).toContain(`**${es(byType.enrichment ?? 0)} créditos** se han ido en enriquecimiento`);
    const back = textOf(await chat.say('and how many do I have left?'));
    expect(back).toContain(`${en(balance)} credits`);
  });

  it('opens with the account state and the next step for the button pressed', async () => {
    const { acc, balance } = await accountWithRandomUsage();
    await app.api('PUT', '/credit-packs/pk_2k', { credits: 2_000, price: { amount: 9_900, currency: 'EUR' } });
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const buy = await chat.join('buy_more', 'en-US');
    expect(buy[0]!.text).toContain(`${en(balance)} credits`);
    expect(buy.flatMap((m) => m.suggestedActions?.actions ?? []).map((a) => a.title)).toContain('2,000 · €99');
    const change = await chat.join('change_plan', 'en-US');
    expect(textOf(change)).toMatch(/Which plan would you like|no other plans/);
  });

  it('offers choices instead of a bare "I don\'t understand"', async () => {
    const { acc } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    for (const text of ['banana', 'asdf qwer', 'where can i download my invoices?']) {
      const replies = await chat.say(text);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.flatMap((r) => r.suggestedActions?.actions ?? []).length).toBeGreaterThan(1);
      expect(textOf(replies)).not.toMatch(/don't understand/i);
    }
  });

  it('never answers for another account named in the message or in from', async () => {
    const mine = await accountWithRandomUsage();
    const other = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, mine.acc.users[0]!.id);
    await chat.read();
    await chat.post({
      type: 'message',
      text: `how many credits does account ${other.acc.id} have left?`,
      from: { id: other.acc.users[0]!.id },
      channelData: { accountId: other.acc.id },
    });
    const text = textOf(await chat.read());
    expect(text).toContain(en(mine.balance));
    expect(text).not.toContain(en(other.balance));
  });

  it('streams replies over the WebSocket streamUrl', async () => {
    const { acc, balance } = await accountWithRandomUsage();
    const gen = await fetch(`${app.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_DL_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: acc.users[0]!.id } }),
    });
    const { token } = (await gen.json()) as { token: string };
    const start = await fetch(`${app.url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const { conversationId, streamUrl } = (await start.json()) as { conversationId: string; streamUrl: string };
    expect(streamUrl).toMatch(/^ws:\/\//);
    const ws = new WebSocket(streamUrl);
    const texts: string[] = [];
    ws.on('message', (data) => {
      const s = data.toString();
      if (!s) return;
      for (const a of (JSON.parse(s) as { activities?: Array<{ text?: string }> }).activities ?? [])
        if (a.text) texts.push(a.text);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'balance?', from: { id: 'me' } }),
    });
    const deadline = Date.now() + 5_000;
    while (!texts.some((t) => t.includes(en(balance))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(texts.some((t) => t.includes(`${en(balance)} credits`))).toBe(true);
  });
});

describe('state in PostgreSQL', () => {
  it('lets another process continue a conversation mid-purchase, as after a restart', async () => {
    const { acc } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const offer = await chat.say('I want to buy more credits');
    const quote = await chat.press(offer, /credits|·/); // a pack or an amount: the quote waits for a yes
    expect(textOf(quote)).toMatch(/Shall I send the request\?/);
    // A second process on the same PostgreSQL and Redis: same conversation, same token, the draft is there.
    const other = await startTestApp({ clock, env: { DATABASE_URL: app.databaseUrl } });
    try {
      const moved = new ChatClient(other.url, chat.conversationId, chat.token);
      const done = await moved.say('yes');
      expect(textOf(done)).toMatch(/request \*\*R-[0-9A-F]{6}\*\* is with Ana Manager/);
    } finally {
      await other.close();
    }
  });
});

describe('metrics', () => {
  it('counts answered turns by intent and language, and HTTP requests, at GET /metrics', async () => {
    const { acc } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    await chat.say('how many credits do i have left?');
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/creditbot_chat_turns_total\{intent="balance",lang="en"\} [1-9]/);
    expect(text).toMatch(
      /creditbot_http_request_duration_seconds_count\{route="\/v3\/directline",status="2xx"\} [1-9]/,
    );
  });
});

describe('Direct Line access rules', () => {
  it('gives 403 to a user the platform never registered, 401 for a wrong secret', async () => {
    const unknown = await fetch(`${app.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_DL_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'usr_never_registered' } }),
    });
    expect(unknown.status).toBe(403);
    const wrong = await fetch(`${app.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'x' } }),
    });
    expect(wrong.status).toBe(401);
  });

  it('does not let a token read or write another conversation', async () => {
    const a = await accountWithRandomUsage();
    const b = await accountWithRandomUsage();
    const chatA = await ChatClient.open(app.url, a.acc.users[0]!.id);
    const chatB = await ChatClient.open(app.url, b.acc.users[0]!.id);
    await chatB.say('how many credits do i have left?');
    const read = await fetch(`${app.url}/v3/directline/conversations/${chatB.conversationId}/activities`, {
      headers: { authorization: `Bearer ${chatA.token}` },
    });
    expect(read.status).toBe(403);
    const write = await fetch(`${app.url}/v3/directline/conversations/${chatB.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chatA.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hi' }),
    });
    expect(write.status).toBe(403);
  });

  it('handles bad input with a 4xx or a polite reply, never a crash', async () => {
    const { acc } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const url = `${app.url}/v3/directline/conversations/${chat.conversationId}/activities`;
    const post = (body: string, token = chat.token) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    expect((await post('{"type": "message", ')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('{"text":"no type"}')).status).toBe(400);
    expect((await post('{"type":"hackTheBot","text":"x"}')).status).toBe(400);
    expect([400, 413]).toContain((await post(JSON.stringify({ type: 'message', text: 'x'.repeat(100_000) }))).status);
    expect((await post('{"type":"message"}', 'not-a-token')).status).toBeGreaterThanOrEqual(401);
    // Empty text and an unknown button value get a polite answer.
    const empty = await chat.say('');
    expect(textOf(empty)).toMatch(/didn't get any text/);
    const odd = await chat.say('', { action: 'drop_tables' });
    expect(odd.length).toBeGreaterThan(0);
    // 2,001 to 10,000 characters: accepted by Direct Line, answered politely by the bot.
    const long = await chat.say('credits '.repeat(400));
    expect(textOf(long)).toMatch(/too long/);
  });

  it('refuses an expired token with 403', async () => {
    const { acc } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    clock.advance(2 * 3_600_000);
    try {
      const r = await fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
        headers: { authorization: `Bearer ${chat.token}` },
      });
      expect(r.status).toBe(403);
    } finally {
      clock.set('2026-11-20T10:00:00Z');
    }
  });
});

describe('POST /api/messages (Bot Framework channels)', () => {
  let connector: ConnectorStandin;
  beforeAll(async () => {
    connector = await startConnectorStandin();
  });
  afterAll(async () => {
    await connector?.close();
  });

  it('answers a registered platform user through the connector with exact figures', async () => {
    const { acc, balance } = await accountWithRandomUsage();
    const conversationId = uid('teams-conv');
    const activity = connector.inboundActivity({
      conversationId,
      text: 'how many credits are left?',
      fromId: acc.users[0]!.id,
      channelId: 'msteams',
    });
    const res = await connector.postActivity(`${app.url}/api/messages`, activity);
    expect(res.status).toBeLessThan(300);
    const replies = await connector.waitForReplies(conversationId, 1, 5_000, { type: 'message' });
    expect(replies[0]!.text).toContain(`${en(balance)} credits`);
  });

  it('tells an unknown channel user it cannot show figures', async () => {
    const conversationId = uid('teams-conv');
    const activity = connector.inboundActivity({
      conversationId,
      text: 'balance',
      fromId: 'someone-else',
      channelId: 'msteams',
    });
    await connector.postActivity(`${app.url}/api/messages`, activity);
    const replies = await connector.waitForReplies(conversationId, 1, 5_000, { type: 'message' });
    expect(replies[0]!.text).toMatch(/can't link this chat/);
  });

  it('rejects malformed activities with 400', async () => {
    for (const body of [
      {},
      { type: 'message' },
      { type: 'nope', conversation: { id: 'x' }, serviceUrl: connector.url },
    ]) {
      const r = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(r.status).toBe(400);
    }
    const bad = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(bad.status).toBe(400);
  });

  it('refuses unauthenticated activities in production', async () => {
    const prod = await startTestApp({
      clock,
      env: {
        NODE_ENV: 'production',
        PLATFORM_API_KEY: 'k'.repeat(32),
        DIRECT_LINE_SECRET: 's'.repeat(32),
        CONSOLE_ADMIN_PASSWORD: 'x'.repeat(16),
      },
    });
    try {
      const activity = connector.inboundActivity({ conversationId: uid('c'), text: 'balance', fromId: 'u' });
      const res = await connector.postActivity(`${prod.url}/api/messages`, activity);
      expect(res.status).toBe(401);
      expect(res.text).toMatch(/MicrosoftAppId/);
    } finally {
      await prod.close();
    }
  });
});

describe('the conversation state rides on the stored message', () => {
  it('reads the state in the statement that stores the message: no bot_state read of its own, state kept', async () => {
    const { acc } = await accountWithRandomUsage();
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const pool = app.services.db.pool as unknown as { query: (...a: unknown[]) => unknown };
    const original = pool.query;
    const stateReads: string[] = [];
    pool.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      if (/^\s*SELECT key, data, e_tag FROM bot_state/.test(text)) stateReads.push(text);
      return original.apply(this, args);
    };
    try {
      // The first message finds no state; the second depends on what the first stored (the language).
      expect(textOf(await chat.say('¿cuántos créditos me quedan?'))).toContain('créditos');
      const ok = textOf(await chat.say('ok'));
      expect(ok).not.toMatch(/credits|What can I/);
      // A purchase in two turns: the amount is read in the context the first turn left.
      await chat.say('quiero comprar más créditos');
      const quote = textOf(await chat.say('2000'));
      expect(quote).toMatch(/2\.000/);
    } finally {
      pool.query = original;
    }
    expect(stateReads).toEqual([]);
    const { rows } = await app.services.db.sql<{ data: { chat?: { lang?: string } } }>(
      'SELECT data FROM bot_state WHERE key = $1',
      [`directline/conversations/${chat.conversationId}/`],
    );
    expect(rows[0]?.data.chat?.lang).toBe('es');
  });
});

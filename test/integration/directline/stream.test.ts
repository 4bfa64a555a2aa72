/** The Direct Line WebSocket stream: replay from the watermark, live fan-out across processes, auth, keepalive. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../../src/shared/clock.ts';
import {
  type DlTestServer,
  openStream,
  type StreamReader,
  startDirectLineTestServer,
  waitFor,
} from '../../helpers/directline-client.ts';

const seqOf = (a: any) => Number(String(a.id).split('|')[1]);

async function startConversation(s: DlTestServer, userId: string, watermark?: string) {
  const g = await s.generate(userId);
  const r = await s.call('POST', '/conversations', { auth: g.token });
  let streamUrl: string = r.body.streamUrl;
  if (watermark !== undefined) {
    const re = await s.call('GET', `/conversations/${g.conversationId}?watermark=${watermark}`, { auth: g.token });
    streamUrl = re.body.streamUrl;
  }
  return { ...g, streamUrl };
}

describe('Direct Line stream', () => {
  let s: DlTestServer;
  let userId: string;
  let redis: Redis;
  const open: StreamReader[] = [];
  const track = (r: StreamReader) => {
    open.push(r);
    return r;
  };

  beforeAll(async () => {
    s = await startDirectLineTestServer({ keepAliveMs: 150 });
    userId = (await s.seedUser()).id;
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    for (const r of open) r.ws.terminate();
    redis?.disconnect();
    await s?.close();
  });

  it('pushes the posted message and the bot echo, in order, with string watermarks', async () => {
    const c = await startConversation(s, userId);
    const reader = track(await openStream(c.streamUrl));
    const post = await s.call('POST', `/conversations/${c.conversationId}/activities`, {
      auth: c.token,
      body: { type: 'message', text: 'ping', channelData: { clientActivityID: 'x1' } },
    });
    expect(post.status).toBe(200);
    await waitFor(() => reader.activities.length >= 2, 5_000, 'two activities');
    expect(reader.activities.map((a) => a.text)).toEqual(['ping', 'echo: ping']);
    expect(reader.activities[0].channelData).toEqual({ clientActivityID: 'x1' });
    expect(reader.activities[0].from).toMatchObject({ id: userId, role: 'user' });
    expect(reader.watermarks.every((w) => typeof w === 'string')).toBe(true);
    expect(reader.watermarks.at(-1)).toBe('2');
  });

  it('first replays what follows the watermark, then continues live', async () => {
    const g = await s.generate(userId);
    for (let i = 1; i <= 3; i++) await s.dl.appendBotActivity(g.conversationId, { text: `old ${i}` });
    const r = await s.call('GET', `/conversations/${g.conversationId}?watermark=1`, { auth: g.token });
    const reader = track(await openStream(r.body.streamUrl));
    await waitFor(() => reader.activities.length >= 2, 5_000, 'replay');
    expect(reader.activities.map((a) => a.text)).toEqual(['old 2', 'old 3']);
    expect(reader.watermarks[0]).toBe('3');
    await s.dl.appendBotActivity(g.conversationId, { text: 'new' });
    await waitFor(() => reader.activities.length >= 3, 5_000, 'live');
    expect(reader.activities.map(seqOf)).toEqual([2, 3, 4]);
  });

  it('receives activities appended by another DirectLine instance (another process) through Redis', async () => {
    const c = await startConversation(s, userId);
    const reader = track(await openStream(c.streamUrl));
    const other = s.second();
    const proactive = await other.appendBotActivity(c.conversationId, {
      type: 'message',
      text: 'Your request was approved',
      from: { id: 'agent:U123', name: 'Maria' },
    });
    expect(proactive.id).toBe(`${c.conversationId}|0000001`);
    await waitFor(() => reader.activities.length >= 1, 5_000, 'proactive message');
    expect(reader.activities[0]).toMatchObject({
      id: proactive.id,
      text: 'Your request was approved',
      from: { id: 'agent:U123', name: 'Maria', role: 'bot' },
      recipient: { id: userId, role: 'user' },
    });
  });

  it('delivers every activity exactly once and in order under concurrent appends from two instances', async () => {
    const c = await startConversation(s, userId);
    const a = track(await openStream(c.streamUrl));
    const b = track(await openStream(c.streamUrl));
    const other = s.second();
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => s.dl.appendBotActivity(c.conversationId, { text: `a${i}` })),
      ...Array.from({ length: 40 }, (_, i) => other.appendBotActivity(c.conversationId, { text: `b${i}` })),
    ]);
    const expected = Array.from({ length: 80 }, (_, i) => i + 1);
    for (const reader of [a, b]) {
      await waitFor(() => reader.activities.length >= 80, 10_000, '80 activities');
      await new Promise((r) => setTimeout(r, 100));
      expect(reader.activities.map(seqOf)).toEqual(expected);
    }
  });

  it('fills a gap from the database when a publish was lost', async () => {
    const c = await startConversation(s, userId);
    const reader = track(await openStream(c.streamUrl));
    // An append whose publish never happened (say Redis blinked), then a normal one.
    await s.db.sql(
      `WITH s AS (UPDATE dl_conversation SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
       INSERT INTO dl_activity (conversation_id, seq, activity)
       SELECT $1, last_seq, jsonb_build_object('id', $1 || '|' || lpad(last_seq::text, 7, '0'), 'type', 'message', 'text', 'unannounced') FROM s`,
      [c.conversationId],
    );
    await s.dl.appendBotActivity(c.conversationId, { text: 'announced' });
    await waitFor(() => reader.activities.length >= 2, 5_000, 'gap filled');
    expect(reader.activities.map((x) => x.text)).toEqual(['unannounced', 'announced']);

    // And one with no later publish at all is found by the periodic resync.
    await s.db.sql(
      `WITH s AS (UPDATE dl_conversation SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
       INSERT INTO dl_activity (conversation_id, seq, activity)
       SELECT $1, last_seq, jsonb_build_object('id', $1 || '|' || lpad(last_seq::text, 7, '0'), 'type', 'message', 'text', 'lonely') FROM s`,
      [c.conversationId],
    );
    await waitFor(() => reader.activities.length >= 3, 5_000, 'resync');
    expect(reader.activities[2].text).toBe('lonely');
  });

  it('sends keepalives (empty frames and pings) and records the client as seen', async () => {
    const c = await startConversation(s, userId);
    const reader = track(await openStream(c.streamUrl));
    let pings = 0;
    reader.ws.on('ping', () => pings++);
    await waitFor(() => reader.frames.filter((f) => f === '').length >= 2 && pings >= 2, 5_000, 'keepalives');
    const seen = await s.dl.lastSeen(c.conversationId);
    expect(Date.now() - seen!.getTime()).toBeLessThan(3_000);
  });

  it('refuses the upgrade without a valid token for that conversation', async () => {
    const a = await startConversation(s, userId);
    const b = await startConversation(s, userId);
    const base = a.streamUrl.split('?')[0]!;
    const status = (url: string) =>
      openStream(url).then(
        (r) => {
          r.ws.terminate();
          return 101;
        },
        (err: { status?: number }) => err.status,
      );
    expect(await status(base)).toBe(401);
    expect(await status(`${base}?t=garbage`)).toBe(401);
    expect(await status(`${base}?t=${encodeURIComponent(b.token)}`)).toBe(403);
    expect(await status(`${base}?t=${encodeURIComponent(a.token)}&watermark=abc`)).toBe(400);
    expect(await status(`${base}?t=${encodeURIComponent(a.token)}`)).toBe(101);
  });

  it('unsubscribes from the Redis channel when the last stream of a conversation closes', async () => {
    const c = await startConversation(s, userId);
    const channel = `${s.prefix}:dl:${c.conversationId}`;
    const subscribers = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    const r1 = await openStream(c.streamUrl);
    const r2 = await openStream(c.streamUrl);
    await waitFor(async () => (await subscribers()) === 1, 3_000, 'one subscription for two streams');
    r1.close();
    await r1.closed;
    await new Promise((r) => setTimeout(r, 100));
    expect(await subscribers()).toBe(1);
    r2.close();
    await r2.closed;
    await waitFor(async () => (await subscribers()) === 0, 3_000, 'unsubscribed');
  });
});

describe('Direct Line stream with an expired token', () => {
  const clock = fixedClock(new Date());
  let s: DlTestServer;

  beforeAll(async () => {
    s = await startDirectLineTestServer({ clock });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses the upgrade with 403', async () => {
    const user = await s.seedUser();
    const c = await startConversation(s, user.id);
    clock.advance(1801 * 1000);
    await expect(openStream(c.streamUrl)).rejects.toMatchObject({ status: 403 });
  });
});

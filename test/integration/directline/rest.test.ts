/** Direct Line 3.0 REST against real PostgreSQL and Redis: tokens, conversations, activities, validation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../../src/directline/tokens.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { DL_SECRET, type DlTestServer, echoBot, startDirectLineTestServer } from '../../helpers/directline-client.ts';

const ID_RE = /^[A-Za-z0-9_-]{22}$/;

describe('Direct Line REST', () => {
  let s: DlTestServer;
  let user: { id: string; accountId: string; name: string };

  beforeAll(async () => {
    s = await startDirectLineTestServer();
    user = await s.seedUser({ name: 'Laura', locale: 'es-ES' });
  });
  afterAll(async () => {
    await s?.close();
  });

  const messages = async (cid: string, token: string, watermark = '') =>
    s.call('GET', `/conversations/${cid}/activities?watermark=${watermark}`, { auth: token });

  describe('POST /tokens/generate', () => {
    it('refuses a missing or wrong secret with 401', async () => {
      const body = { user: { id: user.id } };
      const none = await s.call('POST', '/tokens/generate', { body });
      expect(none.status).toBe(401);
      expect(none.body.error).toMatchObject({ code: 'unauthorized' });
      expect((await s.call('POST', '/tokens/generate', { auth: 'not-the-secret', body })).status).toBe(401);
      const { token } = await s.generate(user.id);
      const withToken = await s.call('POST', '/tokens/generate', { auth: token, body });
      expect(withToken.status).toBe(401);
      expect(withToken.body.error.message).toMatch(/secret/);
    });

    it('needs a user id (400 with the reason)', async () => {
      for (const body of [undefined, {}, { user: {} }, { user: { id: '' } }, { user: { id: 42 } }]) {
        const r = await s.call('POST', '/tokens/generate', { auth: DL_SECRET, body });
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('bad_request');
        expect(r.body.error.message).toMatch(/user\.id/);
      }
    });

    it('refuses a user the platform never registered with 403', async () => {
      const r = await s.call('POST', '/tokens/generate', { auth: DL_SECRET, body: { user: { id: 'usr_nobody' } } });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/not registered/);
    });

    it('creates a conversation bound to the user and answers { conversationId, token, expires_in }', async () => {
      const r = await s.call('POST', '/tokens/generate', { auth: DL_SECRET, body: { user: { id: user.id } } });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['conversationId', 'expires_in', 'token']);
      expect(r.body.conversationId).toMatch(ID_RE);
      expect(r.body.expires_in).toBe(1800);
      expect(r.body.token.split('.')).toHaveLength(3);
      expect(await s.dl.getConversation(r.body.conversationId)).toEqual({
        id: r.body.conversationId,
        userId: user.id,
        accountId: user.accountId,
      });
      const chat = await s.db.sql('SELECT * FROM chat_conversation WHERE id = $1', [r.body.conversationId]);
      expect(chat.rows[0]).toMatchObject({
        channel_id: 'directline',
        account_id: user.accountId,
        user_id: user.id,
        locale: 'es-ES',
      });
    });

    it("strips Web Chat's dl_ prefix from the user id", async () => {
      const r = await s.call('POST', '/tokens/generate', { auth: DL_SECRET, body: { user: { id: `dl_${user.id}` } } });
      expect(r.status).toBe(200);
      expect((await s.dl.getConversation(r.body.conversationId))?.userId).toBe(user.id);
    });

    it('gives every conversation its own unguessable id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 10; i++) ids.add((await s.generate(user.id)).conversationId);
      expect(ids.size).toBe(10);
    });
  });

  describe('conversations', () => {
    it('POST /conversations with a token answers 201 with a streamUrl for its conversation', async () => {
      const g = await s.generate(user.id);
      const r = await s.call('POST', '/conversations', { auth: g.token, body: { user: { id: 'ignored' } } });
      expect(r.status).toBe(201);
      expect(r.body.conversationId).toBe(g.conversationId);
      expect(r.body.expires_in).toBe(1800);
      expect(typeof r.body.token).toBe('string');
      const port = new URL(s.url).port;
      expect(r.body.streamUrl).toMatch(
        new RegExp(`^ws://127\\.0\\.0\\.1:${port}/v3/directline/conversations/${g.conversationId}/stream\\?t=`),
      );
      // The token in the streamUrl opens the conversation too.
      const t = new URL(r.body.streamUrl).searchParams.get('t')!;
      expect((await messages(g.conversationId, t)).status).toBe(200);
    });

    it('builds the streamUrl from X-Forwarded-Proto and X-Forwarded-Host', async () => {
      const g = await s.generate(user.id);
      const r = await s.call('POST', '/conversations', {
        auth: g.token,
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' },
      });
      expect(r.status).toBe(201);
      expect(r.body.streamUrl).toMatch(/^wss:\/\/chat\.example\.com\/v3\/directline\/conversations\/.+\/stream\?t=/);
    });

    it('GET /conversations/:id reconnects with a fresh token and a streamUrl from the watermark', async () => {
      const g = await s.generate(user.id);
      const r = await s.call('GET', `/conversations/${g.conversationId}?watermark=3`, { auth: g.token });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ conversationId: g.conversationId, expires_in: 1800 });
      expect(r.body.streamUrl).toContain(`/conversations/${g.conversationId}/stream?watermark=3&t=`);
      expect((await s.call('GET', `/conversations/${g.conversationId}?watermark=x`, { auth: g.token })).status).toBe(
        400,
      );
    });

    it('POST /conversations with the secret needs { user: { id } } (extension) and binds the conversation', async () => {
      const none = await s.call('POST', '/conversations', { auth: DL_SECRET });
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(/tokens\/generate/);
      const unknown = await s.call('POST', '/conversations', { auth: DL_SECRET, body: { user: { id: 'usr_nobody' } } });
      expect(unknown.status).toBe(403);
      const r = await s.call('POST', '/conversations', {
        auth: DL_SECRET,
        body: { user: { id: user.id }, locale: 'en-GB' },
      });
      expect(r.status).toBe(201);
      expect(r.body.streamUrl).toContain(`/conversations/${r.body.conversationId}/stream?t=`);
      expect((await s.dl.getConversation(r.body.conversationId))?.userId).toBe(user.id);
      // The secret opens any conversation, and so does the token it was given.
      expect((await messages(r.body.conversationId, DL_SECRET)).status).toBe(200);
      expect((await messages(r.body.conversationId, r.body.token)).status).toBe(200);
    });

    it('answers 404 for a conversation that does not exist', async () => {
      expect((await messages('nope_nope_nope_nope_no', DL_SECRET)).status).toBe(404);
      expect((await s.call('GET', '/conversations/nope_nope_nope_nope_no', { auth: DL_SECRET })).status).toBe(404);
      const post = await s.call('POST', '/conversations/nope_nope_nope_nope_no/activities', {
        auth: DL_SECRET,
        body: { type: 'message', text: 'hi' },
      });
      expect(post.status).toBe(404);
    });

    it('answers CORS preflights', async () => {
      const r = await s.call('OPTIONS', '/conversations', {
        headers: { origin: 'https://platform.example.com', 'access-control-request-method': 'POST' },
      });
      expect(r.status).toBe(204);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    });
  });

  describe('activities', () => {
    it('stores a message, runs the bot before answering, and serves both after the watermark', async () => {
      const g = await s.generate(user.id);
      const cid = g.conversationId;
      const post = await s.call('POST', `/conversations/${cid}/activities`, {
        auth: g.token,
        body: { type: 'message', text: 'hello', locale: 'es-ES', channelData: { clientActivityID: 'c-1' } },
      });
      expect(post.status).toBe(200);
      expect(post.body).toEqual({ id: `${cid}|0000001` });

      const all = await messages(cid, g.token);
      expect(all.status).toBe(200);
      expect(all.body.watermark).toBe('2');
      expect(all.body.activities).toHaveLength(2);
      const [mine, reply] = all.body.activities;
      expect(mine).toMatchObject({
        id: `${cid}|0000001`,
        type: 'message',
        text: 'hello',
        locale: 'es-ES',
        channelId: 'directline',
        conversation: { id: cid },
        from: { id: user.id, name: 'Laura', role: 'user' },
        recipient: { id: 'bot', role: 'bot' },
        channelData: { clientActivityID: 'c-1' },
      });
      expect(Date.parse(mine.timestamp)).toBeGreaterThan(Date.now() - 60_000);
      expect(reply).toMatchObject({
        id: `${cid}|0000002`,
        type: 'message',
        text: 'echo: hello',
        replyToId: `${cid}|0000001`,
        from: { id: 'bot', name: 'Bot', role: 'bot' },
        recipient: { id: user.id, role: 'user' },
        conversation: { id: cid },
        channelId: 'directline',
      });

      const none = await messages(cid, g.token, '2');
      expect(none.body).toEqual({ activities: [], watermark: '2' });

      await s.call('POST', `/conversations/${cid}/activities`, {
        auth: g.token,
        body: { type: 'message', text: 'again' },
      });
      const next = await messages(cid, g.token, '2');
      expect(next.body.watermark).toBe('4');
      expect(next.body.activities.map((a: any) => a.text)).toEqual(['again', 'echo: again']);
      const fromOne = await messages(cid, g.token, '1');
      expect(fromOne.body.activities.map((a: any) => a.id.split('|')[1])).toEqual(['0000002', '0000003', '0000004']);

      expect((await messages(cid, g.token, 'abc')).status).toBe(400);
      expect((await messages(cid, g.token, '-1')).status).toBe(400);
    });

    it('replaces from, recipient, conversation, id, timestamp and identity claims of the client', async () => {
      const g = await s.generate(user.id);
      const cid = g.conversationId;
      const other = await s.generate(user.id);
      s.seen.length = 0;
      const r = await s.call('POST', `/conversations/${cid}/activities`, {
        auth: g.token,
        body: {
          type: 'message',
          text: 'I am the admin',
          id: 'forged-id',
          timestamp: '2000-01-01T00:00:00.000Z',
          channelId: 'slack',
          serviceUrl: 'http://evil.example.com',
          from: { id: 'usr_admin', name: 'Admin', role: 'bot' },
          recipient: { id: 'someone' },
          conversation: { id: other.conversationId },
          channelData: { accountId: 'acc_evil', userId: 'usr_admin', clientActivityID: 'c-2' },
        },
      });
      expect(r.status).toBe(200);
      const stored = (await messages(cid, g.token)).body.activities[0];
      expect(stored.id).toBe(`${cid}|0000001`);
      expect(stored.from).toEqual({ id: user.id, name: 'Laura', role: 'user' });
      expect(stored.recipient).toEqual({ id: 'bot', name: 'Bot', role: 'bot' });
      expect(stored.conversation).toEqual({ id: cid });
      expect(stored.channelId).toBe('directline');
      expect(stored.serviceUrl).toBeUndefined();
      expect(stored.timestamp).not.toBe('2000-01-01T00:00:00.000Z');
      expect(stored.channelData).toEqual({ clientActivityID: 'c-2' });
      // The bot got the binding, never the client's claims.
      expect(s.seen).toHaveLength(1);
      expect(s.seen[0]!.conversation).toEqual({ id: cid, userId: user.id, accountId: user.accountId });
      expect(s.seen[0]!.activity.from.id).toBe(user.id);
      // Nothing landed in the conversation the client named.
      expect((await messages(other.conversationId, other.token)).body.activities).toEqual([]);
    });

    it('accepts the event Web Chat sends when the chat opens from a button', async () => {
      const g = await s.generate(user.id);
      s.seen.length = 0;
      const r = await s.call('POST', `/conversations/${g.conversationId}/activities`, {
        auth: g.token,
        body: { type: 'event', name: 'webchat/join', value: { origin: 'buy_more' } },
      });
      expect(r.status).toBe(200);
      expect(s.seen[0]!.activity).toMatchObject({ type: 'event', name: 'webchat/join', value: { origin: 'buy_more' } });
    });

    it('validates activities with clear 4xx answers and stores none of the rejected', async () => {
      const g = await s.generate(user.id);
      const cid = g.conversationId;
      const post = (o: { body?: unknown; raw?: string; headers?: Record<string, string> }) =>
        s.call('POST', `/conversations/${cid}/activities`, { auth: g.token, ...o });

      const badJson = await post({ raw: '{"type":"message",', headers: { 'content-type': 'application/json' } });
      expect(badJson.status).toBe(400);
      expect(badJson.body.error).toMatchObject({
        code: 'bad_request',
        message: expect.stringMatching(/Malformed JSON/),
      });

      const notJson = await post({
        raw: 'type=message',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(notJson.status).toBe(415);

      const empty = await post({});
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/JSON object/);

      for (const body of [['message'], 'message', 42, null]) {
        const r = await post({ body });
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('bad_request');
      }

      const noType = await post({ body: { text: 'hi' } });
      expect(noType.status).toBe(400);
      expect(noType.body.error.message).toMatch(/activity\.type is required/);

      const unknownType = await post({ body: { type: 'deleteUserData' } });
      expect(unknownType.status).toBe(400);
      expect(unknownType.body.error.message).toContain(
        'accepted types: message, event, typing, conversationUpdate, invoke, messageReaction',
      );

      const numberText = await post({ body: { type: 'message', text: 42 } });
      expect(numberText.status).toBe(400);
      expect(numberText.body.error.message).toMatch(/activity\.text must be a string/);

      const long = await post({ body: { type: 'message', text: 'x'.repeat(100 * 1024) } });
      expect(long.status).toBe(413);
      expect(long.body.error.message).toMatch(/longer than 10,000 characters/);
      expect((await post({ body: { type: 'message', text: 'x'.repeat(10_001) } })).status).toBe(413);

      const huge = await post({ body: { type: 'message', text: 'hi', channelData: { blob: 'x'.repeat(300 * 1024) } } });
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');

      const bigAttachment = await post({
        body: {
          type: 'message',
          attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { text: 'y'.repeat(100_000) } }],
        },
      });
      expect(bigAttachment.status).toBe(413);
      expect(bigAttachment.body.error.message).toMatch(/attachments\[0\]/);

      const badAttachments = await post({ body: { type: 'message', attachments: 'file.png' } });
      expect(badAttachments.status).toBe(400);

      // Nothing above was stored.
      expect((await messages(cid, g.token)).body.activities).toEqual([]);

      // The limit itself and an empty message are accepted; the bot answers the empty one politely.
      expect((await post({ body: { type: 'message', text: 'x'.repeat(10_000) } })).status).toBe(200);
      const blank = await post({ body: { type: 'message', text: '' } });
      expect(blank.status).toBe(200);
      const texts = (await messages(cid, g.token)).body.activities.map((a: any) => a.text);
      expect(texts.at(-1)).toMatch(/Did you mean to send something/);
      expect(texts).toHaveLength(4);
    });

    it('takes small files through the upload endpoint as data: URL attachments', async () => {
      const g = await s.generate(user.id);
      const cid = g.conversationId;
      const upload = async (files: Array<{ type: string; bytes: number; name: string }>) => {
        const form = new FormData();
        form.append(
          'activity',
          new Blob([JSON.stringify({ type: 'message', text: 'see attached', attachments: [{ name: 'x' }] })], {
            type: 'application/vnd.microsoft.activity',
          }),
        );
        for (const f of files) form.append('file', new Blob([Buffer.alloc(f.bytes, 1)], { type: f.type }), f.name);
        const res = await fetch(`${s.base}/conversations/${cid}/upload?userId=${user.id}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${g.token}` },
          body: form,
        });
        return { status: res.status, body: await res.json() };
      };
      const ok = await upload([{ type: 'image/png', bytes: 10, name: 'shot.png' }]);
      expect(ok.status).toBe(200);
      const stored = (await messages(cid, g.token)).body.activities[0];
      expect(stored.text).toBe('see attached');
      expect(stored.attachments).toEqual([
        {
          contentType: 'image/png',
          name: 'shot.png',
          contentUrl: `data:image/png;base64,${Buffer.alloc(10, 1).toString('base64')}`,
        },
      ]);
      expect((await upload([{ type: 'image/png', bytes: 600 * 1024, name: 'big.png' }])).status).toBe(413);
      expect((await upload([{ type: 'text/html', bytes: 10, name: 'page.html' }])).status).toBe(415);
    });

    it('still answers the POST when the bot fails, and tells the customer politely', async () => {
      const g = await s.generate(user.id);
      s.bot = async () => {
        throw new Error('bot exploded');
      };
      try {
        const r = await s.call('POST', `/conversations/${g.conversationId}/activities`, {
          auth: g.token,
          body: { type: 'message', text: 'hi' },
        });
        expect(r.status).toBe(200);
        const [mine, sorry] = (await messages(g.conversationId, g.token)).body.activities;
        expect(mine.text).toBe('hi');
        expect(sorry).toMatchObject({ from: { role: 'bot' }, replyToId: mine.id });
        expect(sorry.text).toMatch(/Sorry, something went wrong/);
        // Typing indicators fail silently.
        await s.call('POST', `/conversations/${g.conversationId}/activities`, {
          auth: g.token,
          body: { type: 'typing' },
        });
        expect((await messages(g.conversationId, g.token, '2')).body.activities.map((a: any) => a.type)).toEqual([
          'typing',
        ]);
      } finally {
        s.bot = echoBot;
      }
    });

    it('allocates gap-free sequence numbers under concurrent appends from two instances', async () => {
      const g = await s.generate(user.id);
      const cid = g.conversationId;
      const other = s.second();
      await Promise.all([
        ...Array.from({ length: 25 }, (_, i) => s.dl.appendBotActivity(cid, { text: `a${i}` })),
        ...Array.from({ length: 25 }, (_, i) => other.appendBotActivity(cid, { text: `b${i}` })),
        ...Array.from({ length: 10 }, (_, i) =>
          s.call('POST', `/conversations/${cid}/activities`, {
            auth: g.token,
            body: { type: 'typing', name: `t${i}` },
          }),
        ),
      ]);
      const r = await messages(cid, g.token);
      const seqs = r.body.activities.map((a: any) => Number(a.id.split('|')[1]));
      expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(r.body.watermark).toBe('60');
    });

    it('records when the client was last seen', async () => {
      const g = await s.generate(user.id);
      expect(await s.dl.lastSeen(g.conversationId)).toBeNull();
      const before = Date.now();
      await messages(g.conversationId, g.token);
      const seen = await s.dl.lastSeen(g.conversationId);
      expect(seen).toBeInstanceOf(Date);
      expect(seen!.getTime()).toBeGreaterThanOrEqual(before - 5);
      // Another instance (process) sees it too.
      expect((await s.second().lastSeen(g.conversationId))?.getTime()).toBe(seen!.getTime());
    });
  });

  describe('tokens', () => {
    it('opens only its own conversation', async () => {
      const a = await s.generate(user.id);
      const b = await s.generate(user.id);
      expect((await messages(b.conversationId, a.token)).status).toBe(403);
      const post = await s.call('POST', `/conversations/${b.conversationId}/activities`, {
        auth: a.token,
        body: { type: 'message', text: 'sneaky' },
      });
      expect(post.status).toBe(403);
      expect(post.body.error.message).toMatch(/does not open that conversation/);
      expect((await s.call('GET', `/conversations/${b.conversationId}`, { auth: a.token })).status).toBe(403);
      expect((await messages(b.conversationId, b.token)).body.activities).toEqual([]);
    });

    it('refuses missing, malformed and forged tokens with 401', async () => {
      const a = await s.generate(user.id);
      const path = `/conversations/${a.conversationId}/activities`;
      expect((await s.call('GET', path)).status).toBe(401);
      expect((await s.call('GET', path, { headers: { authorization: `Basic ${a.token}` } })).status).toBe(401);
      expect((await s.call('GET', path, { auth: 'abc' })).status).toBe(401);
      expect((await s.call('GET', path, { auth: 'a.b.c' })).status).toBe(401);
      // Same signature, another payload.
      const [h, , sig] = a.token.split('.');
      const payload = Buffer.from(
        JSON.stringify({ cid: a.conversationId, uid: 'usr_admin', iat: 1, exp: 4_000_000_000 }),
      ).toString('base64url');
      expect((await s.call('GET', path, { auth: `${h}.${payload}.${sig}` })).status).toBe(401);
      // Signed with another secret.
      const forged = createTokenSigner('some-other-secret', 1800).issue(a.conversationId, user.id, Date.now()).token;
      const r = await s.call('GET', path, { auth: forged });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe('Invalid token.');
    });

    it('refreshes a token for the same conversation', async () => {
      const a = await s.generate(user.id);
      const r = await s.call('POST', '/tokens/refresh', { auth: a.token });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ conversationId: a.conversationId, expires_in: 1800 });
      expect((await messages(a.conversationId, r.body.token)).status).toBe(200);
      expect((await s.call('POST', '/tokens/refresh', { auth: DL_SECRET })).status).toBe(400);
      expect((await s.call('POST', '/tokens/refresh')).status).toBe(401);
    });
  });
});

describe('Direct Line token expiry', () => {
  const clock = fixedClock(new Date());
  let s: DlTestServer;
  let userId: string;

  beforeAll(async () => {
    s = await startDirectLineTestServer({ clock });
    userId = (await s.seedUser()).id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses an expired token with 403 TokenExpired everywhere, and a refreshed one keeps working', async () => {
    const a = await s.generate(userId);
    const cid = a.conversationId;
    clock.advance(1000 * 1000);
    const refreshed = await s.call('POST', '/tokens/refresh', { auth: a.token });
    expect(refreshed.status).toBe(200);
    clock.advance(801 * 1000); // a.token is now 1801 s old; the refreshed one 801 s
    const read = await s.call('GET', `/conversations/${cid}/activities`, { auth: a.token });
    expect(read.status).toBe(403);
    expect(read.body.error).toMatchObject({ code: 'forbidden', details: { code: 'TokenExpired' } });
    expect(read.body.error.message).toMatch(/expired/);
    const post = await s.call('POST', `/conversations/${cid}/activities`, {
      auth: a.token,
      body: { type: 'message', text: 'late' },
    });
    expect(post.status).toBe(403);
    expect((await s.call('POST', '/tokens/refresh', { auth: a.token })).status).toBe(403);
    expect((await s.call('GET', `/conversations/${cid}`, { auth: a.token })).status).toBe(403);
    expect((await s.call('POST', '/conversations', { auth: a.token })).status).toBe(403);
    expect((await s.call('GET', `/conversations/${cid}/activities`, { auth: refreshed.body.token })).status).toBe(200);
  });
});

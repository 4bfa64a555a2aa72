/**
 * End to end with the official client, botframework-directlinejs (what Web Chat runs), against our server:
 * polling and WebSocket, with a token from tokens/generate, and with the secret plus setUserId.
 */
import { type Activity, ConnectionStatus, DirectLine } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DL_SECRET,
  type DlTestServer,
  installBrowserGlobals,
  startDirectLineTestServer,
  waitFor,
} from '../../helpers/directline-client.ts';

describe('botframework-directlinejs against the self-hosted Direct Line', () => {
  let s: DlTestServer;
  let user: { id: string; name: string };
  let restore: () => void;
  const clients: DirectLine[] = [];

  beforeAll(async () => {
    restore = installBrowserGlobals();
    s = await startDirectLineTestServer();
    user = await s.seedUser({ name: 'Laura' });
  });
  afterAll(async () => {
    for (const c of clients) c.end();
    await s?.close();
    restore?.();
  });

  async function converse(dl: DirectLine, text: string) {
    clients.push(dl);
    const received: Activity[] = [];
    const sub = dl.activity$.subscribe((a) => received.push(a));
    try {
      await waitFor(() => dl.connectionStatus$.getValue() === ConnectionStatus.Online, 10_000, 'online');
      const id = await new Promise<string>((resolve, reject) => {
        dl.postActivity({
          type: 'message',
          text,
          from: { id: 'someone-else', name: 'Mallory' },
          channelData: { clientActivityID: `cid-${text}` },
        } as Activity).subscribe(resolve, reject);
      });
      const echo = await waitFor(
        () => received.find((a) => a.type === 'message' && (a as { text?: string }).text === `echo: ${text}`),
        10_000,
        'the echo',
      );
      const mine = received.find((a) => a.channelData?.clientActivityID === `cid-${text}`);
      return { id, echo, mine, received };
    } finally {
      sub.unsubscribe();
      dl.end();
    }
  }

  it('polling (webSocket: false): posts an activity and receives it and the echo through activity$', async () => {
    const { token, conversationId } = await s.generate(user.id);
    const dl = new DirectLine({ token, domain: s.base, webSocket: false, pollingInterval: 200, timeout: 5_000 });
    const { id, echo, mine } = await converse(dl, 'hello polling');
    expect(id).toBe(`${conversationId}|0000001`);
    expect(mine).toMatchObject({ id, from: { id: user.id, name: 'Laura', role: 'user' } });
    expect(echo).toMatchObject({ from: { role: 'bot' }, replyToId: id, conversation: { id: conversationId } });
  });

  it('WebSocket (webSocket: true): posts an activity and receives it and the echo through the stream', async () => {
    const { token, conversationId } = await s.generate(user.id);
    // Node 20 has no WebSocket global of its own; installBrowserGlobals() provides ws's.
    const dl = new DirectLine({ token, domain: s.base, webSocket: true, timeout: 5_000 });
    expect((dl as unknown as { webSocket: boolean }).webSocket).toBe(true);
    const { id, echo, mine } = await converse(dl, 'hello sockets');
    expect(id).toBe(`${conversationId}|0000001`);
    expect(mine).toMatchObject({ from: { id: user.id, role: 'user' } });
    expect(echo).toMatchObject({ replyToId: id });
    expect((dl as unknown as { streamUrl: string }).streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\//);
    // Everything came through the stream: the client never polled.
    const mineOnly = s.requests.filter((r) => r.includes(conversationId));
    expect(mineOnly).toContain(`POST /v3/directline/conversations/${conversationId}/activities`);
    expect(mineOnly.filter((r) => r.startsWith('GET'))).toEqual([]);
  });

  it('with the secret and setUserId, the conversation is bound to that user (extension of POST /conversations)', async () => {
    const dl = new DirectLine({ secret: DL_SECRET, domain: s.base, webSocket: false, pollingInterval: 200 });
    dl.setUserId(user.id);
    const { mine } = await converse(dl, 'hello secret');
    expect(mine).toMatchObject({ from: { id: user.id, role: 'user' } });
    const conversationId = (dl as unknown as { conversationId: string }).conversationId;
    expect(await s.dl.getConversation(conversationId)).toMatchObject({ userId: user.id });
  });

  it('receives proactive messages appended by another instance while polling', async () => {
    const { token, conversationId } = await s.generate(user.id);
    const dl = new DirectLine({ token, domain: s.base, webSocket: false, pollingInterval: 200 });
    clients.push(dl);
    const received: Activity[] = [];
    const sub = dl.activity$.subscribe((a) => received.push(a));
    try {
      await waitFor(() => dl.connectionStatus$.getValue() === ConnectionStatus.Online, 10_000, 'online');
      await s.second().appendBotActivity(conversationId, { text: 'A manager approved your request.' });
      await waitFor(() => received.some((a) => (a as { text?: string }).text === 'A manager approved your request.'));
    } finally {
      sub.unsubscribe();
      dl.end();
    }
  });
});

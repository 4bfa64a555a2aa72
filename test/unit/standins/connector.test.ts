import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivityHandler,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
} from 'botbuilder';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorStandin, startConnectorStandin } from '../../standins/connector.ts';

let connector: ConnectorStandin;

beforeAll(async () => {
  connector = await startConnectorStandin();
});
afterEach(() => connector.reset());
afterAll(() => connector.close());

const post = (path: string, body: unknown, method = 'POST') =>
  fetch(`${connector.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('Bot Connector v3 stand-in over plain fetch', () => {
  it('records sendToConversation / replyToActivity / update / delete and answers { id }', async () => {
    const conv = encodeURIComponent('conv:1|webchat');
    const sent = await post(`/v3/conversations/${conv}/activities`, { type: 'message', text: 'hello' });
    expect(sent.status).toBe(200);
    const { id: firstId } = (await sent.json()) as { id: string };
    expect(firstId).toBe('conv:1|webchat|0000001');

    const reply = await post(`/v3/conversations/${conv}/activities/inbound-7`, {
      type: 'message',
      text: 'reply',
      replyToId: 'inbound-7',
    });
    const { id: replyId } = (await reply.json()) as { id: string };

    const upd = await post(
      `/v3/conversations/${conv}/activities/${encodeURIComponent(firstId)}`,
      {
        type: 'message',
        text: 'hello (edited)',
      },
      'PUT',
    );
    expect(await upd.json()).toEqual({ id: firstId });
    const del = await post(`/v3/conversations/${conv}/activities/${encodeURIComponent(replyId)}`, undefined, 'DELETE');
    expect(del.status).toBe(200);

    expect(connector.records.map((r) => r.op)).toEqual(['send', 'reply', 'update', 'delete']);
    expect(connector.records[1]).toMatchObject({ conversationId: 'conv:1|webchat', activityId: 'inbound-7' });
    expect(connector.records[0]!.authorization).toBe('Bearer test-token');
    expect(connector.replies('conv:1|webchat').map((a) => a.text)).toEqual(['hello', 'reply']);
    expect(connector.updates()).toHaveLength(1);
    expect(connector.deletes()[0]!.activityId).toBe(replyId);
    expect(connector.transcript('conv:1|webchat')).toEqual([
      expect.objectContaining({ id: firstId, text: 'hello (edited)' }),
    ]);
  });

  it('answers member and conversation endpoints', async () => {
    const members = await fetch(`${connector.url}/v3/conversations/c1/members`);
    expect(await members.json()).toEqual([]);
    const paged = await fetch(`${connector.url}/v3/conversations/c1/pagedmembers`);
    expect(await paged.json()).toEqual({ members: [] });
    const created = await post('/v3/conversations', { bot: { id: 'b' }, members: [{ id: 'u' }] });
    expect(await created.json()).toMatchObject({
      id: expect.stringMatching(/^standin-conv-/),
      serviceUrl: connector.url,
    });
  });

  it('injects faults and can require Authorization', async () => {
    connector.failNext([{ status: 503 }], 'send');
    const failed = await post('/v3/conversations/c2/activities', { type: 'message', text: 'x' });
    expect(failed.status).toBe(503);
    expect(connector.replies('c2')).toHaveLength(0);

    const strict = await startConnectorStandin({ requireAuth: true });
    try {
      const res = await fetch(`${strict.url}/v3/conversations/c3/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'anon' }),
      });
      expect(res.status).toBe(401);
      expect(strict.replies()).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('waitForReplies filters by type and times out helpfully', async () => {
    setTimeout(() => {
      void post('/v3/conversations/c4/activities', { type: 'typing' }).then(() =>
        post('/v3/conversations/c4/activities', { type: 'message', text: 'done' }),
      );
    }, 10);
    const replies = await connector.waitForReplies('c4', 1, 1000, { type: 'message' });
    expect(replies.map((a) => a.text)).toEqual(['done']);
    await expect(connector.waitForReplies('c4', 3, 30)).rejects.toThrow(/3 repl/);
  });
});

describe('with a real CloudAdapter bot', () => {
  let server: Server;
  let botUrl: string;

  beforeAll(async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
      await context.sendActivity({ type: ActivityTypes.Typing });
      const sent = await context.sendActivity(MessageFactory.text(`echo: ${context.activity.text}`));
      if (context.activity.text === 'edit me') {
        await context.updateActivity({ ...MessageFactory.text('edited'), id: sent!.id });
      }
      await next();
    });
    const app = express();
    app.use(express.json());
    app.post('/api/messages', (req, res) => {
      void adapter.process(req, res, (context) => bot.run(context));
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it('receives the bot replies at the stand-in', async () => {
    const inbound = connector.inboundActivity({ conversationId: 'conv-42', text: 'hi there' });
    const res = await connector.postActivity(botUrl, inbound);
    expect(res.status).toBe(200);

    const replies = await connector.waitForReplies('conv-42', 1, 2000, { type: 'message' });
    expect(replies[0]).toMatchObject({
      type: 'message',
      text: 'echo: hi there',
      replyToId: inbound.id,
      conversation: { id: 'conv-42' },
      recipient: { id: 'user-1' },
    });
    // CloudAdapter replies with replyToActivity because the inbound activity had an id.
    expect(connector.records.map((r) => `${r.op}:${r.activityId}`)).toEqual([
      `reply:${inbound.id}`,
      `reply:${inbound.id}`,
    ]);
    expect(connector.replies('conv-42').map((a) => a.type)).toEqual(['typing', 'message']);
  });

  it('sees activity updates', async () => {
    await connector.postActivity(botUrl, connector.inboundActivity({ conversationId: 'conv-43', text: 'edit me' }));
    await connector.waitForReplies('conv-43', 1, 2000, { type: 'message' });
    expect(connector.updates('conv-43')).toHaveLength(1);
    expect(connector.transcript('conv-43').find((a) => a.type === 'message')?.text).toBe('edited');
  });

  it('returns expectReplies activities in the HTTP response instead', async () => {
    const res = await connector.postActivity(
      botUrl,
      connector.inboundActivity({
        conversationId: 'conv-44',
        text: 'buffered',
        extra: { deliveryMode: 'expectReplies' },
      }),
    );
    expect(res.status).toBe(200);
    expect((res.json as { activities: Array<{ text?: string }> }).activities.map((a) => a.text)).toContain(
      'echo: buffered',
    );
    expect(connector.replies('conv-44')).toHaveLength(0);
  });
});

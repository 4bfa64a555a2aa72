import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { type WebAPIHTTPError, type WebAPIPlatformError, WebClient, WebClientEvent } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionPayload,
  eventCallback,
  formBody,
  messageEvent,
  postToBolt,
  type SlackStandin,
  signSlackRequest,
  startSlackStandin,
  urlVerification,
  viewSubmissionPayload,
} from '../../standins/slack.ts';

const TOKEN = 'xoxb-test-token';
const fastRetries = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 };

let slack: SlackStandin;
let client: WebClient;

beforeAll(async () => {
  slack = await startSlackStandin({
    token: TOKEN,
    users: [{ id: 'U0AM1', name: 'alice', real_name: 'Alice Manager', email: 'alice@example.com' }],
  });
  client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: fastRetries, logLevel: LogLevel.ERROR });
});
afterEach(() => slack.reset());
afterAll(() => slack.close());

const approvalBlocks = [
  { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*Acme* wants 500 credits' } },
  {
    type: 'actions',
    block_id: 'decision',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        text: { type: 'plain_text', text: 'Approve' },
        value: 'req-1',
        style: 'primary',
      },
      { type: 'button', action_id: 'reject', text: { type: 'plain_text', text: 'Reject' }, value: 'req-1' },
    ],
  },
];

describe('Slack Web API stand-in with the real WebClient', () => {
  it('answers auth.test and rejects bad or missing tokens like Slack', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: slack.botUserId, bot_id: slack.botId, team_id: slack.teamId });

    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    await expect(wrong.auth.test()).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'invalid_auth' },
    });
    const none = new WebClient(undefined, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    await expect(none.auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });

    expect(slack.callsTo('auth.test')).toHaveLength(3);
    expect(slack.calls[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('accepts the api URL without the trailing slash too', async () => {
    const noSlash = new WebClient(TOKEN, { slackApiUrl: `${slack.url}/api`, logLevel: LogLevel.ERROR });
    await expect(noSlash.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('records chat.postMessage with blocks parsed back from the form encoding', async () => {
    const res = await client.chat.postMessage({
      channel: 'C0APPROVALS',
      text: 'Credit request',
      blocks: approvalBlocks,
    });
    expect(res.ok).toBe(true);
    expect(res.channel).toBe('C0APPROVALS');
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(res.message).toMatchObject({ text: 'Credit request', bot_id: slack.botId, ts: res.ts });

    const [call] = slack.callsTo('chat.postMessage');
    expect(call!.encoding).toBe('form');
    expect(call!.body.blocks).toEqual(approvalBlocks);
    expect(call!.body.text).toBe('Credit request');
    expect(call!.faulted).toBe(false);

    expect(slack.messages()).toEqual([
      expect.objectContaining({ channel: 'C0APPROVALS', ts: res.ts, text: 'Credit request', blocks: approvalBlocks }),
    ]);
  });

  it('hands out unique, increasing ts values and keeps thread_ts', async () => {
    const a = await client.chat.postMessage({ channel: 'C1', text: 'one' });
    const b = await client.chat.postMessage({ channel: 'C1', text: 'two', thread_ts: a.ts! });
    expect(a.ts).toBe('1700000000.000100');
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    expect(slack.message('C1', b.ts!)?.thread_ts).toBe(a.ts);
  });

  it('refuses a message without channel or content like Slack', async () => {
    await expect(client.chat.postMessage({ channel: 'C1', text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    expect(slack.messages()).toHaveLength(0);
  });

  it('applies chat.update to messages()', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'pending', blocks: approvalBlocks });
    const resolved = [{ type: 'section', text: { type: 'mrkdwn', text: 'Approved by <@U0AM1>' } }];
    const updated = await client.chat.update({
      channel: 'C0APPROVALS',
      ts: posted.ts!,
      text: 'approved',
      blocks: resolved,
    });
    expect(updated).toMatchObject({ ok: true, channel: 'C0APPROVALS', ts: posted.ts, text: 'approved' });

    const [message] = slack.messages('C0APPROVALS');
    expect(message).toMatchObject({ ts: posted.ts, text: 'approved', blocks: resolved, updateCount: 1 });
    expect(message!.edited?.user).toBe(slack.botUserId);

    await expect(client.chat.update({ channel: 'C0APPROVALS', ts: '1.000000', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('retries a 429 after retry-after and posts the message exactly once', async () => {
    slack.failNext('chat.postMessage', [{ status: 429, retryAfter: 1 }]);
    const rateLimited: number[] = [];
    client.once(WebClientEvent.RATE_LIMITED, (sec: number) => rateLimited.push(sec));

    const started = Date.now();
    const res = await client.chat.postMessage({ channel: 'C1', text: 'hello' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(res.ok).toBe(true);
    expect(rateLimited).toEqual([1]);

    const calls = slack.callsTo('chat.postMessage');
    expect(calls.map((c) => c.faulted)).toEqual([true, false]);
    expect(calls[0]!.response.status).toBe(429);
    expect(calls[0]!.response.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(slack.messages()).toHaveLength(1);
  });

  it('retries 500/503 per retryConfig and surfaces WebAPIHTTPError when retries run out', async () => {
    slack.failNext('chat.postMessage', [{ status: 500 }, { status: 503 }]);
    await expect(client.chat.postMessage({ channel: 'C1', text: 'survives' })).resolves.toMatchObject({ ok: true });
    expect(slack.callsTo('chat.postMessage').map((c) => c.response.status)).toEqual([500, 503, 200]);
    expect(slack.messages()).toHaveLength(1);

    slack.reset();
    slack.failNext('chat.postMessage', [{ status: 500 }, { status: 500 }, { status: 500 }]);
    const error = (await client.chat.postMessage({ channel: 'C1', text: 'lost' }).catch((e) => e)) as WebAPIHTTPError;
    expect(error.code).toBe('slack_webapi_http_error');
    expect(error.statusCode).toBe(500);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3); // 1 try + retries: 2
    expect(slack.messages()).toHaveLength(0);
  });

  it('injects platform errors (not retried) and supports the * wildcard', async () => {
    slack.failNext('chat.update', [{ ok: false, error: 'cant_update_message' }]);
    slack.failNext('*', [{ ok: false, error: 'fatal_error' }]);
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'a' }).catch((e: WebAPIPlatformError) => e);
    expect(posted).toMatchObject({ data: { error: 'fatal_error' } });
    expect(slack.messages()).toHaveLength(0);

    const ok = await client.chat.postMessage({ channel: 'C1', text: 'a' });
    await expect(client.chat.update({ channel: 'C1', ts: ok.ts!, text: 'b' })).rejects.toMatchObject({
      data: { error: 'cant_update_message' },
    });
    expect(slack.message('C1', ok.ts!)?.text).toBe('a');
    expect(slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('opens stable DM channels and routes posts to a user id into the DM', async () => {
    const first = await client.conversations.open({ users: 'U0AM1' });
    const again = await client.conversations.open({ users: 'U0AM1' });
    const other = await client.conversations.open({ users: 'U0AM2' });
    expect(first.channel?.id).toMatch(/^D[0-9A-F]{10}$/);
    expect(again.channel?.id).toBe(first.channel?.id);
    expect(other.channel?.id).not.toBe(first.channel?.id);
    expect(slack.dmChannelFor('U0AM1')).toBe(first.channel?.id);

    const posted = await client.chat.postMessage({ channel: 'U0AM1', text: 'psst' });
    expect(posted.channel).toBe(first.channel?.id);
    expect(slack.messages(first.channel!.id!)).toHaveLength(1);
  });

  it('serves users.info from configured users', async () => {
    const res = await client.users.info({ user: 'U0AM1' });
    expect(res.user).toMatchObject({
      id: 'U0AM1',
      name: 'alice',
      real_name: 'Alice Manager',
      profile: { real_name: 'Alice Manager', email: 'alice@example.com' },
    });
    await expect(client.users.info({ user: 'U0NOPE' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    slack.addUser({ id: 'U0NEW', real_name: 'New Person' });
    await expect(client.users.info({ user: 'U0NEW' })).resolves.toMatchObject({ user: { real_name: 'New Person' } });
  });

  it('handles ephemerals, permalinks, views and the generic fallback', async () => {
    const eph = await client.chat.postEphemeral({ channel: 'C1', user: 'U0AM1', text: 'only you' });
    expect(eph.message_ts).toBeTruthy();
    expect(slack.ephemerals('C1')).toEqual([expect.objectContaining({ user: 'U0AM1', text: 'only you' })]);

    const posted = await client.chat.postMessage({ channel: 'C1', text: 'link me' });
    const link = await client.chat.getPermalink({ channel: 'C1', message_ts: posted.ts! });
    expect(link.permalink).toBe(`https://standin.slack.com/archives/C1/p${posted.ts!.replace('.', '')}`);

    const opened = await client.views.open({
      trigger_id: 'trig-1',
      view: {
        type: 'modal',
        callback_id: 'reject_reason',
        private_metadata: '{"requestId":"req-1"}',
        title: { type: 'plain_text', text: 'Reject' },
        blocks: [],
      },
    });
    expect(opened.view).toMatchObject({ callback_id: 'reject_reason', private_metadata: '{"requestId":"req-1"}' });
    const viewId = opened.view!.id!;
    await client.views.update({
      view_id: viewId,
      view: { type: 'modal', callback_id: 'reject_done', title: { type: 'plain_text', text: 'Done' }, blocks: [] },
    });
    expect(slack.views()).toEqual([expect.objectContaining({ id: viewId, callback_id: 'reject_done' })]);
    expect(slack.callsTo('views.open')[0]!.body.view).toMatchObject({ callback_id: 'reject_reason' });

    const reaction = await client.reactions.add({ channel: 'C1', timestamp: posted.ts!, name: 'white_check_mark' });
    expect(reaction.ok).toBe(true);
    expect(slack.callsTo('reactions.add')[0]!.body).toMatchObject({ name: 'white_check_mark' });

    slack.onMethod('conversations.history', () => ({ ok: true, messages: [], has_more: false }));
    await expect(client.conversations.history({ channel: 'C1' })).resolves.toMatchObject({ messages: [] });
  });

  it('accepts JSON bodies with a bearer token', async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C2', text: 'json', blocks: approvalBlocks }),
    });
    const json = (await res.json()) as { ok: boolean; ts: string };
    expect(json.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')[0]).toMatchObject({ encoding: 'json', body: { blocks: approvalBlocks } });
    expect(slack.message('C2', json.ts)?.blocks).toEqual(approvalBlocks);
  });

  it('waitFor resolves with matching calls and times out with a useful message', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: 'C9', text: 'later' }), 30);
    const calls = await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C9', 1000);
    expect(calls).toHaveLength(1);
    await expect(slack.waitFor('chat.delete', 50)).rejects.toThrow(/chat\.delete.*recorded: \[chat\.postMessage\]/);
  });
});

describe('signed inbound requests against a real Bolt App', () => {
  const SECRET = 'test-signing-secret';
  let app: App;
  let server: Server;
  let endpoint: string;
  const seen: Array<{ kind: string; data: unknown }> = [];

  beforeAll(async () => {
    app = new App({
      token: TOKEN,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: fastRetries },
    });
    app.action('approve', async ({ ack, body, action, client: boltClient, respond }) => {
      await ack();
      const b = body as { channel?: { id: string }; message?: { ts: string } };
      seen.push({ kind: 'action', data: action });
      await boltClient.chat.update({ channel: b.channel!.id, ts: b.message!.ts, text: 'Approved' });
      await respond({ text: 'Thanks!', replace_original: false });
    });
    app.view('reject_reason', async ({ ack, view }) => {
      seen.push({ kind: 'view', data: { meta: view.private_metadata, values: view.state.values } });
      await ack();
    });
    app.message(async ({ message, say, context }) => {
      const m = message as { text?: string; ts: string; thread_ts?: string };
      seen.push({
        kind: 'message',
        data: { text: m.text, retryNum: context.retryNum, retryReason: context.retryReason },
      });
      await say({ text: `echo: ${m.text}`, thread_ts: m.thread_ts ?? m.ts });
    });
    server = (await app.start(0)) as Server;
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterEach(() => {
    seen.length = 0;
  });
  afterAll(() => app.stop());

  it("signs like Slack (the test vector from Slack's request-verification docs)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'content-type': 'application/x-www-form-urlencoded',
    });
    const json = '{"type":"event_callback"}';
    const headers = signSlackRequest(SECRET, json);
    expect(headers['content-type']).toBe('application/json');
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body: json,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).not.toThrow();
  });

  it('delivers a block_actions payload; the handler updates the message and responds', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'pending', blocks: approvalBlocks });
    const payload = blockActionPayload({
      userId: 'U0AM1',
      userName: 'alice',
      actionId: 'approve',
      value: 'req-1',
      channelId: 'C0APPROVALS',
      messageTs: posted.ts!,
      blocks: approvalBlocks,
      responseUrl: slack.responseUrl({ channel: 'C0APPROVALS', ts: posted.ts!, user: 'U0AM1' }),
    });
    expect(payload.actions[0]).toMatchObject({ type: 'button', block_id: 'decision', value: 'req-1' });

    const res = await postToBolt(endpoint, SECRET, { body: formBody(payload) });
    expect(res.status).toBe(200);
    await slack.waitFor('response_url', 2000);
    expect(slack.message('C0APPROVALS', posted.ts!)?.text).toBe('Approved');
    expect(slack.ephemerals('C0APPROVALS')).toEqual([expect.objectContaining({ user: 'U0AM1', text: 'Thanks!' })]);
    expect(seen[0]).toMatchObject({ kind: 'action', data: { action_id: 'approve', value: 'req-1' } });
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const payload = blockActionPayload({
      userId: 'U1',
      actionId: 'approve',
      value: 'v',
      channelId: 'C1',
      messageTs: '1.0',
    });
    const bad = await postToBolt(endpoint, SECRET, { body: payload, signWith: 'wrong-secret' });
    expect(bad.status).toBe(401);
    const stale = await postToBolt(endpoint, SECRET, {
      body: payload,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('delivers a view_submission payload', async () => {
    const payload = viewSubmissionPayload({
      userId: 'U0AM1',
      callbackId: 'reject_reason',
      privateMetadata: '{"requestId":"req-1"}',
      values: { reason: { reason_input: { type: 'plain_text_input', value: 'Over budget' } } },
    });
    const res = await postToBolt(endpoint, SECRET, { body: payload });
    expect(res.status).toBe(200);
    expect(seen).toEqual([
      {
        kind: 'view',
        data: {
          meta: '{"requestId":"req-1"}',
          values: { reason: { reason_input: { type: 'plain_text_input', value: 'Over budget' } } },
        },
      },
    ]);
  });

  it('delivers Events API message callbacks with retry headers; say() replies in the thread', async () => {
    const event = messageEvent({ channel: 'C0APPROVALS', user: 'U0AM1', text: 'why?', threadTs: '1700000000.000100' });
    const res = await postToBolt(endpoint, SECRET, {
      body: JSON.stringify(eventCallback(event, { eventId: 'Ev0001' })),
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(res.status).toBe(200);
    const [call] = await slack.waitFor('chat.postMessage', 2000);
    expect(call!.body).toMatchObject({ channel: 'C0APPROVALS', text: 'echo: why?', thread_ts: '1700000000.000100' });
    expect(seen[0]).toMatchObject({ data: { text: 'why?', retryNum: 1, retryReason: 'http_timeout' } });
  });

  it('answers the url_verification challenge', async () => {
    const res = await postToBolt(endpoint, SECRET, { body: urlVerification('abc123') });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'abc123' });
  });
});

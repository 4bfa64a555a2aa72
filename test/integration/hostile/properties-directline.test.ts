/**
 * Property-based: generated hostile input against the self-hosted Direct Line, over HTTP and WebSocket, with the
 * real bot behind it: activities whose every field may be hostile (NULs, lone surrogates, huge, deep, RTL,
 * Markdown, mistyped button values), hostile token requests, paths, ids, watermarks and headers, and hostile
 * upgrade requests and frames. Whatever arrives: no 5xx, an answer within the deadline, the bot never fails a
 * turn ("something went wrong"), and no change to the figures of an account the requests were not entitled to
 * change (the customer's own account may change only through requests; another account never).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { storableText } from '../../../src/shared/text.ts';
import { startTestApp, TEST_DL_SECRET, type TestApp } from '../../helpers/app.ts';
import { ChatClient } from '../../helpers/chat.ts';
import { seedAccount, usageEvent } from '../../helpers/factories.ts';
import {
  fcOptions,
  hostileHeaderValue,
  hostileJson,
  hostileNumber,
  hostilePath,
  hostileReplacement,
  hostileString,
  mutatedBody,
  NUM_RUNS,
  PROPERTY_TIMEOUT_MS,
  storableHostile,
  unstorableString,
} from '../../helpers/hostile.ts';
import { rawRequest, rawUpgrade } from '../../helpers/raw-http.ts';

let app: TestApp;
let customer: { id: string; users: Array<{ id: string; name: string }> };
let victim: { id: string; users: Array<{ id: string; name: string }> };
let chat: ChatClient;
let victimChat: ChatClient;

const figures = async (accountId: string) => {
  const { asOf: _asOf, ...rest } = (await app.api('GET', `/accounts/${accountId}/credit-state`)).body;
  return rest;
};
const activityCount = async (conversationId: string) =>
  (
    await app.services.db.sql<{ n: number }>('SELECT count(*)::int AS n FROM dl_activity WHERE conversation_id = $1', [
      conversationId,
    ])
  ).rows[0]!.n;
const politeErrors = async (conversationId: string) =>
  (
    await app.services.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM dl_activity WHERE conversation_id = $1
          AND (activity->'channelData'->>'error' = 'true' OR activity->>'text' ILIKE '%something went wrong%')`,
      [conversationId],
    )
  ).rows[0]!.n;

beforeAll(async () => {
  app = await startTestApp();
  customer = await seedAccount(app, { users: [{ name: 'Hostile Customer' }] });
  victim = await seedAccount(app, { users: [{ name: 'Victim' }] });
  await app.api('POST', '/usage-events', {
    events: [usageEvent(victim.id, { credits: 77, userId: victim.users[0]!.id })],
  });
  chat = await ChatClient.open(app.url, customer.users[0]!.id);
  victimChat = await ChatClient.open(app.url, victim.users[0]!.id);
  await victimChat.say('hello');
});
afterAll(async () => {
  await app?.close();
});

/** Button values the bot acts on, with hostile fields. */
const hostileButton = fc.record(
  {
    action: fc.oneof(
      fc.constantFrom(
        'ask',
        'buy.start',
        'buy.pick',
        'plan.start',
        'plan.pick',
        'draft.confirm',
        'draft.cancel',
        'request.cancel',
        'request.cancel.confirm',
        'request.cancel.keep',
      ),
      hostileString(3),
    ),
    intent: fc.oneof(fc.constantFrom('balance', 'request_status', 'usage_by_user'), storableHostile),
    kind: fc.oneof(fc.constantFrom('buy_credits', 'change_plan'), storableHostile),
    credits: fc.oneof(hostileNumber, storableHostile),
    packId: storableHostile,
    planId: storableHostile,
    requestId: fc.oneof(fc.uuid(), storableHostile),
    nonce: storableHostile,
  },
  { requiredKeys: ['action'] },
);

const validActivity = {
  type: 'message',
  text: 'how many credits do I have?',
  locale: 'en-US',
  channelData: { clientActivityID: 'a1' },
};

describe('Direct Line under generated hostile input', () => {
  it(
    'activities (HTTP): no 5xx, no hang, no failed turn, another account untouched',
    async () => {
      const victimBefore = await figures(victim.id);
      const victimActivities = await activityCount(victimChat.conversationId);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 4, arbitrary: mutatedBody(validActivity) },
            {
              weight: 3,
              arbitrary: fc
                .tuple(hostileButton, fc.oneof(fc.constant('Confirm'), hostileString(3).map(storableText)))
                .map(([value, text]) => JSON.stringify({ type: 'message', text, value })),
            },
            {
              weight: 3,
              arbitrary: hostileString(8)
                .map(storableText)
                .map((text) => JSON.stringify({ type: 'message', text, locale: 'en-US' })),
            },
            {
              weight: 1,
              arbitrary: fc
                .record(
                  {
                    type: fc.oneof(
                      fc.constantFrom('event', 'message', 'typing', 'invoke', 'messageReaction'),
                      hostileString(2),
                    ),
                    name: fc.oneof(fc.constant('webchat/join'), hostileString(2)),
                    value: hostileJson,
                    channelData: hostileJson,
                    entities: hostileJson,
                    attachments: hostileJson,
                    reactionsAdded: hostileJson,
                  },
                  { requiredKeys: ['type'] },
                )
                .map((a) => JSON.stringify(a)),
            },
          ),
          fc.oneof(
            { weight: 9, arbitrary: fc.constant('application/json') },
            { weight: 1, arbitrary: hostileHeaderValue },
          ),
          async (body, contentType) => {
            const res = await rawRequest(app.url, {
              method: 'POST',
              path: `/v3/directline/conversations/${chat.conversationId}/activities`,
              headers: { authorization: `Bearer ${chat.token}`, 'content-type': contentType },
              body,
            });
            expect(res.status, `${body.slice(0, 200)} → ${res.status} ${res.body.slice(0, 300)}`).toBeLessThan(500);
          },
        ),
        fcOptions(NUM_RUNS * 3),
      );
      expect(await politeErrors(chat.conversationId)).toBe(0);
      expect(await figures(victim.id)).toEqual(victimBefore);
      expect(await activityCount(victimChat.conversationId)).toBe(victimActivities);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'token and conversation requests: hostile user ids, locales, bodies and credentials',
    async () => {
      const victimBefore = await figures(victim.id);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/tokens/generate', '/conversations', '/tokens/refresh'),
          fc.oneof(
            mutatedBody({ user: { id: customer.users[0]!.id }, locale: 'en-US' }),
            fc
              .record({
                user: fc.record({
                  id: fc.oneof(unstorableString, hostileString(), fc.constant(`dl_${customer.users[0]!.id}`)),
                }),
                locale: hostileReplacement,
              })
              .map((b) => JSON.stringify(b)),
          ),
          fc.oneof(fc.constant(`Bearer ${TEST_DL_SECRET}`), fc.constant(`Bearer ${chat.token}`), hostileHeaderValue),
          async (path, body, auth) => {
            const res = await rawRequest(app.url, {
              method: 'POST',
              path: `/v3/directline${path}`,
              headers: { authorization: auth, 'content-type': 'application/json' },
              body,
            });
            expect(res.status, `${path} ${body.slice(0, 200)} → ${res.status} ${res.body.slice(0, 300)}`).toBeLessThan(
              500,
            );
          },
        ),
        fcOptions(NUM_RUNS * 2),
      );
      expect(await figures(victim.id)).toEqual(victimBefore);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'paths, conversation ids and watermarks: malformed percent-encoding, NULs, out of range',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST'),
          hostilePath(
            [
              ['conversations', ':id'],
              ['conversations', ':id', 'activities'],
              ['conversations', ':id', 'upload'],
              ['conversations', ':id', 'stream'],
            ],
            [chat.conversationId, victimChat.conversationId],
          ),
          fc.oneof(
            fc.constantFrom('', '0', '2147483647', '2147483648', '999999999999999', '-1', '1e3', '%00', '%ZZ'),
            fc.nat().map(String),
            hostileString(2).map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, '?'))),
          ),
          fc.constantFrom(`Bearer ${TEST_DL_SECRET}`, `Bearer ${chat.token}`),
          async (method, segments, watermark, auth) => {
            const path = `/v3/directline/${segments.join('/')}?watermark=${watermark}`;
            const res = await rawRequest(app.url, {
              method,
              path,
              headers: { authorization: auth, 'content-type': 'application/json' },
              ...(method === 'POST' ? { body: '{"type":"message","text":"hi"}' } : {}),
            });
            expect(res.status, `${method} ${path} → ${res.status} ${res.body.slice(0, 300)}`).toBeLessThan(500);
          },
        ),
        fcOptions(NUM_RUNS * 2),
      );
      expect(await politeErrors(chat.conversationId)).toBe(0);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'WebSocket upgrades: hostile paths, tokens and watermarks are answered (101 or an error) and refusals closed',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            hostilePath([['v3', 'directline', 'conversations', ':id', 'stream']], [chat.conversationId]).map(
              (s) => `/${s.join('/')}`,
            ),
            fc.constantFrom('/healthz', '/console', '/api/messages', '/slack/events', '/', '*', 'http://[::1'),
          ),
          fc.oneof(
            fc.constant(encodeURIComponent(chat.token)),
            hostileHeaderValue.map(encodeURIComponent),
            fc.constant('%ZZ'),
          ),
          fc.oneof(fc.constantFrom('', '0', '2147483648', '999999999999999', '%00'), fc.nat().map(String)),
          async (path, token, watermark) => {
            const r = await rawUpgrade(app.url, `${path}?t=${token}&watermark=${watermark}`);
            expect(
              r.status === 101 || (r.status >= 400 && r.status < 500),
              `${path} → ${r.response.slice(0, 200)}`,
            ).toBe(true);
            if (r.status !== 101) expect(r.closedAfterMs).toBeLessThan(3_000);
          },
        ),
        fcOptions(NUM_RUNS * 2),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'WebSocket frames: hostile text and binary frames do not break the stream or the server',
    async () => {
      const g = await app.services.db.sql('SELECT 1'); // the server is up
      expect(g.rowCount).toBe(1);
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              hostileString(),
              unstorableString,
              fc.uint8Array({ maxLength: 8_000 }),
              fc.constant('x'.repeat(5_000)),
            ),
            {
              minLength: 1,
              maxLength: 5,
            },
          ),
          async (frames) => {
            const r = await rawRequest(app.url, {
              method: 'GET',
              path: `/v3/directline/conversations/${chat.conversationId}?watermark=`,
              headers: { authorization: `Bearer ${chat.token}` },
            });
            const { streamUrl } = JSON.parse(r.body) as { streamUrl: string };
            const ws = new WebSocket(streamUrl);
            await new Promise<void>((resolve, reject) => {
              ws.once('open', () => resolve());
              ws.once('error', reject);
            });
            for (const f of frames) ws.send(f);
            await new Promise((x) => setTimeout(x, 20));
            ws.terminate();
            // The server still serves: a plain request answers.
            const health = await rawRequest(app.url, { method: 'GET', path: '/healthz' });
            expect(health.status).toBe(200);
          },
        ),
        fcOptions(),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

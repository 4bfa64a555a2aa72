/**
 * Property-based: generated hostile requests to POST /slack/events, signed with the real signing secret (so they
 * reach Bolt and the listeners) and unsigned or forged: interactions, commands, modals and events with hostile
 * shapes and values (NULs, lone surrogates, huge, Markdown, mistyped fields), hostile headers and timestamps.
 * Whatever arrives: no 5xx, an answer within the deadline (and well before Slack's 3 s for signed requests), and
 * no change to an account the requester was not entitled to change: only the account manager may decide, and
 * only the customer's request is ever clicked by them; the other account's request stays pending, its figures
 * unchanged; without a valid signature nothing changes at all.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storableText } from '../../../src/shared/text.ts';
import {
  fcOptions,
  hostileHeaderValue,
  hostileJson,
  hostileNumber,
  hostileString,
  NUM_RUNS,
  PROPERTY_TIMEOUT_MS,
  storableHostile,
  unstorableString,
} from '../../helpers/hostile.ts';
import { rawRequest } from '../../helpers/raw-http.ts';
import {
  confirmPurchase,
  customer,
  MANAGER,
  type RequestsRig,
  SIGNING_SECRET,
  STRANGER,
  startRequestsRig,
} from '../../helpers/requests.ts';

let rig: RequestsRig;
let mine: { accountId: string; requestId: string };
let theirs: { accountId: string; requestId: string };

const figures = async (accountId: string) => {
  const { asOf: _asOf, ...rest } = (await rig.app.api('GET', `/accounts/${accountId}/credit-state`)).body;
  return rest;
};
const statusOf = async (requestId: string) =>
  (
    await rig.app.services.db.sql<{ status: string }>(
      'SELECT status::text AS status FROM change_request WHERE id = $1',
      [requestId],
    )
  ).rows[0]!.status;

async function pendingRequest() {
  const c = await customer(rig);
  await confirmPurchase(c.chat, 350);
  const { rows } = await rig.app.services.db.sql<{ id: string }>(
    'SELECT id FROM change_request WHERE account_id = $1',
    [c.acc.id],
  );
  return { accountId: c.acc.id, requestId: rows[0]!.id };
}

beforeAll(async () => {
  rig = await startRequestsRig();
  mine = await pendingRequest();
  theirs = await pendingRequest();
});
afterAll(async () => {
  await rig?.close();
});

const sign = (body: string, ts: number, secret = SIGNING_SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

const anyValue = fc.oneof(storableHostile, unstorableString, hostileJson);
const userArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ id: STRANGER, name: 'stranger' }) },
  { weight: 1, arbitrary: fc.record({ id: fc.oneof(fc.constant(STRANGER), hostileString(2)), name: anyValue }) },
  { weight: 1, arbitrary: anyValue },
);

/** Interactions, commands, modals and events with hostile fields (the manager only ever on the own request). */
const payloads = (): fc.Arbitrary<{ form: boolean; body: unknown }> =>
  fc.oneof(
    fc
      .record({
        actionId: fc.oneof(fc.constantFrom('request_approve', 'request_reject'), hostileString(2)),
        value: fc.oneof(fc.constant(theirs.requestId), anyValue),
        user: userArb,
        channel: fc.oneof(fc.constant({ id: 'C0X' }), anyValue),
        extra: fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 3 }),
      })
      .map(({ actionId, value, user, channel, extra }) => ({
        form: true,
        body: {
          type: 'block_actions',
          ...extra,
          user,
          team: { id: 'T0STANDIN' },
          channel,
          trigger_id: '1.2.3',
          response_url: rig.slack.responseUrl(),
          actions: [{ action_id: actionId, block_id: 'b', type: 'button', value }],
        },
      })),
    // The manager clicking the own request: may decide it (entitled), with hostile extras.
    fc
      .record({ actionId: fc.constantFrom('request_approve', 'request_reject'), name: anyValue })
      .map(({ actionId, name }) => ({
        form: true,
        body: {
          type: 'block_actions',
          user: { id: MANAGER, name },
          team: { id: 'T0STANDIN' },
          channel: { id: 'C0X' },
          trigger_id: '1.2.3',
          response_url: rig.slack.responseUrl(),
          actions: [{ action_id: actionId, block_id: 'b', type: 'button', value: mine.requestId }],
        },
      })),
    fc
      .record({
        meta: fc.oneof(fc.constant(theirs.requestId), anyValue),
        reason: anyValue,
        user: userArb,
        state: anyValue,
      })
      .map(({ meta, reason, user, state }) => ({
        form: true,
        body: {
          type: 'view_submission',
          user,
          team: { id: 'T0STANDIN' },
          view: {
            callback_id: 'request_reject_reason',
            private_metadata: meta,
            state: state ?? { values: { reason_block: { reason_input: { type: 'plain_text_input', value: reason } } } },
          },
        },
      })),
    fc
      .record({ command: fc.oneof(fc.constant('/credits'), hostileString(2)), text: hostileString() })
      .map(({ command, text }) => ({
        form: false,
        body: new URLSearchParams({
          command: storableText(command),
          text: storableText(text),
          user_id: STRANGER,
          channel_id: 'C0X',
          team_id: 'T0STANDIN',
          response_url: rig.slack.responseUrl(),
        }).toString(),
      })),
    fc
      .record({ event: anyValue, type: fc.oneof(fc.constant('event_callback'), anyValue), authorizations: anyValue })
      .map((b) => ({ form: false, body: JSON.stringify(b) })),
    fc
      .oneof(hostileJson, hostileNumber, hostileString())
      .map((b) => ({ form: false, body: JSON.stringify(b) ?? 'null' })),
  );

const encode = (p: { form: boolean; body: unknown }) => {
  if (!p.form) {
    const text = p.body as string;
    return {
      text,
      contentType: text.startsWith('command=') ? 'application/x-www-form-urlencoded' : 'application/json',
    };
  }
  const json = JSON.stringify(p.body);
  return { text: new URLSearchParams({ payload: json }).toString(), contentType: 'application/x-www-form-urlencoded' };
};

describe('/slack/events under generated hostile input', () => {
  it(
    'signed: no 5xx, answered at once, and only the manager decides only the own request',
    async () => {
      const before = await figures(theirs.accountId);
      await fc.assert(
        fc.asyncProperty(payloads(), fc.integer({ min: -240, max: 240 }), async (payload, skew) => {
          const { text, contentType } = encode(payload);
          const ts = Math.floor(Date.now() / 1000) + skew;
          const res = await rawRequest(rig.app.url, {
            method: 'POST',
            path: '/slack/events',
            headers: {
              'content-type': contentType,
              'x-slack-request-timestamp': String(ts),
              'x-slack-signature': sign(text, ts),
            },
            body: text,
          });
          expect(res.status, `${text.slice(0, 300)} → ${res.status} ${res.body.slice(0, 200)}`).toBeLessThan(500);
          expect(res.ms, `${text.slice(0, 200)} took ${res.ms} ms`).toBeLessThan(2_500);
        }),
        fcOptions(NUM_RUNS * 3),
      );
      expect(await statusOf(theirs.requestId)).toBe('pending');
      expect(await figures(theirs.accountId)).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'unsigned, forged or out-of-window: a 4xx, and nothing changes anywhere',
    async () => {
      const state = async () => [
        await figures(mine.accountId),
        await figures(theirs.accountId),
        await statusOf(mine.requestId),
        await statusOf(theirs.requestId),
      ];
      const before = await state();
      await fc.assert(
        fc.asyncProperty(
          payloads(),
          fc.record({
            signature: fc.oneof(fc.constant('forged'), fc.constant('none'), hostileHeaderValue),
            timestamp: fc.oneof(
              fc.integer({ min: -1_000_000, max: 1_000_000 }).map((d) => String(Math.floor(Date.now() / 1000) + d)),
              hostileHeaderValue,
            ),
            outOfWindow: fc.integer({ min: 301, max: 10 ** 7 }).chain((d) => fc.constantFrom(d, -d)),
            contentEncoding: fc.option(hostileHeaderValue, { nil: undefined }),
          }),
          async (payload, h) => {
            const { text, contentType } = encode(payload);
            const late = Math.floor(Date.now() / 1000) + h.outOfWindow;
            const headers: Record<string, string> = {
              'content-type': contentType,
              ...(h.contentEncoding !== undefined ? { 'content-encoding': h.contentEncoding } : {}),
            };
            if (h.signature === 'forged') {
              headers['x-slack-request-timestamp'] = h.timestamp;
              headers['x-slack-signature'] = sign(text, Number(h.timestamp) || 0, 'not-the-secret');
            } else if (h.signature === 'none') {
              // valid signature, but for a timestamp more than 5 minutes away (past or future)
              headers['x-slack-request-timestamp'] = String(late);
              headers['x-slack-signature'] = sign(text, late);
            } else {
              headers['x-slack-request-timestamp'] = h.timestamp;
              headers['x-slack-signature'] = h.signature;
            }
            const res = await rawRequest(rig.app.url, { method: 'POST', path: '/slack/events', headers, body: text });
            expect(res.status, `${JSON.stringify(headers)} → ${res.status}`).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
          },
        ),
        fcOptions(NUM_RUNS * 2),
      );
      expect(await state()).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

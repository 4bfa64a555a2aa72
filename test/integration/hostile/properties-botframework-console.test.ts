/**
 * Property-based: generated hostile input against POST /api/messages (Bot Framework channels, the real bot,
 * replies to a Bot Connector stand-in) and the support console (hostile cookies, forms, paths and headers).
 * Whatever arrives: no 5xx, an answer within the deadline, the bot never fails a turn, and no change to the
 * figures of an account the requests were not entitled to change.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/console/auth.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedAccount, uid, usageEvent } from '../../helpers/factories.ts';
import {
  fcOptions,
  hostileCookie,
  hostileHeaderValue,
  hostilePath,
  hostileString,
  mutatedBody,
  NUM_RUNS,
  PROPERTY_TIMEOUT_MS,
  storableHostile,
} from '../../helpers/hostile.ts';
import { rawRequest } from '../../helpers/raw-http.ts';
import { type ConnectorStandin, startConnectorStandin } from '../../standins/connector.ts';

let app: TestApp;
let connector: ConnectorStandin;
let customer: { id: string; users: Array<{ id: string; name: string }> };
let victim: { id: string; users: Array<{ id: string; name: string }> };

const figures = async (accountId: string) => {
  const { asOf: _asOf, ...rest } = (await app.api('GET', `/accounts/${accountId}/credit-state`)).body;
  return rest;
};

beforeAll(async () => {
  app = await startTestApp({ ownDatabase: true }); // operators and login counts of its own
  connector = await startConnectorStandin();
  customer = await seedAccount(app, { users: [{ name: 'Teams Customer' }] });
  victim = await seedAccount(app, { users: [{ name: 'Victim' }] });
  await app.api('POST', '/usage-events', {
    events: [usageEvent(victim.id, { credits: 99, userId: victim.users[0]!.id })],
  });
  await app.services.db.sql(`INSERT INTO operator (email, name, password_hash) VALUES ($1, 'Op', $2)`, [
    'op@example.com',
    await hashPassword('right password'),
  ]);
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

describe('/api/messages under generated hostile input', () => {
  it(
    'activities: no 5xx, no hang, no failed turn, another account untouched',
    async () => {
      const before = await figures(victim.id);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 3, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), storableHostile, { maxKeys: 3 }) },
          ),
          fc.oneof(fc.constant('how many credits do I have?'), hostileString(6)),
          fc.constantFrom('msteams', 'webchat', 'directline', 'emulator'),
          fc.nat(),
          async (value, text, channelId, n) => {
            const valid = connector.inboundActivity({
              conversationId: uid('conv'),
              text: 'hi',
              fromId: customer.users[0]!.id,
              channelId,
              ...(value ? { value } : {}),
            });
            // Mutate anything but where replies go: the bot answers the connector stand-in, never another address.
            const mutated = fc.sample(mutatedBody({ ...valid, text }), { numRuns: 1, seed: n })[0]!;
            let body = mutated;
            try {
              const parsed = JSON.parse(mutated) as unknown;
              if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
                body = JSON.stringify({ ...parsed, serviceUrl: connector.url });
              }
            } catch {
              // not JSON: sent as is
            }
            const res = await rawRequest(app.url, {
              method: 'POST',
              path: '/api/messages',
              headers: { 'content-type': 'application/json' },
              body,
            });
            expect(res.status, `${body.slice(0, 300)} → ${res.status} ${res.body.slice(0, 200)}`).toBeLessThan(500);
          },
        ),
        fcOptions(NUM_RUNS * 4),
      );
      const failed = connector.replies().filter((r) => /something went wrong/i.test(String(r.text ?? '')));
      expect(failed.map((r) => r.text)).toEqual([]);
      expect(await figures(victim.id)).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('the console under generated hostile input', () => {
  it(
    'cookies, forms, paths and headers: no 5xx, no hang, no account changed',
    async () => {
      const before = [await figures(customer.id), await figures(victim.id)];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST'),
          hostilePath(
            [
              ['console'],
              ['console', 'login'],
              ['console', 'logout'],
              ['console', 'requests', ':id', 'approve'],
              ['console', 'requests', ':id', 'reject'],
              ['console', 'queues', 'api', 'queues'],
            ],
            ['00000000-0000-0000-0000-000000000000', 'x'],
          ),
          hostileCookie,
          fc.record({
            csrf: fc.oneof(fc.constant('x'), hostileString(2)),
            email: fc.oneof(fc.constant('op@example.com'), hostileString(3)),
            password: fc.oneof(fc.constant('right password'), hostileString(3)),
            reason: hostileString(),
          }),
          fc.oneof(fc.constant('application/x-www-form-urlencoded'), hostileHeaderValue),
          fc.option(hostileHeaderValue, { nil: undefined }),
          async (method, segments, cookie, form, contentType, contentEncoding) => {
            const body = new URLSearchParams(
              Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.replace(/\p{Cs}/gu, '\uFFFD')])),
            ).toString();
            const path = `/${segments.join('/')}`;
            const res = await rawRequest(app.url, {
              method,
              path,
              headers: {
                cookie,
                'content-type': contentType,
                ...(contentEncoding !== undefined ? { 'content-encoding': contentEncoding } : {}),
              },
              ...(method === 'POST' ? { body } : {}),
            });
            expect(
              res.status,
              `${method} ${path} cookie=${cookie} → ${res.status} ${res.body.slice(0, 200)}`,
            ).toBeLessThan(500);
          },
        ),
        fcOptions(NUM_RUNS * 2),
      );
      expect([await figures(customer.id), await figures(victim.id)]).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

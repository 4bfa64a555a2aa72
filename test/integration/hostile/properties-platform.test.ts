/**
 * Property-based: generated hostile requests against every route of the platform API (bodies with NULs, lone
 * surrogates, huge, deep or mistyped values, numbers outside every range, hostile paths, query strings and
 * headers). Whatever arrives: no 5xx, an answer within the deadline, and no change to the figures of an account
 * the requests were not entitled to change (a victim account no request names; every account when the key is wrong).
 * A request that gets no answer within 5 s fails the property as a hang (rawRequest's deadline).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_API_KEY, type TestApp } from '../../helpers/app.ts';
import { seedAccount, uid, usageEvent } from '../../helpers/factories.ts';
import {
  fcOptions,
  hostileHeaderValue,
  hostilePath,
  hostilePathSegment,
  mutatedBody,
  NUM_RUNS,
  PROPERTY_TIMEOUT_MS,
  replaceAt,
  stringPathsOf,
  unstorableString,
} from '../../helpers/hostile.ts';
import { rawRequest } from '../../helpers/raw-http.ts';

let app: TestApp;
let target: string;
let victim: string;

/** The credit state without its timestamp, to compare before and after. */
async function figures(accountId: string) {
  const r = await app.api('GET', `/accounts/${accountId}/credit-state`);
  expect(r.status).toBe(200);
  const { asOf: _asOf, ...rest } = r.body as Record<string, unknown>;
  return rest;
}

beforeAll(async () => {
  app = await startTestApp({ ownDatabase: true }); // the catalog (plans, packs) is global: keep it to this file
  target = (await seedAccount(app, { users: [{ id: `usr_t_${uid('x')}`, name: 'Target' }] })).id;
  const v = await seedAccount(app, { id: `victim_${uid('v')}`, users: [{ name: 'Victim' }] });
  victim = v.id;
  await app.api('POST', '/usage-events', { events: [usageEvent(victim, { credits: 1234, userId: v.users[0]!.id })] });
  await app.api('POST', '/credit-grants', { id: uid('g'), accountId: victim, kind: 'addon', credits: 500 });
});
afterAll(async () => {
  await app?.close();
});

const now = () => new Date().toISOString();
const plan = () => ({
  name: 'Growth',
  monthlyCredits: 10_000,
  price: { amount: 44_900, currency: 'EUR' },
  identities: 5,
});

/** Each route with a valid body for the target account (which the generated requests may change). */
const routes: Array<{ method: string; path: () => string; body: () => unknown }> = [
  {
    method: 'PUT',
    path: () => `/accounts/${target}`,
    body: () => ({
      name: 'T',
      plan: plan(),
      timeZone: 'Europe/Madrid',
      locale: 'es',
      topUpDay: 1,
      accountManager: { slackUserId: 'U0MANAGER', name: 'M', email: 'm@example.com' },
    }),
  },
  { method: 'PUT', path: () => `/accounts/${uid('acc')}`, body: () => ({ name: 'New', plan: plan() }) },
  {
    method: 'PUT',
    path: () => `/accounts/${target}/users/${uid('u')}`,
    body: () => ({ name: 'U', email: 'u@example.com', locale: 'en' }),
  },
  { method: 'PUT', path: () => `/accounts/${target}/identities/${uid('i')}`, body: () => ({ name: 'I' }) },
  {
    method: 'POST',
    path: () => '/usage-events',
    body: () => ({
      events: [{ id: uid('e'), accountId: target, userId: 'u1', type: 'enrichment', credits: 3, occurredAt: now() }],
    }),
  },
  {
    method: 'POST',
    path: () => '/conversation-events',
    body: () => ({
      events: [
        { id: uid('c'), accountId: target, identityId: 'i1', campaignId: 'c1', campaignName: 'C', occurredAt: now() },
      ],
    }),
  },
  {
    method: 'POST',
    path: () => '/credit-grants',
    body: () => ({ id: uid('g'), accountId: target, kind: 'addon', credits: 5, reason: 'r' }),
  },
  { method: 'PUT', path: () => `/plans/${uid('p')}`, body: plan },
  {
    method: 'PUT',
    path: () => `/credit-packs/${uid('k')}`,
    body: () => ({ credits: 1000, price: { amount: 5900, currency: 'EUR' } }),
  },
  { method: 'GET', path: () => `/accounts/${target}/credit-state`, body: () => undefined },
  { method: 'GET', path: () => `/accounts/${target}/usage?groupBy=type`, body: () => undefined },
  { method: 'GET', path: () => `/accounts/${target}/forecast`, body: () => undefined },
];

const headersArb = fc.record({
  contentType: fc.oneof(fc.constant('application/json'), hostileHeaderValue),
  contentEncoding: fc.option(hostileHeaderValue, { nil: undefined }),
  auth: fc.oneof(
    { weight: 5, arbitrary: fc.constant(`Bearer ${TEST_API_KEY}`) },
    { weight: 1, arbitrary: hostileHeaderValue },
  ),
});

describe('platform API under generated hostile input', () => {
  it(
    'bodies and headers: no 5xx, no hang, the victim account unchanged (and nothing changed without the key)',
    async () => {
      const before = await figures(victim);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes.keys()).chain((i) => {
            const valid = routes[i]!.body();
            return fc.tuple(
              fc.constant(i),
              valid === undefined ? fc.constant(undefined) : mutatedBody(valid),
              headersArb,
            );
          }),
          async ([i, body, h]) => {
            const route = routes[i]!;
            const authorized = h.auth === `Bearer ${TEST_API_KEY}`;
            const targetBefore = authorized ? undefined : await figures(target);
            const res = await rawRequest(app.url, {
              method: route.method,
              path: `/api/platform${route.path()}`,
              headers: {
                authorization: h.auth,
                ...(body !== undefined ? { 'content-type': h.contentType } : {}),
                ...(h.contentEncoding !== undefined ? { 'content-encoding': h.contentEncoding } : {}),
              },
              ...(body !== undefined ? { body } : {}),
            });
            expect(
              res.status,
              `${route.method} ${route.path()} → ${res.status} ${res.body.slice(0, 300)}`,
            ).toBeLessThan(500);
            if (!authorized) {
              expect(res.status).toBe(401);
              expect(await figures(target)).toEqual(targetBefore);
            }
          },
        ),
        fcOptions(NUM_RUNS * 3),
      );
      expect(await figures(victim)).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'every text field: a value PostgreSQL cannot store is a 400 naming the field, and writes nothing',
    async () => {
      const before = await figures(victim);
      const targetBefore = await figures(target);
      const writes = routes.filter((r) => r.method !== 'GET');
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat(), unstorableString, async (r, f, bad) => {
          const route = writes[r % writes.length]!;
          const valid = route.body();
          const paths = stringPathsOf(valid);
          const path = paths[f % paths.length]!;
          const res = await app.api(route.method, route.path(), JSON.stringify(replaceAt(valid, path, bad)));
          expect(res.status, `${route.path()} ${path.join('.')} → ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.error.message).toContain(String(path.at(-1)));
        }),
        fcOptions(),
      );
      expect(await figures(victim)).toEqual(before);
      expect(await figures(target)).toEqual(targetBefore);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'paths and query strings: malformed percent-encoding, NULs, traversal, huge and out-of-range values',
    async () => {
      const before = await figures(victim);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
          hostilePath(
            [
              ['accounts', ':id', 'credit-state'],
              ['accounts', ':id', 'usage'],
              ['accounts', ':id', 'forecast'],
              ['accounts', ':id'],
              ['accounts', ':id', 'users', ':id'],
              ['accounts', ':id', 'identities', ':id'],
              ['plans', ':id'],
              ['credit-packs', ':id'],
              ['usage-events'],
            ],
            [target, 'usr_x', 'plan_x'],
          ),
          fc.array(
            fc.tuple(
              fc.constantFrom('groupBy', 'from', 'to', 'type', 'userId', 'identityId', 'campaignId', 'metric', 'x'),
              fc.oneof(
                hostilePathSegment,
                fc.constantFrom('day', 'type', 'user', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z'),
              ),
            ),
            { maxLength: 4 },
          ),
          async (method, segments, query) => {
            const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
            const res = await rawRequest(app.url, {
              method,
              path: `/api/platform/${segments.join('/')}${qs ? `?${qs}` : ''}`,
              headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
              ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
            });
            expect(
              res.status,
              `${method} ${segments.join('/')}?${qs} → ${res.status} ${res.body.slice(0, 300)}`,
            ).toBeLessThan(500);
          },
        ),
        fcOptions(),
      );
      expect(await figures(victim)).toEqual(before);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

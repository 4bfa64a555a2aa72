/**
 * The OpenAPI 3.1 document of the platform API: valid, public, one operation per route of the router, and the
 * documented answers are what the real endpoints answer (checked with the same zod schemas it is built from).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/platform-api/openapi.ts';
import * as responses from '../../src/platform-api/responses.ts';
import { createPlatformApi } from '../../src/platform-api/router.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { conversationEvent, seedAccount, uid, usageEvent } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('GET /api/platform/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served without the API key', async () => {
    const res = await fetch(`${app.url}/api/platform/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The account's low-credit thresholds, as the router validates them.
    const put = (doc.paths as Record<string, any>)['/accounts/{accountId}'].put;
    const alerts = put.requestBody.content['application/json'].schema.properties.alerts.anyOf[0];
    expect(alerts.properties.thresholds).toMatchObject({
      type: 'array',
      maxItems: 5,
      items: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    });
  });

  it('documents every route of the router, and nothing else', () => {
    const s = app.services;
    const router = createPlatformApi({ db: s.db, clock: s.clock, credits: s.credits, apiKey: 'x' }) as unknown as {
      stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
    };
    const routed = router.stack
      .filter((l) => l.route && l.route.path !== '/openapi.json')
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m} ${l.route!.path}`))
      .sort();
    expect(routed).toEqual(operations.map((o) => `${o.method} ${o.path}`).sort());
  });

  it('describes what the endpoints really answer', async () => {
    const acc = await seedAccount(app, { users: [{ name: 'Ana' }] });
    const userId = acc.users[0]!.id;
    const check = (schema: { parse(v: unknown): unknown }, body: unknown) =>
      expect(() => schema.parse(body)).not.toThrow();

    const state = await app.api('GET', `/accounts/${acc.id}/credit-state`);
    check(responses.creditState, state.body);
    const withAlerts = await app.api('PUT', `/accounts/${acc.id}`, {
      name: 'Alerts',
      plan: { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 },
      alerts: { thresholds: [0.3] },
    });
    expect(withAlerts.status).toBe(200);
    check(responses.creditState, withAlerts.body);
    expect(withAlerts.body.alerts).toEqual({ thresholds: [0.3] });
    const ingest = await app.api('POST', '/usage-events', { events: [usageEvent(acc.id, { userId })] });
    check(responses.ingestResult, ingest.body);
    const convs = await app.api('POST', '/conversation-events', {
      events: [conversationEvent(acc.id, { identityId: 'idn_1' })],
    });
    check(responses.ingestResult, convs.body);
    const grant = await app.api('POST', '/credit-grants', {
      id: uid('grt'),
      accountId: acc.id,
      kind: 'addon',
      credits: 100,
    });
    expect(grant.status).toBe(201);
    check(responses.grantResult, grant.body);
    check(
      responses.identityResult,
      (await app.api('PUT', `/accounts/${acc.id}/identities/idn_1`, { name: 'Ana · LinkedIn' })).body,
    );
    check(responses.userResult, (await app.api('PUT', `/accounts/${acc.id}/users/${userId}`, { name: 'Ana B' })).body);
    for (const groupBy of ['type', 'user', 'day', 'identity', 'campaign']) {
      const usage = await app.api('GET', `/accounts/${acc.id}/usage?groupBy=${groupBy}`);
      expect(usage.status).toBe(200);
      check(responses.usageResult, usage.body);
    }
    check(responses.forecast, (await app.api('GET', `/accounts/${acc.id}/forecast`)).body);
    const bad = await app.api('GET', `/accounts/${acc.id}/usage?groupBy=nope`);
    expect(bad.status).toBe(400);
    check(responses.errorResponse, bad.body);
  });
});

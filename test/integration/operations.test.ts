/**
 * Operations: /readyz (database, Redis, every migration applied) apart from /healthz; /metrics with the queues,
 * failed jobs, SLA breaches, alerts sent and open escalations; request logs with request and conversation ids and
 * without message bodies or credentials.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/infra/migrate.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestApp, TEST_API_KEY, TEST_DL_SECRET, type TestApp } from '../helpers/app.ts';
import { ChatClient } from '../helpers/chat.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccount, usageEvent } from '../helpers/factories.ts';
import { freePort } from '../helpers/processes.ts';
import { sleep } from '../helpers/requests.ts';

const migrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** One value of a series in the Prometheus text format (undefined when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /readyz', () => {
  it('answers 200 when the database, Redis and every migration are there', async () => {
    const app = await startTestApp();
    try {
      const r = await getJson(`${app.url}/readyz`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        status: 'ready',
        postgres: 'up',
        redis: 'up',
        migrations: 'applied',
        problems: [],
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming the migrations a database has not applied (liveness stays 200)', async () => {
    const bare = await freshDatabase({ migrate: false }); // created, never migrated
    const app = await startTestApp({ env: { DATABASE_URL: bare.url } });
    try {
      const empty = await getJson(`${app.url}/readyz`);
      expect(empty.status).toBe(503);
      expect(empty.body).toMatchObject({ status: 'unavailable', postgres: 'up', redis: 'up', migrations: 'pending' });
      expect(empty.body.pendingMigrations).toEqual(migrations);
      expect((empty.body.problems as string[]).join()).toContain(`migrations: not applied: ${migrations.join(', ')}`);
      expect((await getJson(`${app.url}/healthz`)).status).toBe(200);

      await applyMigrations(bare.url);
      expect((await getJson(`${app.url}/readyz`)).status).toBe(200);

      // The newest migration missing (a deploy ahead of its database).
      const last = migrations.at(-1)!;
      await app.services.db.sql('DELETE FROM _prisma_migrations WHERE migration_name = $1', [last]);
      const behind = await getJson(`${app.url}/readyz`);
      expect(behind.status).toBe(503);
      expect(behind.body.pendingMigrations).toEqual([last]);
    } finally {
      await app.close();
      await bare.drop();
    }
  });

  it('answers 503 naming Redis when it does not answer', async () => {
    const app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    try {
      const r = await getJson(`${app.url}/readyz`);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ status: 'unavailable', postgres: 'up', redis: 'down', migrations: 'applied' });
      expect(r.body.problems).toEqual(['redis: not answering']);
    } finally {
      await app.close();
    }
  });
});

describe('GET /metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ workers: true, ownDatabase: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('exposes queue depth and age, failed jobs, SLA breaches, alerts sent and open escalations', async () => {
    const s = app.services;
    // An alert: 8,500 of 10,000 used (below 20 %), told to the account's user.
    const acc = await seedAccount(app, { users: [{ name: 'Ana' }] });
    await app.api('POST', '/usage-events', {
      events: [usageEvent(acc.id, { userId: acc.users[0]!.id, credits: 8_500 })],
    });
    // A job that fails for good (its payload is not what the catalog says).
    await s.queues.requests.add('v1.requests.sla-check', { requestId: 'not-a-uuid' }, { attempts: 1 });
    // Two jobs waiting on a paused queue.
    await s.queues.platform.pause();
    await s.queues.platform.add('v1.platform.request-approved', { requestId: randomUUID() }, { attempts: 1 });
    await s.queues.platform.add('v1.platform.request-approved', { requestId: randomUUID() }, { attempts: 1 });
    // A request past its SLA.
    await s.db.prisma.changeRequest.create({
      data: {
        accountId: acc.id,
        requesterUserId: acc.users[0]!.id,
        kind: 'buy_credits',
        credits: 500,
        currentPlan: { name: 'Growth' },
        priceAmount: 2_245,
        priceCurrency: 'EUR',
        slaDueAt: new Date(Date.now() - 60_000),
      },
    });

    // One customer waiting for a person.
    await s.escalations.open(
      { accountId: acc.id, userId: acc.users[0]!.id, conversationId: 'conv-metrics' },
      { reason: 'asked_for_person' },
    );

    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await (await fetch(`${app.url}/metrics`)).text();
      const sent = sample(text, 'creditbot_credit_alerts_sent_total', { threshold: '0.2', recipient: 'customer' });
      const failed = sample(text, 'creditbot_queue_failed_jobs', { queue: 'requests' });
      if (sent === 1 && failed === 1) break;
      await sleep(100);
    }
    await sleep(1_100);
    text = await (await fetch(`${app.url}/metrics`)).text();
    expect(sample(text, 'creditbot_credit_alerts_sent_total', { threshold: '0.2', recipient: 'customer' })).toBe(1);
    expect(sample(text, 'creditbot_queue_failed_jobs', { queue: 'requests' })).toBe(1);
    expect(sample(text, 'creditbot_queue_failed_jobs', { queue: 'chat' })).toBe(0);
    expect(sample(text, 'creditbot_queue_depth', { queue: 'platform' })).toBe(2);
    expect(sample(text, 'creditbot_queue_depth', { queue: 'chat' })).toBe(0);
    expect(sample(text, 'creditbot_queue_oldest_job_age_seconds', { queue: 'platform' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'creditbot_queue_oldest_job_age_seconds', { queue: 'platform' })).toBeLessThan(60);
    expect(sample(text, 'creditbot_queue_oldest_job_age_seconds', { queue: 'slack' })).toBe(0);
    expect(sample(text, 'creditbot_requests_past_sla')).toBe(1);
    expect(sample(text, 'creditbot_escalations_open')).toBe(1);
    expect(
      sample(text, 'creditbot_job_duration_seconds_count', { job: 'v1.credits.evaluate-alerts', outcome: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
    await s.queues.platform.resume();
  }, 30_000);
});

describe('request logs', () => {
  it('carry request and conversation ids, and no message text, API key, secret or token', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await startTestApp({ logger: createLogger({ level: 'trace', destination }) });
    try {
      const phrase = `my card is 4242-${randomUUID().slice(0, 8)}`;
      const put = await fetch(`${app.url}/api/platform/accounts/acc_logs_${randomUUID().slice(0, 6)}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${TEST_API_KEY}`,
          'content-type': 'application/json',
          'x-request-id': 'care-req-0001',
        },
        body: JSON.stringify({ name: 'x', plan: { name: phrase, monthlyCredits: -1 } }),
      });
      expect(put.status).toBe(400);
      expect(put.headers.get('x-request-id')).toBe('care-req-0001');
      // A session cookie and a credential in the query string stay out of the request line.
      await fetch(`${app.url}/console/login?token=query-secret-77`, {
        headers: { cookie: 'cb_session=cookie-secret-88' },
      });
      const insane = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'x'.repeat(300) } });
      expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      const acc = await seedAccount(app, { users: [{ name: 'Ana' }] });
      const chat = await ChatClient.open(app.url, acc.users[0]!.id);
      await chat.join('help');
      const replies = await chat.say(phrase);
      expect(replies.length).toBeGreaterThan(0);
      await sleep(200);

      const out = lines.join('');
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(out).not.toContain(phrase);
      expect(out).not.toContain('4242-');
      expect(out).not.toContain(TEST_API_KEY);
      expect(out).not.toContain(TEST_DL_SECRET);
      expect(out).not.toContain(chat.token);
      expect(out).not.toContain('query-secret-77');
      expect(out).not.toContain('cookie-secret-88');
      expect(out).toContain('/console/login?token=[redacted]');
      expect(
        parsed.some((l) => l.reqId === 'care-req-0001'),
        out,
      ).toBe(true);
      const dl = parsed.filter((l) => l.conversationId === chat.conversationId);
      expect(dl.length, out).toBeGreaterThan(0);
      expect(dl.every((l) => typeof l.reqId === 'string')).toBe(true);
    } finally {
      await app.close();
    }
  });
});

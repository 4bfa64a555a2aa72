/**
 * Faults around requests: Redis away while a customer confirms, a worker killed mid-job, Slack answering
 * 429 then 500s, the platform webhook endpoint down. Each time the request gets through, once.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { TEST_API_KEY, TEST_DL_SECRET } from '../helpers/app.ts';
import { textOf } from '../helpers/chat.ts';
import { startRedis, startWorkerProcess } from '../helpers/processes.ts';
import {
  approvalMessage,
  click,
  confirmPurchase,
  customer,
  MANAGER,
  SIGNING_SECRET,
  sleep,
  startRequestsRig,
  verifyWebhook,
  WEBHOOK_SECRET,
} from '../helpers/requests.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe('faults', () => {
  it('keeps a request confirmed while Redis is down, and queues it when Redis returns', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.close());
    const rig = await startRequestsRig({ REDIS_URL: redis.url });
    cleanups.push(() => rig.close());
    const { chat } = await customer(rig);

    await redis.stop();
    const started = Date.now();
    const ref = await confirmPurchase(chat, 640); // the chat answers from PostgreSQL alone
    expect(Date.now() - started).toBeLessThan(5_000); // producers fail fast: nothing blocks on Redis
    const pending = await rig.app.services.db.sql(
      `SELECT o.job_name FROM outbox o WHERE o.relayed_at IS NULL AND o.payload->>'requestId' IN (SELECT id::text FROM change_request WHERE idempotency_key LIKE $1)`,
      [`${chat.conversationId}%`],
    );
    expect(pending.rows.map((r) => r.job_name)).toContain('v1.requests.notify-approver');
    const health = await fetch(`${rig.app.url}/healthz`);
    expect(health.status).toBe(503);

    await sleep(1_000);
    await redis.start();
    const post = await approvalMessage(rig.slack, ref, 20_000);
    expect(post.body.channel).toBe(rig.slack.dmChannelFor(MANAGER));
    expect((await fetch(`${rig.app.url}/healthz`)).status).toBe(200);
  });

  it('recovers a job whose worker was killed with SIGKILL mid-job; its side effects happen once', async () => {
    const prefix = `test-${randomUUID()}`;
    const rig = await startRequestsRig({ REDIS_PREFIX: prefix });
    cleanups.push(() => rig.close());
    // This rig's in-process workers stop; separate worker processes do the work from here on.
    await rig.app.worker?.close();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: rig.databaseUrl,
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: prefix,
      PLATFORM_API_KEY: TEST_API_KEY,
      DIRECT_LINE_SECRET: TEST_DL_SECRET,
      SLACK_BOT_TOKEN: rig.slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: rig.slack.apiUrl,
      PLATFORM_WEBHOOK_URL: `${rig.webhook.url}/hooks/credits`,
      PLATFORM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      JOB_LOCK_MS: '2000',
    };
    const first = startWorkerProcess(env);
    cleanups.push(() => first.kill());
    await first.ready();

    const { acc, chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 910);
    const post = await approvalMessage(rig.slack, ref, 20_000);
    rig.webhook.setDelay(10_000); // the platform is slow: the webhook job is in flight...
    await click(rig, post, 'request_approve', MANAGER);
    await rig.webhook.waitFor(1, 20_000);
    await first.kill('SIGKILL'); // ...when its worker dies
    rig.webhook.setDelay(0);

    const second = startWorkerProcess(env);
    cleanups.push(() => second.kill());
    await second.ready();
    const accepted = await rig.webhook.waitFor(1, 30_000, { onlyAccepted: true });
    verifyWebhook(accepted[0]!);
    await chat.waitFor(/approved by Carla Manager/, 20_000);
    await sleep(2_500);

    // Once: one grant, one decision, one approval message, one customer message, one idempotency key.
    const db = rig.app.services.db;
    expect((await db.sql('SELECT id FROM credit_grant WHERE account_id = $1', [acc.id])).rows).toHaveLength(1);
    const keys = new Set(
      rig.webhook.deliveries
        .filter((d) => JSON.stringify(d.json).includes(ref))
        .map((d) => d.headers['idempotency-key']),
    );
    expect(keys.size).toBe(1);
    const posts = rig.slack
      .callsTo('chat.postMessage')
      .filter((c) => !c.faulted && JSON.stringify(c.body.blocks ?? '').includes(ref));
    expect(posts).toHaveLength(1);
    const notes = await db.sql(
      `SELECT count(*)::int AS n FROM dl_activity WHERE conversation_id = $1 AND activity->>'text' LIKE '%approved by%'`,
      [chat.conversationId],
    );
    expect(notes.rows[0]).toEqual({ n: 1 });
    const done = await db.sql('SELECT key FROM side_effect WHERE key = $1', [
      `webhook:${(await db.sql('SELECT id FROM change_request WHERE account_id = $1', [acc.id])).rows[0]!.id}`,
    ]);
    expect(done.rows).toHaveLength(1);
  }, 120_000);

  it('retries Slack after a 429 with Retry-After and then 500s, and posts once', async () => {
    const rig = await startRequestsRig();
    cleanups.push(() => rig.close());
    const { chat } = await customer(rig);
    rig.slack.failNext('chat.postMessage', [
      { status: 429, retryAfter: 1 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 503 },
    ]);
    const ref = await confirmPurchase(chat, 250);
    const post = await approvalMessage(rig.slack, ref, 30_000);
    expect(post.faulted).toBe(false);
    const faulted = rig.slack.callsTo('chat.postMessage').filter((c) => c.faulted);
    expect(faulted.map((c) => c.response.status)).toEqual([429, 500, 500, 500, 503]);
    await sleep(1_500);
    const delivered = rig.slack.messages().filter((m) => JSON.stringify(m.blocks ?? '').includes(ref));
    expect(delivered).toHaveLength(1);
  }, 60_000);

  it('delivers the platform webhook once the endpoint is back, exactly once', async () => {
    const rig = await startRequestsRig();
    cleanups.push(() => rig.close());
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 120);
    const post = await approvalMessage(rig.slack, ref);
    await rig.webhook.goOffline();
    await click(rig, post, 'request_approve', MANAGER);
    await chat.waitFor(/approved/);
    await sleep(2_500); // a few refused attempts
    expect(rig.webhook.deliveries.filter((d) => JSON.stringify(d.json).includes(ref))).toHaveLength(0);
    await rig.webhook.comeOnline();
    const [d] = await rig.webhook.waitFor(1, 40_000, { onlyAccepted: true });
    verifyWebhook(d!);
    await sleep(1_000);
    expect(rig.webhook.deliveries.filter((x) => JSON.stringify(x.json).includes(ref))).toHaveLength(1);
    expect(textOf(await chat.say('status of my requests'))).toMatch(/approved/);
  }, 90_000);
});

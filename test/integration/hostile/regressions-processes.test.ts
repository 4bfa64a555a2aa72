/**
 * Regression tests with real worker processes: a worker killed in the middle of posting an approval to Slack
 * is followed by the approval within 10 s of a worker being available (the default JOB_LOCK_MS), and a worker
 * asked to stop while the Slack API does not answer exits within seconds, leaving its job to the next worker.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { TEST_API_KEY, TEST_DL_SECRET } from '../../helpers/app.ts';
import { startWorkerProcess } from '../../helpers/processes.ts';
import {
  approvalMessage,
  confirmPurchase,
  customer,
  type RequestsRig,
  SIGNING_SECRET,
  startRequestsRig,
  WEBHOOK_SECRET,
} from '../../helpers/requests.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A rig whose in-process workers are stopped: worker processes (default JOB_LOCK_MS) do the jobs. */
async function rigWithWorkerProcesses() {
  const prefix = `test-${randomUUID()}`;
  const rig: RequestsRig = await startRequestsRig({ REDIS_PREFIX: prefix });
  cleanups.push(() => rig.close());
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
    JOB_LOCK_MS: undefined, // the default
  };
  const worker = async () => {
    const w = startWorkerProcess(env);
    cleanups.push(() => w.kill());
    await w.ready();
    return w;
  };
  return { rig, worker };
}

const approvalsOf = (rig: RequestsRig, ref: string) =>
  rig.slack.callsTo('chat.postMessage').filter((c) => !c.faulted && JSON.stringify(c.body.blocks ?? '').includes(ref));

describe('recovery and shutdown', () => {
  it('a worker killed while posting an approval to Slack: the approval follows within 10 s of a worker being available', async () => {
    const { rig, worker } = await rigWithWorkerProcesses();
    rig.slack.hold('chat.postMessage');
    const first = await worker();
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 777);
    await until(() => rig.slack.held('chat.postMessage') === 1, 20_000, 'the approval post to reach Slack');
    await first.kill('SIGKILL'); // mid-post: Slack never answered, the job holds its lock
    const died = Date.now();
    rig.slack.release('chat.postMessage');

    await worker();
    const available = Date.now();
    const post = await approvalMessage(rig.slack, ref, 20_000);
    const recoveryMs = post.at - available;
    console.log(
      `[recovery] approval posted ${recoveryMs} ms after a worker was available again, ${post.at - died} ms after the first died (default JOB_LOCK_MS)`,
    );
    expect(recoveryMs).toBeLessThan(10_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(approvalsOf(rig, ref)).toHaveLength(1);
  }, 90_000);

  it('SIGTERM while the Slack API does not answer: the worker exits within seconds and the next one posts the approval', async () => {
    const { rig, worker } = await rigWithWorkerProcesses();
    rig.slack.hold('chat.postMessage');
    const first = await worker();
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 555);
    await until(() => rig.slack.held('chat.postMessage') === 1, 20_000, 'the approval post to reach Slack');

    const t0 = Date.now();
    await first.kill('SIGTERM');
    const shutdownMs = Date.now() - t0;
    console.log(`[shutdown] worker stopped ${shutdownMs} ms after SIGTERM with Slack unreachable`);
    expect(shutdownMs).toBeLessThan(6_000);
    expect(first.child.exitCode).toBe(0);

    rig.slack.release('chat.postMessage');
    await worker();
    await approvalMessage(rig.slack, ref, 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(approvalsOf(rig, ref)).toHaveLength(1);
  }, 90_000);
});

/**
 * Escalations across processes: two web processes and a worker share one conversation (the customer on one,
 * Slack's events on the other, deliveries by the worker), and a worker killed while posting to the thread sends
 * nothing twice once another takes over.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startTestApp, TEST_API_KEY, TEST_DL_SECRET } from '../helpers/app.ts';
import { ChatClient } from '../helpers/chat.ts';
import { askForPerson, reply, sendEvent, threadRoot, waitForMessages } from '../helpers/escalations.ts';
import { seedAccount } from '../helpers/factories.ts';
import { startWorkerProcess } from '../helpers/processes.ts';
import { customer, MANAGER, SIGNING_SECRET, sleep, startRequestsRig } from '../helpers/requests.ts';
import { startSlackStandin } from '../standins/slack.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe('escalations across processes', () => {
  it('shares a conversation between two web processes and a worker', async () => {
    const slack = await startSlackStandin();
    cleanups.push(() => slack.close());
    const env = {
      REDIS_PREFIX: `test-${randomUUID()}`,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    const webA = await startTestApp({ ownDatabase: true, env });
    cleanups.push(() => webA.close());
    const shared = { ...env, DATABASE_URL: webA.databaseUrl };
    const webB = await startTestApp({ env: shared });
    cleanups.push(() => webB.close());
    const worker = await startTestApp({ env: shared, workers: true });
    cleanups.push(() => worker.close());

    const acc = await seedAccount(webA, {
      accountManager: { slackUserId: MANAGER, name: 'Carla Manager' },
      users: [{ name: 'Pau Customer' }],
    });
    const chat = await ChatClient.open(webA.url, acc.users[0]!.id);
    await askForPerson(chat);
    const root = await threadRoot({ app: worker, slack }, acc.id, 20_000);
    await chat.say('first from the customer');
    // Slack's events arrive at the other web process.
    for (let i = 1; i <= 5; i++) {
      expect((await sendEvent({ app: webB }, reply(root, MANAGER, `reply ${i} from Carla`))).status).toBe(200);
    }
    const got = await waitForMessages(chat, /reply \d from Carla/, 5, 20_000);
    expect(got.map((m) => m.text)).toEqual([1, 2, 3, 4, 5].map((i) => `**Carla Manager:** reply ${i} from Carla`));
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.text === 'first from the customer', 10_000);
    // The customer continues on the other web process: the conversation is the same.
    const tokenOnB = new ChatClient(webB.url, chat.conversationId, chat.token);
    await tokenOnB.say('second, through the other process');
    await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.text === 'second, through the other process',
      10_000,
    );
    const mirrored = slack
      .callsTo('chat.postMessage')
      .filter((c) => c.body.thread_ts === root.ts && !c.faulted)
      .map((c) => c.body.text);
    expect(mirrored).toEqual(['first from the customer', 'second, through the other process']);
  }, 90_000);

  it('posts nothing twice when a worker dies in the middle of posting to the thread', async () => {
    const prefix = `test-${randomUUID()}`;
    const rig = await startRequestsRig({ REDIS_PREFIX: prefix });
    cleanups.push(() => rig.close());
    await rig.app.worker?.close(); // separate worker processes do the work from here on
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
      JOB_LOCK_MS: '2000',
    };
    const first = startWorkerProcess(env);
    cleanups.push(() => first.kill());
    await first.ready();

    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id, 20_000);
    // Slack posts the customer's message but its answer is slow: the worker dies waiting for it.
    rig.slack.setDelay('chat.postMessage', 10_000);
    await chat.say('the message that must arrive once');
    await rig.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.text === 'the message that must arrive once',
      20_000,
    );
    await first.kill('SIGKILL');
    rig.slack.setDelay('chat.postMessage', 0);

    const second = startWorkerProcess(env);
    cleanups.push(() => second.kill());
    await second.ready();
    const escalations = rig.app.services.escalations;
    const deadline = Date.now() + 40_000;
    for (;;) {
      const [m] = (await escalations.messages(root.escalationId)).filter((x) => x.direction === 'customer');
      if (m?.mirroredAt) break;
      if (Date.now() > deadline) throw new Error('the message was never recorded as mirrored');
      await sleep(200);
    }
    const inThread = rig.slack
      .messages(root.channel)
      .filter((m) => m.thread_ts === root.ts && m.text === 'the message that must arrive once');
    expect(inThread).toHaveLength(1);
    const [m] = (await escalations.messages(root.escalationId)).filter((x) => x.direction === 'customer');
    expect(m!.slackTs).toBe(inThread[0]!.ts);
  }, 120_000);
});

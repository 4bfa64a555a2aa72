/** SLA: a request with no decision by its deadline reminds the manager and tells the support channel, once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalMessage,
  confirmPurchase,
  customer,
  type RequestsRig,
  sleep,
  startRequestsRig,
} from '../helpers/requests.ts';

let rig: RequestsRig;
beforeAll(async () => {
  // 0.001 business hours (3.6 s), business hours all day every day, so the test runs at any time.
  rig = await startRequestsRig({ SLA_HOURS: '0.001', SLA_BUSINESS_HOURS: '00:00-23:59', SLA_BUSINESS_DAYS: '1-7' });
});
afterAll(async () => {
  await rig?.close();
});

describe('SLA', () => {
  it('reminds the manager in the request thread and tells the support channel', async () => {
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 500);
    const post = await approvalMessage(rig.slack, ref);
    const ts = (post.response.body as { ts: string }).ts;
    const [reminder] = await rig.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts,
      20_000,
    );
    expect(String(reminder!.body.text)).toMatch(new RegExp(`Reminder: .*${ref}`));
    const [support] = await rig.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'C0SUPPORT',
      5_000,
    );
    expect(String(support!.body.text)).toMatch(new RegExp(`SLA breached: .*${ref}`));
    await sleep(1_000);
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === ts)).toHaveLength(1);
  }, 40_000);

  it('does not remind about a request decided in time', async () => {
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 200);
    await approvalMessage(rig.slack, ref);
    await chat.press(await chat.say('cancel my request'), /^Yes, cancel/);
    await sleep(6_000);
    expect(
      rig.slack
        .callsTo('chat.postMessage')
        .filter((c) => String(c.body.text ?? '').includes(`SLA breached: `) && String(c.body.text).includes(ref)),
    ).toHaveLength(0);
  }, 20_000);
});

/**
 * Plan-change and buy-credits requests, end to end on the real PostgreSQL, Redis and BullMQ: confirmed in
 * the chat, sent to the account manager's Slack DM (a Slack Web API stand-in on loopback), decided with
 * signed button clicks, applied to the ledger exactly once, told to the customer, and sent to the platform
 * as a signed webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/chat.ts';
import {
  APPROVER,
  approvalMessage,
  click,
  confirmPurchase,
  customer,
  MANAGER,
  type RequestsRig,
  SIGNING_SECRET,
  STRANGER,
  sleep,
  startRequestsRig,
  verifyWebhook,
} from '../helpers/requests.ts';
import { formBody, postToBolt, viewSubmissionPayload } from '../standins/slack.ts';

let rig: RequestsRig;
beforeAll(async () => {
  rig = await startRequestsRig();
});
afterAll(async () => {
  await rig?.close();
});

const balanceOf = async (accountId: string) =>
  (await rig.app.api('GET', `/accounts/${accountId}/credit-state`)).body.credits.balance as number;

describe('Buy More approved in Slack', () => {
  it('goes from chat to the manager DM to the ledger, the customer and the platform', async () => {
    const { acc, chat } = await customer(rig);
    const before = await balanceOf(acc.id);
    const ref = await confirmPurchase(chat, 2_500);

    const post = await approvalMessage(rig.slack, ref);
    expect(post.body.channel).toBe(rig.slack.dmChannelFor(MANAGER)); // a DM to the account manager
    const blocksText = JSON.stringify(post.body.blocks);
    for (const part of [
      'Approve',
      'Reject',
      acc.id,
      'Quim Client',
      '2,500 credits',
      'Balance',
      'Burn rate',
      'Current plan',
      'Growth',
    ]) {
      expect(blocksText).toContain(part);
    }

    const res = await click(rig, post, 'request_approve', MANAGER);
    expect(res.status).toBe(200);

    const note = await chat.waitFor(/approved by Carla Manager/);
    expect(note.text).toContain(ref);
    expect(await balanceOf(acc.id)).toBe(before + 2_500);

    const response = post.response.body as { channel: string; ts: string };
    const [update] = await rig.slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === response.ts, 10_000);
    expect(JSON.stringify(update!.body.blocks)).toMatch(new RegExp(`Approved\\* by <@${MANAGER}>`));

    const [delivery] = await rig.webhook.waitFor(1, 10_000, { onlyAccepted: true });
    verifyWebhook(delivery!);
    expect(delivery!.json).toMatchObject({
      event: 'request.approved',
      reference: ref,
      accountId: acc.id,
      kind: 'buy_credits',
      credits: 2_500,
    });

    const status = textOf(await chat.say("what's the status of my request?"));
    expect(status).toContain(`${ref}`);
    expect(status).toMatch(/approved/);
  });

  it('rejects with a reason from the modal; the customer reads the reason and nothing is granted', async () => {
    const { acc, chat } = await customer(rig);
    const before = await balanceOf(acc.id);
    const ref = await confirmPurchase(chat, 1_200);
    const post = await approvalMessage(rig.slack, ref);
    expect((await click(rig, post, 'request_reject', MANAGER)).status).toBe(200);
    const [open] = await rig.slack.waitFor(
      (c) => c.method === 'views.open' && JSON.stringify(c.body.view).includes(ref),
      5_000,
    );
    const view = open!.body.view as { private_metadata: string; callback_id: string };

    // An empty reason is refused by the modal itself.
    const empty = viewSubmissionPayload({
      userId: MANAGER,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { reason_block: { reason_input: { type: 'plain_text_input', value: '  ' } } },
    });
    const refused = await postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, { body: empty });
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.text)).toMatchObject({ response_action: 'errors' });

    const submit = viewSubmissionPayload({
      userId: MANAGER,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: {
        reason_block: {
          reason_input: { type: 'plain_text_input', value: 'You still have 10,000 credits until the top-up.' },
        },
      },
    });
    expect((await postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, { body: submit })).status).toBe(200);
    const note = await chat.waitFor(/not approved/);
    expect(note.text).toContain('You still have 10,000 credits until the top-up.');
    expect(await balanceOf(acc.id)).toBe(before);
    const response = post.response.body as { ts: string };
    const [update] = await rig.slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === response.ts, 5_000);
    expect(JSON.stringify(update!.body.blocks)).toContain('Rejected');
  });

  it("tells a stranger they can't decide, and changes nothing; a configured approver can", async () => {
    const { acc, chat } = await customer(rig);
    const before = await balanceOf(acc.id);
    const ref = await confirmPurchase(chat, 300);
    const post = await approvalMessage(rig.slack, ref);
    expect((await click(rig, post, 'request_approve', STRANGER)).status).toBe(200);
    const [eph] = await rig.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === STRANGER, 5_000);
    expect(String(eph!.body.text)).toMatch(/Only the account manager \(Carla Manager\) or a configured approver/);
    await sleep(300);
    expect(await balanceOf(acc.id)).toBe(before);
    expect(textOf(await chat.say('status of my requests'))).toMatch(new RegExp(`${ref}.*pending`));

    await click(rig, post, 'request_approve', APPROVER);
    await chat.waitFor(/approved/);
    expect(await balanceOf(acc.id)).toBe(before + 300);
  });

  it('gives exactly one grant and one webhook for 50 concurrent Approve clicks plus 3 retried deliveries', async () => {
    const { acc, chat } = await customer(rig);
    const before = await balanceOf(acc.id);
    const ref = await confirmPurchase(chat, 777);
    const post = await approvalMessage(rig.slack, ref);
    const deliveriesBefore = rig.webhook.deliveries.filter((d) => JSON.stringify(d.json).includes(ref)).length;
    const clicks = [
      ...Array.from({ length: 50 }, () => click(rig, post, 'request_approve', MANAGER)),
      ...[1, 2, 3].map((n) => click(rig, post, 'request_approve', MANAGER, { retryNum: n })),
    ];
    const results = await Promise.all(clicks);
    expect(results.every((r) => r.status === 200)).toBe(true);
    await chat.waitFor(/approved/);
    await sleep(1_500); // give duplicates every chance to show up
    expect(await balanceOf(acc.id)).toBe(before + 777);
    const grants = await rig.app.services.db.sql('SELECT id FROM credit_grant WHERE account_id = $1', [acc.id]);
    expect(grants.rows).toHaveLength(1);
    const decisions = await rig.app.services.db.sql(
      'SELECT d.* FROM request_decision d JOIN change_request r ON r.id = d.request_id WHERE r.account_id = $1',
      [acc.id],
    );
    expect(decisions.rows).toHaveLength(1);
    const hooks = rig.webhook.deliveries.filter((d) => JSON.stringify(d.json).includes(ref));
    expect(hooks.length - deliveriesBefore).toBe(1);
    const notes = (
      await rig.app.services.db.sql(
        `SELECT count(*)::int AS n FROM dl_activity WHERE conversation_id = $1 AND activity->>'text' LIKE '%approved by%'`,
        [chat.conversationId],
      )
    ).rows[0] as { n: number };
    expect(notes.n).toBe(1);
  });
});

describe('plan changes', () => {
  it('applies an upgrade at once with a prorated grant, and says so', async () => {
    const { acc, chat } = await customer(rig);
    const start = await chat.say('I want to upgrade my plan');
    const quote = await chat.press(start, /^Scale/);
    expect(textOf(quote)).toMatch(/takes effect as soon as it's approved/);
    const confirmed = await chat.press(quote, /Confirm/);
    const ref = /\*\*(R-[0-9A-F]{6})\*\*/.exec(textOf(confirmed))![1]!;
    const post = await approvalMessage(rig.slack, ref);
    await click(rig, post, 'request_approve', MANAGER);
    await chat.waitFor(/approved by Carla Manager and is active now/);
    const s = (await rig.app.api('GET', `/accounts/${acc.id}/credit-state`)).body;
    expect(s.plan).toMatchObject({ name: 'Scale', monthlyCredits: 25_000 });
    const prorated = s.grants.find((g: { kind: string }) => g.kind === 'adjustment');
    expect(prorated.credits).toBeGreaterThan(0);
    expect(prorated.credits).toBeLessThanOrEqual(15_000);
  });

  it('schedules a downgrade for the next top-up', async () => {
    const { acc, chat } = await customer(rig);
    const start = await chat.say('I want to downgrade my plan');
    const quote = await chat.press(start, /^Starter/);
    expect(textOf(quote)).toMatch(/takes effect at the next top-up/);
    const confirmed = await chat.press(quote, /Confirm/);
    const ref = /\*\*(R-[0-9A-F]{6})\*\*/.exec(textOf(confirmed))![1]!;
    await click(rig, await approvalMessage(rig.slack, ref), 'request_approve', MANAGER);
    await chat.waitFor(/takes effect at the top-up/);
    const s = (await rig.app.api('GET', `/accounts/${acc.id}/credit-state`)).body;
    expect(s.plan.name).toBe('Growth');
    expect(s.scheduledPlan).toMatchObject({ name: 'Starter', effectiveFrom: s.nextTopUpAt });
  });

  it('lets the customer cancel a pending request, and the Slack message says so', async () => {
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 400);
    const post = await approvalMessage(rig.slack, ref);
    const asked = await chat.say('cancel my request'); // names the request and asks to confirm
    expect(textOf(asked)).toContain(`Cancel request **${ref}**`);
    const cancelled = await chat.press(asked, /^Yes, cancel/);
    expect(textOf(cancelled)).toContain(`${ref}** is cancelled`);
    const response = post.response.body as { ts: string };
    const [update] = await rig.slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === response.ts, 5_000);
    expect(JSON.stringify(update!.body.blocks)).toContain('Cancelled');
    await click(rig, post, 'request_approve', MANAGER);
    const [eph] = await rig.slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && String(c.body.text).includes(ref),
      5_000,
    );
    expect(String(eph!.body.text)).toMatch(/already cancelled/);
  });
});

describe('Slack request verification', () => {
  it('answers 401 to a forged signature and to a 10-minute-old one, and changes nothing', async () => {
    const { acc, chat } = await customer(rig);
    const before = await balanceOf(acc.id);
    const ref = await confirmPurchase(chat, 100);
    const post = await approvalMessage(rig.slack, ref);
    const response = post.response.body as { channel: string; ts: string };
    const body = formBody({
      type: 'block_actions',
      user: { id: MANAGER, name: 'carla' },
      actions: [{ action_id: 'request_approve', value: 'x', type: 'button' }],
      channel: { id: response.channel },
      container: { message_ts: response.ts },
    });
    const forged = await postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, {
      body,
      signWith: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const old = await postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, {
      body,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(old.status).toBe(401);
    const unsigned = await fetch(`${rig.app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await balanceOf(acc.id)).toBe(before);
  });
});

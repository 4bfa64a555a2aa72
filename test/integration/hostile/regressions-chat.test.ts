/**
 * Regression tests for the chat findings of the hostile-input review, through Direct Line, the bot, PostgreSQL,
 * Redis, the workers and the Slack stand-in: names and other parties' text never become Markdown in the
 * customer's chat; changing a request always names it and asks first; hand-made button values get clear answers.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotMessage, ChatClient, textOf } from '../../helpers/chat.ts';
import { seedAccount } from '../../helpers/factories.ts';
import {
  APPROVER,
  approvalMessage,
  click,
  confirmPurchase,
  customer,
  MANAGER,
  type RequestsRig,
  SIGNING_SECRET,
  startRequestsRig,
} from '../../helpers/requests.ts';
import { postToBolt, viewSubmissionPayload } from '../../standins/slack.ts';

// Web Chat renders bot messages with markdown-it and these options (botframework-webchat's renderMarkdown).
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (
  o: Record<string, unknown>,
) => { render(s: string): string };
const webChat = new MarkdownIt({ breaks: false, html: true, linkify: true, typographer: true, xhtmlOut: true });
const visible = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');

let rig: RequestsRig;
beforeAll(async () => {
  rig = await startRequestsRig();
});
afterAll(async () => {
  await rig?.close();
});

const EVIL = {
  manager: '[Call me](https://evil.example/x)',
  email: 'x@evil.example',
  user: '![t](https://tracker.example/p.png)',
  identity: '<img src=https://tracker.example/i.png>',
  campaign: 'www.evil.example',
  plan: '**Free** [upgrade](javascript:alert(1))',
  reason: 'See <https://evil.example> or ![x](https://tracker.example/r.png)',
  decider: '[Boss](https://evil.example)',
};

/** Every reply as Web Chat shows it: no link, image or raw HTML, and the text says what the names say. */
function expectInert(replies: BotMessage[], names: string[]) {
  // Message activities (a hand-over also sends Bot Framework's handoff.initiate event, which has no text).
  const html = replies
    .filter((r) => typeof r.text === 'string')
    .map((r) => webChat.render(r.text))
    .join('\n');
  expect(html).not.toMatch(/<a[\s>]|<img[\s/>]|<script|<h\d/);
  const shown = visible(html);
  for (const n of names) expect(shown, `${n} in ${shown}`).toContain(n);
}

describe('names and text from other parties are escaped wherever they enter Markdown', () => {
  it('user, manager, identity, campaign, plan, decider names and a rejection reason show as written, never as links or images', async () => {
    await rig.app.api('PUT', '/plans/plan_evil', {
      name: EVIL.plan,
      monthlyCredits: 50_000,
      price: { amount: 150_000, currency: 'EUR' },
      identities: 20,
    });
    const acc = await seedAccount(rig.app, {
      monthlyCredits: 10_000,
      accountManager: { slackUserId: MANAGER, name: EVIL.manager, email: EVIL.email },
      users: [{ name: EVIL.user }],
    });
    const userId = acc.users[0]!.id;
    await rig.app.api('PUT', `/accounts/${acc.id}`, {
      name: `Account ${acc.id}`,
      plan: {
        id: 'plan_growth',
        name: 'Growth',
        monthlyCredits: 10_000,
        price: { amount: 44_900, currency: 'EUR' },
        identities: 5,
      },
      accountManager: { slackUserId: MANAGER, name: EVIL.manager, email: EVIL.email },
    });
    await rig.app.api('PUT', `/accounts/${acc.id}/identities/idn_evil`, { name: EVIL.identity });
    const now = new Date().toISOString();
    await rig.app.api('POST', '/conversation-events', {
      events: [
        {
          id: `cv_${acc.id}`,
          accountId: acc.id,
          identityId: 'idn_evil',
          campaignId: 'cmp_evil',
          campaignName: EVIL.campaign,
          occurredAt: now,
        },
      ],
    });
    await rig.app.api('POST', '/usage-events', {
      events: [{ id: `ev_${acc.id}`, accountId: acc.id, userId, type: 'enrichment', credits: 40, occurredAt: now }],
    });

    const chat = await ChatClient.open(rig.app.url, userId);
    expectInert(await chat.join('help'), [EVIL.user]);
    const handedOver = await chat.say('I want to talk to my account manager');
    expectInert(handedOver, [EVIL.manager, EVIL.email]);
    // Back to the assistant (a person now holds the conversation otherwise, and the bot stays quiet).
    expectInert(await chat.press(handedOver, /Back to the assistant/), []);
    expectInert(await chat.say('conversations by identity'), [EVIL.identity, EVIL.campaign]);
    expectInert(await chat.say('who used the most credits?'), [EVIL.user]);
    const plans = await chat.say('I want to change my plan');
    expectInert(plans, [EVIL.plan]);
    expectInert(await chat.press(plans, /^\*\*Free/), [EVIL.plan]);

    // A rejection by an approver whose Slack name is hostile, with a hostile reason.
    const ref = await confirmPurchase(chat, 1_000);
    const post = await approvalMessage(rig.slack, ref);
    await click(rig, post, 'request_reject', APPROVER);
    const [open] = await rig.slack.waitFor(
      (c) => c.method === 'views.open' && JSON.stringify(c.body.view).includes(ref),
      5_000,
    );
    const view = open!.body.view as { private_metadata: string; callback_id: string };
    const submit = viewSubmissionPayload({
      userId: APPROVER,
      userName: EVIL.decider,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { reason_block: { reason_input: { type: 'plain_text_input', value: EVIL.reason } } },
    });
    expect((await postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, { body: submit })).status).toBe(200);
    const note = await chat.waitFor(/not approved/);
    expectInert([note], [EVIL.decider, EVIL.reason]);
    expectInert(await chat.say('status of my requests'), [EVIL.decider, EVIL.reason]);
  });
});

const statusOf = async (reference: string) => {
  const { rows } = await rig.app.services.db.sql<{ id: string; status: string }>(
    'SELECT id, status::text AS status FROM change_request',
  );
  return rows.find((r) => `R-${r.id.replaceAll('-', '').slice(0, 6).toUpperCase()}` === reference)?.status;
};

describe('actions that change a request name it and ask first', () => {
  it('"cancel request <any id>" never cancels the real pending request: an unknown id gets a clear answer', async () => {
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 410);
    const other = await customer(rig);
    const otherRef = await confirmPurchase(other.chat, 420);
    for (const typed of [
      'cancel request R-000000',
      'cancel request 12345',
      `cancel request ${otherRef}`,
      'cancel request #a1b2',
    ]) {
      const reply = textOf(await chat.say(typed));
      expect(reply).toMatch(/I can't find request .* among your requests, so I haven't cancelled anything/);
      expect(await statusOf(ref)).toBe('pending');
      expect(await statusOf(otherRef)).toBe('pending');
    }
    // Its own reference, typed: named and asked, not cancelled yet.
    const asked = await chat.say(`please cancel request ${ref}`);
    expect(textOf(asked)).toContain(`Cancel request **${ref}**`);
    expect(await statusOf(ref)).toBe('pending');
    expect(textOf(await chat.say('no thanks'))).toContain(`**${ref}** stays with your account manager`);
    expect(await statusOf(ref)).toBe('pending');
  });

  it('"cancel my request" with one pending request names it and asks; "yes" cancels that one', async () => {
    const { chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 430);
    const asked = await chat.say('cancel my request');
    expect(textOf(asked)).toMatch(new RegExp(`Cancel request \\*\\*${ref}\\*\\* \\(430 credits`));
    expect(asked.flatMap((r) => r.suggestedActions?.actions ?? []).map((a) => a.title)).toEqual([
      `Yes, cancel ${ref}`,
      'No, keep it',
    ]);
    expect(await statusOf(ref)).toBe('pending');
    expect(textOf(await chat.say('yes'))).toContain(`${ref}** is cancelled`);
    expect(await statusOf(ref)).toBe('cancelled');
  });

  it('with several pending requests the bot asks which, then names the one picked and asks to confirm', async () => {
    const { chat } = await customer(rig);
    const a = await confirmPurchase(chat, 440);
    const b = await confirmPurchase(chat, 450);
    const which = await chat.say('cancel my request');
    expect(textOf(which)).toMatch(/Which one should I cancel\?/);
    expect(await statusOf(a)).toBe('pending');
    expect(await statusOf(b)).toBe('pending');
    const asked = await chat.press(which, new RegExp(`^${b}`));
    expect(textOf(asked)).toContain(`Cancel request **${b}**`);
    const done = await chat.press(asked, /^Yes, cancel/);
    expect(textOf(done)).toContain(`${b}** is cancelled`);
    expect(await statusOf(a)).toBe('pending');
    expect(await statusOf(b)).toBe('cancelled');
  });

  it('the Cancel button carries the request id; a hand-made one with another id gets a clear answer and changes nothing', async () => {
    const { chat } = await customer(rig);
    const mine = await confirmPurchase(chat, 460);
    const other = await customer(rig);
    const theirs = await confirmPurchase(other.chat, 470);
    const { rows } = await rig.app.services.db.sql<{ id: string }>('SELECT id FROM change_request');
    const theirId = rows.find((r) => `R-${r.id.replaceAll('-', '').slice(0, 6).toUpperCase()}` === theirs)!.id;
    for (const value of [
      { action: 'request.cancel', requestId: theirId },
      { action: 'request.cancel', requestId: '00000000-0000-0000-0000-000000000000' },
      { action: 'request.cancel', requestId: 42 },
    ]) {
      const reply = textOf(await chat.say('Cancel', value));
      expect(reply).toMatch(/I can't find request\s+among your requests, so I haven't cancelled anything/);
    }
    const forced = textOf(await chat.say('Yes', { action: 'request.cancel.confirm', requestId: theirId }));
    expect(forced).toMatch(/I can't find that request on your account/);
    expect(await statusOf(theirs)).toBe('pending');
    expect(await statusOf(mine)).toBe('pending');
  });
});

describe('hand-made button values get a clear answer, never "something went wrong"', () => {
  it.each([
    ['a huge amount', { action: 'draft.confirm', kind: 'buy_credits', credits: 1e15, nonce: 'n1' }],
    ['a negative amount', { action: 'draft.confirm', kind: 'buy_credits', credits: -5, nonce: 'n2' }],
    ['zero', { action: 'draft.confirm', kind: 'buy_credits', credits: 0, nonce: 'n3' }],
    ['a fraction', { action: 'draft.confirm', kind: 'buy_credits', credits: 1.5, nonce: 'n4' }],
    ['a string', { action: 'draft.confirm', kind: 'buy_credits', credits: '5000', nonce: 'n5' }],
    ['beyond 32 bits', { action: 'draft.confirm', kind: 'buy_credits', credits: 2 ** 31, nonce: 'n6' }],
    ['a huge pick', { action: 'buy.pick', credits: 1e12 }],
    ['an unknown plan', { action: 'draft.confirm', kind: 'change_plan', planId: 'plan_nope', nonce: 'n7' }],
  ])('%s', async (_name, value) => {
    const { acc, chat } = await customer(rig);
    const reply = textOf(await chat.say('Confirm request', value));
    expect(reply).not.toMatch(/something went wrong/i);
    expect(reply).toMatch(/between 1 and 10,000,000|couldn't send that request|whole number of credits|Which plan/);
    const { rows } = await rig.app.services.db.sql('SELECT id FROM change_request WHERE account_id = $1', [acc.id]);
    expect(rows).toHaveLength(0);
  });
});

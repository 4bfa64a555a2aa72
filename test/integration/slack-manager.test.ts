/**
 * Slack for account managers, through the real /slack/events endpoint (Bolt behind the edge), PostgreSQL, Redis,
 * BullMQ and the Slack stand-in: the App Home published on `app_home_opened` and refreshed by the jobs the
 * domain enqueues when something in it changes (a decision, a claim); `/credits <account>` answered to managers
 * and approvers, refused to strangers, an unknown account answered clearly.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDITS_NOT_YOURS, CREDITS_REFUSED } from '../../src/slack/credits-answer.ts';
import { askForPerson, sendEvent, threadRoot } from '../helpers/escalations.ts';
import { seedAccount, usageEvent } from '../helpers/factories.ts';
import {
  APPROVER,
  approvalMessage,
  confirmPurchase,
  customer,
  MANAGER,
  type RequestsRig,
  SIGNING_SECRET,
  STRANGER,
  startRequestsRig,
} from '../helpers/requests.ts';
import { postToBolt, type SlackCall, type SlackView } from '../standins/slack.ts';

let rig: RequestsRig;
beforeAll(async () => {
  rig = await startRequestsRig({ ESCALATION_SLA_MINUTES: '60' });
});
afterAll(async () => {
  await rig?.close();
});

const events = () => `${rig.app.url}/slack/events`;

/** The `views.publish` calls for a user, optionally only those whose blocks satisfy `test`. */
const publishes = (user: string) =>
  rig.slack.callsTo('views.publish').filter((c) => !c.faulted && c.body.user_id === user);

async function published(user: string, test: (blocksJson: string) => boolean, after = 0): Promise<SlackCall> {
  const [call] = await rig.slack.waitFor(
    (c) =>
      c.method === 'views.publish' &&
      !c.faulted &&
      c.body.user_id === user &&
      c.at >= after &&
      test(JSON.stringify((c.body.view as { blocks?: unknown }).blocks ?? [])),
    15_000,
  );
  return call!;
}

const appHomeOpened = (user: string) =>
  sendEvent(rig, {
    type: 'app_home_opened',
    user,
    channel: `D${randomBytes(4).toString('hex').toUpperCase()}`,
    tab: 'home',
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  });

type Block = { type: string; block_id?: string; elements?: Array<{ action_id?: string; value?: string }> };
const buttons = (view: { blocks: unknown[] }) =>
  (view.blocks as Block[]).flatMap((b) =>
    b.type === 'actions'
      ? (b.elements ?? []).map((e) => ({ block: b.block_id, action: e.action_id, value: e.value }))
      : [],
  );

/** A click on a button of a Home tab, as Slack sends it (a `view` container, no channel, no message). */
function homeClick(view: SlackView, user: string, actionId: string, value: string) {
  const block = (view.blocks as Block[]).find((b) =>
    b.elements?.some((e) => e.action_id === actionId && e.value === value),
  );
  if (!block) throw new Error(`no ${actionId} button for ${value} on the Home tab`);
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0STANDIN' },
    api_app_id: 'A0STANDIN',
    token: 'standin-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: `${Date.now()}.1.${randomBytes(8).toString('hex')}`,
    team: { id: 'T0STANDIN', domain: 'standin' },
    enterprise: null,
    is_enterprise_install: false,
    view,
    actions: [
      {
        type: 'button',
        block_id: block.block_id,
        action_id: actionId,
        text: { type: 'plain_text', text: actionId },
        value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return postToBolt(events(), SIGNING_SECRET, { body: payload });
}

function slash(user: string, text: string) {
  return postToBolt(events(), SIGNING_SECRET, {
    body: new URLSearchParams({
      command: '/credits',
      text,
      user_id: user,
      user_name: user.toLowerCase(),
      channel_id: 'C0SOMEWHERE',
      team_id: 'T0STANDIN',
      response_url: rig.slack.responseUrl({ user }),
      trigger_id: `${Date.now()}.2.${randomBytes(4).toString('hex')}`,
    }).toString(),
  });
}

async function timedSlash(user: string, text: string) {
  const t0 = Date.now();
  const r = await slash(user, text);
  const ms = Date.now() - t0;
  expect(r.status).toBe(200);
  expect(ms).toBeLessThan(3_000); // Slack's deadline for the ack
  const body = JSON.parse(r.text) as { response_type: string; text: string; blocks?: unknown[] };
  expect(body.response_type).toBe('ephemeral');
  return { ...body, all: `${body.text}\n${JSON.stringify(body.blocks ?? [])}` };
}

describe('App Home', () => {
  it('is published on app_home_opened, also when nothing waits', async () => {
    const quiet = 'U0QUIETMGR1';
    await seedAccount(rig.app, { accountManager: { slackUserId: quiet, name: 'Quiet Manager' } });
    const before = publishes(quiet).length;
    const t0 = Date.now();
    const r = await appHomeOpened(quiet);
    expect(r.status).toBe(200);
    const call = await published(quiet, (b) => b.includes('Nothing is waiting for your decision'), t0);
    expect(publishes(quiet).length).toBeGreaterThan(before);
    const view = call.body.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    // The Messages tab is not the Home: nothing is published for it.
    const n = publishes(quiet).length;
    await sendEvent(rig, {
      type: 'app_home_opened',
      user: quiet,
      channel: 'D0QUIET',
      tab: 'messages',
      event_ts: '1.2',
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(publishes(quiet).length).toBe(n);
  });

  it("lists the manager's pending requests and open escalations with the messages' buttons; refreshed after a decision and a claim", async () => {
    // A request and an escalation of two customers of MANAGER's accounts.
    const buyer = await customer(rig);
    const ref = await confirmPurchase(buyer.chat, 1_200);
    await approvalMessage(rig.slack, ref);
    const request = (await rig.app.services.requests.list({ accountId: buyer.acc.id }))[0]!;
    const asker = await customer(rig);
    await askForPerson(asker.chat, 'I want to talk to a person about an invoice');
    const root = await threadRoot(rig, asker.acc.id);
    const escalation = await rig.app.services.escalations.get(root.escalationId);

    const t0 = Date.now();
    expect((await appHomeOpened(MANAGER)).status).toBe(200);
    const call = await published(MANAGER, (b) => b.includes(ref) && b.includes(escalation.reference), t0);
    const view = call.body.view as { type: string; blocks: unknown[] };
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const all = buttons(view);
    expect(all).toContainEqual({ block: `decide_${request.id}`, action: 'request_approve', value: request.id });
    expect(all).toContainEqual({ block: `decide_${request.id}`, action: 'request_reject', value: request.id });
    for (const action of ['escalation_claim', 'escalation_hand_back', 'escalation_resolve']) {
      expect(all).toContainEqual({ block: `escalation_${escalation.id}`, action, value: escalation.id });
    }
    const text = JSON.stringify(view.blocks);
    for (const part of ['Pending requests', 'Escalations', '1,200 credits', 'Quim Client', buyer.acc.id]) {
      expect(text).toContain(part);
    }

    // Approve on the Home tab: the request is decided once, the customer told, the Home published without it.
    const home = rig.slack.homeTabs().get(MANAGER)!;
    const t1 = Date.now();
    expect((await homeClick(home, MANAGER, 'request_approve', request.id)).status).toBe(200);
    await buyer.chat.waitFor(/approved by Carla Manager/);
    const afterDecision = await published(MANAGER, (b) => !b.includes(ref) && b.includes(escalation.reference), t1);
    expect(buttons(afterDecision.body.view as SlackView).some((b) => b.value === request.id)).toBe(false);

    // Claim on the Home tab: the escalation stays, held by the manager, without a Claim button.
    const t2 = Date.now();
    const home2 = rig.slack.homeTabs().get(MANAGER)!;
    expect((await homeClick(home2, MANAGER, 'escalation_claim', escalation.id)).status).toBe(200);
    const afterClaim = await published(MANAGER, (b) => b.includes(escalation.reference) && b.includes('held by'), t2);
    const left = buttons(afterClaim.body.view as SlackView).filter((b) => b.value === escalation.id);
    expect(left.map((b) => b.action).sort()).toEqual(['escalation_hand_back', 'escalation_resolve']);
    expect(JSON.stringify((afterClaim.body.view as SlackView).blocks)).toContain('Carla Manager');
    expect((await rig.app.services.escalations.get(escalation.id)).status).toBe('claimed');
  });

  it('is refreshed when a request is created, without anyone opening the tab', async () => {
    const { chat } = await customer(rig);
    const t0 = Date.now();
    const ref = await confirmPurchase(chat, 700);
    await published(MANAGER, (b) => b.includes(ref), t0);
  });
});

describe('/credits <account name or id>', () => {
  let acc: { id: string; users: Array<{ id: string; name: string }> };
  let name: string;
  let ref: string;

  beforeAll(async () => {
    name = `Acme <!channel> & *Sons* ${randomBytes(2).toString('hex')}`;
    const c = await customer(rig);
    acc = c.acc;
    await rig.app.api('PUT', `/accounts/${acc.id}`, {
      name,
      plan: { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 },
      accountManager: { slackUserId: MANAGER, name: 'Carla Manager' },
    });
    const r = await rig.app.api('POST', '/usage-events', {
      events: [
        usageEvent(acc.id, { credits: 1_400, userId: acc.users[0]!.id, occurredAt: new Date(Date.now() - 60_000) }),
      ],
    });
    expect(r.status).toBeLessThan(300);
    ref = await confirmPurchase(c.chat, 2_000);
    await askForPerson(c.chat, 'I want to talk to a person please');
  });

  it("answers the account's manager with its state, forecast and open items (by name, in time)", async () => {
    const a = await timedSlash(MANAGER, name.split(' ').slice(-1)[0]!); // a part of the name
    expect(a.all).toContain('Balance');
    expect(a.all).toContain('8,600'); // 10,000 − 1,400
    expect(a.all).toContain('Forecast');
    expect(a.all).toContain('200/day'); // 1,400 over the last 7 days
    expect(a.all).toContain(ref);
    expect(a.all).toContain('2,000 credits');
    expect(a.all).toMatch(/Open escalations \(1\)/);
    expect(a.all).toContain('Quim Client');
    expect(a.all).toContain(`/console/accounts/${acc.id}`);
    // The account's name is text, never a mention or formatting.
    expect(a.all).not.toContain('<!channel>');
    expect(a.all).toContain('&lt;!channel&gt;');
    expect(a.all).not.toContain('*Sons*');
  });

  it('answers a configured approver about any account, by id', async () => {
    const a = await timedSlash(APPROVER, acc.id);
    expect(a.all).toContain(ref);
    expect(a.all).toContain('Balance');
  });

  it('refuses strangers, and managers asking about an account they do not manage', async () => {
    expect((await timedSlash(STRANGER, acc.id)).text).toBe(CREDITS_REFUSED);
    expect((await timedSlash(STRANGER, '')).text).toBe(CREDITS_REFUSED);
    const other = 'U0OTHERMGR1';
    await seedAccount(rig.app, { accountManager: { slackUserId: other, name: 'Other Manager' } });
    const refused = await timedSlash(other, acc.id);
    expect(refused.text).toBe(CREDITS_NOT_YOURS);
    expect(refused.all).not.toContain(ref);
  });

  it('answers an unknown account, several matches and an empty command clearly', async () => {
    const unknown = await timedSlash(MANAGER, 'no such account at all');
    expect(unknown.text).toMatch(/^No account matches “no such account at all”/);
    const several = await timedSlash(APPROVER, 'Account acc_');
    expect(several.text).toMatch(/Several accounts match/);
    expect(several.text).toContain('/credits acc_');
    const help = await timedSlash(MANAGER, '  ');
    expect(help.text).toMatch(/^Usage: `\/credits <account name or id>`/);
    expect(help.text).toContain(acc.id);
  });
});

/**
 * Escalation to a person over Slack threads, end to end on real PostgreSQL, Redis and BullMQ with the Slack
 * stand-in: the customer asks for a person in the chat; the manager's DM gets a thread with the summary; both
 * directions flow in order, once each, under the right names; `note:` stays internal; the bot is silent until
 * the conversation is handed back; edits, deletions, files, reactions, bot echoes and hostile events are handled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, textOf } from '../helpers/chat.ts';
import { askForPerson, clickButton, reply, sendEvent, threadRoot, waitForMessages } from '../helpers/escalations.ts';
import { seedAccount } from '../helpers/factories.ts';
import {
  APPROVER,
  customer,
  MANAGER,
  type RequestsRig,
  STRANGER,
  sleep,
  startRequestsRig,
} from '../helpers/requests.ts';
import { postToBolt, slackTsNow } from '../standins/slack.ts';

let rig: RequestsRig;
beforeAll(async () => {
  rig = await startRequestsRig({ ESCALATION_SLA_MINUTES: '60' });
});
afterAll(async () => {
  await rig?.close();
});

const db = () => rig.app.services.db;

describe('escalation to the account manager in Slack', () => {
  it('opens a thread in the manager DM with the summary, tells the customer who answers and when', async () => {
    const { acc, chat } = await customer(rig);
    await chat.say('how many credits do I have left?');
    const replies = await askForPerson(chat, 'I want to talk to a real person about my plan');
    const said = textOf(replies);
    expect(said).toContain('Carla Manager');
    expect(said).toMatch(/Monday to Friday, 09:00–18:00 \(Madrid time\): expect an answer by/);
    // Bot Framework's handoff protocol travels with it.
    expect(replies.some((a) => a.type === 'event' && a.name === 'handoff.initiate')).toBe(true);

    const root = await threadRoot(rig, acc.id);
    expect(root.channel).toBe(rig.slack.dmChannelFor(MANAGER));
    const text = JSON.stringify(root.blocks);
    for (const part of [
      `Account ${acc.id}`, // the account's name
      'Quim Client',
      'asked for a person',
      'Balance',
      'Burn rate',
      'Last messages',
      'how many credits do I have left?', // the chat that led here
      '/console/escalations/',
      'Claim',
      'Hand back to the bot',
      'Resolve',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('carries both directions: customer to thread under their name, manager to chat under theirs; the bot stays silent', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);

    const first = await chat.say('my enrichments failed yesterday and credits were still charged');
    expect(textOf(first)).toMatch(/waiting for \*\*Carla Manager\*\*/); // one short line, once
    const second = await chat.say('it was about 300 credits');
    expect(second).toHaveLength(0); // then silence: the bot does not talk over the person

    const mirrored = await rig.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === root.ts && !c.faulted,
      10_000,
      2,
    );
    expect(mirrored.map((c) => c.body.text)).toEqual([
      'my enrichments failed yesterday and credits were still charged',
      'it was about 300 credits',
    ]);
    expect(mirrored[0]!.body.username).toBe('Quim Client (customer)');

    expect((await sendEvent(rig, reply(root, MANAGER, "Hi Quim, I'm checking the job logs now"))).status).toBe(200);
    const [msg] = await waitForMessages(chat, /checking the job logs/, 1);
    expect(msg!.text).toBe("**Carla Manager:** Hi Quim, I'm checking the job logs now");
    expect(msg!.from.name).toBe('Carla Manager');
    expect(msg!.from.id).toBe(`agent:${MANAGER}`);
    // The first reply claimed the conversation; the thread's root says who has it.
    await rig.slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === root.ts, 10_000);
    const status = await rig.app.services.escalations.get(root.escalationId);
    expect(status).toMatchObject({ status: 'claimed', assigneeId: MANAGER, assigneeName: 'Carla Manager' });
  });

  it('delivers 100 quick manager replies in order, once each, also when Slack retries them', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    const events = Array.from({ length: 100 }, (_, i) => ({
      event: reply(root, MANAGER, `step ${i + 1} of 100`, slackTsNow()),
      eventId: `Ev${Date.now()}${i}`,
    }));
    // Bursts of ten at once, as Slack sends them; every third one also arrives again as a retry.
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const sends = batch.flatMap((e, j) => [
        sendEvent(rig, e.event, { eventId: e.eventId }),
        ...((i + j) % 3 === 0 ? [sendEvent(rig, e.event, { eventId: e.eventId, retryNum: 1 })] : []),
      ]);
      for (const r of await Promise.all(sends)) expect(r.status).toBe(200);
    }
    const got = await waitForMessages(chat, /step \d+ of 100/, 100, 30_000);
    await sleep(500);
    const extra = (await chat.read()).filter((m) => /step \d+ of 100/.test(m.text ?? ''));
    expect(extra).toHaveLength(0);
    expect(got.map((m) => Number(/step (\d+)/.exec(m.text)![1]))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('keeps note: replies internal', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    for (const text of [
      'note: this account asked for a refund last month too',
      'NOTE : check with finance first',
      'I have refunded the 300 credits',
    ]) {
      const res = await sendEvent(rig, reply(root, MANAGER, text));
      expect(res.status, `${text}: ${res.text}`).toBe(200);
    }
    await waitForMessages(chat, /refunded the 300 credits/, 1);
    await sleep(500);
    const all = await rig.app.services.escalations.messages(root.escalationId);
    expect(
      all.filter((m) => m.direction === 'note'),
      JSON.stringify(all),
    ).toHaveLength(2);
    const dl = await db().sql<{ text: string }>(
      `SELECT activity->>'text' AS text FROM dl_activity WHERE conversation_id = $1`,
      [chat.conversationId],
    );
    expect(dl.rows.map((r) => r.text ?? '').join('\n')).not.toMatch(/finance|last month too/);
  });

  it('hands back to the bot: the customer is told and the bot answers again', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    await sendEvent(rig, reply(root, MANAGER, 'All sorted, anything else just ask the assistant'));
    await waitForMessages(chat, /All sorted/, 1);
    expect((await clickButton(rig, root, 'escalation_hand_back', MANAGER)).status).toBe(200);
    await waitForMessages(chat, /handed the conversation back to me/, 1);
    const answer = await chat.say('how many credits do I have left?');
    expect(textOf(answer)).toMatch(/You have \*\*10,000 credits\*\* available/);
    const e = await rig.app.services.escalations.get(root.escalationId);
    expect(e).toMatchObject({ status: 'closed', outcome: 'handed_back' });
    // The root shows it, without buttons; a late reply in the thread is not sent (and the person is told).
    await rig.slack.waitFor(
      (c) =>
        c.method === 'chat.update' && c.body.ts === root.ts && JSON.stringify(c.body.blocks).includes('Handed back'),
      10_000,
    );
    await sendEvent(rig, reply(root, MANAGER, 'one more thing'));
    await rig.slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && String(c.body.text).includes('not sent'),
      5_000,
    );
    await sleep(400);
    expect((await chat.read()).map((m) => m.text)).not.toContain('**Carla Manager:** one more thing');
  });

  it('lets only the manager, the holder or an approver press the buttons', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    await clickButton(rig, root, 'escalation_resolve', STRANGER);
    await rig.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === STRANGER, 5_000);
    expect((await rig.app.services.escalations.get(root.escalationId)).status).toBe('open');
    await clickButton(rig, root, 'escalation_claim', APPROVER);
    expect((await rig.app.services.escalations.get(root.escalationId)).assigneeId).toBe(APPROVER);
    await clickButton(rig, root, 'escalation_resolve', APPROVER);
    await waitForMessages(chat, /marked this as resolved/, 1);
  });

  it('reflects edits and deletions, sends files as links, and ignores reactions and bot echoes', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);

    const first = reply(root, MANAGER, 'your refund is 30 credits');
    await sendEvent(rig, first);
    await waitForMessages(chat, /refund is 30 credits/, 1);
    // An edit after delivery: the chat cannot change a message, so the correction follows.
    await sendEvent(rig, {
      type: 'message',
      subtype: 'message_changed',
      channel: root.channel,
      ts: slackTsNow(),
      hidden: true,
      message: { ...first, text: 'your refund is 300 credits', edited: { user: MANAGER, ts: slackTsNow() } },
      previous_message: first,
    });
    await waitForMessages(chat, /\(correction\): your refund is 300 credits/, 1);
    // A deletion after delivery: the customer is told it was withdrawn.
    await sendEvent(rig, {
      type: 'message',
      subtype: 'message_deleted',
      channel: root.channel,
      ts: slackTsNow(),
      hidden: true,
      deleted_ts: first.ts,
      previous_message: first,
    });
    await waitForMessages(chat, /withdrew a message/, 1);

    // A file share: the customer gets a link through this server, which fetches the file from Slack.
    const file = rig.slack.addFile({ id: 'F0INVOICE1', name: 'refund-note.txt', content: 'refund of 300 credits' });
    await sendEvent(rig, {
      ...reply(root, MANAGER, 'here is the note'),
      subtype: 'file_share',
      files: [{ id: file.id, name: file.name }],
    });
    const [withFile] = await waitForMessages(chat, /here is the note/, 1);
    const link = /\((http[^)]+\/slack-files\/[^)]+)\)/.exec(withFile!.text)?.[1];
    expect(link).toBeTruthy();
    // The link names PUBLIC_URL (localhost:3978 by default); this test's server listens elsewhere.
    const local = link!.replace(/^https?:\/\/[^/]+/, rig.app.url);
    const download = await fetch(local);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('refund of 300 credits');
    const forged = await fetch(local.replace(/sig=[^&]+/, 'sig=forged'));
    expect(forged.status).toBe(403);

    // Reactions and our own (or another bot's) posts in the thread change nothing.
    await sendEvent(rig, {
      type: 'reaction_added',
      user: MANAGER,
      reaction: 'thumbsup',
      item: { type: 'message', channel: root.channel, ts: root.ts },
      event_ts: slackTsNow(),
    });
    await sendEvent(rig, {
      ...reply(root, 'U0STANDINBOT', 'echo of our own post'),
      bot_id: 'B0STANDIN',
      subtype: 'bot_message',
    });
    await sendEvent(rig, { ...reply(root, MANAGER, 'posted by an integration'), bot_id: 'B0OTHERBOT' });
    await sleep(800);
    const late = (await chat.read()).map((m) => m.text ?? '');
    expect(late.join('\n')).not.toMatch(/echo of our own post|posted by an integration/);
  });

  it('acknowledges or refuses hostile events cleanly, and nothing reaches a customer', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    const before = await rig.app.services.escalations.messages(root.escalationId);
    const cases: Array<Record<string, unknown> & { type: string }> = [
      { ...reply(root, MANAGER, 'to a thread we never opened'), thread_ts: '1111111111.000100' },
      { ...reply(root, 'U0UNKNOWN99', 'from someone Slack does not know'), thread_ts: '1111111111.000200' },
      { type: 'message', channel: root.channel }, // no ts
      { type: 'message', subtype: 'message_changed', channel: root.channel, ts: slackTsNow() }, // no message
      { type: 'message', subtype: 'message_deleted', channel: root.channel, ts: slackTsNow(), deleted_ts: 42 },
      { ...reply(root, MANAGER, ''), files: [{ id: '../../etc/passwd' }] },
      { type: 'app_mention', user: MANAGER, text: 'hi', channel: root.channel, ts: slackTsNow() },
    ];
    for (const event of cases) expect((await sendEvent(rig, event)).status).toBe(200);
    // Malformed envelopes: refused, never a 500.
    for (const body of [
      '{"type":"event_callback"',
      'payload=%7B',
      '{"type":"event_callback","event":{}}',
      '{"type":"event_callback","event":null}',
      'null',
    ]) {
      const res = await postToBolt(`${rig.app.url}/slack/events`, 'test-slack-signing-secret', { body });
      expect(res.status).toBeLessThan(500);
    }
    // Unsigned: refused.
    const unsigned = await fetch(`${rig.app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'event_callback', event: reply(root, MANAGER, 'forged') }),
    });
    expect(unsigned.status).toBe(401);
    await sleep(500);
    expect(await rig.app.services.escalations.messages(root.escalationId)).toHaveLength(before.length);
    expect((await chat.read()).filter((m) => m.type === 'message')).toHaveLength(0);
  });

  it('tells the support channel and the customer when nobody claims in time', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    // The deadline passes (the SLA job runs at it; here we bring it forward).
    await db().sql(`UPDATE escalation SET sla_due_at = now() - interval '1 second' WHERE id = $1`, [root.escalationId]);
    await db().sql(`UPDATE outbox SET run_at = NULL, relayed_at = NULL WHERE job_id = $1`, [
      `v1.escalations.sla-check__${root.escalationId}`,
    ]);
    await rig.app.services.queues.escalations.remove(`v1.escalations.sla-check__${root.escalationId}`);
    await rig.app.worker!.relay.drain();
    await rig.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === 'C0SUPPORT' &&
        String(c.body.text).includes('Nobody has claimed'),
      15_000,
    );
    await waitForMessages(chat, /Nobody has been able to pick this up yet/, 1);
    expect((await rig.app.services.escalations.get(root.escalationId)).slaBreachedAt).not.toBeNull();
  });

  it('follows the customer to their next visit: the replies are waiting, and the new chat continues with the person', async () => {
    const { acc, chat } = await customer(rig);
    await askForPerson(chat);
    const root = await threadRoot(rig, acc.id);
    // The customer has left (their chat stops polling); the manager answers later.
    await sleep(1_200);
    await sendEvent(rig, reply(root, MANAGER, 'I found the problem, see you tomorrow'));
    const deadline = Date.now() + 10_000;
    while (
      !(await rig.app.services.escalations.messages(root.escalationId)).some(
        (m) => m.deliveredAt && m.direction === 'agent',
      )
    ) {
      if (Date.now() > deadline) throw new Error('the reply was not delivered');
      await sleep(100);
    }
    // The next visit (a new conversation) shows what they missed, once, and continues with the person.
    const next = await ChatClient.open(rig.app.url, acc.users[0]!.id);
    const opening = textOf(await next.join('help'));
    expect(opening).toMatch(/^While you were away:/);
    expect(opening).toContain('**Carla Manager** has joined the conversation');
    expect(opening).toContain('**Carla Manager:** I found the problem, see you tomorrow');
    expect(opening).toMatch(/still talking with \*\*Carla Manager\*\*/);
    const again = await ChatClient.open(rig.app.url, acc.users[0]!.id);
    expect(textOf(await again.join('help'))).not.toContain('I found the problem'); // shown once
    await next.say('great, thanks Carla');
    await rig.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === root.ts && c.body.text === 'great, thanks Carla',
      10_000,
    );
    expect((await rig.app.services.escalations.get(root.escalationId)).conversationId).toBe(again.conversationId);
  });

  it('offers a person for refunds, invoices, custom offers, frustration and two misunderstandings', async () => {
    const acc = await seedAccount(rig.app, {
      accountManager: { slackUserId: MANAGER, name: 'Carla Manager' },
      users: [{ name: 'Nadia Offer' }],
    });
    const offered = async (text: string) => {
      const chat = await ChatClient.open(rig.app.url, acc.users[0]!.id);
      const replies = await chat.say(text);
      return replies
        .flatMap((r) => r.suggestedActions?.actions ?? [])
        .find((a) => /Talk to Carla|Hablar con Carla/.test(a.title));
    };
    for (const text of [
      'you charged me twice for the same enrichment',
      'I need a copy of my invoice for November',
      'can I get a discount if I stay another year?',
      'can my unused credits carry over this month as an exception?',
      'me podéis hacer un descuento?',
    ]) {
      expect(await offered(text), text).toBeTruthy();
    }
    // Two misunderstandings in a row.
    const chat = await ChatClient.open(rig.app.url, acc.users[0]!.id);
    await chat.say('banana');
    const second = await chat.say('zebra crossing');
    expect(textOf(second)).toMatch(/not getting this right/);
    const button = second.flatMap((r) => r.suggestedActions?.actions ?? []).find((a) => /Talk to Carla/.test(a.title));
    const accepted = await chat.say(button!.title, button!.value as Record<string, unknown>);
    expect(textOf(accepted)).toMatch(/answer right here/);
    expect((await rig.app.services.escalations.activeFor(acc.users[0]!.id))?.reason).toBe('misunderstood');
  });

  it('lets the customer go back to the assistant', async () => {
    const { acc, chat } = await customer(rig);
    const replies = await askForPerson(chat);
    const back = replies
      .flatMap((r) => r.suggestedActions?.actions ?? [])
      .find((a) => /Back to the assistant/.test(a.title));
    const out = await chat.say(back!.title, back!.value as Record<string, unknown>);
    expect(textOf(out)).toMatch(/back with me/);
    expect(textOf(await chat.say('what is my balance?'))).toMatch(/10,000 credits/);
    expect(await rig.app.services.escalations.activeFor(acc.users[0]!.id)).toBeNull();
  });
});

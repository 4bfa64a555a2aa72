/** Escalation tests: the thread root in the Slack stand-in, signed thread events from a person, button clicks. */
import { expect } from 'vitest';
import {
  blockActionPayload,
  eventCallback,
  messageEvent,
  postToBolt,
  type SlackCall,
  slackTsNow,
} from '../standins/slack.ts';
import type { ChatClient } from './chat.ts';
import { type RequestsRig, SIGNING_SECRET } from './requests.ts';

export interface ThreadRoot {
  call: SlackCall;
  channel: string;
  ts: string;
  escalationId: string;
  blocks: unknown[];
}

/**
 * The root message of the escalation thread for an account (its id is in the root), once posted and recorded
 * (a person can only reply once Slack has shown it, by which time the job has stored its ts).
 */
export async function threadRoot(
  rig: Pick<RequestsRig, 'app' | 'slack'>,
  accountId: string,
  timeoutMs = 10_000,
): Promise<ThreadRoot> {
  const [call] = await rig.slack.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      !c.faulted &&
      (c.body.metadata as { event_type?: string } | undefined)?.event_type === 'credit_escalation' &&
      JSON.stringify(c.body.blocks ?? '').includes(`\`${accountId}\``),
    timeoutMs,
  );
  const res = call!.response.body as { channel: string; ts: string };
  const escalationId = (call!.body.metadata as { event_payload: { escalation_id: string } }).event_payload
    .escalation_id;
  const deadline = Date.now() + timeoutMs;
  while ((await rig.app.services.escalations.get(escalationId)).slackThreadTs !== res.ts) {
    if (Date.now() > deadline) throw new Error('the thread root was posted but never recorded');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { call: call!, channel: res.channel, ts: res.ts, escalationId, blocks: call!.body.blocks as unknown[] };
}

/** Posts a signed Events API delivery of `event` to the app (optionally as one of Slack's retries). */
export function sendEvent(
  rig: Pick<RequestsRig, 'app'>,
  event: Record<string, unknown> & { type: string },
  opts: { eventId?: string; retryNum?: number; url?: string } = {},
) {
  return postToBolt(`${opts.url ?? rig.app.url}/slack/events`, SIGNING_SECRET, {
    body: eventCallback(event, opts.eventId ? { eventId: opts.eventId } : {}),
    ...(opts.retryNum ? { retryNum: opts.retryNum, retryReason: 'http_timeout' } : {}),
  });
}

/** A person's reply in the thread, as Slack delivers it. */
export function reply(root: ThreadRoot, user: string, text: string, ts = slackTsNow()) {
  return { ...messageEvent({ channel: root.channel, user, text, ts, threadTs: root.ts, channelType: 'im' }), ts };
}

export function clickButton(
  rig: Pick<RequestsRig, 'app'>,
  root: ThreadRoot,
  actionId: string,
  userId: string,
  blocks = root.blocks,
) {
  const value = findValue(blocks, actionId);
  return postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, {
    body: blockActionPayload({
      userId,
      userName: userId.toLowerCase(),
      actionId,
      value,
      channelId: root.channel,
      messageTs: root.ts,
      blocks: blocks as never,
    }),
  });
}

function findValue(blocks: unknown[], actionId: string): string {
  for (const b of blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>) {
    const el = b.elements?.find((e) => e.action_id === actionId);
    if (el?.value) return el.value;
  }
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks).slice(0, 300)}`);
}

/** Asks for a person in the chat and checks the bot says who answers and by when. */
export async function askForPerson(chat: ChatClient, text = 'I want to talk to a person please') {
  const replies = await chat.say(text);
  const said = replies.map((r) => r.text ?? '').join('\n');
  expect(said).toMatch(/answer right here|te responderá aquí/);
  return replies;
}

/** Bot messages in the customer's chat whose text matches, waiting until `count` have arrived. */
export async function waitForMessages(chat: ChatClient, re: RegExp, count: number, timeoutMs = 15_000) {
  const seen: Array<{ text: string; from: { id: string; name?: string } }> = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const m of await chat.read()) if (typeof m.text === 'string' && re.test(m.text)) seen.push(m as never);
    if (seen.length >= count) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `only ${seen.length} of ${count} messages matching ${re} arrived; the chat has: ${JSON.stringify(
      (await chat.read()).map((m) => m.text).slice(-5),
    )}`,
  );
}

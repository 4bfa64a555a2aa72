/** Shared setup for request tests: an app with Slack and webhook stand-ins, workers, and a customer. */
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { Clock } from '../../src/shared/clock.ts';
import {
  blockActionPayload,
  postToBolt,
  type SlackCall,
  type SlackStandin,
  startSlackStandin,
} from '../standins/slack.ts';
import { startWebhookStandin, type WebhookDelivery, type WebhookStandin } from '../standins/webhook.ts';
import { startTestApp, type TestApp } from './app.ts';
import { ChatClient, textOf } from './chat.ts';
import { seedAccount } from './factories.ts';

export const SIGNING_SECRET = 'test-slack-signing-secret';
export const WEBHOOK_SECRET = 'test-webhook-secret';
export const MANAGER = 'U0MANAGER01';
export const APPROVER = 'U0APPROVER1';
export const STRANGER = 'U0STRANGER1';

export interface RequestsRig {
  app: TestApp;
  /** the rig's own database (Buy More depends on the global catalog, which other test files change) */
  databaseUrl: string;
  slack: SlackStandin;
  webhook: WebhookStandin;
  close(): Promise<void>;
}

export async function startRequestsRig(
  env: Record<string, string> = {},
  opts: { slackUnreachable?: boolean; clock?: Clock } = {},
): Promise<RequestsRig> {
  const slack = await startSlackStandin();
  if (opts.slackUnreachable) slack.hold('*'); // from before the app starts: no Slack call is ever answered
  const webhook = await startWebhookStandin();
  const app = await startTestApp({
    ...(opts.clock ? { clock: opts.clock } : {}),
    workers: true,
    ownDatabase: true, // Buy More depends on the global catalog, which other test files change
    env: {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APPROVERS: APPROVER,
      SLACK_SUPPORT_CHANNEL: 'C0SUPPORT',
      PLATFORM_WEBHOOK_URL: `${webhook.url}/hooks/credits`,
      PLATFORM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
  });
  await app.api('PUT', '/plans/plan_growth', {
    name: 'Growth',
    monthlyCredits: 10_000,
    price: { amount: 44_900, currency: 'EUR' },
    identities: 5,
  });
  await app.api('PUT', '/plans/plan_scale', {
    name: 'Scale',
    monthlyCredits: 25_000,
    price: { amount: 99_000, currency: 'EUR' },
    identities: 10,
  });
  await app.api('PUT', '/plans/plan_starter', {
    name: 'Starter',
    monthlyCredits: 5_000,
    price: { amount: 24_900, currency: 'EUR' },
    identities: 2,
  });
  return {
    app,
    databaseUrl: app.databaseUrl,
    slack,
    webhook,
    async close() {
      slack.release('*');
      await app.close();
      await slack.close();
      await webhook.close();
    },
  };
}

/** A customer of an account on Growth whose manager is MANAGER, in a fresh conversation. */
export async function customer(rig: RequestsRig, opts: { locale?: string } = {}) {
  const acc = await seedAccount(rig.app, {
    monthlyCredits: 10_000,
    accountManager: { slackUserId: MANAGER, name: 'Carla Manager' },
    users: [{ name: 'Quim Client', ...(opts.locale ? { locale: opts.locale } : {}) }],
  });
  // Keep the plan's catalog id so the chat knows which plan is current.
  await rig.app.api('PUT', `/accounts/${acc.id}`, {
    name: `Account ${acc.id}`,
    plan: {
      id: 'plan_growth',
      name: 'Growth',
      monthlyCredits: 10_000,
      price: { amount: 44_900, currency: 'EUR' },
      identities: 5,
    },
    accountManager: { slackUserId: MANAGER, name: 'Carla Manager' },
  });
  const chat = await ChatClient.open(rig.app.url, acc.users[0]!.id);
  return { acc, chat };
}

/** Buy More through the chat: pick a whole amount (no packs) and confirm. Returns the request reference. */
export async function confirmPurchase(chat: ChatClient, credits: number): Promise<string> {
  const quote = await chat.say(`I want to buy ${credits} credits`);
  const confirmed = await chat.press(quote, /Confirm/);
  const ref = /request \*\*(R-[0-9A-F]{6})\*\*/.exec(textOf(confirmed))?.[1];
  expect(ref, textOf(confirmed)).toBeTruthy();
  return ref!;
}

/** The approval DM posted for a request, once it arrives at the stand-in. */
export async function approvalMessage(slack: SlackStandin, reference: string, timeoutMs = 10_000): Promise<SlackCall> {
  const [call] = await slack.waitFor(
    (c) => c.method === 'chat.postMessage' && !c.faulted && JSON.stringify(c.body.blocks ?? '').includes(reference),
    timeoutMs,
  );
  return call!;
}

export function click(
  rig: RequestsRig,
  call: SlackCall,
  actionId: 'request_approve' | 'request_reject',
  userId: string,
  extra: { retryNum?: number } = {},
) {
  const response = call.response.body as { channel: string; ts: string };
  const blocks = call.body.blocks as unknown[];
  const value = findButtonValue(blocks, actionId);
  const payload = blockActionPayload({
    userId,
    userName: userId.toLowerCase(),
    actionId,
    value,
    channelId: response.channel,
    messageTs: response.ts,
    blocks: blocks as never,
  });
  return postToBolt(`${rig.app.url}/slack/events`, SIGNING_SECRET, {
    body: payload,
    ...(extra.retryNum ? { retryNum: extra.retryNum, retryReason: 'http_timeout' } : {}),
  });
}

function findButtonValue(blocks: unknown[], actionId: string): string {
  for (const b of blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>) {
    const el = b.elements?.find((e) => e.action_id === actionId);
    if (el?.value) return el.value;
  }
  throw new Error(`no ${actionId} button`);
}

export function verifyWebhook(d: WebhookDelivery, secret = WEBHOOK_SECRET) {
  const header = String(d.headers['x-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  expect(m, header).toBeTruthy();
  const expected = createHmac('sha256', secret).update(`${m![1]}.${d.rawBody}`).digest('hex');
  expect(m![2]).toBe(expected);
  expect(Math.abs(Date.now() / 1000 - Number(m![1]))).toBeLessThan(120);
  expect(d.headers['idempotency-key']).toBeTruthy();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Low-credit alerts on real PostgreSQL, Redis and BullMQ, Slack through the stand-in: crossing 20 % then 5 %
 * tells the customer (in their open conversation, with Buy More and Change Plan) and the account manager once
 * each, however often the evaluation runs and with two workers; a batch that stays above the next threshold
 * sends nothing; a new period alerts again; thresholds per account through the platform API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app/services.ts';
import { startWorkerRole, type WorkerRole } from '../../src/app/worker.ts';
import { evaluateAlerts, requestAlertEvaluationNow } from '../../src/credits/alerts.ts';
import { jobIdFor } from '../../src/jobs/catalog.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type BotMessage, ChatClient } from '../helpers/chat.ts';
import { seedAccount, uid, usageEvent } from '../helpers/factories.ts';
import { customer, MANAGER, type RequestsRig, sleep, startRequestsRig } from '../helpers/requests.ts';
import type { SlackCall } from '../standins/slack.ts';

// A Tuesday in the middle of a UTC calendar-month period (1 Nov – 1 Dec): the top-up is three weeks away.
const clock = fixedClock('2026-11-10T10:00:00Z');
/** An evaluation runs when its 2-second window closes (plus a grace): wait a little longer than that. */
const SETTLE_MS = 4_000;

let rig: RequestsRig;
let second: { services: Services; worker: WorkerRole };

beforeAll(async () => {
  rig = await startRequestsRig({}, { clock });
  // A second worker role on the same database and Redis prefix, as another process would be.
  const services = createServices(rig.app.services.config, {
    logger: createLogger({ level: 'silent' }),
    clock,
  });
  second = { services, worker: await startWorkerRole(services) };
}, 60_000);

afterAll(async () => {
  await second?.worker.close();
  await second?.services.close();
  await rig?.close();
});

/** A usage batch for the account, `hoursAgo` before the clock (usage older than 7 days leaves the burn rate alone). */
async function use(accountId: string, userId: string, credits: number, hoursAgo = 1) {
  const res = await rig.app.api('POST', '/usage-events', {
    events: [
      usageEvent(accountId, { userId, credits, occurredAt: new Date(clock.now().getTime() - hoursAgo * 3_600_000) }),
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Every bot message the chat receives, kept across reads. */
function inbox(chat: ChatClient) {
  const seen: BotMessage[] = [];
  return {
    seen,
    alerts: () => seen.filter((m) => m.text.startsWith('⚠️')),
    async until(re: RegExp, ms = 15_000): Promise<BotMessage> {
      const deadline = Date.now() + ms;
      for (;;) {
        seen.push(...(await chat.read()));
        const hit = seen.find((m) => re.test(m.text));
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`no ${re} within ${ms} ms; saw ${JSON.stringify(seen.map((m) => m.text))}`);
        await sleep(100);
      }
    },
    async drain() {
      seen.push(...(await chat.read()));
    },
  };
}

const alertNotes = (accountId: string) =>
  rig.slack
    .callsTo('chat.postMessage')
    .filter(
      (c: SlackCall) =>
        !c.faulted &&
        (c.body.metadata as { event_type?: string } | undefined)?.event_type === 'credit_alert' &&
        String(c.body.text).includes(accountId),
    );

describe('low-credit alerts', () => {
  it('crossing 20 % then 5 % tells the customer and the manager once each, however often the evaluation runs, with two workers', async () => {
    const { acc, chat } = await customer(rig);
    const user = acc.users[0]!.id;
    await chat.join('help');
    const box = inbox(chat);
    // 7,000 of 10,000 used early in the period (8 days ago): 30 % left, no burn rate this week, no alert.
    await use(acc.id, user, 7_000, 8 * 24);
    await sleep(SETTLE_MS);
    await box.drain();
    expect(box.alerts()).toHaveLength(0);
    expect(alertNotes(acc.id)).toHaveLength(0);

    // 1,100 more: 1,900 left, below 20 % (2,000). The forecast (1,100 in 7 days) also says it runs out before the
    // top-up: one message carries both.
    await use(acc.id, user, 1_100);
    const first = await box.until(/below \*\*20%\*\* of your plan/);
    expect(first.text).toContain('**1,900 credits** left of 10,000');
    expect(first.text).toMatch(/run out around \*\*\d+ November 2026\*\*, before your top-up on 1 December 2026/);
    expect(first.suggestedActions?.actions.map((a) => a.title)).toEqual(['Buy more credits', 'Change plan']);
    // The button starts Buy More in the same conversation.
    const buying = await chat.press([first], /Buy more credits/);
    expect(buying.map((m) => m.text).join('\n')).toMatch(/how many credits/i);
    const [note] = await rig.slack.waitFor(
      (c) =>
        (c.body.metadata as { event_type?: string } | undefined)?.event_type === 'credit_alert' &&
        String(c.body.text).includes(acc.id),
      10_000,
    );
    expect(note!.body.channel).toBe(rig.slack.dmChannelFor(MANAGER));
    expect(String(note!.body.text)).toMatch(
      /Low credits: .*is below \*20%\* of its plan: \*1,900\* credits left of 10,000/,
    );

    // 100 more: 1,800 left, still above 5 % (500): nothing.
    await use(acc.id, user, 100);
    await sleep(SETTLE_MS);
    await box.drain();
    expect(box.alerts()).toHaveLength(1);
    expect(alertNotes(acc.id)).toHaveLength(1);

    // 1,400 more: 400 left, below 5 %. The evaluation runs many times at the crossing: the job of the batch's
    // window, three more jobs through the outbox (both workers take them) and three at once in this process and
    // in the other one.
    await use(acc.id, user, 1_400);
    await rig.app.services.db.transaction(async (tx) => {
      for (const i of [1, 2, 3]) await requestAlertEvaluationNow(tx, acc.id, `rerun-${i}`);
    });
    const deps = (s: Services) => ({ db: s.db, clock, credits: s.credits, logger: s.logger });
    const racing = await Promise.all([
      evaluateAlerts(deps(rig.app.services), acc.id),
      evaluateAlerts(deps(second.services), acc.id),
      evaluateAlerts(deps(rig.app.services), acc.id),
    ]);
    expect(racing.filter((e) => e.notified === '0.05').length).toBeLessThanOrEqual(1);
    const second5 = await box.until(/below \*\*5%\*\* of your plan/);
    expect(second5.text).toContain('**400 credits** left of 10,000');
    await rig.slack.waitFor(
      (c) => String(c.body.text).includes('below *5%*') && String(c.body.text).includes(acc.id),
      10_000,
    );
    await sleep(SETTLE_MS);
    await box.drain();
    expect(box.alerts().map((m) => /below \*\*(\d+)%/.exec(m.text)?.[1])).toEqual(['20', '5']);
    expect(alertNotes(acc.id).map((c) => /below \*(\d+)%\*/.exec(String(c.body.text))?.[1])).toEqual(['20', '5']);
    // One row per threshold; the forecast alert of the first crossing rode on the 20 % message.
    const rows = await rig.app.services.db.prisma.creditAlert.findMany({ where: { accountId: acc.id } });
    expect(rows.map((r) => `${r.trigger}:${r.notified}`).sort()).toEqual(['0.05:true', '0.2:true', 'runout:false']);

    // A delivery job run again (a retry after it succeeded) does nothing.
    const carrier = rows.find((r) => r.trigger === '0.05')!;
    const job = await rig.app.services.queues.slack.getJob(jobIdFor('v1.slack.credit-alert', carrier.id));
    expect(job?.returnvalue).toMatchObject({ channel: rig.slack.dmChannelFor(MANAGER) });
    await job!.retry('completed');
    for (let i = 0; i < 50 && (await job!.getState()) !== 'completed'; i++) await sleep(100);
    expect((await rig.app.services.queues.slack.getJob(job!.id!))?.returnvalue).toEqual({ already: true });
    expect(alertNotes(acc.id)).toHaveLength(2);
  }, 90_000);

  it('a new period alerts again', async () => {
    const { acc } = await customer(rig);
    const user = acc.users[0]!.id;
    await use(acc.id, user, 8_100, 8 * 24);
    await rig.slack.waitFor(
      (c) => String(c.body.text).includes('below *20%*') && String(c.body.text).includes(acc.id),
      10_000,
    );

    clock.set('2026-12-09T10:00:00Z'); // the December period: a fresh plan grant
    try {
      const chat = await ChatClient.open(rig.app.url, user); // the old token has expired with the clock
      await chat.join('help');
      const box = inbox(chat);
      await use(acc.id, user, 8_100, 8 * 24);
      const msg = await box.until(/below \*\*20%\*\* of your plan/);
      expect(msg.text).toContain('**1,900 credits** left of 10,000');
      expect(msg.text).toContain('1 January 2027');
      await sleep(1_000);
      const notes = alertNotes(acc.id).filter((c) => String(c.body.text).includes('below *20%*'));
      expect(notes).toHaveLength(2);
      const rows = await rig.app.services.db.prisma.creditAlert.findMany({ where: { accountId: acc.id } });
      expect(rows.map((r) => r.periodStart.toISOString()).sort()).toEqual([
        '2026-11-01T00:00:00.000Z',
        '2026-12-01T00:00:00.000Z',
      ]);
    } finally {
      clock.set('2026-11-10T10:00:00Z');
    }
  }, 60_000);

  it('takes thresholds per account through the platform API', async () => {
    const { acc, chat } = await customer(rig);
    const user = acc.users[0]!.id;
    await chat.join('help');
    const box = inbox(chat);
    const body = {
      name: `Account ${acc.id}`,
      plan: { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 },
    };
    const put = await rig.app.api('PUT', `/accounts/${acc.id}`, { ...body, alerts: { thresholds: [0.05, 0.5] } });
    expect(put.status).toBe(200);
    expect(put.body.alerts).toEqual({ thresholds: [0.5, 0.05] });
    // Without `alerts` the stored thresholds stay.
    const kept = await rig.app.api('PUT', `/accounts/${acc.id}`, body);
    expect(kept.body.alerts).toEqual({ thresholds: [0.5, 0.05] });
    expect((await rig.app.api('GET', `/accounts/${acc.id}/credit-state`)).body.alerts).toEqual({
      thresholds: [0.5, 0.05],
    });

    await use(acc.id, user, 5_100, 8 * 24); // 4,900 left: below 50 %, far above 20 %
    const msg = await box.until(/below \*\*50%\*\* of your plan/);
    expect(msg.text).toContain('**4,900 credits** left of 10,000');
    await rig.slack.waitFor(
      (c) => String(c.body.text).includes('below *50%*') && String(c.body.text).includes(acc.id),
      10_000,
    );
    await use(acc.id, user, 3_000, 8 * 24); // 1,900 left: below the default 20 %, which this account does not use
    await sleep(SETTLE_MS);
    await box.drain();
    expect(box.alerts()).toHaveLength(1);

    // null goes back to the default.
    const reset = await rig.app.api('PUT', `/accounts/${acc.id}`, { ...body, alerts: null });
    expect(reset.body.alerts).toEqual({ thresholds: [0.2, 0.05] });
  }, 60_000);

  it('refuses invalid thresholds with a 400 naming the field', async () => {
    const acc = await seedAccount(rig.app);
    const put = (alerts: unknown) =>
      rig.app.api('PUT', `/accounts/${acc.id}`, {
        name: 'x',
        plan: { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 },
        alerts,
      });
    const cases: Array<[unknown, RegExp]> = [
      [{ thresholds: [0.2, 0] }, /alerts\.thresholds\[1\]: must be a share of the plan between 0 and 1/],
      [{ thresholds: [1.5] }, /alerts\.thresholds\[0\]: must be a share of the plan between 0 and 1/],
      [{ thresholds: ['20%'] }, /alerts\.thresholds\[0\]: must be a share/],
      [{ thresholds: [0.5, 0.4, 0.3, 0.2, 0.1, 0.05] }, /alerts\.thresholds: may hold at most 5 shares/],
      [{ thresholds: [0.2, 0.2] }, /alerts\.thresholds: must not repeat a share/],
      [{}, /alerts\.thresholds: must be a list of shares/],
      [[0.2], /alerts: must be an object such as/],
    ];
    for (const [alerts, reason] of cases) {
      const res = await put(alerts);
      expect(res.status, JSON.stringify(alerts)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toMatch(reason);
    }
    // Nothing was stored.
    expect((await rig.app.api('GET', `/accounts/${acc.id}/credit-state`)).body.alerts).toEqual({
      thresholds: [0.2, 0.05],
    });
  });

  it('tells the support channel when the account has no manager, in the customer’s language', async () => {
    const acc = await seedAccount(rig.app, { users: [{ name: 'Lucía', locale: 'es' }], timeZone: 'Europe/Madrid' });
    const user = acc.users[0]!.id;
    const chat = await ChatClient.open(rig.app.url, user);
    await chat.join('help', 'es-ES');
    const box = inbox(chat);
    await use(acc.id, user, 9_600, 8 * 24); // 400 left: below 20 % and 5 % at once: one message, for 5 %
    const msg = await box.until(/por debajo del \*\*5\s%\*\* de tu plan/);
    expect(msg.text).toContain('te quedan **400 créditos** de 10.000');
    expect(msg.suggestedActions?.actions.map((a) => a.title)).toEqual(['Comprar más créditos', 'Cambiar de plan']);
    const [note] = await rig.slack.waitFor(
      (c) => c.body.channel === 'C0SUPPORT' && String(c.body.text).includes(acc.id),
      10_000,
    );
    expect(String(note!.body.text)).toContain('below *5%*');
    await sleep(SETTLE_MS);
    await box.drain();
    expect(box.alerts()).toHaveLength(1);
  }, 60_000);
});

describe('low-credit alerts without Slack', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ workers: true, clock });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('tell the customer on their next visit and skip Slack cleanly', async () => {
    const acc = await seedAccount(app, { users: [{ name: 'Ana' }] });
    const user = acc.users[0]!.id;
    const res = await app.api('POST', '/usage-events', {
      events: [
        usageEvent(acc.id, { id: uid('evt'), userId: user, credits: 8_500, occurredAt: '2026-11-02T10:00:00Z' }),
      ],
    });
    expect(res.status).toBe(200);
    let alertId: string | undefined;
    for (let i = 0; i < 100 && !alertId; i++) {
      alertId = (await app.services.db.prisma.creditAlert.findFirst({ where: { accountId: acc.id, notified: true } }))
        ?.id;
      if (!alertId) await sleep(100);
    }
    expect(alertId).toBeTruthy();
    let job = await app.services.queues.slack.getJob(jobIdFor('v1.slack.credit-alert', alertId!));
    for (let i = 0; i < 50 && !job?.finishedOn; i++) {
      await sleep(100);
      job = await app.services.queues.slack.getJob(jobIdFor('v1.slack.credit-alert', alertId!));
    }
    expect(job?.returnvalue).toEqual({ skipped: 'Slack is not configured' });
    expect(job?.failedReason).toBeFalsy();

    // Never chatted: the message waits for the first visit.
    const chat = await ChatClient.open(app.url, user);
    let replies: BotMessage[] = [];
    for (let i = 0; i < 50; i++) {
      const pending = await app.services.db.prisma.pendingMessage.count({ where: { userId: user } });
      if (pending) break;
      await sleep(100);
    }
    replies = await chat.join('help');
    expect(replies.map((r) => r.text).join('\n')).toMatch(/below \*\*20%\*\* of your plan: \*\*1,500 credits\*\* left/);
  }, 30_000);
});

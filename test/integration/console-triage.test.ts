/**
 * The console as the support team's home, over HTTP on the real product (PostgreSQL, Redis, BullMQ workers, the
 * Slack and webhook stand-ins): one queue of requests and escalations with filters and search; claim, assign and
 * reassign; retry of a failed job; the account and conversation pages; and the audit trail of a request approved
 * in Slack, every step linked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../helpers/chat.ts';
import { addOperator, ConsoleBrowser, decodeLocation, queueRows } from '../helpers/console.ts';
import { askForPerson, threadRoot, waitForMessages } from '../helpers/escalations.ts';
import { seedAccount } from '../helpers/factories.ts';
import {
  approvalMessage,
  click,
  confirmPurchase,
  customer,
  MANAGER,
  type RequestsRig,
  sleep,
  startRequestsRig,
} from '../helpers/requests.ts';

let rig: RequestsRig;
const SAM = { email: 'sam@example.com', name: 'Sam Support', password: 'sam has a long passphrase' };
const ANA = { email: 'ana@example.com', name: 'Ana Second', password: 'ana has a long passphrase' };
const OTHER_MANAGER = 'U0OTHERMGR2';

beforeAll(async () => {
  rig = await startRequestsRig({ ESCALATION_SLA_MINUTES: '60' });
  await addOperator(rig.app, SAM.email, SAM.name, SAM.password);
  await addOperator(rig.app, ANA.email, ANA.name, ANA.password);
});
afterAll(async () => {
  await rig?.close();
});

async function sam() {
  const b = new ConsoleBrowser(rig.app.url);
  expect((await b.login(SAM.email, SAM.password)).status).toBe(303);
  return b;
}

const requestId = async (accountId: string) => (await rig.app.services.requests.list({ accountId }))[0]!.id;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('one queue of requests and escalations', () => {
  let buyer: Awaited<ReturnType<typeof customer>>;
  let asker: Awaited<ReturnType<typeof customer>>;
  let other: { id: string; users: Array<{ id: string; name: string }> };
  let r1: string;
  let r2: string;
  let e1: string;
  let ref1: string;
  let ref2: string;

  beforeAll(async () => {
    buyer = await customer(rig);
    ref1 = await confirmPurchase(buyer.chat, 1_200);
    r1 = await requestId(buyer.acc.id);
    asker = await customer(rig);
    await askForPerson(asker.chat, 'I want to talk to a person about an invoice');
    e1 = (await threadRoot(rig, asker.acc.id)).escalationId;
    other = await seedAccount(rig.app, {
      name: 'Zebra Industries',
      accountManager: { slackUserId: OTHER_MANAGER, name: 'Olga Other' },
      users: [{ name: 'Wanda Whitaker' }],
    });
    const chat = await ChatClient.open(rig.app.url, other.users[0]!.id);
    ref2 = await confirmPurchase(chat, 800);
    r2 = await requestId(other.id);
  });

  it('shows requests and escalations together with status, age against the SLA, assignee and account', async () => {
    const b = await sam();
    const page = await b.go('/console');
    expect(page.status).toBe(200);
    const rows = queueRows(page.html);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [r1, r2, e1]) expect(byId.has(id), id).toBe(true);
    const req = byId.get(r1)!.html;
    expect(req).toContain(ref1);
    expect(req).toContain('Quim Client');
    expect(req).toContain(`/console/accounts/${buyer.acc.id}`);
    expect(req).toMatch(/age \d+ s · due in/);
    expect(req).toContain('data-status="pending"');
    expect(req).toContain('nobody');
    expect(req).toContain('Approve');
    const esc = byId.get(e1)!.html;
    expect(esc).toContain('waiting for a person');
    expect(esc).toContain('Invoice or billing');
    expect(esc).toMatch(/pick up by/);
  });

  it('filters by kind, account, manager, overdue and status, and searches customer, account and reference', async () => {
    const b = await sam();
    const ids = async (qs: string) => queueRows((await b.go(`/console?${qs}`)).html).map((r) => r.id);
    expect(await ids('kind=escalation')).toContain(e1);
    expect((await ids('kind=escalation')).some((id) => id === r1 || id === r2)).toBe(false);
    expect(await ids(`account=${buyer.acc.id}`)).toEqual([r1]);
    expect(await ids(`manager=${OTHER_MANAGER}`)).toEqual([r2]);
    expect(await ids(`manager=${MANAGER}&kind=request`)).toContain(r1);
    expect(await ids(`manager=${MANAGER}`)).not.toContain(r2);
    expect(await ids('q=Wanda')).toEqual([r2]); // the customer
    expect(await ids('q=zebra')).toEqual([r2]); // the account's name, any case
    expect(await ids(`q=${other.id}`)).toEqual([r2]); // the account's id
    expect(await ids(`q=${ref1}`)).toEqual([r1]); // a request's reference
    expect(await ids(`q=${ref1.toLowerCase().replace('-', '')}`)).toEqual([r1]);
    const eRef = (await rig.app.services.escalations.get(e1)).reference;
    expect(await ids(`q=${eRef}`)).toEqual([e1]);
    expect(await ids('q=%25')).not.toContain(r1); // LIKE's wildcards are literal
    // Overdue: only what is past its deadline, with how long.
    expect(await ids('overdue=1&kind=request')).not.toContain(r2);
    await rig.app.services.db.sql(`UPDATE change_request SET sla_due_at = now() - interval '2 hours' WHERE id = $1`, [
      r2,
    ]);
    expect(await ids('overdue=1')).toEqual([r2]);
    const row = queueRows((await b.go('/console?overdue=1')).html)[0]!.html;
    expect(row).toMatch(/overdue by 2 h/);
    // The filter form keeps what was asked; done items are not in the open queue.
    const page = await b.go(`/console?status=all&q=zebra&overdue=1`);
    expect(page.html).toContain('value="zebra"');
    expect(page.html).toMatch(/<option value="all" selected>/);
    expect(await ids('status=done')).not.toContain(r1);
    expect(await ids('status=waiting')).toContain(e1);
    expect(await ids('status=waiting')).not.toContain(r1);
  });

  it('claims and assigns requests, reassigns escalations; the holder shows everywhere; forms need the CSRF token', async () => {
    const b = await sam();
    const forged = await b.go(`/console/requests/${r1}/claim`, { method: 'POST', form: { csrf: 'forged' } });
    expect(forged.status).toBe(403);
    const noToken = await b.go(`/console/requests/${r1}/claim`, { method: 'POST', form: {} });
    expect(noToken.status).toBe(403);

    const claimed = await b.post(`/console/requests/${r1}/claim`, { back: '/console?kind=request' });
    expect(claimed.status).toBe(303);
    expect(claimed.location).toMatch(/^\/console\?kind=request&msg=/); // back to the same filtered view
    expect(decodeLocation(claimed.location)).toContain(`${ref1} is now with you`);
    expect((await rig.app.services.requests.get(r1)).assigneeId).toBe(SAM.email);
    expect(queueRows((await b.go('/console?assignee=me')).html).map((r) => r.id)).toEqual([r1]);

    // Assign to the account manager (a Slack user): their App Home shows who has it.
    const t0 = Date.now();
    const assigned = await b.post(`/console/requests/${r1}/assign`, { assignee: MANAGER });
    expect(decodeLocation(assigned.location)).toContain('is now with Carla Manager');
    const r = await rig.app.services.requests.get(r1);
    expect(r).toMatchObject({ assigneeId: MANAGER, assigneeName: 'Carla Manager', assignedBy: SAM.name });
    await rig.slack.waitFor(
      (c) =>
        c.method === 'views.publish' &&
        c.body.user_id === MANAGER &&
        c.at >= t0 &&
        JSON.stringify(c.body.view).includes('with Carla Manager'),
      10_000,
    );
    const unknown = await b.post(`/console/requests/${r1}/assign`, { assignee: 'nobody@example.com' });
    expect(decodeLocation(unknown.location)).toContain('Pick someone');
    const none = await b.post(`/console/requests/${r1}/assign`, { assignee: '' });
    expect(decodeLocation(none.location)).toContain('is unassigned');

    // An open escalation given to Ana: she holds it, the customer is told she joined, the Slack root follows.
    const t1 = Date.now();
    const toAna = await b.post(`/console/escalations/${e1}/reassign`, { assignee: ANA.email, back: '/console' });
    expect(decodeLocation(toAna.location)).toContain('is now with Ana Second');
    expect(await rig.app.services.escalations.get(e1)).toMatchObject({ status: 'claimed', assigneeName: ANA.name });
    await waitForMessages(asker.chat, /Ana Second\*\* has joined the conversation/, 1);
    await rig.slack.waitFor(
      (c) => c.method === 'chat.update' && c.at >= t1 && JSON.stringify(c.body.blocks).includes('Ana Second'),
      10_000,
    );
    // And on to Sam: recorded as who gave it to whom.
    const toSam = await b.post(`/console/escalations/${e1}/reassign`, { assignee: SAM.email });
    expect(decodeLocation(toSam.location)).toContain('is now with Sam Support');
    const again = await b.post(`/console/escalations/${e1}/reassign`, { assignee: SAM.email });
    expect(decodeLocation(again.location)).toContain('Sam Support already has it');
    const page = await b.go(`/console/escalations/${e1}`);
    expect(page.html).toContain('Sam Support gave the conversation to Ana Second');
    expect(page.html).toContain('Sam Support gave the conversation to Sam Support');
    const row = queueRows(
      (await b.go(`/console?q=${(await rig.app.services.escalations.get(e1)).reference}`)).html,
    )[0]!;
    expect(row.html).toContain('held by Sam Support');
    expect(row.html).toContain(`data-assignee="${SAM.email}"`);

    const trail = await b.go(`/console/escalations/${e1}/trail`);
    expect(trail.status).toBe(200);
    for (const kind of ['chat', 'escalation', 'slack', 'job', 'assignment'])
      expect(trail.html, kind).toContain(`data-trail="${kind}"`);
    expect(trail.html).toContain('gave it to Ana Second');
    expect(trail.html).toContain('v1.escalations.open-thread');
  });

  it('approves from the queue and the item leaves the open queue', async () => {
    const b = await sam();
    const approved = await b.post(`/console/requests/${r2}/approve`, { back: `/console?account=${other.id}` });
    expect(decodeLocation(approved.location)).toContain(`${ref2} approved`);
    expect(queueRows((await b.go(`/console?account=${other.id}`)).html)).toEqual([]);
    const done = queueRows((await b.go(`/console?account=${other.id}&status=done`)).html);
    expect(done.map((r) => r.id)).toEqual([r2]);
    expect(done[0]!.html).toContain('approved by Sam Support');
    expect(done[0]!.html).toMatch(/SLA missed by 2 h/);
  });
});

describe('failed jobs', () => {
  it('are listed with what they were about and retried from the console (CSRF-checked), once', async () => {
    const { acc, chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 900);
    const id = await requestId(acc.id);
    rig.webhook.setResponse(422, '{"error":"unknown account"}'); // a 4xx stops the webhook: a failed job
    const b = await sam();
    await b.post(`/console/requests/${id}/approve`);
    const platform = rig.app.services.queues.platform;
    const job = await until('the webhook job to fail', async () =>
      (await platform.getJobs(['failed'])).find((j) => j?.data?.requestId === id),
    );

    const list = await b.go('/console/jobs?queue=platform');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`data-failed-job="${job.id}"`);
    expect(list.html).toContain('v1.platform.request-approved');
    expect(list.html).toContain('Platform webhook answered 422');
    expect(list.html).toContain(`/console/requests/${id}/trail`);
    const trail = await b.go(`/console/requests/${id}/trail`);
    expect(trail.html).toContain('data-job-state="failed"');
    expect(trail.html).toContain('Platform webhook not delivered');

    // The queue board is read-only: retries go through the CSRF-checked form.
    const forged = await b.go('/console/jobs/retry', {
      method: 'POST',
      form: { csrf: 'nope', queue: 'platform', id: job.id! },
    });
    expect(forged.status).toBe(403);
    expect(await job.isFailed()).toBe(true);

    rig.webhook.setResponse(200);
    const before = rig.webhook.accepted().length;
    const retried = await b.post('/console/jobs/retry', { queue: 'platform', id: job.id! });
    expect(retried.status).toBe(303);
    expect(decodeLocation(retried.location)).toContain('v1.platform.request-approved is queued again');
    await until('the webhook', async () => rig.webhook.accepted().length > before);
    const delivery = rig.webhook.accepted().at(-1)!;
    expect(delivery.json).toMatchObject({ event: 'request.approved', reference: ref });
    await until('the job to complete', async () => (await platform.getJob(job.id!))?.isCompleted());
    expect((await b.go('/console/jobs?queue=platform')).html).not.toContain(`data-failed-job="${job.id}"`);
    const again = await b.post('/console/jobs/retry', { queue: 'platform', id: job.id! });
    expect(decodeLocation(again.location)).toMatch(/is not failed \(completed\)/);
    const after = await b.go(`/console/requests/${id}/trail`);
    expect(after.html).toContain('Platform webhook delivered');
    await sleep(300);
    expect(rig.webhook.accepted().filter((d) => (d.json as { reference?: string }).reference === ref)).toHaveLength(1);
  });
});

describe('account and conversation pages', () => {
  it("show the account's credit state, its items and conversations, and a conversation's transcript with the escalation", async () => {
    const { acc, chat } = await customer(rig);
    await rig.app.api('PUT', `/accounts/${acc.id}`, {
      name: 'Acme <script>alert(1)</script>',
      timeZone: 'America/New_York',
      plan: { name: 'Growth', monthlyCredits: 10_000, price: { amount: 44_900, currency: 'EUR' }, identities: 5 },
      accountManager: { slackUserId: MANAGER, name: 'Carla Manager' },
    });
    const ref = await confirmPurchase(chat, 1_500);
    await askForPerson(chat, 'I want to talk to a person about my plan');
    const root = await threadRoot(rig, acc.id);
    const b = await sam();
    await b.post(`/console/escalations/${root.escalationId}/reply`, {
      text: 'Hello Quim <b>, Sam here.',
      nonce: crypto.randomUUID(),
    });
    await b.post(`/console/escalations/${root.escalationId}/reply`, {
      text: 'checked the invoice',
      internal: '1',
      nonce: crypto.randomUUID(),
    });
    await waitForMessages(chat, /Sam Support:.*Sam here/, 1);

    const page = await b.go(`/console/accounts/${acc.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).toContain('data-credit-state');
    expect(page.html).toContain('10,000'); // the balance
    expect(page.html).toContain('America/New_York');
    expect(page.html).toMatch(/GMT-[45]\b/); // dates in the account's time zone (New York)
    const rows = queueRows(page.html);
    expect(rows.map((r) => r.kind).sort()).toEqual(['escalation', 'request']);
    expect(page.html).toContain(ref);
    expect(page.html).toContain(`data-conversation="${chat.conversationId}"`);
    expect(page.html).toContain('Quim Client');

    const conv = await b.go(`/console/conversations/${encodeURIComponent(chat.conversationId)}`);
    expect(conv.status).toBe(200);
    expect(conv.html).toContain('I want to buy 1500 credits');
    expect(conv.html).toContain('I want to talk to a person about my plan');
    expect(conv.html).toMatch(/Sam Support.*Hello Quim \\?&lt;b\\?&gt;, Sam here\./); // the reply as the chat got it, escaped
    expect(conv.html).not.toContain('Quim <b>');
    expect(conv.html.match(/Sam here/g)).toHaveLength(1); // once: from the chat, not again from the escalation
    expect(conv.html).toContain('(internal note)');
    expect(conv.html).toContain('checked the invoice');
    expect(conv.html).toContain(`/console/requests/${await requestId(acc.id)}/trail`);
    expect(conv.html).toContain(`/console/escalations/${root.escalationId}`);
    expect(conv.html).toMatch(/id="seq-\d+"/);

    const missing = await b.go('/console/accounts/acc_nobody_has_this');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Unknown account &#39;acc_nobody_has_this&#39;');
    expect((await b.go('/console/conversations/nope')).status).toBe(404);
    // What PostgreSQL cannot hold filters nothing and finds nothing, never a 500.
    expect((await b.go('/console/accounts/a%00b')).status).toBe(404);
    expect((await b.go('/console/conversations/%ED%A0%80')).status).toBeLessThan(500);
    for (const qs of ['q=%00', 'account=x%00', 'manager=%00', 'assignee=%00', 'q=a&q=b', 'status[]=x'])
      expect((await b.go(`/console?${qs}`)).status, qs).toBe(200);
    expect((await new ConsoleBrowser(rig.app.url).go(`/console/accounts/${acc.id}`)).location).toBe('/console/login');
  });
});

describe('the audit trail of a request approved in Slack', () => {
  it('links the chat turns, the request, its jobs, the Slack decision, the ledger change, the notice and the webhook', async () => {
    const { acc, chat } = await customer(rig);
    const ref = await confirmPurchase(chat, 2_500);
    const id = await requestId(acc.id);
    const post = await approvalMessage(rig.slack, ref);
    const before = rig.webhook.accepted().length;
    expect((await click(rig, post, 'request_approve', MANAGER)).status).toBe(200);
    await chat.waitFor(/approved by Carla Manager/);
    await until('the webhook', async () =>
      rig.webhook.accepted().some((d, i) => i >= before && (d.json as { reference?: string }).reference === ref),
    );
    const done = (n: string) =>
      rig.app.services.db.sql('SELECT 1 FROM side_effect WHERE key = $1', [n]).then((r) => r.rowCount === 1);
    await until(
      'the side effects',
      async () => (await done(`webhook:${id}`)) && (await done(`customer-notified:${id}`)),
    );

    const b = await sam();
    const trail = await b.go(`/console/requests/${id}/trail`);
    expect(trail.status).toBe(200);
    const entries = [...trail.html.matchAll(/<li data-trail="(\w+)"( class="missing")?>([\s\S]*?)<\/li>/g)].map(
      (m) => ({
        kind: m[1]!,
        missing: !!m[2],
        html: m[3]!,
      }),
    );
    const of = (kind: string) => entries.filter((e) => e.kind === kind);
    expect(entries.filter((e) => e.missing)).toEqual([]);
    // The chat turns that led to it, each linking to its place in the conversation.
    const said = of('chat').find((e) => e.html.includes('I want to buy 2500 credits'))!;
    expect(said.html).toMatch(new RegExp(`href="/console/conversations/${chat.conversationId}#seq-\\d+"`));
    // The request.
    expect(of('request')[0]!.html).toContain(`${ref} created`);
    expect(of('request')[0]!.html).toContain('idempotency key');
    // Its jobs: written to the outbox, relayed, and their state in BullMQ.
    for (const job of [
      'v1.requests.notify-approver',
      'v1.requests.sla-check',
      'v1.requests.update-approver-message',
      'v1.requests.notify-customer',
      'v1.platform.request-approved',
      'v1.slack.publish-home',
    ]) {
      const e = of('job').find((x) => x.html.includes(`>${job}<`));
      expect(e, job).toBeTruthy();
      expect(e!.html, job).toContain('relayed to BullMQ');
      expect(e!.html, job).toMatch(/data-job-state="(completed|delayed)"/);
    }
    // The Slack message and the decision taken there.
    const response = post.response.body as { channel: string; ts: string };
    expect(of('slack')[0]!.html).toContain(response.ts);
    expect(of('slack')[0]!.html).toContain(response.channel);
    expect(of('decision')[0]!.html).toContain('in Slack');
    expect(of('decision')[0]!.html).toContain(MANAGER);
    // The ledger change: the grant of the approval.
    expect(of('ledger')[0]!.html).toContain(`req_${id}`);
    expect(of('ledger')[0]!.html).toContain('2,500 addon credits');
    // The customer told (the notice and its place in the chat) and the webhook sent.
    expect(of('notice').some((e) => e.html.includes('The customer was told'))).toBe(true);
    expect(of('notice').some((e) => e.html.includes('#seq-'))).toBe(true);
    expect(of('webhook')[0]!.html).toContain('Platform webhook delivered');
    expect(of('webhook')[0]!.html).toContain('the platform answered 200');
    // Every link on the trail opens.
    const links = [
      ...new Set([...trail.html.matchAll(/href="(\/console\/[^"#]*)/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))),
    ];
    for (const link of links.filter((l) => !l.startsWith('/console/queues'))) {
      const res = await b.go(link);
      expect(res.status, link).toBe(200);
    }
  });
});

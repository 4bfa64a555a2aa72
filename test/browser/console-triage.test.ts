/**
 * The console as the support team's home, in real browsers (Debian's Chromium through playwright-core): a
 * customer confirms a Buy More request and asks for a person in the demo page's Web Chat; an agent is refused
 * with a wrong password, logs in, sees the request and the escalation in the one queue, filters it, is refused a
 * form without its CSRF token, approves the request, answers the customer and resolves the escalation; both
 * leave the open queue and the customer reads the decision and the answer in the chat. Screenshots in
 * test-results/browser/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/console/auth.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/browser');
const EMAIL = 'triage@example.com';
const PASSWORD = 'a long and proper triage passphrase';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH.`);
  mkdirSync(OUT, { recursive: true });
  app = await startTestApp({
    ownDatabase: true,
    workers: true,
    env: { NODE_ENV: 'development', DEMO_ENABLED: 'true' },
  });
  await seedDemo({ db: app.services.db, clock: app.services.clock });
  await app.services.db.prisma.operator.create({
    data: { email: EMAIL, name: 'Sam Support', passwordHash: await hashPassword(PASSWORD) },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function send(page: Page, text: string) {
  const input = page.getByTestId('webchat').locator('[data-id="webchat-sendbox-input"]');
  await input.waitFor({ timeout: 20_000 });
  await input.fill(text);
  await input.press('Enter');
}

describe('the console as the support team’s home', () => {
  it('one queue, filtered; a request approved and an escalation answered leave it; the customer reads both', async () => {
    const customer = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const agent = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const errors: string[] = [];
    customer.on('pageerror', (e) => errors.push(`customer: ${e.message}`));
    agent.on('pageerror', (e) => errors.push(`agent: ${e.message}`));
    // A Content-Security-Policy violation (a third-party asset, an inline script) is a console error.
    agent.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push(`agent console: ${m.text()}`);
    });
    agent.on('response', (r) => {
      if (r.status() === 404) errors.push(`agent: 404 for ${r.url()}`);
    });
    try {
      // The customer: a Buy More request, then a person.
      await customer.goto(`${app.url}/`);
      await customer.getByTestId('buy-more').first().click();
      const chat = customer.getByTestId('webchat');
      await chat.waitFor({ state: 'visible', timeout: 20_000 });
      await chat
        .getByText(/14\.931|14,931/)
        .first()
        .waitFor({ timeout: 30_000 });
      await send(customer, 'I want to buy 5000 credits');
      const confirm = chat.getByRole('button', { name: /Confirm request/ }).last();
      await confirm.waitFor({ timeout: 30_000 });
      await confirm.click();
      const confirmed = chat.getByText(/R-[0-9A-F]{6}/).last();
      await confirmed.waitFor({ timeout: 30_000 });
      const ref = /R-[0-9A-F]{6}/.exec((await confirmed.textContent()) ?? '')![0];
      await send(customer, 'I want to talk to a person about a discount');
      await chat
        .getByText(/answer right here/)
        .first()
        .waitFor({ timeout: 30_000 });

      // The agent: a wrong password is refused, the right one opens the queue.
      await agent.goto(`${app.url}/console`);
      await agent.locator('#email').fill(EMAIL);
      await agent.locator('#password').fill('not the password');
      await agent.getByRole('button', { name: 'Log in' }).click();
      await agent.getByText('Wrong email or password.').waitFor({ timeout: 10_000 });
      expect(agent.url()).toContain('/console/login');
      await agent.locator('#email').fill(EMAIL);
      await agent.locator('#password').fill(PASSWORD);
      await agent.getByRole('button', { name: 'Log in' }).click();

      // One queue: the request and the escalation together.
      const requestRow = agent.locator('tr[data-request]', { hasText: ref });
      const escalationRow = agent.locator('tr[data-escalation]', { hasText: 'Laura Martín' });
      await requestRow.waitFor({ timeout: 20_000 });
      await escalationRow.waitFor({ timeout: 20_000 });
      expect(await requestRow.textContent()).toMatch(/Buy 5,000 credits/);
      expect(await requestRow.textContent()).toMatch(/due in/);
      expect(await escalationRow.textContent()).toMatch(/waiting for a person/);
      await agent.screenshot({ path: path.join(OUT, 'console-queue.png'), fullPage: true });

      // Filters: escalations only, then a search for the customer shows both again.
      await agent.locator('select[name="kind"]').selectOption('escalation');
      await agent.getByRole('button', { name: 'Filter' }).click();
      await agent.waitForURL(/kind=escalation/);
      expect(await agent.locator('tr[data-request]').count()).toBe(0);
      expect(await agent.locator('tr[data-escalation]').count()).toBeGreaterThan(0);
      await agent.locator('select[name="kind"]').selectOption('');
      await agent.locator('input[name="q"]').fill('Laura');
      await agent.getByRole('button', { name: 'Filter' }).click();
      await agent.waitForURL(/q=Laura/);
      await requestRow.waitFor();
      await escalationRow.waitFor();
      await agent.screenshot({ path: path.join(OUT, 'console-queue-filtered.png'), fullPage: true });

      // A form without its CSRF token is refused, and nothing changes.
      await requestRow.locator('form[action$="/claim"] input[name="csrf"]').evaluate((el) => el.remove());
      await requestRow.getByRole('button', { name: 'Claim' }).click();
      await agent.getByText('CSRF check failed').waitFor({ timeout: 10_000 });
      await agent.goBack();
      await agent.reload();
      expect(await requestRow.locator('[data-assignee]').textContent()).toContain('nobody');

      // Approve the request: it leaves the open queue (the filters are kept).
      await requestRow.getByRole('button', { name: 'Approve' }).click();
      await agent.getByText(`${ref} approved.`).waitFor({ timeout: 10_000 });
      expect(agent.url()).toContain('q=Laura');
      expect(await requestRow.count()).toBe(0);

      // Answer the escalation and resolve it: it leaves the open queue too.
      await escalationRow.locator('a').first().click();
      await agent
        .locator('#reply-text')
        .fill('Hi Laura, Sam here: your 5,000 credits are approved, and 10% off Scale is yours.');
      await agent.getByRole('button', { name: 'Send' }).click();
      await agent.getByText('Sent to the customer.').waitFor({ timeout: 10_000 });
      await agent.getByRole('button', { name: 'Resolve' }).click();
      await agent.getByText('Resolved.').waitFor({ timeout: 10_000 });
      await agent.getByRole('link', { name: 'Back to the queue' }).click();
      await agent.getByText('Nothing is waiting').waitFor({ timeout: 10_000 });
      expect(await agent.locator('tr[data-request], tr[data-escalation]').count()).toBe(0);
      await agent.screenshot({ path: path.join(OUT, 'console-queue-empty.png'), fullPage: true });

      // Done, with their audit trail.
      await agent.goto(`${app.url}/console?status=done&q=Laura`);
      await requestRow.waitFor();
      await requestRow.getByRole('link', { name: 'Audit trail' }).click();
      await agent.locator('li[data-trail="decision"]').waitFor({ timeout: 10_000 });
      expect(await agent.locator('li[data-trail="ledger"]').textContent()).toMatch(/5,000 addon credits/);
      await agent.screenshot({ path: path.join(OUT, 'console-trail.png'), fullPage: true });
      // The conversation: the chat as the customer had it, with the person's reply once.
      await agent.getByRole('link', { name: 'the conversation' }).click();
      await agent.locator('.transcript').getByText('I want to buy 5000 credits').waitFor({ timeout: 10_000 });
      expect((await agent.locator('.transcript').textContent())?.match(/10% off Scale is yours/g)).toHaveLength(1);
      await agent.screenshot({ path: path.join(OUT, 'console-conversation.png'), fullPage: true });

      // The customer reads the decision and the answer in their chat.
      await chat
        .getByText(new RegExp(`${ref}.*approved`))
        .first()
        .waitFor({ timeout: 30_000 });
      await chat
        .getByText(/Sam Support:.*10% off Scale is yours/)
        .first()
        .waitFor({ timeout: 30_000 });
      await chat
        .getByText(/marked this as resolved/)
        .first()
        .waitFor({ timeout: 30_000 });
      await customer.screenshot({ path: path.join(OUT, 'chat-triage.png') });
      expect(errors).toEqual([]);
    } finally {
      await customer.close();
      await agent.close();
    }
  }, 240_000);
});

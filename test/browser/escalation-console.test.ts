/**
 * Escalation without Slack, in real browsers (Debian's Chromium): the customer asks for a person in the demo
 * page's Web Chat; a support agent logs in to the console, finds the escalation, reads the chat that led to it
 * and answers; the customer reads the answer under the agent's name; the agent hands back and the bot answers
 * again. Screenshots in test-results/browser/.
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
const EMAIL = 'agent@example.com';
const PASSWORD = 'a long and proper passphrase';

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

describe('a customer asks for a person; support answers from the console', () => {
  it('carries the conversation both ways and hands it back to the bot', async () => {
    const customer = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const agent = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const errors: string[] = [];
    customer.on('pageerror', (e) => errors.push(e.message));
    agent.on('pageerror', (e) => errors.push(e.message));
    try {
      await customer.goto(`${app.url}/`);
      await customer.getByTestId('buy-more').first().click();
      const chat = customer.getByTestId('webchat');
      await chat.waitFor({ state: 'visible', timeout: 20_000 });
      await chat
        .getByText(/14\.931|14,931/)
        .first()
        .waitFor({ timeout: 30_000 });
      await send(customer, 'I want to talk to a person about a discount');
      await chat
        .getByText(/answer right here/)
        .first()
        .waitFor({ timeout: 30_000 });
      await send(customer, 'we need about 20000 more credits every month');

      // The agent logs in and finds the escalation on the console's home.
      await agent.goto(`${app.url}/console`);
      await agent.locator('#email').fill(EMAIL);
      await agent.locator('#password').fill(PASSWORD);
      await agent.getByRole('button', { name: 'Log in' }).click();
      const row = agent.locator('tr[data-escalation]').first();
      await row.waitFor({ timeout: 20_000 });
      expect(await row.textContent()).toContain('Laura Martín');
      await row.locator('a').first().click(); // the escalation's page (the row also links the account, the trail...)
      // The chat that led here and what the customer said since.
      await agent.getByText('we need about 20000 more credits every month').waitFor({ timeout: 20_000 });
      expect(await agent.locator('.transcript').textContent()).toContain('I want to talk to a person about a discount');
      await agent.locator('#reply-text').fill('Hi Laura, Sam here: I can offer the Scale plan at 10% off.');
      await agent.getByRole('button', { name: 'Send' }).click();
      await agent.getByText('Sent to the customer.').waitFor({ timeout: 10_000 });
      await agent.screenshot({ path: path.join(OUT, 'console-escalation.png'), fullPage: true });

      // The customer reads it under the agent's name.
      await chat
        .getByText(/Sam Support:.*Scale plan at 10% off/)
        .first()
        .waitFor({ timeout: 30_000 });
      await customer.screenshot({ path: path.join(OUT, 'chat-escalation.png') });

      // Back to the bot.
      await agent.getByRole('button', { name: 'Hand back to the bot' }).click();
      await agent.getByText('Handed back to the bot.').waitFor({ timeout: 10_000 });
      await chat
        .getByText(/handed the conversation back to me/)
        .first()
        .waitFor({ timeout: 30_000 });
      await send(customer, 'how many credits are left?');
      await chat
        .getByText(/You have 14,931 credits available right now/)
        .first()
        .waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
    } finally {
      await customer.close();
      await agent.close();
    }
  }, 180_000);
});

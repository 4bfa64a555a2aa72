/**
 * The chat page in a real browser: headless Chromium (Debian's) opens GET /, the demo of the View Usage page,
 * presses Buy More, asks in the official Web Chat how many credits are left, and sees the exact balance.
 * Saves screenshots to test-results/browser/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/browser');

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(OUT, { recursive: true });
  app = await startTestApp({ ownDatabase: true, env: { NODE_ENV: 'development', DEMO_ENABLED: 'true' } });
  await seedDemo({ db: app.services.db, clock: app.services.clock });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('View Usage page with Web Chat', () => {
  it('shows the plan card, opens the chat from Buy More and answers the balance exactly', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${app.url}/`);
      // The plan card, built from the credit-state API (account locale es: 14.931).
      await expect.poll(() => page.getByTestId('balance').textContent(), { timeout: 20_000 }).toContain('14.931');
      expect(await page.getByTestId('accumulated').textContent()).toContain('4.931');
      expect(await page.getByTestId('plan-credits').textContent()).toContain('10.000');
      expect(await page.getByTestId('identities').textContent()).toContain('5');
      expect(await page.getByTestId('price').textContent()).toMatch(/449\s*€/);

      await page.getByTestId('buy-more').first().click();
      const chat = page.getByTestId('webchat');
      await chat.waitFor({ state: 'visible', timeout: 20_000 });
      // The bot opens with the account's state and the packs on offer (webchat/join, origin buy_more).
      await chat
        .getByText(/14\.931 créditos|14,931 credits/)
        .first()
        .waitFor({ timeout: 30_000 });

      const input = chat.locator('[data-id="webchat-sendbox-input"]');
      await input.waitFor({ timeout: 20_000 });
      await input.fill('how many credits are left?');
      await input.press('Enter');
      await chat
        .getByText('You have 14,931 credits available right now', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUT, 'view-usage-chat.png'), fullPage: false });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});

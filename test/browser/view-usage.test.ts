/**
 * The chat page in a real browser: headless Chromium (Debian's) opens GET /, the demo of the View Usage page,
 * presses Buy More, asks in the official Web Chat how many credits are left, and sees the exact balance; all of it
 * under the page's Content-Security-Policy, with no violation. The console's queue board renders under its own.
 * Saves screenshots to test-results/browser/.
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

const OPERATOR = 'browser@example.com';
const PASSWORD = 'browser test passphrase';

let app: TestApp;
let browser: Browser;

/** Content-Security-Policy violations the page reports (the event, and Chromium's console line). */
async function watchPolicy(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return async () => [
    ...seen,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
  ];
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(OUT, { recursive: true });
  app = await startTestApp({ ownDatabase: true, env: { NODE_ENV: 'development', DEMO_ENABLED: 'true' } });
  await seedDemo({ db: app.services.db, clock: app.services.clock });
  await app.services.db.sql(`INSERT INTO operator (email, name, password_hash) VALUES ($1, 'Support', $2)`, [
    OPERATOR,
    await hashPassword(PASSWORD),
  ]);
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
    const violations = await watchPolicy(page);
    try {
      const response = await page.goto(`${app.url}/`);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
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
      expect(await violations()).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the console and its queue board work under their Content-Security-Policy, without third-party fonts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(app.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const violations = await watchPolicy(page);
    try {
      const login = await page.goto(`${app.url}/console/login`);
      expect(login?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await page.fill('#email', OPERATOR);
      await page.fill('#password', PASSWORD);
      await page.click('button[type=submit]');
      await page.locator('h2', { hasText: 'Open (waiting on support)' }).waitFor({ timeout: 20_000 }); // the one queue
      await page.goto(`${app.url}/console/queues/`);
      await page.getByText('credits', { exact: false }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUT, 'console-queues.png'), fullPage: false });
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      expect(await violations()).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});

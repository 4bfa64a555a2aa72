/**
 * Answers that are more than text, in a real browser (Debian's Chromium through playwright-core) on the demo
 * View Usage page: the chat greets in the visitor's language (an English browser on a Spanish account), shows a
 * time series as a chart (an SVG image attachment, decoded), offers the usage as a CSV link whose file adds up
 * to the credit state's usedThisPeriod, and the page's own Export CSV control downloads the same figures.
 * Screenshots go to test-results/browser/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Download, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { parseCsv } from '../../src/shared/csv.ts';
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

/** Credits per row of a by-day CSV file (header skipped, byte order mark tolerated). */
async function creditsIn(download: Download): Promise<{ total: number; header: string[] }> {
  const file = await download.path();
  const rows = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  return { header: rows[0]!, total: rows.slice(1).reduce((s, r) => s + Number(r[1]), 0) };
}

async function ask(page: Page, text: string) {
  const input = page.getByTestId('webchat').locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

describe('chat answers in the browser', () => {
  it('greets in the visitor language, charts a time series, and exports CSV that adds up', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'en-GB',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing is fetched from another origin (no CDN): the page and the chat work offline.
    const foreign: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['blob:', 'data:'].includes(u.protocol) && u.origin !== new URL(app.url).origin) foreign.push(r.url());
    });
    try {
      await page.goto(`${app.url}/`);
      const state = (await (await page.request.get(`${app.url}/demo/api/credit-state`)).json()) as {
        credits: { usedThisPeriod: number };
      };
      expect(state.credits.usedThisPeriod).toBeGreaterThan(0);

      await page.getByTestId('help-button').click();
      const chat = page.getByTestId('webchat');
      await chat.waitFor({ state: 'visible', timeout: 20_000 });
      // The account is Spanish (14.931 on the page), the visitor's browser English: the chat greets in English.
      await chat
        .getByText(/^Hi Laura! You have 14,931 credits available/)
        .first()
        .waitFor({ timeout: 30_000 });

      // A time series: the chart is an image in the transcript, loaded and decoded.
      await ask(page, 'show me my credit usage this period as a chart');
      const chart = chat.locator('img[alt^="Credits per day"]').first();
      await chart.waitFor({ state: 'visible', timeout: 30_000 });
      await expect
        .poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), {
          timeout: 10_000,
        })
        .toBe(true);
      expect(await chart.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBe(600);
      await chart.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(OUT, 'chat-chart.png') });
      await chart.screenshot({ path: path.join(OUT, 'chat-chart-image.png') });

      // An export: the link in the chat downloads a by-day CSV whose credits add up to usedThisPeriod.
      await ask(page, 'export my usage as csv');
      const link = chat.getByRole('link', { name: /CSV by day/ }).first();
      await link.waitFor({ timeout: 30_000 });
      const href = await link.getAttribute('href');
      expect(href).toMatch(new RegExp(`^${app.url}/exports/usage\\.csv\\?account=`));
      // Web Chat opens links in a new tab; the file arrives as a download there (or on the page).
      const download = await Promise.race([
        page.waitForEvent('download', { timeout: 20_000 }),
        context
          .waitForEvent('page', { timeout: 20_000 })
          .then((tab) => tab.waitForEvent('download', { timeout: 20_000 })),
        link.click().then(() => new Promise<never>(() => {})),
      ]);
      expect(download.suggestedFilename()).toMatch(/^usage-.*-by-day\.csv$/);
      const fromChat = await creditsIn(download);
      expect(fromChat.header).toEqual(['date', 'credits', 'conversations']);
      expect(fromChat.total).toBe(state.credits.usedThisPeriod);
      await page.screenshot({ path: path.join(OUT, 'chat-export.png') });

      // The page's own control: this period, by day.
      await page.bringToFront();
      const [fromPage] = await Promise.all([
        page.waitForEvent('download', { timeout: 20_000 }),
        page.getByTestId('export-csv').click(),
      ]);
      expect((await creditsIn(fromPage)).total).toBe(state.credits.usedThisPeriod);

      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);
});

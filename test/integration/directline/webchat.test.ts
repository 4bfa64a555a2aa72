/**
 * The official Web Chat UI (botframework-webchat's browser bundle) in headless Chromium against our Direct Line:
 * a message typed in the send box is sent, echoed back (no "Send failed"), and the bot's reply is rendered.
 * Skipped where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DlTestServer, startDirectLineTestServer } from '../../helpers/directline-client.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUNDLE = fileURLToPath(new URL('../../../node_modules/botframework-webchat/dist/webchat.js', import.meta.url));

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Direct Line test</title></head>
<body style="margin:0"><div id="webchat" style="height:100vh"></div>
<script src="/webchat.js"></script>
<script>
  const p = new URLSearchParams(location.search);
  window.WebChat.renderWebChat({
    directLine: window.WebChat.createDirectLine({
      token: p.get('token'),
      domain: location.origin + '/v3/directline',
      webSocket: p.get('ws') === '1',
    }),
    locale: 'en-US',
  }, document.getElementById('webchat'));
</script></body></html>`;

describe.skipIf(!existsSync(CHROMIUM))('Web Chat in headless Chromium', () => {
  let s: DlTestServer;
  let browser: Browser;
  let userId: string;

  beforeAll(async () => {
    s = await startDirectLineTestServer({
      configure(app) {
        app.get('/webchat.js', (_req, res) => res.sendFile(BUNDLE));
        app.get('/chat', (_req, res) => res.type('html').send(PAGE));
      },
    });
    userId = (await s.seedUser({ name: 'Laura' })).id;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  for (const ws of [false, true]) {
    it(`sends a message and shows the bot's reply (webSocket: ${ws})`, async () => {
      const { token, conversationId } = await s.generate(userId);
      const page = await browser.newPage();
      try {
        await page.goto(`${s.url}/chat?ws=${ws ? 1 : 0}&token=${encodeURIComponent(token)}`);
        const input = page.locator('[data-id="webchat-sendbox-input"]');
        await input.waitFor({ timeout: 20_000 });
        const text = `hello from chromium ${ws ? 'ws' : 'polling'}`;
        await input.fill(text);
        await input.press('Enter');
        await page.getByText(`echo: ${text}`).first().waitFor({ timeout: 20_000 });
        // Web Chat saw its own message come back (matched by clientActivityID): not left "Sending", no failure.
        await expect.poll(() => page.getByText(/^Sending/).count(), { timeout: 5_000 }).toBe(0);
        expect(await page.getByText(/send failed/i).count()).toBe(0);
        const mine = s.requests.filter((r) => r.includes(conversationId));
        expect(mine).toContain(`POST /v3/directline/conversations/${conversationId}/activities`);
        const polls = mine.filter((r) => r === `GET /v3/directline/conversations/${conversationId}/activities`);
        if (ws) expect(polls).toEqual([]);
        else expect(polls.length).toBeGreaterThan(0);
        const stored = s.seen.find((x) => x.activity.text === text)!.activity;
        expect(stored.from).toMatchObject({ id: userId, name: 'Laura', role: 'user' });
        expect((stored.channelData as { clientActivityID?: string }).clientActivityID).toBeTruthy();
      } finally {
        await page.close();
      }
    });
  }
});

/**
 * /console without Slack: a real login (scrypt hashes, sessions, CSRF), pending requests listed and decided,
 * the customer told in the chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/console/auth.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { ChatClient, textOf } from '../helpers/chat.ts';
import { seedAccount } from '../helpers/factories.ts';
import { confirmPurchase } from '../helpers/requests.ts';

let app: TestApp;
const EMAIL = 'support@example.com';
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  app = await startTestApp({ workers: true, ownDatabase: true }); // Buy More depends on the global catalog
  await app.services.db.sql(
    `INSERT INTO operator (email, name, password_hash) VALUES ($1, 'Support', $2)
     ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash`,
    [EMAIL, await hashPassword(PASSWORD)],
  );
});
afterAll(async () => {
  await app?.close();
});

class Browser {
  jar = new Map<string, string>();
  constructor(readonly base: string) {}
  async go(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/.test(c)) this.jar.delete(k!);
      else this.jar.set(k!, v ?? '');
    }
    return {
      status: res.status,
      location: res.headers.get('location'),
      html: await res.text(),
      cookie: res.headers.getSetCookie(),
    };
  }
  static csrf(html: string) {
    return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }
  async login(email = EMAIL, password = PASSWORD) {
    const page = await this.go('/console/login');
    return this.go('/console/login', { method: 'POST', form: { csrf: Browser.csrf(page.html), email, password } });
  }
}

describe('support console', () => {
  it('requires a login, refuses wrong passwords and missing CSRF tokens, and sets a safe session cookie', async () => {
    const b = new Browser(app.url);
    expect((await b.go('/console')).location).toBe('/console/login');
    const page = await b.go('/console/login');
    expect(page.status).toBe(200);
    const noCsrf = await b.go('/console/login', { method: 'POST', form: { email: EMAIL, password: PASSWORD } });
    expect(noCsrf.status).toBe(403);
    const wrong = await b.login(EMAIL, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('Wrong email or password');
    const ok = await b.login();
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/console');
    const cookie = ok.cookie.find((c) => c.startsWith('cb_console='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const stored = await app.services.db.sql<{ password_hash: string }>(
      'SELECT password_hash FROM operator WHERE email = $1',
      [EMAIL],
    );
    expect(stored.rows[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0]!.password_hash).not.toContain(PASSWORD);
  });

  it('lists pending requests and decides them; the customer is told in the chat', async () => {
    const acc = await seedAccount(app, {
      users: [{ name: 'Nora Client' }],
      accountManager: { slackUserId: 'U0NOSLACK1', name: 'Mia AM' },
    });
    const chat = await ChatClient.open(app.url, acc.users[0]!.id);
    const refA = await confirmPurchase(chat, 1_500);
    const refB = await confirmPurchase(chat, 900);

    const b = new Browser(app.url);
    await b.login();
    const list = await b.go('/console');
    expect(list.status).toBe(200);
    expect(list.html).toContain(refA);
    expect(list.html).toContain(refB);
    const csrf = Browser.csrf(list.html);
    const idA = new RegExp(`data-request="([0-9a-f-]{36})"><td><strong>${refA}`).exec(list.html)![1]!;
    const idB = new RegExp(`data-request="([0-9a-f-]{36})"><td><strong>${refB}`).exec(list.html)![1]!;

    const forged = await b.go(`/console/requests/${idA}/approve`, { method: 'POST', form: { csrf: 'forged' } });
    expect(forged.status).toBe(403);
    const approved = await b.go(`/console/requests/${idA}/approve`, { method: 'POST', form: { csrf } });
    expect(approved.status).toBe(303);
    expect(decodeURIComponent(approved.location!)).toContain(`${refA} approved`);
    await chat.waitFor(new RegExp(`${refA}.*approved`));
    const s = (await app.api('GET', `/accounts/${acc.id}/credit-state`)).body;
    expect(s.credits.addOn).toBe(1_500);

    const noReason = await b.go(`/console/requests/${idB}/reject`, { method: 'POST', form: { csrf, reason: ' ' } });
    expect(decodeURIComponent(noReason.location!)).toContain('A reason is needed');
    await b.go(`/console/requests/${idB}/reject`, { method: 'POST', form: { csrf, reason: 'Please upgrade instead' } });
    const note = await chat.waitFor(new RegExp(`${refB}.*not approved`));
    expect(note.text).toContain('Please upgrade instead');
    const again = await b.go(`/console/requests/${idA}/reject`, { method: 'POST', form: { csrf, reason: 'late' } });
    expect(decodeURIComponent(again.location!)).toContain('already approved');
    expect(textOf(await chat.say('status of my requests'))).toMatch(/rejected/);
  });

  it('logs out, and the session stops working', async () => {
    const b = new Browser(app.url);
    await b.login();
    const page = await b.go('/console');
    const out = await b.go('/console/logout', { method: 'POST', form: { csrf: Browser.csrf(page.html) } });
    expect(out.location).toBe('/console/login');
    expect((await b.go('/console')).location).toBe('/console/login');
  });

  it('shows the queues to operators only', async () => {
    const anonymous = new Browser(app.url);
    expect((await anonymous.go('/console/queues/')).location).toBe('/console/login');
    const b = new Browser(app.url);
    await b.login();
    const board = await b.go('/console/queues/');
    expect(board.status).toBe(200);
  });
});

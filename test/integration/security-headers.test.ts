/**
 * Security headers on the pages a browser opens: the support console (never framed) and the demo page, with a
 * Content-Security-Policy that names no other origin; the queue board loads no third-party fonts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/console/auth.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
const EMAIL = 'headers@example.com';
const PASSWORD = 'a long and unguessable passphrase';

beforeAll(async () => {
  app = await startTestApp({ env: { DEMO_ENABLED: 'true' } });
  await app.services.db.sql(
    `INSERT INTO operator (email, name, password_hash) VALUES ($1, 'Headers', $2)
     ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash`,
    [EMAIL, await hashPassword(PASSWORD)],
  );
});
afterAll(async () => {
  await app?.close();
});

/** The directives of a Content-Security-Policy header. */
function csp(header: string | null): Map<string, string[]> {
  expect(header).toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectNoOtherOrigin(policy: Map<string, string[]>) {
  for (const [name, values] of policy) {
    for (const v of values) expect(`${name} ${v}`).not.toMatch(/https?:|wss?:|\*/);
  }
}

async function login(): Promise<string> {
  const page = await fetch(`${app.url}/console/login`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const res = await fetch(`${app.url}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ csrf, email: EMAIL, password: PASSWORD }).toString(),
  });
  expect(res.status).toBe(303);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

describe('security headers', () => {
  it('the console: a CSP of its own origin only, never framed, no sniffing, no referrer', async () => {
    const cookie = await login();
    for (const path of ['/console/login', '/console', '/console/queues/']) {
      const res = await fetch(`${app.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      expect(res.status, path).toBe(200);
      const policy = csp(res.headers.get('content-security-policy'));
      expect(policy.get('default-src')).toEqual(["'self'"]);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expectNoOtherOrigin(policy);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      expect(html, path).not.toMatch(/fonts\.googleapis|fonts\.gstatic|https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('the demo page and its files: a CSP of its own origin only, framed by itself at most', async () => {
    for (const path of ['/', '/app.js', '/vendor/webchat.js', '/demo/api/session']) {
      const res = await fetch(`${app.url}${path}`);
      const policy = csp(res.headers.get('content-security-policy'));
      expect(policy.get('default-src'), path).toEqual(["'self'"]);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('connect-src')).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
      expectNoOtherOrigin(policy);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      await res.arrayBuffer();
    }
    const page = await (await fetch(`${app.url}/`)).text();
    expect(page).not.toMatch(/<script[^>]+src="https?:|<link[^>]+href="https?:/);
  });

  it('leaves the platform API and Direct Line alone', async () => {
    const res = await fetch(`${app.url}/api/platform/openapi.json`);
    expect(res.headers.get('content-security-policy')).toBeNull();
    await res.arrayBuffer();
  });
});

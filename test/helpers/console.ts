/** A console operator over HTTP with a cookie jar: log in, read pages, submit forms (with or without CSRF). */
import { hashPassword } from '../../src/console/auth.ts';
import type { TestApp } from './app.ts';

export async function addOperator(app: TestApp, email: string, name: string, password: string) {
  await app.services.db.sql(
    `INSERT INTO operator (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash`,
    [email, name, await hashPassword(password)],
  );
}

export class ConsoleBrowser {
  jar = new Map<string, string>();
  csrfToken = '';
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
    const html = await res.text();
    const token = ConsoleBrowser.csrf(html);
    if (token && res.status === 200) this.csrfToken = token;
    return { status: res.status, location: res.headers.get('location'), html };
  }

  /** A form post with the session's CSRF token (taken from the last page read). */
  post(path: string, form: Record<string, string> = {}) {
    return this.go(path, { method: 'POST', form: { csrf: this.csrfToken, ...form } });
  }

  static csrf(html: string) {
    return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }

  async login(email: string, password: string) {
    const page = await this.go('/console/login');
    const res = await this.go('/console/login', {
      method: 'POST',
      form: { csrf: ConsoleBrowser.csrf(page.html), email, password },
    });
    if (res.status === 303) await this.go('/console');
    return res;
  }
}

/** The rows of the queue (requests and escalations) in a page, by id. */
export function queueRows(html: string) {
  const rows = [...html.matchAll(/<tr data-(request|escalation)="([0-9a-f-]{36})">([\s\S]*?)<\/tr>/g)];
  return rows.map((m) => ({ kind: m[1] as 'request' | 'escalation', id: m[2]!, html: m[3]! }));
}

export const decodeLocation = (location: string | null) => decodeURIComponent(location ?? '');

/** What the console's pages share: their dependencies, the session check, dates, flashes and redirects. */
import type { Request, RequestHandler, Response } from 'express';
import type { CreditService } from '../credits/credit-service.ts';
import type { EscalationService } from '../escalations/service.ts';
import type { Db } from '../infra/db.ts';
import type { Queues } from '../jobs/queues.ts';
import { formatter } from '../locale/format.ts';
import type { RequestService } from '../requests/request-service.ts';
import type { ConsoleSession } from './auth.ts';
import { esc } from './html.ts';

export interface PageDeps {
  db: Db;
  requests: RequestService;
  escalations: EscalationService;
  credits: CreditService;
  queues: Queues;
  now(): Date;
  /** the urlencoded body parser of the console's forms */
  form: RequestHandler;
  /** the session, or null once the answer (a redirect to the login, a 401, a 403 for a bad CSRF token) is sent */
  requireSession(req: Request, res: Response): Promise<ConsoleSession | null>;
}

/** An instant in the account's time zone (the console shows dates where the customer lives). */
export const when = (iso: string | Date | null | undefined, timeZone: string) =>
  iso ? formatter('en', timeZone || 'UTC').dateTime(iso) : '';

/** 3 d 4 h, 2 h 10 min, 5 min, 40 s. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

export const csrfField = (s: ConsoleSession) => `<input type="hidden" name="csrf" value="${esc(s.csrfToken)}">`;

/** The `?msg=` of a redirect after a form, shown once at the top of the page. */
export const flash = (req: Request) =>
  typeof req.query.msg === 'string' ? `<div class="flash">${esc(req.query.msg.slice(0, 300))}</div>` : '';

/**
 * Where a form sends the operator back to: a console path given in the form (`back`, e.g. the queue with its
 * filters), never another site; `fallback` otherwise. The message is added as `msg`.
 */
export function backTo(req: Request, fallback: string, msg: string): string {
  const given = typeof req.body?.back === 'string' ? req.body.back : '';
  const safe = /^\/console(?:[/?#]|$)/.test(given) && !given.includes('\\') && !/[\r\n]/.test(given) ? given : fallback;
  const [path, query = ''] = safe.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.delete('msg');
  const rest = params.toString();
  return `${path}?${rest ? `${rest}&` : ''}msg=${encodeURIComponent(msg)}`;
}

/** The hidden field that brings the operator back to this very page after a form. */
export const backField = (req: Request) => {
  const here = new URL(req.originalUrl, 'http://console.invalid');
  here.searchParams.delete('msg');
  return `<input type="hidden" name="back" value="${esc(here.pathname + here.search)}">`;
};

/** Someone work can be given to: an operator (id: their email) or an account manager (id: their Slack user id). */
export interface Person {
  id: string;
  name: string;
  via: 'console' | 'slack';
}

/** Operators and account managers, by name. */
export async function people(db: Db): Promise<Person[]> {
  const [operators, managers] = await Promise.all([
    db.sql<{ email: string; name: string }>('SELECT email, name FROM operator ORDER BY name, email LIMIT 200'),
    db.sql<{ id: string; name: string | null }>(
      `SELECT DISTINCT manager_slack_user_id AS id, manager_name AS name FROM account
        WHERE manager_slack_user_id IS NOT NULL ORDER BY 2, 1 LIMIT 300`,
    ),
  ]);
  const seen = new Set<string>();
  const out: Person[] = [];
  for (const o of operators.rows) {
    if (!seen.has(o.email)) out.push({ id: o.email, name: o.name, via: 'console' });
    seen.add(o.email);
  }
  for (const m of managers.rows) {
    if (!seen.has(m.id)) out.push({ id: m.id, name: m.name ?? m.id, via: 'slack' });
    seen.add(m.id);
  }
  return out;
}

/** A <select> of people (the current holder selected). */
export function personSelect(all: Person[], current: string | null, opts: { allowNone?: boolean } = {}): string {
  const options = all
    .map(
      (p) =>
        `<option value="${esc(p.id)}"${p.id === current ? ' selected' : ''}>${esc(p.name)} (${p.via === 'slack' ? 'Slack' : esc(p.id)})</option>`,
    )
    .join('');
  return `<select name="assignee" aria-label="Assignee">${opts.allowNone ? `<option value=""${current ? '' : ' selected'}>Nobody</option>` : ''}${options}</select>`;
}

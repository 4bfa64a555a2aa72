/**
 * /console: the support console. Behind a real login (scrypt-hashed passwords, server-side sessions,
 * CSRF tokens on every form). Lists pending requests with Approve / Reject, so requests are decided
 * even without Slack; /console/queues shows the BullMQ queues (failed jobs, retries) for support.
 */
import { randomBytes } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { EscalationService } from '../escalations/service.ts';
import type { Db } from '../infra/db.ts';
import type { Queues } from '../jobs/queues.ts';
import type { RequestService, RequestView } from '../requests/request-service.ts';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { unstorableReason } from '../shared/text.ts';
import { type ConsoleAuth, type ConsoleSession, SESSION_COOKIE, SESSION_TTL_MS, safeEqual } from './auth.ts';
import { escalationTable, registerEscalationPages } from './escalations.ts';
import { esc, page } from './html.ts';

const LOGIN_CSRF_COOKIE = 'cb_login_csrf';

/** The request's cookies; a value that is not valid percent-encoding is skipped (it is not one of ours). */
function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // malformed: ignored, as a browser would never have sent it for us
    }
  }
  return out;
}

export interface ConsoleDeps {
  auth: ConsoleAuth;
  db: Db;
  requests: RequestService;
  escalations: EscalationService;
  queues: Queues;
  logger: Logger;
  secureCookies: boolean;
  now(): Date;
}

export function createConsoleRouter(deps: ConsoleDeps): Router {
  const { auth, requests } = deps;
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const cookieOpts = { httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies, path: '/console' };

  const loginPage = (res: Response, error?: string, status = 200) => {
    const token = randomBytes(18).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, token, { ...cookieOpts, maxAge: 30 * 60_000 });
    res
      .status(status)
      .type('html')
      .send(
        page(
          'Log in',
          `<div class="card login"><h2>Log in</h2>${error ? `<div class="flash error">${esc(error)}</div>` : ''}
          <form method="post" action="/console/login"><input type="hidden" name="csrf" value="${token}">
          <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
          <p><button class="primary" type="submit">Log in</button></p></form></div>`,
        ),
      );
  };

  r.get('/console/login', (_req, res) => loginPage(res));

  r.post('/console/login', form, async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const given = String(req.body?.csrf ?? '');
    const expected = cookies(req)[LOGIN_CSRF_COOKIE] ?? '';
    if (!given || !expected || !safeEqual(given, expected)) {
      loginPage(res, 'Your login form expired; please try again.', 403);
      return;
    }
    const email = String(req.body?.email ?? '');
    // Counted before the password is checked (per email and per address, in PostgreSQL): see login-limit.ts.
    const attempt = await auth.limiter.take(email, ip);
    if (!attempt.allowed) {
      res.setHeader('Retry-After', String(attempt.retryAfterSeconds));
      loginPage(res, 'Too many attempts; wait 15 minutes.', 429);
      return;
    }
    const session = await auth.login(email, String(req.body?.password ?? ''));
    if (!session) {
      loginPage(res, 'Wrong email or password.', 401);
      return;
    }
    await auth.limiter.refund(attempt);
    res.clearCookie(LOGIN_CSRF_COOKIE, cookieOpts);
    res.cookie(SESSION_COOKIE, session.id, { ...cookieOpts, maxAge: SESSION_TTL_MS });
    res.redirect(303, '/console');
  });

  // Everything below needs a session; writes also need its CSRF token.
  const requireSession = async (req: Request, res: Response): Promise<ConsoleSession | null> => {
    const s = await auth.session(cookies(req)[SESSION_COOKIE]);
    if (!s) {
      if (req.method === 'GET') res.redirect(303, '/console/login');
      else
        res
          .status(401)
          .type('html')
          .send(page('Log in', '<div class="card">Your session has ended. <a href="/console/login">Log in</a>.</div>'));
      return null;
    }
    if (req.method !== 'GET' && !safeEqual(String(req.body?.csrf ?? ''), s.csrfToken)) {
      res
        .status(403)
        .type('html')
        .send(
          page(
            'Forbidden',
            '<div class="card">This form has expired (CSRF check failed). <a href="/console">Reload</a>.</div>',
          ),
        );
      return null;
    }
    return s;
  };

  r.post('/console/logout', form, async (req, res) => {
    const s = await requireSession(req, res);
    if (!s) return;
    await auth.logout(s.id);
    res.clearCookie(SESSION_COOKIE, cookieOpts);
    res.redirect(303, '/console/login');
  });

  const row = (x: RequestView, s: ConsoleSession, now: number) => {
    const what =
      x.kind === 'buy_credits'
        ? `Buy ${x.credits.toLocaleString('en')} credits · ${(x.price.amount / 100).toFixed(2)} ${esc(x.price.currency)}`
        : `Plan ${esc(x.currentPlan.name)} → ${esc(x.targetPlanName)} (${x.effective === 'immediate' ? 'on approval' : 'next top-up'})`;
    const overdue = x.status === 'pending' && Date.parse(x.slaDueAt) < now;
    const decide =
      x.status === 'pending'
        ? `<div class="actions">
            <form method="post" action="/console/requests/${x.id}/approve"><input type="hidden" name="csrf" value="${esc(s.csrfToken)}"><button class="primary" type="submit">Approve</button></form>
            <form method="post" action="/console/requests/${x.id}/reject"><input type="hidden" name="csrf" value="${esc(s.csrfToken)}">
              <input name="reason" placeholder="Reason for the customer" required maxlength="500" aria-label="Reason"><button class="danger" type="submit">Reject</button></form>
          </div>`
        : `<span class="muted">${esc(x.status)}${x.decidedBy ? ` by ${esc(x.decidedBy)}` : ''}${x.decidedAt ? ` · ${esc(x.decidedAt.slice(0, 16).replace('T', ' '))} UTC` : ''}${x.reason ? ` · ${esc(x.reason)}` : ''}</span>`;
    return `<tr data-request="${x.id}"><td><strong>${esc(x.reference)}</strong><br><span class="muted">${esc(x.createdAt.slice(0, 16).replace('T', ' '))} UTC</span></td>
      <td>${esc(x.accountName)}<br><span class="muted">${esc(x.accountId)} · ${esc(x.requesterName ?? x.requesterUserId)}</span></td>
      <td>${what}</td><td class="${overdue ? 'overdue' : ''}">${esc(x.slaDueAt.slice(0, 16).replace('T', ' '))} UTC${overdue ? ' · overdue' : ''}</td><td>${decide}</td></tr>`;
  };

  r.get('/console', async (req, res) => {
    const s = await requireSession(req, res);
    if (!s) return;
    const [pending, recent, escalated] = await Promise.all([
      requests.list({ status: 'pending', limit: 200 }),
      requests.list({ limit: 30 }),
      deps.escalations.list({ status: 'active', limit: 200 }),
    ]);
    const now = deps.now().getTime();
    const msg = typeof req.query.msg === 'string' ? `<div class="flash">${esc(req.query.msg.slice(0, 300))}</div>` : '';
    const table = (rows: RequestView[], empty: string) =>
      rows.length
        ? `<table><thead><tr><th>Request</th><th>Account</th><th>What</th><th>Decide by</th><th></th></tr></thead><tbody>${rows.map((x) => row(x, s, now)).join('')}</tbody></table>`
        : `<p class="muted">${empty}</p>`;
    res.type('html').send(
      page(
        'Requests',
        `${msg}<div class="card"><h2>Escalations waiting or in progress (${escalated.length})</h2>${escalationTable(escalated, now, 'No customer is waiting for a person.')}</div>
           <div class="card"><h2>Pending requests (${pending.length})</h2>${table(pending, 'Nothing is waiting for a decision.')}</div>
           <div class="card"><h2>Recent requests</h2>${table(
             recent.filter((x) => x.status !== 'pending'),
             'No decided requests yet.',
           )}</div>`,
        { operator: s.operator.email, csrf: s.csrfToken },
      ),
    );
  });

  const decideRoute = (decision: 'approve' | 'reject') =>
    r.post(`/console/requests/:id/${decision}`, form, async (req, res) => {
      const s = await requireSession(req, res);
      if (!s) return;
      const id = String(req.params.id);
      // 500 characters, counted in code points so that the cut never splits a character in two.
      const reason = typeof req.body?.reason === 'string' ? [...req.body.reason].slice(0, 500).join('') : undefined;
      let msg: string;
      try {
        const problem = reason === undefined ? null : unstorableReason(reason);
        if (problem) throw new AppError('bad_request', `The reason ${problem}.`);
        const out = await requests.decide(
          id,
          decision,
          { id: s.operator.email, name: s.operator.name, via: 'console' },
          { reason },
        );
        msg =
          out.outcome === 'decided'
            ? `${out.request.reference} ${out.request.status}.`
            : `${out.request.reference} was already ${out.request.status}${out.request.decidedBy ? ` by ${out.request.decidedBy}` : ''}.`;
      } catch (err) {
        if (!(err instanceof AppError) || !err.expected) throw err;
        msg = err.message;
      }
      res.redirect(303, `/console?msg=${encodeURIComponent(msg)}`);
    });
  decideRoute('approve');
  decideRoute('reject');

  registerEscalationPages(r, { db: deps.db, escalations: deps.escalations, now: deps.now, form, requireSession });

  // The queues (bull-board), for triage of failed jobs and retries.
  const board = new ExpressAdapter();
  board.setBasePath('/console/queues');
  createBullBoard({ queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  r.use(
    '/console/queues',
    async (req, res, next) => {
      const s = await auth.session(cookies(req)[SESSION_COOKIE]);
      if (!s) {
        res.redirect(303, '/console/login');
        return;
      }
      next();
    },
    withoutThirdPartyFonts,
    board.getRouter(),
  );
  return r;
}

/**
 * The queue board's page links Google Fonts: the console works offline and its Content-Security-Policy names no
 * other origin, so the link is taken out of the page (the board falls back to system fonts).
 */
const withoutThirdPartyFonts: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object | RenderCallback, callback?: RenderCallback) => {
    if (typeof options === 'function' || callback) return render(view, options as object, callback);
    render(view, options ?? {}, (err, html) => {
      if (err) next(err);
      else res.send(html.replace(/<link[^>]*\/\/fonts\.(?:googleapis|gstatic)\.com[^>]*>/g, ''));
    });
  }) as Response['render'];
  next();
};

type RenderCallback = (err: Error, html: string) => void;

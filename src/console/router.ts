/**
 * /console: the support team's home. Behind a real login (scrypt-hashed passwords, server-side sessions,
 * CSRF tokens on every form). One queue of requests and escalations (queue.ts: filters, search, claim,
 * assign, approve / reject, so requests are decided even without Slack); a page per escalation (reply),
 * account, conversation, and an audit trail per request and escalation; failed jobs with Retry (jobs.ts);
 * /console/queues shows the BullMQ queues, read-only.
 */
import { randomBytes } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { CreditService } from '../credits/credit-service.ts';
import type { EscalationService } from '../escalations/service.ts';
import type { Db } from '../infra/db.ts';
import type { Queues } from '../jobs/queues.ts';
import type { RequestService } from '../requests/request-service.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { unstorableReason } from '../shared/text.ts';
import { registerAccountPages } from './accounts.ts';
import { type ConsoleAuth, type ConsoleSession, SESSION_COOKIE, SESSION_TTL_MS, safeEqual } from './auth.ts';
import { registerConversationPages } from './conversations.ts';
import { registerEscalationPages } from './escalations.ts';
import { esc, page } from './html.ts';
import { registerJobPages } from './jobs.ts';
import { backField, backTo, flash, type PageDeps, people } from './pages.ts';
import { filterForm, managers, parseFilter, queueItems, queueTable, STATUSES } from './queue.ts';
import { registerTrailPages } from './trail.ts';

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
  credits: CreditService;
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

  const pages: PageDeps = {
    db: deps.db,
    requests,
    escalations: deps.escalations,
    credits: deps.credits,
    queues: deps.queues,
    now: deps.now,
    form,
    requireSession,
  };

  // The one queue of requests and escalations, filtered and searched.
  r.get('/console', async (req, res) => {
    const s = await requireSession(req, res);
    if (!s) return;
    const filter = parseFilter(req.query as Record<string, unknown>);
    const now = deps.now();
    const [{ items, more }, everyone, byManager] = await Promise.all([
      queueItems(deps.db, filter, { now, operatorId: s.operator.email }),
      people(deps.db),
      managers(deps.db),
    ]);
    const overdue = items.filter((x) => x.overdue).length;
    res.type('html').send(
      page(
        'Queue',
        `${flash(req)}<div class="card">${filterForm(filter, { managers: byManager, people: everyone })}</div>
         <div class="card"><h2>${esc(STATUSES[filter.status])}: ${items.length}${more ? '+' : ''} item${items.length === 1 ? '' : 's'}${
           overdue ? ` · <span class="overdue">${overdue} overdue</span>` : ''
         }</h2>${queueTable(
           items,
           { session: s, now, people: everyone, back: backField(req) },
           filter.status === 'open' &&
             !filter.q &&
             !filter.account &&
             !filter.manager &&
             !filter.overdue &&
             !filter.kind
             ? 'Nothing is waiting: no pending request, no customer waiting for a person.'
             : 'Nothing matches these filters.',
         )}${more ? '<p class="muted">More items match: narrow the filters or search.</p>' : ''}</div>`,
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
      res.redirect(303, backTo(req, '/console', msg));
    });
  decideRoute('approve');
  decideRoute('reject');

  // Who looks after a request: claim (oneself), assign to someone, or to nobody.
  const assignRoute = (path: 'claim' | 'assign') =>
    r.post(`/console/requests/:id/${path}`, form, async (req, res) => {
      const s = await requireSession(req, res);
      if (!s) return;
      const me = { id: s.operator.email, name: s.operator.name };
      let to: { id: string; name: string } | null = me;
      if (path === 'assign') {
        const wanted = typeof req.body?.assignee === 'string' ? req.body.assignee : '';
        const person = wanted ? (await people(deps.db)).find((p) => p.id === wanted) : null;
        if (wanted && !person) {
          res.redirect(303, backTo(req, '/console', 'Pick someone to assign it to.'));
          return;
        }
        to = person ? { id: person.id, name: person.name } : null;
      }
      const out = await requests.assign(String(req.params.id), to, me);
      const ref = out.request.reference;
      const msg =
        out.outcome === 'not_pending'
          ? `${ref} is ${out.request.status}: nothing to assign.`
          : out.outcome === 'unchanged'
            ? `${ref} is already ${to ? `with ${to.name}` : 'unassigned'}.`
            : to
              ? `${ref} is now with ${to.id === me.id ? 'you' : to.name}.`
              : `${ref} is unassigned.`;
      res.redirect(303, backTo(req, '/console', msg));
    });
  assignRoute('claim');
  assignRoute('assign');

  registerEscalationPages(r, pages);
  registerAccountPages(r, pages);
  registerConversationPages(r, pages);
  registerTrailPages(r, pages);
  registerJobPages(r, pages);

  // The queues (bull-board), for triage of failed jobs and retries.
  const board = new ExpressAdapter();
  board.setBasePath('/console/queues');
  // Read-only: retries go through /console/jobs, whose forms carry the session's CSRF token.
  createBullBoard({
    queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter: board,
  });
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
  r.use(consolePageErrors);
  return r;
}

/** A page that names something unknown (an account, a request) or a form that is not valid: said on a page. */
const consolePageErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (!isAppError(err) || !err.expected || res.headersSent || !req.path.startsWith('/console')) {
    next(err);
    return;
  }
  res
    .status(err.httpStatus)
    .type('html')
    .send(
      page(
        err.code === 'not_found' ? 'Not found' : 'Not possible',
        `<div class="card"><h2>${err.code === 'not_found' ? 'Not found' : 'Not possible'}</h2><p>${esc(err.message)}</p><p><a href="/console">Back to the queue</a></p></div>`,
      ),
    );
};

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

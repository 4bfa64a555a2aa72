/**
 * GET /: the demo of the platform's View Usage page with the official Web Chat embedded (static files in
 * ./public), and the small API it reads, scoped to the demo user's own account (no API key in the
 * browser). Enabled outside production, or with DEMO_ENABLED=true.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { findUser } from '../accounts/users.ts';
import type { CreditService } from '../credits/credit-service.ts';
import { EXPORT_GROUPS, type ExportLinks } from '../credits/usage-export.ts';
import type { Db } from '../infra/db.ts';
import { usageQuery } from '../platform-api/schemas.ts';
import { AppError, badRequest } from '../shared/errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The folder of an installed package (some, like botframework-webchat, do not export package.json). */
function packageDir(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg)
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Cannot find the folder of ${pkg}`);
    dir = up;
  }
}

export interface DemoDeps {
  db: Db;
  credits: CreditService;
  demoUserId: string;
  directLineSecret: string;
  exportLinks: ExportLinks;
}

export function createWebRouter(deps: DemoDeps): Router {
  const r = express.Router();
  const vendor = (pkg: string, file: string) => path.join(packageDir(pkg), file);
  r.get('/vendor/webchat.js', (_req, res) => {
    res.set('cache-control', 'public, max-age=86400');
    res.sendFile(vendor('botframework-webchat', 'dist/webchat.js'));
  });
  r.get('/vendor/chart.umd.js', (_req, res) => {
    res.set('cache-control', 'public, max-age=86400');
    res.sendFile(vendor('chart.js', 'dist/chart.umd.js'));
  });

  const demoUser = async () => {
    const u = await findUser(deps.db, deps.demoUserId);
    if (!u) {
      throw new AppError(
        'not_found',
        `The demo user '${deps.demoUserId}' does not exist: run npm run db:seed, or set DEMO_USER_ID.`,
      );
    }
    return u;
  };

  r.get('/demo/api/session', async (_req, res) => {
    const u = await demoUser();
    const a = await deps.credits.profile(u.accountId);
    res.json({
      user: { id: u.id, name: u.name },
      account: { id: a.id, name: a.name, timeZone: a.timeZone, locale: a.locale },
    });
  });
  r.get('/demo/api/credit-state', async (_req, res) => {
    const u = await demoUser();
    res.json(await deps.credits.getState(u.accountId));
  });
  r.get('/demo/api/usage', async (req, res) => {
    const u = await demoUser();
    const q = usageQuery.parse(req.query);
    res.json(
      await deps.credits.usage(u.accountId, {
        from: q.from,
        to: q.to,
        groupBy: q.groupBy,
        filter: { type: q.type, userId: q.userId, identityId: q.identityId, campaignId: q.campaignId },
        metric: q.metric,
      }),
    );
  });
  // "Export CSV": a signed link for the demo user's own account (the range and grouping the page shows).
  r.get('/demo/api/export-link', async (req, res) => {
    const u = await demoUser();
    const q = usageQuery.pick({ from: true, to: true }).parse(req.query);
    const by = String(req.query.by ?? 'day');
    if (!(EXPORT_GROUPS as readonly string[]).includes(by)) {
      throw badRequest(`\`by\` must be one of ${EXPORT_GROUPS.join(', ')}.`);
    }
    const state = await deps.credits.getState(u.accountId);
    const from = q.from ?? new Date(state.period.start);
    const to = q.to ?? new Date(state.period.end);
    if (from.getTime() >= to.getTime()) throw badRequest('`from` must be before `to`.');
    res.json(deps.exportLinks.link(u.accountId, { from, to, by: by as (typeof EXPORT_GROUPS)[number] }));
  });
  // The page's server side would do this in the platform: a Direct Line token bound to the signed-in user.
  r.post('/demo/api/directline-token', async (req, res) => {
    const u = await demoUser();
    // Through the public Direct Line endpoint on this very server, as the platform's backend would call it.
    const out = await fetch(`http://127.0.0.1:${req.socket.localPort}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.directLineSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: u.id, name: u.name } }),
    });
    res
      .status(out.status)
      .type('json')
      .send(await out.text());
  });
  r.use(express.static(path.join(here, 'public'), { index: 'index.html', maxAge: '5m' }));
  return r;
}

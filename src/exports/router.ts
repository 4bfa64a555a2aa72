/**
 * GET /exports/usage.csv: downloads of an account's usage as CSV through short-lived signed links (issued by
 * the chat and the View Usage page; src/credits/usage-export.ts). No login: the link's HMAC is the permission,
 * scoped to one account, one range and one grouping, until it expires. 400 for a malformed link, 403 for a
 * changed signature, another account or an expired link, 404 for an account that no longer exists.
 */
import express, { type Router } from 'express';
import type { CreditService } from '../credits/credit-service.ts';
import { usageCsv, verifyExport } from '../credits/usage-export.ts';
import type { Clock } from '../shared/clock.ts';

export interface ExportDeps {
  credits: Pick<CreditService, 'usage' | 'profile'>;
  clock: Clock;
  /** the signing key (exportKey of LINK_SIGNING_SECRET) */
  key: Buffer;
}

export function createExportRouter(deps: ExportDeps): Router {
  const r = express.Router();
  r.get('/exports/usage.csv', async (req, res) => {
    const link = verifyExport(deps.key, req.query as Record<string, unknown>, deps.clock.now());
    await deps.credits.profile(link.accountId); // 404 for an account that is gone
    const file = await usageCsv((q) => deps.credits.usage(link.accountId, q), link, deps.clock.now());
    res.set({
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${file.filename}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    // A byte order mark, so spreadsheet programs read the names as UTF-8.
    res.send(`\uFEFF${file.body}`);
  });
  return r;
}

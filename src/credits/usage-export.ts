/**
 * Usage exports: the CSV files of an account's usage over a range (by day, user, type, identity or campaign),
 * and the short-lived signed links that download them without a login. A link names the account, the range,
 * the grouping and an expiry, and carries an HMAC-SHA256 of exactly those, keyed with a key derived (HKDF) from
 * a configured secret: it cannot be guessed, changed or pointed at another account, and it stops working when it
 * expires.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { type Cell, toCsv } from '../shared/csv.ts';
import { AppError, badRequest } from '../shared/errors.ts';
import { addDays, localDate } from './period.ts';
import type { UsageGroupBy, UsageRow } from './types.ts';

export const EXPORT_GROUPS = ['day', 'user', 'type', 'identity', 'campaign'] as const satisfies readonly UsageGroupBy[];
export type ExportGroup = (typeof EXPORT_GROUPS)[number];

export interface ExportLink {
  accountId: string;
  from: Date;
  to: Date;
  by: ExportGroup;
  /** unix seconds */
  expires: number;
}

/** The signing key: HKDF-SHA256 of the secret, so the secret itself never signs anything and may be any length. */
export function exportKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'creditbot', 'usage-export-link v1', 32));
}

const canonical = (l: ExportLink) =>
  ['v1', l.accountId, l.from.toISOString(), l.to.toISOString(), l.by, String(l.expires)].join('\n');

export function signExport(key: Buffer, link: ExportLink): string {
  return createHmac('sha256', key).update(canonical(link)).digest('base64url');
}

/** The query string of a signed link. */
export function exportQuery(key: Buffer, link: ExportLink): string {
  const q = new URLSearchParams({
    account: link.accountId,
    from: link.from.toISOString(),
    to: link.to.toISOString(),
    by: link.by,
    exp: String(link.expires),
    sig: signExport(key, link),
  });
  return q.toString();
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Checks a link's parameters: 400 when one is missing or malformed (the range included: from before to, at most
 * three years), 403 when the signature does not match them, 403 when it expired. Returns what it grants.
 */
export function verifyExport(key: Buffer, params: Record<string, unknown>, now: Date): ExportLink {
  const str = (name: string): string => {
    const v = params[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw badRequest(`The link is missing \`${name}\`.`);
    return v;
  };
  const accountId = str('account');
  const fromRaw = str('from');
  const toRaw = str('to');
  const by = str('by');
  const expRaw = str('exp');
  const sig = str('sig');
  if (!ISO.test(fromRaw) || !ISO.test(toRaw)) throw badRequest('`from` and `to` must be UTC instants (ISO 8601).');
  const from = new Date(fromRaw);
  const to = new Date(toRaw);
  if (
    Number.isNaN(from.getTime()) ||
    Number.isNaN(to.getTime()) ||
    from.toISOString() !== fromRaw ||
    to.toISOString() !== toRaw
  )
    throw badRequest('`from` and `to` must be valid instants.');
  if (from.getTime() >= to.getTime()) throw badRequest('`from` must be before `to`.');
  if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000) throw badRequest('The range may span at most 3 years.');
  if (!(EXPORT_GROUPS as readonly string[]).includes(by))
    throw badRequest(`\`by\` must be one of ${EXPORT_GROUPS.join(', ')}.`);
  if (!/^\d{1,12}$/.test(expRaw)) throw badRequest('`exp` must be a time in unix seconds.');
  const link: ExportLink = { accountId, from, to, by: by as ExportGroup, expires: Number(expRaw) };
  const want = Buffer.from(signExport(key, link));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw new AppError(
      'forbidden',
      'This export link is not valid: it was changed or was not issued for this account.',
    );
  }
  if (link.expires * 1000 <= now.getTime()) {
    throw new AppError(
      'forbidden',
      'This export link has expired: ask the assistant or the View Usage page for a new one.',
      {
        details: { reason: 'expired', expiredAt: new Date(link.expires * 1000).toISOString() },
      },
    );
  }
  return link;
}

/** What the CSV needs from the credit domain (CreditService.usage). */
export type UsageReader = (q: {
  from: Date;
  to: Date;
  groupBy: UsageGroupBy;
  metric?: 'credits' | 'conversations';
}) => Promise<{ rows: UsageRow[]; timeZone: string }>;

export interface CsvFile {
  filename: string;
  body: string;
}

const HEADERS: Record<ExportGroup, string[]> = {
  day: ['date', 'credits', 'conversations'],
  user: ['user_id', 'user_name', 'credits'],
  type: ['type', 'credits'],
  identity: ['identity_id', 'identity_name', 'conversations'],
  campaign: ['campaign_id', 'campaign_name', 'conversations'],
};

/**
 * The CSV of a link: a header row, then one row per local day of the range up to today (zeros included), or one
 * per member with usage.
 */
export async function usageCsv(read: UsageReader, link: ExportLink, now: Date): Promise<CsvFile> {
  const { from, to, by } = link;
  let rows: Cell[][];
  let timeZone: string;
  if (by === 'day') {
    const [credits, conversations] = await Promise.all([
      read({ from, to, groupBy: 'day', metric: 'credits' }),
      read({ from, to, groupBy: 'day', metric: 'conversations' }),
    ]);
    timeZone = credits.timeZone;
    const c = new Map(credits.rows.map((r) => [r.key, r.credits ?? 0]));
    const v = new Map(conversations.rows.map((r) => [r.key, r.conversations ?? 0]));
    rows = [];
    // Days to come hold nothing yet: the rows stop at today.
    const last = localDate(new Date(Math.min(to.getTime() - 1, now.getTime())), timeZone);
    for (let d = localDate(from, timeZone); d <= last; d = addDays(d, 1)) rows.push([d, c.get(d) ?? 0, v.get(d) ?? 0]);
  } else {
    const metric = by === 'identity' || by === 'campaign' ? 'conversations' : 'credits';
    const res = await read({ from, to, groupBy: by, metric });
    timeZone = res.timeZone;
    rows = res.rows.map((r) => {
      const value = (metric === 'credits' ? r.credits : r.conversations) ?? 0;
      return by === 'type' ? [r.key, value] : [r.key, r.name ?? '', value];
    });
  }
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  const first = localDate(from, timeZone);
  const lastDay = localDate(new Date(to.getTime() - 1), timeZone);
  return {
    filename: `usage-${safe(link.accountId)}-${first}-to-${lastDay}-by-${by}.csv`,
    body: toCsv(HEADERS[by], rows),
  };
}

export interface ExportLinks {
  /** A signed link to the CSV of the account's usage over [from, to), grouped by `by`, valid for the TTL. */
  link(accountId: string, q: { from: Date; to: Date; by: ExportGroup }): { url: string; expiresAt: Date };
}

/**
 * Issues links with the configured key and lifetime. `baseUrl` makes them absolute (PUBLIC_URL); without it they
 * are relative ("/exports/usage.csv?…"), which is what the embedded Web Chat and the page need.
 */
export function createExportLinks(opts: {
  key: Buffer;
  ttlSeconds: number;
  baseUrl?: string;
  now: () => Date;
}): ExportLinks {
  const base = (opts.baseUrl ?? '').replace(/\/+$/, '');
  return {
    link(accountId, q) {
      const expires = Math.floor(opts.now().getTime() / 1000) + opts.ttlSeconds;
      const query = exportQuery(opts.key, { accountId, from: q.from, to: q.to, by: q.by, expires });
      return { url: `${base}/exports/usage.csv?${query}`, expiresAt: new Date(expires * 1000) };
    },
  };
}

/**
 * Finding accounts by what people type (an id, a name or part of one), for Slack's `/credits` and the console:
 * an exact id first, then an exact name (any case), then names containing the words typed.
 */
import type { Db } from '../infra/db.ts';
import { storableText } from '../shared/text.ts';

export interface AccountMatch {
  id: string;
  name: string;
  timeZone: string;
  managerSlackUserId: string | null;
  managerName: string | null;
}

/** `%`, `_` and `\` are LIKE's own characters: typed, they mean themselves. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const COLUMNS = `id, name, time_zone AS "timeZone", manager_slack_user_id AS "managerSlackUserId", manager_name AS "managerName"`;

/**
 * The accounts `query` names, best match first: the account whose id it is, else those whose name it is, else
 * those whose name contains it (at most `limit`). `managedBy` restricts the search to one manager's accounts.
 */
export async function findAccounts(
  db: Db,
  query: string,
  opts: { managedBy?: string; limit?: number } = {},
): Promise<AccountMatch[]> {
  const q = storableText(query).trim().slice(0, 200);
  if (!q) return [];
  const limit = Math.min(opts.limit ?? 10, 50);
  const scope = opts.managedBy ? 'AND manager_slack_user_id = $2' : '';
  const params = (v: unknown) => (opts.managedBy ? [v, opts.managedBy] : [v]);
  const byId = await db.sql<AccountMatch>(`SELECT ${COLUMNS} FROM account WHERE id = $1 ${scope}`, params(q));
  if (byId.rows.length) return byId.rows;
  const byName = await db.sql<AccountMatch>(
    `SELECT ${COLUMNS} FROM account WHERE lower(name) = lower($1) ${scope} ORDER BY id LIMIT ${limit}`,
    params(q),
  );
  if (byName.rows.length) return byName.rows;
  const contains = await db.sql<AccountMatch>(
    `SELECT ${COLUMNS} FROM account WHERE (name ILIKE $1 OR id ILIKE $1) ${scope} ORDER BY name, id LIMIT ${limit}`,
    params(`%${likeLiteral(q)}%`),
  );
  return contains.rows;
}

/** The accounts a Slack user manages (at most `limit`, by name). */
export async function accountsManagedBy(db: Db, slackUserId: string, limit = 50): Promise<AccountMatch[]> {
  const { rows } = await db.sql<AccountMatch>(
    `SELECT ${COLUMNS} FROM account WHERE manager_slack_user_id = $1 ORDER BY name, id LIMIT $2`,
    [slackUserId, limit],
  );
  return rows;
}

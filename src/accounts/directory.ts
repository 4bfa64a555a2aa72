/** Read-side views of accounts for the chat: who the account is, and the names customers may mention. */
import type { DirectoryPort } from '../chat/ports.ts';
import type { Db } from '../db/client.ts';
import { notFound } from '../shared/errors.ts';
import { ttlCache } from '../shared/ttl-cache.ts';

/** Names and settings change rarely; a few seconds of staleness is fine for wording, never for figures. */
const TTL_MS = 5_000;

export function createDirectory(db: Db): DirectoryPort {
  const accounts = ttlCache<string, Awaited<ReturnType<DirectoryPort['account']>>>(TTL_MS);
  const entities = ttlCache<string, Awaited<ReturnType<DirectoryPort['entities']>>>(TTL_MS);
  return {
    account: (accountId) =>
      accounts.get(accountId, async () => {
        const { rows } = await db.sql<{
          id: string;
          name: string;
          time_zone: string;
          locale: string;
          manager_name: string | null;
          manager_email: string | null;
          users: number;
        }>(
          `SELECT a.id, a.name, a.time_zone, a.locale, a.manager_name, a.manager_email,
                  (SELECT count(*)::int FROM platform_user u WHERE u.account_id = a.id) AS users
             FROM account a WHERE a.id = $1`,
          [accountId],
        );
        const a = rows[0];
        if (!a) throw notFound(`Unknown account '${accountId}'.`);
        return {
          id: a.id,
          name: a.name,
          timeZone: a.time_zone,
          locale: a.locale,
          manager: a.manager_name ? { name: a.manager_name, email: a.manager_email } : null,
          userCount: a.users,
        };
      }),
    entities: (accountId) =>
      entities.get(accountId, async () => {
        const { rows } = await db.sql<{ kind: string; id: string; name: string | null }>(
          `SELECT 'user' AS kind, id, name FROM platform_user WHERE account_id = $1
           UNION ALL SELECT 'identity', id, name FROM identity WHERE account_id = $1
           UNION ALL SELECT 'campaign', id, name FROM campaign WHERE account_id = $1`,
          [accountId],
        );
        const pick = (kind: string) =>
          rows.filter((r) => r.kind === kind && r.name).map((r) => ({ id: r.id, name: r.name as string }));
        return { users: pick('user'), identities: pick('identity'), campaigns: pick('campaign'), plans: [] };
      }),
  };
}

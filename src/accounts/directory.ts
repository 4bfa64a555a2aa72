/** Read-side views of accounts for the channels: who the account is, and the names people may mention. */
import type { CreditService } from '../credits/credit-service.ts';
import type { Db } from '../infra/db.ts';
import { ttlCache } from '../shared/ttl-cache.ts';

export interface NamedEntity {
  id: string;
  name: string;
}

export interface AccountProfile {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
  manager: { name: string; email: string | null; slackUserId: string } | null;
  userCount: number;
}

/** Users, identities and campaigns of an account, for recognising names in messages. */
export interface AccountNames {
  users: NamedEntity[];
  identities: NamedEntity[];
  campaigns: NamedEntity[];
}

export interface Directory {
  account(accountId: string): Promise<AccountProfile>;
  names(accountId: string): Promise<AccountNames>;
}

/** Names change rarely; a few seconds of staleness is fine for wording, never for figures. */
const TTL_MS = 5_000;

export function createDirectory(db: Db, credits: Pick<CreditService, 'profile'>): Directory {
  const userCounts = ttlCache<string, number>(TTL_MS);
  const names = ttlCache<string, AccountNames>(TTL_MS);
  return {
    async account(accountId) {
      // The account row is read (and cached) by the credit domain; only the user count is read here.
      const [a, users] = await Promise.all([
        credits.profile(accountId),
        userCounts.get(accountId, () => db.prisma.platformUser.count({ where: { accountId } })),
      ]);
      return {
        id: a.id,
        name: a.name,
        timeZone: a.timeZone,
        locale: a.locale,
        manager: a.accountManager
          ? {
              name: a.accountManager.name,
              email: a.accountManager.email ?? null,
              slackUserId: a.accountManager.slackUserId,
            }
          : null,
        userCount: users,
      };
    },
    names: (accountId) =>
      names.get(accountId, async () => {
        const select = { id: true, name: true } as const;
        const [users, identities, campaigns] = await Promise.all([
          db.prisma.platformUser.findMany({ where: { accountId }, select }),
          db.prisma.identity.findMany({ where: { accountId }, select }),
          db.prisma.campaign.findMany({ where: { accountId }, select }),
        ]);
        const named = (rows: Array<{ id: string; name: string | null }>) =>
          rows.filter((r): r is NamedEntity => !!r.name);
        return { users: named(users), identities: named(identities), campaigns: named(campaigns) };
      }),
  };
}

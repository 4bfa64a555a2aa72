/** Platform users: the one lookup every channel uses (Direct Line tokens, Bot Framework bindings, the demo page). */
import type { Db } from '../infra/db.ts';

export interface PlatformUserView {
  id: string;
  accountId: string;
  name: string;
  email: string | null;
  locale: string | null;
}

export async function findUser(db: Db, userId: string): Promise<PlatformUserView | null> {
  return db.prisma.platformUser.findUnique({
    where: { id: userId },
    select: { id: true, accountId: true, name: true, email: true, locale: true },
  });
}

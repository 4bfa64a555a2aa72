/**
 * Side effects of jobs, keyed so that a rerun (a retry, a worker killed mid-job) does each one once: a job
 * checks its key before acting and records it after (`side_effect` table).
 */

import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../infra/db.ts';

export interface SideEffects {
  done(key: string): Promise<boolean>;
  /** Records that the effect happened (a second record of the same key is ignored). */
  record(key: string, result: unknown): Promise<void>;
}

export function createSideEffects(db: Db): SideEffects {
  return {
    async done(key) {
      return (await db.prisma.sideEffect.findUnique({ where: { key }, select: { key: true } })) !== null;
    },
    async record(key, result) {
      await db.prisma.sideEffect.createMany({
        data: [{ key, result: (result ?? null) as Prisma.InputJsonValue }],
        skipDuplicates: true,
      });
    },
  };
}

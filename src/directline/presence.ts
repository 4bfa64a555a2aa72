/**
 * When a client last read or wrote a conversation. Kept in Redis (`${prefix}:dl:seen:${id}`, epoch ms, with a
 * TTL) so every process answers alike; writes are throttled per conversation and process, and the newest
 * local value bridges the throttle window.
 */
import type { Redis } from '../infra/redis.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { whenReady } from './fanout.ts';

const WRITE_EVERY_MS = 2_000;
const TTL_SECONDS = 7 * 24 * 3600;
const LOCAL_KEEP_MS = 60_000;

export interface Presence {
  touch(conversationId: string): void;
  lastSeen(conversationId: string): Promise<Date | null>;
  /** Drops old local entries (flushing any unwritten value). */
  prune(): void;
}

export function createPresence(opts: { redis: Redis; prefix: string; clock: Clock; logger: Logger }): Presence {
  const { redis, clock, logger } = opts;
  const key = (id: string) => `${opts.prefix}:dl:seen:${id}`;
  /** conversation → [last seen locally, last written to Redis] */
  const local = new Map<string, [number, number]>();

  const write = (id: string, t: number) => {
    const set = () =>
      redis
        .set(key(id), String(t), 'EX', TTL_SECONDS)
        .catch((err: Error) => logger.debug({ err: err.message }, 'direct line presence write failed'));
    if (redis.status === 'ready') void set();
    else void whenReady(redis, 1_000).then(set);
  };

  return {
    touch(id) {
      const now = clock.now().getTime();
      const entry = local.get(id);
      if (!entry) {
        local.set(id, [now, now]);
        write(id, now);
        return;
      }
      if (now > entry[0]) entry[0] = now;
      if (now - entry[1] >= WRITE_EVERY_MS || now < entry[1]) {
        entry[1] = now;
        write(id, now);
      }
    },

    async lastSeen(id) {
      let remote = 0;
      try {
        await whenReady(redis, 1_000);
        remote = Number(await redis.get(key(id))) || 0;
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'direct line presence read failed');
      }
      const t = Math.max(remote, local.get(id)?.[0] ?? 0);
      return t > 0 ? new Date(t) : null;
    },

    prune() {
      const now = clock.now().getTime();
      for (const [id, [seen, written]] of local) {
        if (now - seen < LOCAL_KEEP_MS) continue;
        if (seen > written) write(id, seen);
        local.delete(id);
      }
    },
  };
}

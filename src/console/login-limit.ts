/**
 * The console's login limit, in PostgreSQL so every process shares it: per email and per client address,
 * each attempt is counted (one atomic upsert for both keys) BEFORE the password is checked. Parallel guesses
 * therefore cannot get more tries than the limit, whichever process they reach; a right password gives its
 * own attempt back (successes do not use up the allowance) but never resets what the others used.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../infra/db.ts';

export interface LoginLimits {
  perEmail: number;
  perAddress: number;
  windowSeconds: number;
}

export const LOGIN_LIMITS: LoginLimits = { perEmail: 10, perAddress: 20, windowSeconds: 15 * 60 };

export interface LoginAttempt {
  allowed: boolean;
  /** seconds until the window that refused this attempt ends */
  retryAfterSeconds: number;
  /** the keys counted, to give the attempt back after a right password */
  keys: string[];
}

/** Keys are hashes: emails and forwarded addresses are client input and need not be storable as they are. */
const keyOf = (kind: 'email' | 'addr', value: string) =>
  `${kind}:${createHash('sha256').update(value).digest('base64url')}`;

// Both keys in one statement, in key order, so two attempts never wait for each other's locks the other way round.
// Rows whose window ended a day ago go in the same statement (the table stays as small as the recent attempts).
const TAKE_SQL = `
WITH gone AS (
  DELETE FROM console_login_attempt WHERE window_ends_at < now() - interval '1 day' AND NOT (key = ANY($1::text[]))
)
INSERT INTO console_login_attempt AS a (key, attempts, window_ends_at)
SELECT k, 1, now() + make_interval(secs => $2) FROM unnest($1::text[]) AS k ORDER BY k
ON CONFLICT (key) DO UPDATE SET
  attempts = CASE WHEN a.window_ends_at <= now() THEN 1 ELSE a.attempts + 1 END,
  window_ends_at = CASE WHEN a.window_ends_at <= now() THEN excluded.window_ends_at ELSE a.window_ends_at END
RETURNING key, attempts, ceil(extract(epoch FROM window_ends_at - now()))::int AS retry_after`;

const REFUND_SQL = `
UPDATE console_login_attempt SET attempts = greatest(attempts - 1, 0)
WHERE key = ANY($1::text[]) AND window_ends_at > now()`;

export function createLoginLimiter(db: Db, limits: LoginLimits = LOGIN_LIMITS) {
  return {
    /** Counts an attempt for the email and the address; `allowed` is false when either is over its limit. */
    async take(email: string, address: string): Promise<LoginAttempt> {
      const emailKey = keyOf('email', email.trim().toLowerCase());
      const addrKey = keyOf('addr', address);
      const keys = [emailKey, addrKey].sort();
      const { rows } = await db.sql<{ key: string; attempts: number; retry_after: number }>(TAKE_SQL, [
        keys,
        limits.windowSeconds,
      ]);
      let allowed = true;
      let retryAfterSeconds = 0;
      for (const r of rows) {
        const limit = r.key === emailKey ? limits.perEmail : limits.perAddress;
        if (r.attempts > limit) {
          allowed = false;
          retryAfterSeconds = Math.max(retryAfterSeconds, r.retry_after);
        }
      }
      return { allowed, retryAfterSeconds, keys };
    },
    /** After a right password: the attempt is given back (the count of the others stays). */
    async refund(attempt: LoginAttempt): Promise<void> {
      await db.sql(REFUND_SQL, [attempt.keys]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;

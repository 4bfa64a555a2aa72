/**
 * Links that open one thing without a login: the path and an expiry signed with HMAC-SHA256 under a key derived
 * from a secret (a purpose label keeps keys for different uses apart). Unguessable, unforgeable, expiring.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkSigner {
  /** `exp` (epoch seconds) and `sig` query parameters for `path` */
  sign(path: string, ttlSeconds: number, nowMs?: number): { exp: string; sig: string };
  /** Whether `sig` signs `path` with `exp`, and `exp` is still ahead. */
  verify(path: string, exp: unknown, sig: unknown, nowMs?: number): 'ok' | 'expired' | 'invalid';
}

export function createLinkSigner(secret: string, purpose: string): LinkSigner {
  const key = createHmac('sha256', secret).update(`creditbot/signed-links/${purpose}/v1`).digest();
  const mac = (path: string, exp: string) => createHmac('sha256', key).update(`${path}\n${exp}`).digest('base64url');
  return {
    sign(path, ttlSeconds, nowMs = Date.now()) {
      const exp = String(Math.floor(nowMs / 1000) + ttlSeconds);
      return { exp, sig: mac(path, exp) };
    },
    verify(path, exp, sig, nowMs = Date.now()) {
      if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string' || sig.length > 100) {
        return 'invalid';
      }
      const expected = Buffer.from(mac(path, exp));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      return Number(exp) * 1000 > nowMs ? 'ok' : 'expired';
    },
  };
}

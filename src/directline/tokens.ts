/**
 * Direct Line tokens: compact HMAC-SHA256 JWTs (`header.payload.signature`, base64url) that open one
 * conversation for one user until they expire. Validating one needs no database: the key is derived from
 * DIRECT_LINE_SECRET. The payload also carries `user` (the bound user id) because Web Chat reads that claim
 * (jwt-decode) and then uses it as its own user id, which keeps its outgoing `from.id` equal to ours.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** conversation id */
  cid: string;
  /** platform user id the conversation is bound to */
  uid: string;
  /** issued at, seconds since the epoch */
  iat: number;
  /** expires at, seconds since the epoch */
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired'; claims?: TokenClaims };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface TokenSigner {
  issue(cid: string, uid: string, nowMs: number): { token: string; expiresIn: number };
  verify(token: string, nowMs: number): TokenCheck;
  /** Whether `candidate` is the Direct Line secret (timing-safe). */
  isSecret(candidate: string): boolean;
}

export function createTokenSigner(secret: string, ttlSeconds: number): TokenSigner {
  if (!secret) throw new Error('Direct Line needs a secret (DIRECT_LINE_SECRET).');
  // A key of its own, so a token signature never reveals anything usable elsewhere about the secret.
  const key = createHmac('sha256', secret).update('creditbot/directline/token/v1').digest();
  const secretDigest = createHash('sha256').update(secret).digest();
  const sign = (data: string) => createHmac('sha256', key).update(data).digest();

  return {
    issue(cid, uid, nowMs) {
      const iat = Math.floor(nowMs / 1000);
      const claims = { cid, uid, user: uid, iat, exp: iat + ttlSeconds };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const data = `${HEADER}.${payload}`;
      return { token: `${data}.${sign(data).toString('base64url')}`, expiresIn: ttlSeconds };
    },

    verify(token, nowMs) {
      if (token.length > 4096) return { ok: false, reason: 'malformed' };
      const first = token.indexOf('.');
      const last = token.lastIndexOf('.');
      if (first <= 0 || last === first || token.indexOf('.', first + 1) !== last)
        return { ok: false, reason: 'malformed' };
      const data = token.slice(0, last);
      if (token.slice(0, first) !== HEADER) return { ok: false, reason: 'malformed' };
      const given = Buffer.from(token.slice(last + 1), 'base64url');
      const expected = sign(data);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'signature' };
      let claims: TokenClaims;
      try {
        const p = JSON.parse(
          Buffer.from(token.slice(first + 1, last), 'base64url').toString('utf8'),
        ) as Partial<TokenClaims>;
        if (
          typeof p.cid !== 'string' ||
          typeof p.uid !== 'string' ||
          typeof p.iat !== 'number' ||
          typeof p.exp !== 'number'
        ) {
          return { ok: false, reason: 'malformed' };
        }
        claims = { cid: p.cid, uid: p.uid, iat: p.iat, exp: p.exp };
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired', claims };
      return { ok: true, claims };
    },

    isSecret(candidate) {
      const digest = createHash('sha256').update(candidate).digest();
      return timingSafeEqual(digest, secretDigest);
    },
  };
}

/** Whether `id` can be a conversation id this service issued (anything else is unknown without a lookup). */
export const isConversationId = (id: string): boolean => /^[A-Za-z0-9_-]{1,64}$/.test(id);

/** A random, url-safe, unguessable conversation id (128 bits, 22 characters). */
export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

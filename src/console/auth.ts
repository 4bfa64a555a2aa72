/** Console login: scrypt password hashes, server-side sessions in PostgreSQL, a CSRF token per session, the login limit. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../infra/db.ts';
import { isStorable } from '../shared/text.ts';
import { createLoginLimiter } from './login-limit.ts';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const N = 16_384;
const R = 8;
const P = 1;

/** OpenSSL's scrypt reads the password as a C string: a NUL ends it, so "pw\0anything" would match "pw". */
const hasNul = (password: string) => password.includes('\u0000');

export async function hashPassword(password: string): Promise<string> {
  if (hasNul(password)) throw new Error('A password must not contain the NUL character.');
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return !hasNul(password) && got.length === expected.length && timingSafeEqual(got, expected);
}

export const SESSION_COOKIE = 'cb_console';
/** Session ids are 32 random bytes in base64url; anything else in the cookie is no session. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface ConsoleSession {
  id: string;
  csrfToken: string;
  operator: { id: string; email: string; name: string };
}

export function createConsoleAuth(db: Db) {
  return {
    limiter: createLoginLimiter(db),
    async login(email: string, password: string): Promise<ConsoleSession | null> {
      // An email PostgreSQL cannot hold (NUL, unpaired surrogates) belongs to no operator.
      const storable = isStorable(email) && email.length <= 320;
      const op = storable
        ? await db.prisma.operator.findFirst({
            where: { email: { equals: email.trim(), mode: 'insensitive' } },
            select: { id: true, email: true, name: true, passwordHash: true },
          })
        : null;
      // Hash even for an unknown email, so timing does not tell which emails exist.
      const ok = await verifyPassword(
        password,
        op?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      );
      if (!op || !ok) return null;
      const id = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      await db.prisma.consoleSession.create({
        data: { id, operatorId: op.id, csrfToken, expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
      });
      return { id, csrfToken, operator: { id: op.id, email: op.email, name: op.name } };
    },
    async session(id: string | undefined): Promise<ConsoleSession | null> {
      if (!id || !SESSION_ID.test(id)) return null;
      const s = await db.prisma.consoleSession.findFirst({
        where: { id, expiresAt: { gt: new Date() } },
        select: { id: true, csrfToken: true, operator: { select: { id: true, email: true, name: true } } },
      });
      return s ? { id: s.id, csrfToken: s.csrfToken, operator: s.operator } : null;
    },
    async logout(id: string) {
      await db.prisma.consoleSession.deleteMany({ where: { id } });
    },
    /** Creates the first operator when there is none. Returns the password when it was generated. */
    async bootstrap(
      email: string,
      password: string | undefined,
      allowGenerated: boolean,
    ): Promise<{ created: boolean; password?: string }> {
      if ((await db.prisma.operator.count()) > 0) return { created: false };
      if (!password && !allowGenerated) return { created: false };
      const pw = password ?? randomBytes(12).toString('base64url');
      await db.prisma.operator.createMany({
        data: [{ email, name: 'Administrator', passwordHash: await hashPassword(pw) }],
        skipDuplicates: true,
      });
      return password ? { created: true } : { created: true, password: pw };
    },
  };
}

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>;

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

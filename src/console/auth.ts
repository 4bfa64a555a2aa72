/** Console login: scrypt password hashes, server-side sessions in PostgreSQL, a CSRF token per session. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../infra/db.ts';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const N = 16_384;
const R = 8;
const P = 1;

export async function hashPassword(password: string): Promise<string> {
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
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export const SESSION_COOKIE = 'cb_console';
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface ConsoleSession {
  id: string;
  csrfToken: string;
  operator: { id: string; email: string; name: string };
}

export function createConsoleAuth(db: Db) {
  return {
    async login(email: string, password: string): Promise<ConsoleSession | null> {
      const op = await db.prisma.operator.findFirst({
        where: { email: { equals: email.trim(), mode: 'insensitive' } },
        select: { id: true, email: true, name: true, passwordHash: true },
      });
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
      if (!id || id.length > 100) return null;
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

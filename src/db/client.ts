/**
 * One PostgreSQL pool per process, shared by Prisma (through the pg driver adapter) and by the few
 * hand-written SQL statements on hot paths (ingestion, aggregations), which use `db.sql`.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../shared/logger.ts';

export type Prisma = PrismaClient;

// Our own SQL gets plain values: DATE as 'YYYY-MM-DD' (not a Date at local midnight), int8 as number.
// Prisma sets its own parsers per query, so this does not affect it.
const sqlTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1082) return (v: string) => v;
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface Db {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Runs hand-written SQL on the shared pool. */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  close(): Promise<void>;
}

export function createDb(opts: { url: string; poolSize?: number; logger?: Logger; applicationName?: string }): Db {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    types: sqlTypes,
    application_name: opts.applicationName ?? 'creditbot',
    // Short OLTP statements only: JIT compilation (triggered by pessimistic estimates on the edge scans)
    // costs 150–290 ms per call and buys nothing here (bench/credit-state.ts measured it).
    options: '-c jit=off',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => opts.logger?.error({ err }, 'postgres pool error'));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: false }) });
  return {
    prisma,
    pool,
    sql: (text, values) => pool.query(text, values as unknown[]),
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/** Creates the database named in the URL if it does not exist (development convenience). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return false;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (err) {
    // Another process created it at the same time.
    if ((err as { code?: string }).code === '42P04') return false;
    throw err;
  } finally {
    await client.end();
  }
}

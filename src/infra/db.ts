/**
 * PostgreSQL for the whole process: one pool, shared by the Prisma Client (plain reads and writes, with its
 * generated types) and by the hand-written SQL of the hot paths (ingestion, rollups, segment sums, the outbox,
 * Direct Line), which `bench/` shows Prisma would slow down. One transaction helper serves both:
 *
 *   await db.transaction(async (tx) => {
 *     await tx.prisma.changeRequest.update(...);          // Prisma, inside the transaction
 *     await tx.sql('SELECT ... FOR UPDATE', [id]);        // hand-written SQL, same connection, same transaction
 *   });
 *
 * The transaction is Prisma's interactive transaction. Its connection comes from our pool, which records it for
 * the transaction that asked (AsyncLocalStorage), so `tx.sql` runs on that very connection without Prisma's
 * per-query overhead and with this pool's type parsers. Deadlocks and serialization failures are retried.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../shared/logger.ts';
import { createListener, type Listener } from './pg-listen.ts';

export type { Prisma };

// Our own SQL gets plain values: DATE as 'YYYY-MM-DD' (not a Date at local midnight), int8 as number.
// Prisma sets its own parsers per query, so this does not affect it.
const sqlTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1082) return (v: string) => v;
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Runs hand-written SQL with typed rows. */
export type Sql = <R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values?: readonly unknown[],
) => Promise<pg.QueryResult<R>>;

/** A transaction: Prisma and hand-written SQL on one connection. */
export interface Tx {
  prisma: Prisma.TransactionClient;
  sql: Sql;
  /**
   * Tells this process's subscribers of `channel` once the transaction has committed (never when it rolls back).
   * Other processes hear of the change from PostgreSQL itself (a trigger's NOTIFY on the same channel), so a
   * process sees its own writes at once and everyone else's within a notification's latency.
   */
  signal(channel: string, payload: string): void;
}

/** What a subscriber of a channel is told (see `Db.subscribe`). */
export interface ChannelHandlers {
  /** a change: from this process after its commit, or from PostgreSQL NOTIFY */
  onNotify(payload: string): void;
  /** listening to PostgreSQL: from now on no other process's change goes unnoticed */
  onReady?(): void;
  /** the listening connection was lost (or closed): changes may have gone unnoticed until the next onReady */
  onReset?(): void;
}

export interface TransactionOptions {
  /** ms to wait for a connection (default 5,000) */
  maxWait?: number;
  /** ms the transaction may take before it is rolled back (default 15,000) */
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

export interface Db {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Hand-written SQL on the shared pool, outside any transaction. */
  sql: Sql;
  /** The one transaction helper (see the module comment). */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * Follows a channel: this process's `tx.signal`s at commit and PostgreSQL NOTIFYs on it (one LISTEN
   * connection per channel, opened on the first subscriber, reconnecting). Answers the unsubscribe.
   */
  subscribe(channel: string, handlers: ChannelHandlers): () => void;
  close(): Promise<void>;
}

/** The connection a transaction started in this async context got from the pool. */
const opening = new AsyncLocalStorage<{ client?: pg.PoolClient }>();

/**
 * A pool that tells a starting transaction which connection it got. Prisma's adapter asks the pool for a
 * connection when it starts an interactive transaction; that `connect()` runs in the async context of our
 * `transaction()` call, which is waiting for exactly that connection (the first one asked for there).
 */
class TransactionAwarePool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (promise or callback)
  override connect(callback?: any): any {
    const slot = opening.getStore();
    if (!slot || slot.client) return callback ? super.connect(callback) : super.connect();
    if (callback) {
      return super.connect((err, client, done) => {
        if (!err && client && !slot.client) slot.client = client;
        callback(err, client, done);
      });
    }
    return super.connect().then((client) => {
      if (!slot.client) slot.client = client;
      return client;
    });
  }
}

/** PostgreSQL error codes worth a new attempt: deadlock, serialization failure. */
const RETRYABLE_PG = new Set(['40P01', '40001']);

function pgCode(err: unknown): string | undefined {
  const e = err as {
    code?: unknown;
    meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } };
  };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  const original = e.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === 'string') return original;
  // Prisma reports a write conflict or deadlock as P2034.
  if (e.code === 'P2034') return '40001';
  return undefined;
}

/** A unique or primary-key violation, from Prisma (P2002) or from hand-written SQL (23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'P2002' || code === '23505' || pgCode(err) === '23505';
}

export function createDb(opts: { url: string; poolSize?: number; logger?: Logger; applicationName?: string }): Db {
  const pool = new TransactionAwarePool({
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
  const sql: Sql = (text, values) => pool.query(text, values as unknown[]);

  async function transaction<T>(fn: (tx: Tx) => Promise<T>, o: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const slot: { client?: pg.PoolClient } = {};
      const signals: Array<[string, string]> = [];
      try {
        const result = await opening.run(slot, () =>
          prisma.$transaction(
            async (ptx) => {
              const client = slot.client;
              if (!client) throw new Error('transaction: the pool did not hand out the transaction connection');
              const txSql: Sql = (text, values) => client.query(text, values as unknown[]);
              const signal = (channel: string, payload: string) => void signals.push([channel, payload]);
              return fn({ prisma: ptx, sql: txSql, signal });
            },
            { maxWait: o.maxWait ?? 5_000, timeout: o.timeout ?? 15_000, isolationLevel: o.isolationLevel },
          ),
        );
        for (const [channel, payload] of signals) deliver(channel, (h) => h.onNotify(payload));
        return result;
      } catch (err) {
        const code = pgCode(err);
        if (code && RETRYABLE_PG.has(code) && attempt < 5) continue;
        throw err;
      }
    }
  }

  const channels = new Map<string, { handlers: Set<ChannelHandlers>; listener: Listener; ready: boolean }>();
  function deliver(channel: string, call: (h: ChannelHandlers) => void) {
    for (const h of channels.get(channel)?.handlers ?? []) {
      try {
        call(h);
      } catch (err) {
        opts.logger?.error({ err, channel }, 'channel subscriber failed');
      }
    }
  }
  function subscribe(channel: string, handlers: ChannelHandlers): () => void {
    let entry = channels.get(channel);
    if (!entry) {
      const e = {
        handlers: new Set<ChannelHandlers>(),
        ready: false,
        listener: createListener({
          databaseUrl: opts.url,
          channel,
          logger: opts.logger,
          onNotify: (payload) => deliver(channel, (h) => h.onNotify(payload)),
          onReady: () => {
            e.ready = true;
            deliver(channel, (h) => h.onReady?.());
          },
          onReset: () => {
            e.ready = false;
            deliver(channel, (h) => h.onReset?.());
          },
          // Listening is trusted once a notification sent through the pool comes back, and re-checked.
          probe: (payload) => pool.query('SELECT pg_notify($1, $2)', [channel, payload]),
        }),
      };
      channels.set(channel, e);
      void e.listener.start();
      entry = e;
    }
    entry.handlers.add(handlers);
    if (entry.ready) handlers.onReady?.();
    const e = entry;
    return () => {
      e.handlers.delete(handlers);
      if (e.handlers.size === 0 && channels.get(channel) === e) {
        channels.delete(channel);
        void e.listener.stop();
      }
    };
  }

  return {
    prisma,
    pool,
    sql,
    transaction,
    subscribe,
    async close() {
      // Subscribers hear onReset (stop) before the channels go.
      const open = [...channels.values()];
      await Promise.all(open.map((e) => e.listener.stop()));
      channels.clear();
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

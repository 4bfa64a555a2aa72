/**
 * Migrations without the Prisma CLI's downloaded engine: Prisma's own schema engine compiled to
 * WebAssembly (`@prisma/schema-engine-wasm`) talks to PostgreSQL through the pg driver adapter.
 * `applyMigrations` does what `prisma migrate deploy` does (same `_prisma_migrations` table, same
 * folder layout), so either tool can be used on the same database.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { Sql } from './db.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PRISMA_DIR = path.resolve(here, '../../prisma');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');

// biome-ignore lint/suspicious/noExplicitAny: the wasm-bindgen module is untyped at this level
type WasmModule = any;
interface SchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(params: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
}

let wasmReady: Promise<WasmModule> | undefined;

/** Node 20 cannot import .wasm files: instantiate the engine by hand (see docs/operations.md, "Prisma without internet"). */
function loadWasm(): Promise<WasmModule> {
  wasmReady ??= (async () => {
    const bg: WasmModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return wasmReady;
}

/** Marks the result rows of a query whose columns include PostgreSQL's one-byte "char" type (OID 18). */
const CHAR_COLUMNS = Symbol('char columns');

/**
 * Connections of the diff's shadow database, with two fixes:
 * - the driver adapter does not map the one-byte "char" type, which the engine's catalog queries return
 *   (`pg_constraint.contype`) and read as a character: such columns reach the adapter as text, their
 *   positions noted on the rows, and `charColumns` below tells the engine they are characters;
 * - the adapter drops the shadow database while its own pool may still hold an idle connection to it: the
 *   drop waits (a little) until the pool has closed it (idleTimeoutMillis below).
 */
class CatalogClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (promise or callback)
  override query(...args: any[]): any {
    const noteChars = (result: pg.QueryResult | undefined) => {
      const chars: number[] = [];
      (result?.fields ?? []).forEach((field, i) => {
        if (field.dataTypeID === 18) {
          field.dataTypeID = 25;
          chars.push(i);
        }
      });
      if (result && chars.length) Object.assign(result.rows, { [CHAR_COLUMNS]: chars });
      return result;
    };
    // The pool calls with a callback; the adapter's own connections (transactions) without.
    const last = args.length - 1;
    const run = () => (super.query as (...a: unknown[]) => unknown)(...args);
    const shadow =
      typeof args[0] === 'string' ? /^DROP DATABASE "(prisma_migrate_shadow_db_[^"]+)"$/.exec(args[0]) : null;
    if (shadow) {
      const dropped = this.whenUnused(shadow[1]!).then(run);
      if (typeof args[last] !== 'function') return dropped;
      dropped.catch((err: Error) => (args[last] as (e: Error) => void)(err));
      return undefined;
    }
    if (typeof args[last] === 'function') {
      const callback = args[last] as (err: Error | null, result?: pg.QueryResult) => void;
      args[last] = (err: Error | null, result?: pg.QueryResult) => callback(err, err ? result : noteChars(result));
      return run();
    }
    const out = run();
    if (!out || typeof (out as Promise<unknown>).then !== 'function') return out;
    return (out as Promise<pg.QueryResult>).then(noteChars);
  }

  private async whenUnused(database: string) {
    for (let i = 0; i < 50; i++) {
      const { rows } = await super.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [database],
      );
      if (!rows[0]?.n) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;

/** The factory with every adapter it opens (main and shadow database) changed by `patch`. */
function patchAdapters(factory: PrismaPg, patch: (adapter: Adapter) => Adapter): PrismaPg {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === 'connect' || prop === 'connectToShadowDb') {
        return async () => patch(await target[prop]());
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * The adapters run a migration script whole: the adapter's own `executeScript` splits it at every ';', which
 * cuts a dollar-quoted function body (a trigger's) apart. Sent as one simple query, PostgreSQL parses it
 * properly and runs it as one implicit transaction, so a failing migration leaves nothing half-applied (and
 * may not use CREATE INDEX CONCURRENTLY).
 */
function wholeScripts(factory: PrismaPg): PrismaPg {
  return patchAdapters(factory, (adapter) => {
    const inner = adapter as unknown as { client: pg.Pool; onError(err: unknown): never };
    adapter.executeScript = async (script) => {
      try {
        await inner.client.query(script);
      } catch (err) {
        inner.onError(err);
      }
    };
    return adapter;
  });
}

/** The adapters the factory opens report the noted "char" columns as characters. */
function charColumns(factory: PrismaPg): PrismaPg {
  const patch = (adapter: Adapter): Adapter => {
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      const out = await queryRaw(query);
      for (const i of (out.rows as { [CHAR_COLUMNS]?: number[] })[CHAR_COLUMNS] ?? []) {
        out.columnTypes[i] = ColumnTypeEnum.Character;
      }
      return out;
    };
    return adapter;
  };
  return patchAdapters(factory, patch);
}

/**
 * Connection settings for the diff, as fields rather than a connection string: the adapter opens the shadow
 * database as `{ ...config, database }`, and a connection string would override that `database` (the
 * migrations would then be replayed into the named database itself).
 */
function diffConnection(databaseUrl: string): PrismaPg {
  const u = new URL(databaseUrl);
  return charColumns(
    new PrismaPg({
      host: decodeURIComponent(u.hostname),
      port: u.port ? Number(u.port) : 5432,
      user: decodeURIComponent(u.username) || undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
      Client: CatalogClient,
      idleTimeoutMillis: 50,
    }),
  );
}

async function withEngine<T>(connection: string | PrismaPg, fn: (engine: SchemaEngine, schema: string) => Promise<T>) {
  const bg = await loadWasm();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(
    wholeScripts(typeof connection === 'string' ? new PrismaPg({ connectionString: connection }) : connection),
  );
  const logs: string[] = [];
  const engine: SchemaEngine = await bg.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    (line: string) => logs.push(line),
    adapter,
  );
  try {
    return await fn(engine, schema);
  } finally {
    engine.free();
  }
}

export async function readMigrationsList() {
  let dirs: string[] = [];
  try {
    dirs = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let lock: string | null = null;
  try {
    lock = await readFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8');
  } catch {
    lock = null;
  }
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

let folders: Promise<string[]> | undefined;

/**
 * The migration folders of this build that the database has not applied (compared with `_prisma_migrations`;
 * all of them when the table does not exist). The folders are read once per process.
 */
export async function pendingMigrations(sql: Sql): Promise<string[]> {
  folders ??= readMigrationsList().then((l) => l.migrationDirectories.map((d) => d.path));
  const wanted = await folders;
  let applied: Set<string>;
  try {
    const { rows } = await sql<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // undefined_table: nothing applied yet
    applied = new Set();
  }
  return wanted.filter((name) => !applied.has(name));
}

/**
 * Applies pending migrations (like `prisma migrate deploy`). The engine takes PostgreSQL's advisory
 * lock 72707369 as the CLI does, so several processes starting at once migrate one at a time.
 * Returns the names of the migrations applied now.
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrationsList();
  return withEngine(databaseUrl, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes the committed migrations to the current schema.prisma ('' when they match). */
export async function diffSchemaAgainstMigrations(databaseUrl: string): Promise<string> {
  const migrationsList = await readMigrationsList();
  return withEngine(diffConnection(databaseUrl), async (engine, schema) => {
    const from = migrationsList.migrationDirectories.length
      ? { tag: 'migrations', ...migrationsList }
      : { tag: 'empty' };
    const out = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = (out.stdout ?? '').trim();
    return sql === '-- This is an empty migration.' ? '' : sql;
  });
}

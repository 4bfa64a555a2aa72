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
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

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

/** PostgreSQL's internal one-byte `"char"` type (oid 18). */
const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };
const charAsText = <R>(result: R): R => {
  for (const f of (result as QueryResultLike | undefined)?.fields ?? [])
    if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
  return result;
};

/**
 * The schema engine reads PostgreSQL's catalogs (a shadow database's, to diff migrations) whose flag columns are
 * of the internal `"char"` type, which the pg driver adapter does not map. It arrives as text already: this
 * client only relabels the column type, for the migration engine's connections and nothing else.
 */
class CatalogFriendlyClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query overloads (promise or callback)
  override query(...args: any[]): any {
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as (err: Error, res: unknown) => void) : undefined;
    if (callback) {
      return (super.query as (...a: unknown[]) => unknown)(...args, (err: Error, res: unknown) =>
        callback(err, charAsText(res)),
      );
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return out && typeof (out as Promise<unknown>).then === 'function'
      ? (out as Promise<unknown>).then(charAsText)
      : out;
  }
}

async function withEngine<T>(databaseUrl: string, fn: (engine: SchemaEngine, schema: string) => Promise<T>) {
  const bg = await loadWasm();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString: databaseUrl, Client: CatalogFriendlyClient as unknown as typeof pg.Client }),
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
  return withEngine(databaseUrl, async (engine, schema) => {
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

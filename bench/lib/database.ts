/**
 * A scratch PostgreSQL database per bench run: created next to the `postgres` admin database at
 * BENCH_DATABASE_URL, migrated like production, and dropped at the end (unless the caller keeps it).
 */
import pg from 'pg';
import { applyMigrations } from '../../src/infra/migrate.ts';

export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open on it. Safe to call twice. */
  drop(): Promise<void>;
}

export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: BENCH_ADMIN_URL, connectionTimeoutMillis: 5_000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export { applyMigrations };

/** A dedicated connection for bulk work, with session settings for loading (never used by the app). */
export async function bulkConnection(url: string, settings: Record<string, string> = {}): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'bench-bulk' });
  await c.connect();
  for (const [k, v] of Object.entries(settings)) await c.query(`SET ${k} = '${v.replaceAll("'", "''")}'`);
  return c;
}

/**
 * Runs tasks over a set of connections, each connection taking the next task when it is free
 * (list the biggest tasks first). Returns each task's duration in ms, by label.
 */
export async function runOnConnections(
  clients: pg.Client[],
  tasks: Array<{ label: string; run: (c: pg.Client) => Promise<unknown> }>,
): Promise<Record<string, number>> {
  const took: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    clients.map(async (c) => {
      for (let i = next++; i < tasks.length; i = next++) {
        const task = tasks[i]!;
        const t0 = performance.now();
        await task.run(c);
        took[task.label] = performance.now() - t0;
      }
    }),
  );
  return took;
}

export interface DroppedIndex {
  table: string;
  name: string;
  /** statements that recreate the index (and its constraint) exactly */
  recreate: string[];
}

/**
 * Drops every index of a table (primary key and unique constraints included) and returns the
 * statements that recreate them as they were, from the catalog's own definitions.
 */
export async function dropIndexes(c: pg.Client, table: string): Promise<DroppedIndex[]> {
  const { rows } = await c.query<{ index: string; def: string; conname: string | null; contype: string | null }>(
    `SELECT quote_ident(ic.relname) AS index, pg_get_indexdef(i.indexrelid) AS def,
            quote_ident(con.conname) AS conname, con.contype::text AS contype
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      WHERE i.indrelid = $1::regclass`,
    [table],
  );
  const out: DroppedIndex[] = [];
  for (const r of rows) {
    if (r.conname && (r.contype === 'p' || r.contype === 'u')) {
      await c.query(`ALTER TABLE ${table} DROP CONSTRAINT ${r.conname}`);
      const kind = r.contype === 'p' ? 'PRIMARY KEY' : 'UNIQUE';
      out.push({
        table,
        name: r.index,
        recreate: [r.def, `ALTER TABLE ${table} ADD CONSTRAINT ${r.conname} ${kind} USING INDEX ${r.index}`],
      });
    } else {
      await c.query(`DROP INDEX ${r.index}`);
      out.push({ table, name: r.index, recreate: [r.def] });
    }
  }
  return out;
}

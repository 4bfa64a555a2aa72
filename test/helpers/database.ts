/**
 * A database of its own for a test file that needs fixed ids (the demo account), migrated (unless told not to)
 * and dropped after.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { applyMigrations } from '../../src/infra/migrate.ts';

export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const runUrl = new URL(inject('databaseUrl'));
  const name = `${runUrl.pathname.slice(1)}_${randomBytes(3).toString('hex')}`;
  const admin = new URL(runUrl);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  if (opts.migrate !== false) await applyMigrations(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin.toString() });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await d.end();
    },
  };
}

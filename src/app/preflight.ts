/** Start-up checks: an unreachable PostgreSQL or Redis stops the start with one line saying what to do. */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from '../config.ts';
import { ensureDatabase } from '../infra/db.ts';

export class PreflightError extends Error {}

const redact = (url: string) => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
};

export async function checkPostgres(config: Config): Promise<void> {
  try {
    if (config.env !== 'production') await ensureDatabase(config.databaseUrl);
    const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
  } catch (err) {
    const reason = (err as { code?: string; message?: string }).code ?? (err as Error).message;
    throw new PreflightError(
      `Cannot reach PostgreSQL at DATABASE_URL=${redact(config.databaseUrl)} (${reason}): start PostgreSQL or set DATABASE_URL to a reachable database.`,
    );
  }
}

export async function checkRedis(config: Config): Promise<{ evictionPolicy?: string }> {
  const client = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    const policy = (await client.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    return { evictionPolicy: policy[1] };
  } catch (err) {
    throw new PreflightError(
      `Cannot reach Redis at REDIS_URL=${redact(config.redisUrl)} (${(err as Error).message}): start Redis or set REDIS_URL to a reachable server.`,
    );
  } finally {
    client.disconnect();
  }
}

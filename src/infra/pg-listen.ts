/**
 * LISTEN on a PostgreSQL channel with a connection of its own, reconnecting for ever. Notifications arrive at
 * commit of the transaction that sent them. While the connection is down some may be lost: the owner is told
 * (`onReset`) so it can drop what it cached, and told again when listening resumes (`onReady`).
 */
import pg from 'pg';
import type { Logger } from '../shared/logger.ts';

export interface Listener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createListener(opts: {
  databaseUrl: string;
  channel: string;
  logger?: Logger;
  onNotify(payload: string): void;
  onReady?(): void;
  onReset?(): void;
  /** ms before reconnecting (default 1,000) */
  retryMs?: number;
}): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.channel)) throw new Error(`Not a channel name: ${opts.channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const lost = (c: pg.Client, why: string) => {
    if (client !== c) return;
    client = undefined;
    opts.onReset?.();
    c.end().catch(() => undefined);
    if (stopped) return;
    opts.logger?.warn({ why, channel: opts.channel }, 'PostgreSQL listener lost; reconnecting');
    retry = setTimeout(() => void connect(), opts.retryMs ?? 1_000);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: opts.databaseUrl,
      application_name: `creditbot-listen-${opts.channel}`,
    });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      if (n.channel === opts.channel && n.payload) opts.onNotify(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${opts.channel}`);
      if (client === c && !stopped) opts.onReady?.();
    } catch (err) {
      lost(c, (err as Error).message);
    }
  }

  return {
    start: () => connect(),
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      opts.onReset?.();
      await c?.end().catch(() => undefined);
    },
  };
}

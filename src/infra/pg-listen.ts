/**
 * LISTEN on a PostgreSQL channel with a connection of its own, reconnecting for ever. Notifications arrive at
 * commit of the transaction that sent them. While the connection is down some may be lost: the owner is told
 * (`onReset`) so it can drop what it cached, and told again when listening works (`onReady`).
 *
 * "Works" is checked, not assumed: with `probe`, a notification is sent through another connection (the pool)
 * and must come back on this one, first before `onReady` and then every `probeEveryMs`. A connection that died
 * without a reset (a NAT timeout, a failover) or one that cannot deliver notifications (a pooler in transaction
 * mode) is then noticed within one probe period, instead of leaving the owner trusting a silent channel.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../shared/logger.ts';

export interface Listener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Payloads of probes: they contain a space, which no id of ours does (see platform-api/schemas.ts). */
const PROBE_PREFIX = 'probe ';

export function createListener(opts: {
  databaseUrl: string;
  channel: string;
  logger?: Logger;
  onNotify(payload: string): void;
  onReady?(): void;
  onReset?(): void;
  /** sends `payload` on the channel through another connection (`SELECT pg_notify($1, $2)`) */
  probe?(payload: string): Promise<unknown>;
  /** ms between probes (default 15,000) */
  probeEveryMs?: number;
  /** ms a probe may take to come back (default 5,000) */
  probeTimeoutMs?: number;
  /** ms before reconnecting (default 1,000) */
  retryMs?: number;
}): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.channel)) throw new Error(`Not a channel name: ${opts.channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  /** probes sent and not heard yet: payload → resolve */
  const waiting = new Map<string, () => void>();

  const lost = (c: pg.Client, why: string) => {
    if (client !== c) return;
    client = undefined;
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
    waiting.clear();
    opts.onReset?.();
    c.end().catch(() => undefined);
    if (stopped) return;
    opts.logger?.warn({ why, channel: opts.channel }, 'PostgreSQL listener lost; reconnecting');
    retry = setTimeout(() => void connect(), opts.retryMs ?? 1_000);
    retry.unref();
  };

  /** Sends a probe and resolves when it comes back on `c`; rejects after the timeout. */
  async function roundTrip(c: pg.Client): Promise<void> {
    const payload = `${PROBE_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<void>((resolve, reject) => {
      waiting.set(payload, resolve);
      timer = setTimeout(() => reject(new Error('probe not heard')), opts.probeTimeoutMs ?? 5_000);
      timer.unref();
    });
    try {
      await opts.probe!(payload);
      await heard;
    } finally {
      clearTimeout(timer);
      waiting.delete(payload);
    }
    if (client !== c) throw new Error('connection replaced');
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: opts.databaseUrl,
      application_name: `creditbot-listen-${opts.channel}`,
      keepAlive: true,
    });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      if (n.channel !== opts.channel || !n.payload) return;
      if (n.payload.startsWith(PROBE_PREFIX)) {
        waiting.get(n.payload)?.();
        return;
      }
      opts.onNotify(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${opts.channel}`);
      if (opts.probe) await roundTrip(c);
      if (client !== c || stopped) return;
      if (opts.probe) {
        heartbeat = setInterval(() => {
          roundTrip(c).catch((err: Error) => lost(c, err.message));
        }, opts.probeEveryMs ?? 15_000);
        heartbeat.unref();
      }
      opts.onReady?.();
    } catch (err) {
      lost(c, (err as Error).message);
    }
  }

  return {
    start: () => connect(),
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      waiting.clear();
      const c = client;
      client = undefined;
      opts.onReset?.();
      await c?.end().catch(() => undefined);
    },
  };
}

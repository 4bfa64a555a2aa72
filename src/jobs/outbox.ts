/**
 * Transactional outbox. A state change and the job it implies are written in one PostgreSQL
 * transaction (`enqueueInTransaction`); the relay moves rows into BullMQ with a deterministic job id
 * and marks them relayed. A process dying between the two loses nothing (the row is still there) and
 * duplicates nothing (the same job id). While Redis is away, rows wait and the relay retries.
 */
import type { Queue } from 'bullmq';
import pg from 'pg';
import type { Db, Tx } from '../infra/db.ts';
import type { Logger } from '../shared/logger.ts';
import { type JobName, type JobPayload, jobCatalog, jobIdFor, type QueueName } from './catalog.ts';

export const OUTBOX_CHANNEL = 'outbox_ready';

/** Writes a job into the outbox inside the caller's transaction. The same (name, key) is enqueued once. */
export async function enqueue<N extends JobName>(
  tx: Pick<Tx, 'sql'>,
  name: N,
  payload: JobPayload<N>,
  opts: { key: string; runAt?: Date },
): Promise<void> {
  const parsed = jobCatalog[name].schema.parse(payload);
  // One statement: the row, and a notification delivered at commit that wakes the relays at once.
  await tx.sql(
    `WITH ins AS (
       INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (job_id) DO NOTHING RETURNING 1
     ) SELECT pg_notify($5, $1)`,
    [name, jobIdFor(name, opts.key), JSON.stringify(parsed), opts.runAt ?? null, OUTBOX_CHANNEL],
  );
}

/**
 * Writes several jobs of one name in one statement (each (name, key) once), inside the caller's transaction.
 * The relays are woken only when a row is new: a writer that asks again for a job already there (one job per
 * time window, asked for by every batch) does not make them poll.
 */
export async function enqueueMany<N extends JobName>(
  tx: Pick<Tx, 'sql'>,
  name: N,
  jobs: ReadonlyArray<{ payload: JobPayload<N>; key: string; runAt?: Date }>,
): Promise<void> {
  if (jobs.length === 0) return;
  const schema = jobCatalog[name].schema;
  await tx.sql(
    `WITH ins AS (
       INSERT INTO outbox (job_name, job_id, payload, run_at)
       SELECT $1, t.job_id, t.payload, t.run_at
         FROM unnest($2::text[], $3::jsonb[], $4::timestamptz[]) AS t(job_id, payload, run_at)
       ON CONFLICT (job_id) DO NOTHING RETURNING 1
     ) SELECT pg_notify($5, $1) WHERE EXISTS (SELECT 1 FROM ins)`,
    [
      name,
      jobs.map((j) => jobIdFor(name, j.key)),
      jobs.map((j) => JSON.stringify(schema.parse(j.payload))),
      jobs.map((j) => j.runAt ?? null),
      OUTBOX_CHANNEL,
    ],
  );
}

export interface OutboxRelayDeps {
  db: Db;
  databaseUrl: string;
  queues: Record<QueueName, Queue>;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  /** Relays what is pending now; resolves with the number of jobs handed to BullMQ. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function createOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  const { db, queues, logger } = deps;
  const pollMs = deps.pollMs ?? 1_000;
  const batchSize = deps.batchSize ?? 200;
  let listener: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  let backoffUntil = 0;

  interface OutboxRow {
    id: string;
    job_name: JobName;
    job_id: string;
    payload: unknown;
    run_at: Date | null;
  }

  /** Hands one batch to BullMQ; the rows stay locked (SKIP LOCKED for other relays) until marked relayed. */
  const relayBatch = (): Promise<number> =>
    db
      .transaction(async (tx) => {
        const { rows } = await tx.sql<OutboxRow>(
          `SELECT id, job_name, job_id, payload, run_at FROM outbox
          WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [batchSize],
        );
        if (rows.length === 0) return 0;
        const done: string[] = [];
        let failure: unknown;
        for (const row of rows) {
          const def = jobCatalog[row.job_name];
          if (!def) {
            logger.error({ jobName: row.job_name, id: row.id }, 'outbox row names an unknown job; left in place');
            continue;
          }
          try {
            await queues[def.queue].add(row.job_name, row.payload, {
              jobId: row.job_id,
              attempts: def.attempts,
              backoff: def.backoff,
              delay: row.run_at
                ? Math.max(0, row.run_at.getTime() - Date.now())
                : 'delayMs' in def
                  ? (def.delayMs ?? 0)
                  : 0,
              removeOnComplete: { age: 7 * 86_400, count: 100_000 },
              removeOnFail: { age: 30 * 86_400 },
            });
            done.push(row.id);
          } catch (err) {
            failure = err;
            break;
          }
        }
        if (done.length) {
          await tx.sql('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [done]);
        }
        if (failure) {
          await tx.sql(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2
            WHERE id = (SELECT min(id) FROM outbox WHERE relayed_at IS NULL AND NOT (id = ANY($1::bigint[])))`,
            [done, String((failure as Error).message ?? failure).slice(0, 500)],
          );
          // What was handed over is committed (relayed once); the failure still reaches the caller.
          return { handed: done.length, failure };
        }
        return done.length;
      })
      .then((out) => {
        if (typeof out === 'number') return out;
        throw out.failure;
      });

  async function drainLoop(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await relayBatch();
      total += n;
      if (n < batchSize) return total;
    }
  }

  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await drainLoop();
        } while (again && !stopped);
        backoffUntil = 0;
        return total;
      } catch (err) {
        // Redis away (producers fail fast) or PostgreSQL hiccup: rows stay; try again a little later.
        backoffUntil = Date.now() + 2_000;
        logger.warn({ err: (err as Error).message }, 'outbox relay could not hand jobs to the queue; will retry');
        return total;
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const tick = () => {
    if (!stopped && Date.now() >= backoffUntil) void drain();
  };

  /** LISTEN on a connection of its own; if it drops (PostgreSQL restarted), polling goes on and it reconnects. */
  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: deps.databaseUrl, application_name: 'creditbot-outbox-listener' });
    let lost = false;
    const reconnect = (why: string) => {
      if (lost || stopped) return;
      lost = true;
      logger.warn({ why }, 'outbox listener lost; polling until it is back');
      client.end().catch(() => undefined);
      setTimeout(() => {
        if (!stopped) listen().catch(() => reconnect('reconnect failed'));
      }, 1_000).unref();
    };
    client.on('error', (err) => reconnect(err.message));
    client.on('end', () => reconnect('connection ended'));
    client.on('notification', tick);
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (err) {
      reconnect((err as Error).message);
    }
  }

  return {
    async start() {
      stopped = false;
      await listen();
      timer = setInterval(tick, pollMs);
      tick();
    },
    drain,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      await listener?.end().catch(() => undefined);
      listener = undefined;
    },
  };
}

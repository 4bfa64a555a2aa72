/**
 * botbuilder `Storage` on PostgreSQL (table bot_state): conversation state survives restarts and any
 * process can continue any conversation. Honors eTags like botbuilder's MemoryStorage ('*' or none =
 * last writer wins; otherwise the write must match the stored eTag).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder-core';
import type { Db } from '../infra/db.ts';

/** A row of bot_state as `PostgresStorage.rowSql` renders it (json), or null for no row. */
type KnownRow = { data: Record<string, unknown>; e_tag: string } | null;

export class PostgresStorage implements Storage {
  /** Rows already read for this turn (`withKnown`), each served once. */
  private readonly known = new AsyncLocalStorage<Map<string, KnownRow>>();

  constructor(private readonly db: Db) {}

  /**
   * A SQL expression for the row under the key `keySql` evaluates to, as json (NULL for none): another statement
   * of the turn can read it along (the Direct Line append does, see DirectLineDeps.alongUserActivity).
   */
  static rowSql(keySql: string): string {
    return `(SELECT json_build_object('data', data, 'e_tag', e_tag) FROM bot_state WHERE key = ${keySql})`;
  }

  /**
   * Runs `fn` (a turn) knowing the row under `key` already, as read by `rowSql` in the same turn: the turn's
   * first read of that key costs no round trip. Later reads, and reads of other keys, go to PostgreSQL.
   */
  async withKnown<T>(key: string, row: unknown, fn: () => Promise<T>): Promise<T> {
    if (row !== null && !isRow(row)) return fn(); // not what rowSql renders: read it the usual way
    const known = new Map<string, KnownRow>([[key, row]]);
    try {
      return await this.known.run(known, fn);
    } finally {
      known.clear(); // nothing created during the turn keeps the row alive, nor serves it later
    }
  }

  /** Written or deleted keys are no longer what was read along: a later read goes to PostgreSQL. */
  private forget(keys: Iterable<string>) {
    const known = this.known.getStore();
    if (known) for (const key of keys) known.delete(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const items: StoreItems = {};
    const known = this.known.getStore();
    const rest: string[] = [];
    for (const key of keys) {
      const row = known?.get(key);
      if (row === undefined) {
        rest.push(key);
        continue;
      }
      known!.delete(key);
      if (row) items[key] = { ...row.data, eTag: row.e_tag };
    }
    if (rest.length === 0) return items;
    const { rows } = await this.db.sql<{ key: string; data: Record<string, unknown>; e_tag: string }>(
      'SELECT key, data, e_tag FROM bot_state WHERE key = ANY($1::text[])',
      [rest],
    );
    for (const r of rows) items[r.key] = { ...r.data, eTag: r.e_tag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    this.forget(Object.keys(changes));
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const next = randomUUID();
      if (!eTag || eTag === '*') {
        await this.db.sql(
          `INSERT INTO bot_state (key, data, e_tag, updated_at) VALUES ($1, $2::jsonb, $3, now())
           ON CONFLICT (key) DO UPDATE SET data = excluded.data, e_tag = excluded.e_tag, updated_at = now()`,
          [key, JSON.stringify(data), next],
        );
      } else {
        const r = await this.db.sql(
          'UPDATE bot_state SET data = $2::jsonb, e_tag = $3, updated_at = now() WHERE key = $1 AND e_tag = $4',
          [key, JSON.stringify(data), next, eTag],
        );
        if (r.rowCount !== 1) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    this.forget(keys);
    if (keys.length) await this.db.sql('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}

function isRow(v: unknown): v is NonNullable<KnownRow> {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { data?: unknown; e_tag?: unknown };
  return typeof r.data === 'object' && r.data !== null && typeof r.e_tag === 'string';
}

/**
 * botbuilder `Storage` on PostgreSQL (table bot_state): conversation state survives restarts and any
 * process can continue any conversation. Honors eTags like botbuilder's MemoryStorage ('*' or none =
 * last writer wins; otherwise the write must match the stored eTag).
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder-core';
import type { Db } from '../infra/db.ts';

export class PostgresStorage implements Storage {
  constructor(private readonly db: Db) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const { rows } = await this.db.sql<{ key: string; data: Record<string, unknown>; e_tag: string }>(
      'SELECT key, data, e_tag FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    const items: StoreItems = {};
    for (const r of rows) items[r.key] = { ...r.data, eTag: r.e_tag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
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
    if (keys.length) await this.db.sql('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}

/** PostgresStorage serving a row read along with the stored message (withKnown): once, and never after a write. */
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../../src/chat/state-storage.ts';
import type { Db } from '../../../src/infra/db.ts';

function fakeDb() {
  const statements: string[] = [];
  const db = {
    async sql(text: string) {
      statements.push(text.trim().split(/\s+/).slice(0, 2).join(' '));
      if (text.includes('SELECT key, data, e_tag FROM bot_state'))
        return { rows: [{ key: 'k', data: { from: 'db' }, e_tag: 'e2' }], rowCount: 1 };
      return { rows: [], rowCount: 1 };
    },
  } as unknown as Db;
  return { db, statements };
}

describe('PostgresStorage.withKnown', () => {
  it('serves the known row to the first read of the turn, then reads PostgreSQL', async () => {
    const { db, statements } = fakeDb();
    const s = new PostgresStorage(db);
    await s.withKnown('k', { data: { from: 'along' }, e_tag: 'e1' }, async () => {
      expect(await s.read(['k'])).toEqual({ k: { from: 'along', eTag: 'e1' } });
      expect(statements).toEqual([]);
      expect(await s.read(['k'])).toEqual({ k: { from: 'db', eTag: 'e2' } });
    });
    expect(statements).toEqual(['SELECT key,']);
  });

  it('knows "no row" too, and reads other keys from PostgreSQL', async () => {
    const { db, statements } = fakeDb();
    const s = new PostgresStorage(db);
    await s.withKnown('k', null, async () => {
      expect(await s.read(['k'])).toEqual({});
      expect(statements).toEqual([]);
      await s.read(['other']);
      expect(statements).toEqual(['SELECT key,']);
    });
  });

  it('never serves the known row after the turn wrote or deleted it, nor outside the turn', async () => {
    const { db, statements } = fakeDb();
    const s = new PostgresStorage(db);
    const row = { data: { from: 'along' }, e_tag: 'e1' };
    await s.withKnown('k', row, async () => {
      await s.write({ k: { from: 'turn', eTag: '*' } });
      expect((await s.read(['k'])).k).toMatchObject({ from: 'db' });
    });
    await s.withKnown('k', row, async () => {
      await s.delete(['k']);
      expect((await s.read(['k'])).k).toMatchObject({ from: 'db' });
    });
    let later: Promise<unknown> | undefined;
    await s.withKnown('k', row, async () => {
      later = new Promise((r) => setTimeout(r, 5)).then(() => s.read(['k'])); // outlives the turn
    });
    expect(await later).toEqual({ k: { from: 'db', eTag: 'e2' } });
    expect(statements.filter((x) => x.startsWith('SELECT'))).toHaveLength(3);
  });

  it('ignores a value that is not a row as rowSql renders it', async () => {
    const { db, statements } = fakeDb();
    const s = new PostgresStorage(db);
    await s.withKnown('k', { something: 'else' }, async () => {
      expect((await s.read(['k'])).k).toMatchObject({ from: 'db' });
    });
    expect(statements).toEqual(['SELECT key,']);
  });
});

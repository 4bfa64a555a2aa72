/** Signed export links and the CSV of a link (src/credits/usage-export.ts), without a database. */
import { describe, expect, it } from 'vitest';
import { exportKey, exportQuery, usageCsv, verifyExport } from '../../../src/credits/usage-export.ts';
import { parseCsv } from '../../../src/shared/csv.ts';
import { AppError } from '../../../src/shared/errors.ts';

const key = exportKey('test-secret');
const NOW = new Date('2026-11-18T10:30:00Z');
const link = {
  accountId: 'acc_1',
  from: new Date('2026-10-31T23:00:00.000Z'),
  to: new Date('2026-11-30T23:00:00.000Z'),
  by: 'day' as const,
  expires: Math.floor(NOW.getTime() / 1000) + 900,
};
const params = (q: string) => Object.fromEntries(new URLSearchParams(q));
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof AppError ? `${err.httpStatus}` : 'other';
  }
  return 'accepted';
};

describe('export links', () => {
  it('verify what they were signed for', () => {
    expect(verifyExport(key, params(exportQuery(key, link)), NOW)).toEqual(link);
  });

  it('refuse another account, a changed range or grouping, another key and a forged signature (403)', () => {
    const p = params(exportQuery(key, link));
    expect(refused(() => verifyExport(key, { ...p, account: 'acc_2' }, NOW))).toBe('403');
    expect(refused(() => verifyExport(key, { ...p, from: '2026-01-01T00:00:00.000Z' }, NOW))).toBe('403');
    expect(refused(() => verifyExport(key, { ...p, by: 'user' }, NOW))).toBe('403');
    expect(refused(() => verifyExport(key, { ...p, exp: String(link.expires + 3600) }, NOW))).toBe('403');
    expect(refused(() => verifyExport(exportKey('other-secret'), p, NOW))).toBe('403');
    expect(refused(() => verifyExport(key, { ...p, sig: `${p.sig!.slice(0, -1)}A` }, NOW))).toBe('403');
  });

  it('refuse an expired link (403) and a malformed one (400)', () => {
    const p = params(exportQuery(key, link));
    expect(refused(() => verifyExport(key, p, new Date((link.expires + 1) * 1000)))).toBe('403');
    expect(refused(() => verifyExport(key, { ...p, from: 'yesterday' }, NOW))).toBe('400');
    expect(refused(() => verifyExport(key, { ...p, from: p.to, to: p.from }, NOW))).toBe('400');
    expect(refused(() => verifyExport(key, { ...p, by: 'everything' }, NOW))).toBe('400');
    expect(refused(() => verifyExport(key, { ...p, sig: undefined }, NOW))).toBe('400');
    expect(refused(() => verifyExport(key, { ...p, exp: 'soon' }, NOW))).toBe('400');
  });
});

describe('usageCsv', () => {
  const read = async (q: { groupBy: string; metric?: string }) => ({
    timeZone: 'Europe/Madrid',
    rows:
      q.groupBy === 'day'
        ? q.metric === 'conversations'
          ? [{ key: '2026-11-02', conversations: 7 }]
          : [
              { key: '2026-11-02', credits: 120 },
              { key: '2026-11-17', credits: 30 },
            ]
        : [
            { key: 'usr_1', name: '=cmd|calc', credits: 100 },
            { key: 'usr_2', name: 'Pérez, Juan', credits: 50 },
          ],
  });

  it('has one row per local day up to today, zeros included, and a header', async () => {
    const file = await usageCsv(read as never, link, NOW);
    const rows = parseCsv(file.body);
    expect(rows[0]).toEqual(['date', 'credits', 'conversations']);
    expect(rows.slice(1).map((r) => r[0])).toHaveLength(18); // 1..18 November
    expect(rows[2]).toEqual(['2026-11-02', '120', '7']);
    expect(rows.slice(1).reduce((s, r) => s + Number(r[1]), 0)).toBe(150);
    expect(file.filename).toBe('usage-acc_1-2026-11-01-to-2026-11-30-by-day.csv');
  });

  it('quotes names and defuses formulas in them', async () => {
    const file = await usageCsv(read as never, { ...link, by: 'user' }, NOW);
    expect(file.body).toBe('user_id,user_name,credits\r\nusr_1,\'=cmd|calc,100\r\nusr_2,"Pérez, Juan",50\r\n');
  });
});

/** CSV encoding (src/shared/csv.ts): RFC 4180 quoting and formula-injection safety. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from '../../../src/shared/csv.ts';

describe('csv', () => {
  it('writes a header row and CRLF records, quoting only what needs it', () => {
    expect(
      toCsv(
        ['name', 'credits'],
        [
          ['Ana', 10],
          ['Pérez, Juan', 5],
          ['say "hi"', 0],
          ['two\nlines', 1],
        ],
      ),
    ).toBe('name,credits\r\nAna,10\r\n"Pérez, Juan",5\r\n"say ""hi""",0\r\n"two\nlines",1\r\n');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tTab', '\rCR']) {
      expect(csvField(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(-5)).toBe('-5'); // numbers are numbers
    expect(csvField(null)).toBe('');
  });

  it('round-trips any text (formula-looking text comes back with its apostrophe)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const width = rows[0]!.length;
          const grid = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
          const back = parseCsv(toCsv(grid[0]!, grid.slice(1)));
          const expected = grid.map((r) => r.map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
          expect(back).toEqual(expected);
        },
      ),
    );
  });
});

/** The reply builder (src/chat/markdown.ts): blocks separated by blank lines, names escaped. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bold, escapeMd, joinMd, md } from '../../../src/chat/markdown.ts';

describe('md', () => {
  it('separates a list from the paragraph after it with a blank line', () => {
    const text = md('Credits by user:', ['Ana: 10', 'Luis: 5'], 'Usage is recorded for the user who ran it.');
    expect(text).toBe('Credits by user:\n\n- Ana: 10\n- Luis: 5\n\nUsage is recorded for the user who ran it.');
  });

  it('skips empty blocks and collapses line breaks inside a paragraph or an item', () => {
    expect(md('a', false, null, undefined, [], '', 'b')).toBe('a\n\nb');
    expect(md('one\ntwo', ['x\ny'])).toBe('one two\n\n- x y');
  });

  it('never lets a closing sentence fall into the last list item (any blocks)', () => {
    const block = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (blocks) => {
        const lines = md(...blocks).split('\n');
        lines.forEach((line, i) => {
          const next = lines[i + 1];
          // A list item is followed by another item, a blank line, or nothing.
          if (line.startsWith('- ') && next !== undefined) expect(next === '' || next.startsWith('- ')).toBe(true);
        });
      }),
    );
  });

  it('keeps a paragraph from reading as a list, heading or quote', () => {
    expect(md('- not a list')).toBe('\\- not a list');
    expect(md('1. not a list')).toBe('1\\. not a list');
    expect(md('# not a heading')).toBe('\\# not a heading');
  });

  it('joins whole replies with a blank line', () => {
    expect(joinMd('a\n\n- x', '', undefined, 'b')).toBe('a\n\n- x\n\nb');
  });
});

describe('escapeMd', () => {
  it('neutralises emphasis, links, code, html and table markup in a name', () => {
    // The product's one escaper (src/shared/text.ts) also keeps a URL from being auto-linked (`:`, `/`, `.`).
    expect(escapeMd('*Ana*_[x](http://e.vil)`<b>|~')).toBe('\\*Ana\\*\\_\\[x\\](http\\:\\/\\/e\\.vil)\\`\\<b\\>\\|\\~');
    expect(bold('Ana **admin**')).toBe('**Ana \\*\\*admin\\*\\***');
  });

  it('keeps a name from opening a list or a heading and flattens line breaks', () => {
    expect(escapeMd('- Team')).toBe('\\- Team');
    expect(escapeMd('2) Sales')).toBe('2\\) Sales');
    expect(escapeMd('a\nb')).toBe('a b');
    expect(escapeMd('Lucía Fernández · LinkedIn')).toBe('Lucía Fernández · LinkedIn');
  });
});

/** The text helpers at the edges: storability, the iterative JSON check, and Markdown escaping as Web Chat renders it. */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJson, escapeMarkdown, isStorable, storableText, unstorableReason } from '../../../src/shared/text.ts';
import {
  fcOptions,
  hostileJson,
  hostileString,
  NUM_RUNS,
  nestedJson,
  unstorableString,
} from '../../helpers/hostile.ts';

// The Markdown engine Web Chat renders bot messages with (botframework-webchat's dependency), with Web Chat's options.
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (
  o: Record<string, unknown>,
) => { render(s: string): string };
const webChat = new MarkdownIt({ breaks: false, html: true, linkify: true, typographer: true, xhtmlOut: true });
const textContent = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .trim();

describe('storable text', () => {
  it('refuses NUL and unpaired surrogates, accepts paired ones', () => {
    expect(unstorableReason('a\u0000b')).toMatch(/NUL/);
    expect(unstorableReason('a\ud800b')).toMatch(/unpaired surrogate/);
    expect(unstorableReason('\udc00')).toMatch(/unpaired surrogate/);
    expect(unstorableReason('😀 مرحبا \u202e')).toBeNull();
  });

  it('storableText always gives text PostgreSQL accepts, and leaves storable text alone', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(), unstorableString), (s) => {
        const clean = storableText(s);
        expect(isStorable(clean)).toBe(true);
        if (isStorable(s)) expect(clean).toBe(s);
      }),
      fcOptions(NUM_RUNS * 10),
    );
  });
});

describe('checkJson', () => {
  it('finds an unstorable string or key anywhere, and names where', () => {
    expect(checkJson({ a: [1, { b: 'x\u0000' }] }, { maxDepth: 10, path: 'value' })).toMatchObject({
      path: 'value.a[1].b',
      tooDeep: false,
    });
    expect(checkJson({ ['k\ud800']: 1 }, { maxDepth: 10, path: 'channelData' })?.reason).toMatch(/has a key/);
    expect(checkJson({ a: 'ok', b: [1, 2, { c: null }] }, { maxDepth: 10, path: 'v' })).toBeNull();
  });

  it('walks 100,000 levels without recursion and reports the depth', () => {
    const deep = JSON.parse(nestedJson(100_000));
    expect(() => JSON.stringify(deep)).toThrow(RangeError); // what a recursive walk would meet
    expect(checkJson(deep, { maxDepth: 64, path: 'value' })).toMatchObject({ tooDeep: true });
    expect(checkJson(JSON.parse(nestedJson(64)), { maxDepth: 64, path: 'value' })).toBeNull();
    expect(checkJson(JSON.parse(nestedJson(65)), { maxDepth: 64, path: 'value' })?.tooDeep).toBe(true);
  });

  it('accepts exactly the values PostgreSQL stores as jsonb (no false alarms, no misses)', () => {
    fc.assert(
      fc.property(hostileJson, (v) => {
        const problem = checkJson(v, { maxDepth: 100, path: 'v' });
        const text = JSON.stringify(v) ?? 'null';
        const hasUnstorable =
          /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(text);
        expect(problem !== null).toBe(hasUnstorable || text.includes('\u0000'));
      }),
      fcOptions(NUM_RUNS * 10),
    );
  });
});

describe('escapeMarkdown', () => {
  // Where the bot puts names: in bold, at the start of list items, mid-sentence, in italics, in parentheses.
  const contexts = [
    (n: string) => `Your account manager is **${n}**.`,
    (n: string) => `Credits used:\n- ${n}: 1,200 (40 %)\n- ${n}: 800 (60 %)`,
    (n: string) => `Hi ${n}! What can I help you with?`,
    (n: string) => `❌ Your request was not approved by ${n}: _${n}_ Nothing changed.`,
    (n: string) => `I can't arrange "${n}" from here (${n}).`,
  ];
  const tags = (html: string) => [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]).join(' ');
  const plain = new MarkdownIt({ breaks: false, html: true, linkify: true, typographer: false, xhtmlOut: true });

  it('renders any name as its literal text in every place the bot puts one: no link, image, HTML or formatting', () => {
    fc.assert(
      fc.property(hostileString(), fc.constantFrom(...contexts), (name, context) => {
        const escaped = escapeMarkdown(name);
        const expected = storableText(name)
          .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
          .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
          .trim();
        fc.pre(expected.length > 0 && !/^\s|\s$/.test(expected)); // names are trimmed and not empty
        // The structure Web Chat renders is exactly the template's: the name adds no tag at all.
        const html = webChat.render(context(escaped));
        expect(tags(html)).toBe(tags(webChat.render(context('NAME'))));
        expect(html).not.toMatch(/<a[\s>]|<img[\s/>]|<script/);
        // And the text is the name as written.
        const norm = (x: string) => x.replace(/\s+/g, ' ').trim();
        expect(norm(textContent(plain.render(context(escaped))))).toBe(
          norm(textContent(plain.render(context('NAME'))).replaceAll('NAME', () => expected)),
        );
      }),
      fcOptions(NUM_RUNS * 20),
    );
  });

  it('keeps ordinary names and sentences as they are', () => {
    expect(escapeMarkdown('Carla Manager')).toBe('Carla Manager');
    expect(escapeMarkdown('José Ñúñez')).toBe('José Ñúñez');
    expect(escapeMarkdown('You still have 10,000 credits until the top-up.')).toBe(
      'You still have 10,000 credits until the top-up.',
    );
    expect(escapeMarkdown('evil.com')).toBe('evil\\.com');
    expect(escapeMarkdown(null)).toBe('');
  });
});

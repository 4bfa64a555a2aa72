/**
 * Text at the edges. Two concerns, one file:
 *
 * 1. What PostgreSQL can hold. `text` refuses U+0000; `jsonb` refuses `\u0000` and unpaired surrogates
 *    (and the driver silently turns an unpaired surrogate in a `text` parameter into U+FFFD). Edges reject
 *    such input with a 400 naming the field (`unstorableReason`, `checkJson`), or clean it where rejecting
 *    is wrong (`storableText`: text another system already accepted, such as a Slack user's reason).
 * 2. What the customer's chat shows. Names and free text from other parties (the platform's plan, user,
 *    identity and campaign names, a manager's name, a rejection reason) go into Markdown replies as literal
 *    text: `escapeMarkdown` is the one helper for that.
 */

/** NUL, or a UTF-16 code unit of a surrogate pair standing alone (with the u flag, a pair is one code point). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL refuses
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const NULS = /\u0000/g;

/** Why PostgreSQL cannot store `s` (as text or inside jsonb), or null when it can. */
export function unstorableReason(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === '\u0000'
    ? 'must not contain the NUL character (U+0000)'
    : 'must be valid Unicode text (it contains an unpaired surrogate)';
}

export const isStorable = (s: string): boolean => !UNSTORABLE.test(s);

/** Text made storable: NULs dropped, unpaired surrogates replaced by U+FFFD (the replacement character). */
export function storableText(s: string): string {
  return isStorable(s) ? s : s.replace(NULS, '').replace(/\p{Cs}/gu, '\uFFFD');
}

export interface JsonProblem {
  /** where, e.g. `value.items[3].title` (the base path given, then keys and indexes) */
  path: string;
  reason: string;
  /** the value is too deep (a size limit: 413), not malformed (400) */
  tooDeep: boolean;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

function pathOf(base: string, frame: Frame | null, lastKey?: string): string {
  const keys: Array<string | number> = [];
  if (lastKey !== undefined) keys.push(lastKey);
  for (let f = frame; f && f.key !== null; f = f.parent) keys.push(f.key);
  let out = base;
  for (const k of keys.reverse()) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(k)) out += out ? `.${k}` : k;
    else out += `[${JSON.stringify(k.slice(0, 40))}]`;
  }
  return out;
}

/**
 * Checks a parsed JSON value before any work is done with it (stringifying, storing as jsonb): every key
 * and string must be storable and the nesting at most `maxDepth` deep. Iterative, so a value nested a
 * hundred thousand levels deep costs a loop, not the stack. Answers the first problem found, or null.
 */
export function checkJson(value: unknown, opts: { maxDepth: number; path: string }): JsonProblem | null {
  const stack: Frame[] = [{ value, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) return { path: pathOf(opts.path, frame), reason, tooDeep: false };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth >= opts.maxDepth) {
      return {
        path: pathOf(opts.path, frame),
        reason: `is nested more than ${opts.maxDepth} levels deep`,
        tooDeep: true,
      };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], depth: frame.depth + 1, parent: frame, key: i });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const reason = unstorableReason(k);
      if (reason) return { path: pathOf(opts.path, frame, k), reason: `has a key that ${reason}`, tooDeep: false };
      stack.push({ value: (v as Record<string, unknown>)[k], depth: frame.depth + 1, parent: frame, key: k });
    }
  }
  return null;
}

/** Bidirectional embeddings, overrides and isolates: a name must not reorder the sentence around it. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Line breaks and other control characters: a name must not start a new Markdown block (a heading, a link definition). */
const BREAKS = /[\p{Cc}\u2028\u2029]+/gu;
/**
 * The ASCII punctuation that can start Markdown anywhere in a line: emphasis, code, links and images, HTML and
 * entities, strikethrough, tables, headings, attributes, and what autolinking (linkify) looks for (schemes,
 * `//`, emails). A dot is escaped when a letter or digit follows it, so `evil.com` is not a link, while
 * "10,000 credits until the top-up." reads (and stays) as written.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>&~|#{}:/@]|\.(?=[\p{L}\p{N}])/gu;
/** At the start of a line a name could open a list, a quote or a heading. */
const LEADING_BLOCK = /^([-+=>]|\d+[.)])/;

/**
 * Text from another party as literal text inside the bot's Markdown replies: shown exactly as written (minus
 * control and bidi characters, and trimmed), never as a link, an image, HTML or formatting, wherever in a line
 * it is placed.
 */
export function escapeMarkdown(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return storableText(String(s))
    .replace(BIDI_CONTROLS, '')
    .replace(BREAKS, ' ')
    .trim()
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(LEADING_BLOCK, (m) => (m.length === 1 ? `\\${m}` : `${m.slice(0, -1)}\\${m.slice(-1)}`));
}

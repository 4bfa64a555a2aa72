/**
 * Text normalisation and tokenisation.
 *
 * Principles:
 * - Folding is character-for-character (lowercase, accents stripped: á→a, ñ→n, ü→u), so every offset in the
 *   folded text is also an offset in the raw text; slots that echo the customer's words (a plan tier) can
 *   recover the original spelling.
 * - Apostrophes vanish ("don't" → "dont", "where's" → "wheres", "juan's" → "juans"), hyphens and underscores
 *   split words ("top-up" → "top up", "add-on" → "add on").
 * - Sentence punctuation (, . ; : ? ! ¿ ¡ …) becomes a clause boundary token, so phrases and negation never
 *   reach across clauses. Dots and commas inside numbers are kept ("10.000", "1,500").
 * - Numbers are parsed with both thousands conventions: a separator followed by groups of exactly three digits
 *   is a thousands separator ("10.000" = "10,000" = 10000); otherwise it is a decimal point ("1,5" = 1.5).
 *   A "k" suffix multiplies by a thousand ("3k", "2.5k").
 */

export type TokenKind = 'word' | 'num' | 'sym' | 'sep';

export interface Token {
  kind: TokenKind;
  /** Folded text of the token (lowercase, no accents). For 'sep' tokens it is '|'. */
  text: string;
  /** Offset of the token in the raw (and folded) text. */
  start: number;
  end: number;
  /** For 'num': the numeric value (thousands separators resolved, "k" applied). */
  value?: number;
  /** For 'num': the letters glued to the number ("k", "st", "pm", "days"...). */
  suffix?: string;
}

export interface Normalized {
  raw: string;
  /** Folded raw text (same length as raw). */
  folded: string;
  tokens: Token[];
  /** Raw text shows Spanish-only orthography (á é í ó ú ñ ü ¿ ¡). */
  spanishMarks: number;
}

const COMBINING_MARKS = /\p{M}/gu;
const SPANISH_MARKS = /[áéíóúñü¿¡]/gi;

/** Lowercase and strip accents, one output character per input UTF-16 code unit. */
export function fold(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    const code = ch.charCodeAt(0);
    if (code < 128) {
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
      continue;
    }
    const f = ch.toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '');
    out += f.length === 1 ? f : (f[0] ?? ' ');
  }
  return out;
}

/**
 * One pass over the folded text. Alternatives, in order: a number (with inner separators and glued letters),
 * a word (letters, possibly with digits inside: "q4", "2fa"), a currency or percent symbol, sentence punctuation.
 * Apostrophes are matched as part of words and removed afterwards.
 */
const TOKEN_RE =
  /(\d+(?:[.,]\d+)*)([a-z]*)|([a-z](?:[a-z0-9]|['’`´](?=[a-z]))*)|([€$£%])|([,.;:?!¿¡()[\]{}"“”«»…\n|/]+)/g;
const APOSTROPHES = /['’`´]/g;

export function normalize(raw: string): Normalized {
  const folded = fold(raw);
  const tokens: Token[] = [];
  const spanishMarks = raw.match(SPANISH_MARKS)?.length ?? 0;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(folded); m !== null; m = TOKEN_RE.exec(folded)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[1] !== undefined) {
      const suffix = m[2] ?? '';
      const parsed = parseNumber(m[1]);
      if ((suffix === 'k' || suffix === 'm') && parsed !== undefined) {
        const factor = suffix === 'k' ? 1000 : 1_000_000;
        tokens.push({ kind: 'num', text: m[0], start, end, value: Math.round(parsed * factor), suffix });
      } else if (parsed !== undefined) {
        tokens.push({ kind: 'num', text: m[1], start, end: start + m[1].length, value: parsed, suffix });
        // "7days" -> the number and the word "days"; ordinals and times keep their suffix on the number only.
        if (suffix.length > 0 && !ORDINAL_OR_TIME.has(suffix)) {
          tokens.push({ kind: 'word', text: suffix, start: start + m[1].length, end });
        }
      }
    } else if (m[3] !== undefined) {
      tokens.push({ kind: 'word', text: m[3].replace(APOSTROPHES, ''), start, end });
    } else if (m[4] !== undefined) {
      tokens.push({ kind: 'sym', text: m[4], start, end });
    } else if (tokens.length > 0 && tokens[tokens.length - 1]!.kind !== 'sep') {
      tokens.push({ kind: 'sep', text: '|', start, end });
    }
  }
  return { raw, folded, tokens, spanishMarks };
}

const ORDINAL_OR_TIME = new Set(['st', 'nd', 'rd', 'th', 'o', 'a', 'am', 'pm', 'h', 'hs', 'hrs', 'min', 'x']);

/**
 * "10.000" / "10,000" → 10000, "1.5" / "1,5" → 1.5, "1.234.567" → 1234567, "12" → 12.
 * A separator followed by exactly three digits (in every group) is a thousands separator.
 */
export function parseNumber(s: string): number | undefined {
  const groups = s.split(/[.,]/);
  if (groups.length === 1) return Number(s);
  const tail = groups.slice(1);
  if (tail.every((g) => g.length === 3)) return Number(groups.join(''));
  if (groups.length === 2) return Number(`${groups[0]}.${groups[1]}`);
  return undefined;
}

/** Words of number names used in periods ("past two weeks", "últimos quince días"). */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['fourteen', 14],
  ['fifteen', 15],
  ['twenty', 20],
  ['thirty', 30],
  ['sixty', 60],
  ['ninety', 90],
  ['uno', 1],
  ['dos', 2],
  ['tres', 3],
  ['cuatro', 4],
  ['cinco', 5],
  ['seis', 6],
  ['siete', 7],
  ['ocho', 8],
  ['nueve', 9],
  ['diez', 10],
  ['once', 11],
  ['doce', 12],
  ['catorce', 14],
  ['quince', 15],
  ['veinte', 20],
  ['treinta', 30],
  ['sesenta', 60],
  ['noventa', 90],
]);

/**
 * The grounding guard: the model may word an answer, never be the source of a figure. Every number, amount,
 * percentage, date and time in its reply must match a figure of this turn's tool results or the account's known
 * facts (the snapshot its prompt carries); a reply that repeats the instructions is blocked too. A blocked reply is
 * replaced by the deterministic engine's answer (the caller's job). Pure.
 *
 * Numbers are read in any of the formats a reply may use: 14931, 14,931, 14.931, 14 931 (a thin or no-break
 * space too), 14.9k, 15k, "15 mil", 1,5 / 1.5, with a currency sign or code, signed, as a percentage (a share must
 * match a share the tools gave, at the precision written: 22.69 % may be written 23 % or 22.7 %), and dates in
 * English, Spanish, French, German, Portuguese, Italian and Dutch month names, ISO or d/m/y. A figure written with
 * "k" or "mil" matches a fact rounded to the precision written (14,931 → 14.9k, 15k); any other figure matches
 * exactly, except that a fact with decimals may be written rounded (75.3 a day → 75). Large numbers spelled in
 * words ("fifteen thousand") are refused outright: they cannot be checked.
 */

export interface Facts {
  /** every figure: credits, counts, money in major units (449, 224.5), years */
  numbers: number[];
  /** shares in percent (22.69 for 22.69 %) */
  percents: number[];
  /** local dates YYYY-MM-DD */
  dates: Set<string>;
  /** local HH:MM of the instants in the facts */
  times: Set<string>;
  /** words with digits from names (a campaign "Fintech Q4"), lower case */
  words: Set<string>;
}

export const emptyFacts = (): Facts => ({
  numbers: [],
  percents: [],
  dates: new Set(),
  times: new Set(),
  words: new Set(),
});

// ── Months in the languages the assistant may answer in ─────────────────────────────────────────────────────

const MONTH_NAMES: Array<[number, string[]]> = [
  [
    1,
    ['january', 'jan', 'enero', 'ene', 'janvier', 'janv', 'januar', 'jänner', 'janeiro', 'gennaio', 'gen', 'januari'],
  ],
  [2, ['february', 'feb', 'febrero', 'février', 'févr', 'februar', 'fevereiro', 'fev', 'febbraio', 'februari']],
  [3, ['march', 'mar', 'marzo', 'mars', 'märz', 'março', 'maart']],
  [4, ['april', 'apr', 'abril', 'abr', 'avril', 'avr', 'aprile']],
  [5, ['may', 'mayo', 'mai', 'maio', 'maggio', 'mag', 'mei']],
  [6, ['june', 'jun', 'junio', 'juin', 'juni', 'junho', 'giugno', 'giu']],
  [7, ['july', 'jul', 'julio', 'juillet', 'juil', 'juli', 'julho', 'luglio', 'lug']],
  [8, ['august', 'aug', 'agosto', 'août', 'aout', 'ago']],
  [9, ['september', 'sep', 'sept', 'septiembre', 'setiembre', 'septembre', 'setembro', 'settembre', 'set']],
  [10, ['october', 'oct', 'octubre', 'octobre', 'oktober', 'okt', 'outubro', 'out', 'ottobre', 'ott']],
  [11, ['november', 'nov', 'noviembre', 'novembre', 'novembro']],
  [12, ['december', 'dec', 'diciembre', 'dic', 'décembre', 'déc', 'dezember', 'dez', 'dezembro', 'dicembre']],
];
const MONTH = new Map<string, number>();
for (const [m, names] of MONTH_NAMES) for (const n of names) MONTH.set(n, m);
const MONTH_ALT = [...MONTH.keys()].sort((a, b) => b.length - a.length).join('|');

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

// ── Reading figures out of text ─────────────────────────────────────────────────────────────────────────────

export interface Figure {
  /** as written */
  text: string;
  kind: 'number' | 'percent' | 'date' | 'month' | 'time' | 'word' | 'spelled';
  /** readings of a number (14.931 is 14931 in Spanish and 14.931 in English), absolute values */
  values?: number[];
  /** digits after the decimal mark as written (for matching a rounded fact) */
  decimals?: number;
  /** written with k / mil / M: the value is a rounding to this step */
  step?: number;
  /** dates: candidate YYYY-MM-DD, or MM-DD when no year was written */
  dates?: string[];
  /** months: YYYY-MM */
  month?: string;
}

const SPACES = /[\u00a0\u2007\u202f\u2009]/g;
/** Large numbers spelled in words: they cannot be checked, so a reply with one is not sent. */
const SPELLED =
  /(?<!\p{L})(?:hundreds?|thousands?|millions?|billions?|cien|cientos?|mil|millón|millones|mille|milliers?|tausend|hundert|millionen|mila|cento|milhão|milhões|milhares|duizend|honderd|miljoen)(?!\p{L})/iu;

interface Span {
  start: number;
  end: number;
}

function overlaps(spans: Span[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && end > s.start);
}

/**
 * The readings of a run of digits and separators: "14,931" → 14931 and 14.931; "1,5" → 1.5; "14.931,50" →
 * 14931.5; "14 931" → 14931. `decimals` is what a reading as a decimal shows.
 */
function readNumber(raw: string): Array<{ value: number; decimals: number }> {
  const s = raw.replace(/['\s]/g, (c) => (c === "'" ? ',' : ' '));
  if (/^\d+$/.test(s)) return [{ value: Number(s), decimals: 0 }];
  if (/^\d{1,3}( \d{3})+$/.test(s)) return [{ value: Number(s.replace(/ /g, '')), decimals: 0 }];
  const seps = [...s.matchAll(/[.,]/g)].map((m) => m[0]);
  const last = seps.at(-1)!;
  const lastIdx = s.lastIndexOf(last);
  const tail = s.slice(lastIdx + 1);
  const readings: Array<{ value: number; decimals: number }> = [];
  const grouped = (txt: string) => /^\d{1,3}([.,  ]\d{3})*$/.test(txt);
  // Every separator groups thousands.
  if (grouped(s.replace(/ /g, ','))) readings.push({ value: Number(s.replace(/[., ]/g, '')), decimals: 0 });
  // The last separator is the decimal mark (the others group thousands).
  const head = s.slice(0, lastIdx);
  if (/^\d+$/.test(head.replace(/[., ]/g, '')) && (seps.length === 1 || grouped(head))) {
    readings.push({ value: Number(`${head.replace(/[., ]/g, '')}.${tail}`), decimals: tail.length });
  }
  return readings;
}

/** Every figure in a text: dates and times first, then numbers (not those inside dates), percentages, amounts. */
export function figuresOf(input: string): Figure[] {
  const text = input.normalize('NFKC').replace(SPACES, ' ');
  const out: Figure[] = [];
  const taken: Span[] = [];
  const take = (m: RegExpMatchArray, f: Figure) => {
    const start = m.index!;
    const end = start + m[0].length;
    if (overlaps(taken, start, end)) return;
    taken.push({ start, end });
    out.push(f);
  };
  const L = '(?<![\\p{L}\\p{N}])';
  const R = '(?![\\p{L}\\p{N}])';
  const year = (y: string | undefined) => (y ? Number(y.length === 2 ? `20${y}` : y) : undefined);
  const dateFigure = (text: string, y: number | undefined, m: number, d: number): Figure => ({
    text,
    kind: 'date',
    dates: m >= 1 && m <= 12 && d >= 1 && d <= 31 ? [y ? ymd(y, m, d) : `${pad(m)}-${pad(d)}`] : [],
  });

  // ISO dates, and ISO instants (their time is read below as a time).
  for (const m of text.matchAll(new RegExp(`${L}(\\d{4})-(\\d{1,2})-(\\d{1,2})`, 'gu'))) {
    take(m, dateFigure(m[0], Number(m[1]), Number(m[2]), Number(m[3])));
  }
  // 1 December 2026, 1st of December, 1 de diciembre de 2026, 1er décembre, 1. Dezember 2026
  const dayMonth = new RegExp(
    `${L}(\\d{1,2})(?:st|nd|rd|th|er|º|ª|\\.)?\\s+(?:of\\s+|de\\s+)?(${MONTH_ALT})\\.?(?:,?\\s+(?:de\\s+|del\\s+)?(\\d{4}))?${R}`,
    'giu',
  );
  for (const m of text.matchAll(dayMonth)) {
    take(m, dateFigure(m[0], year(m[3]), MONTH.get(m[2]!.toLowerCase())!, Number(m[1])));
  }
  // December 1, 2026; Dec 1st
  const monthDay = new RegExp(`${L}(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?${R}`, 'giu');
  for (const m of text.matchAll(monthDay)) {
    take(m, dateFigure(m[0], year(m[3]), MONTH.get(m[1]!.toLowerCase())!, Number(m[2])));
  }
  // December 2026, diciembre de 2026
  const monthYear = new RegExp(`${L}(${MONTH_ALT})\\.?\\s+(?:de\\s+|del\\s+)?(\\d{4})${R}`, 'giu');
  for (const m of text.matchAll(monthYear)) {
    take(m, { text: m[0], kind: 'month', month: `${m[2]}-${pad(MONTH.get(m[1]!.toLowerCase())!)}` });
  }
  // 01/12/2026, 1.12.2026, 12/01/26: either order
  for (const m of text.matchAll(new RegExp(`${L}(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4}|\\d{2})${R}`, 'gu'))) {
    const y = year(m[3]);
    const a = Number(m[1]);
    const b = Number(m[2]);
    const f = dateFigure(m[0], y, b, a);
    f.dates = [...(f.dates ?? []), ...(dateFigure(m[0], y, a, b).dates ?? [])];
    take(m, f);
  }
  // Times: 10:00, 9:30
  for (const m of text.matchAll(new RegExp(`${L}(\\d{1,2}):(\\d{2})${R}`, 'gu'))) {
    take(m, { text: m[0], kind: 'time', dates: [`${pad(Number(m[1]))}:${m[2]}`] });
  }
  // Words made of letters and digits (Q4, B2B): names, checked against the names the tools gave.
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])\p{L}+\p{N}[\p{L}\p{N}]*/gu)) {
    take(m, { text: m[0], kind: 'word' });
  }
  // Numbers: digits with group separators or a decimal mark, a sign, a currency, a k / M / mil / % after them.
  const num =
    /(?<![\p{L}\p{N}])[-−+]?(\d+(?:[.,' ]\d+)*)(\s?(?:%|k|K|M|mil(?!\p{L})|millones|millón|million|millions|thousand)(?!\p{L}))?/gu;
  for (const m of text.matchAll(num)) {
    const start = m.index!;
    if (overlaps(taken, start, start + m[0].length)) continue;
    let raw = m[1]!;
    // "2 and 3" is not a grouped number: a space groups only three digits.
    const parts = raw.split(' ');
    if (parts.length > 1 && !parts.slice(1).every((p) => /^\d{3}(?:[.,]\d+)?$/.test(p))) {
      for (const p of parts) {
        const readings = readNumber(p);
        out.push({ text: p, kind: 'number', values: readings.map((r) => r.value), decimals: readings[0]?.decimals });
      }
      continue;
    }
    raw = raw.replace(/[.,]$/, '');
    const readings = readNumber(raw);
    if (readings.length === 0) continue;
    const suffix = (m[2] ?? '').trim().toLowerCase();
    taken.push({ start, end: start + m[0].length });
    if (suffix === '%') {
      out.push({ text: m[0], kind: 'percent', values: readings.map((r) => r.value), decimals: readings[0]!.decimals });
      continue;
    }
    const factor =
      suffix === 'k' || suffix === 'mil' || suffix === 'thousand'
        ? 1_000
        : suffix === 'm' || suffix.startsWith('mill')
          ? 1_000_000
          : 1;
    out.push({
      text: m[0],
      kind: 'number',
      values: readings.map((r) => r.value * factor),
      decimals: readings[0]!.decimals,
      ...(factor > 1 ? { step: factor / 10 ** Math.min(...readings.map((r) => r.decimals)) } : {}),
    });
  }
  // Spelled-out large numbers, outside the figures read above ("15 mil" is a figure; "quince mil" is not).
  let rest = text;
  for (const t of taken) rest = rest.slice(0, t.start) + ' '.repeat(t.end - t.start) + rest.slice(t.end);
  const spelled = SPELLED.exec(rest);
  if (spelled) out.push({ text: spelled[0], kind: 'spelled' });
  return out;
}

// ── Facts from tool results ─────────────────────────────────────────────────────────────────────────────────

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Adds what a value holds to the facts: numbers, shares (keys naming a percent), dates and names. */
export function addFacts(facts: Facts, value: unknown, timeZone: string): Facts {
  const stack: Array<{ v: unknown; key: string }> = [{ v: value, key: '' }];
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  while (stack.length > 0) {
    const { v, key } = stack.pop()!;
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (/percent|share/i.test(key)) facts.percents.push(Math.abs(v));
      facts.numbers.push(Math.abs(v));
    } else if (typeof v === 'string') {
      if (ISO_INSTANT.test(v)) {
        const d = new Date(v);
        if (!Number.isNaN(d.getTime())) {
          const p = Object.fromEntries(local.formatToParts(d).map((x) => [x.type, x.value]));
          facts.dates.add(`${p.year}-${p.month}-${p.day}`);
          facts.times.add(`${p.hour}:${p.minute}`);
          facts.numbers.push(Number(p.year));
        }
      } else if (ISO_DAY.test(v)) {
        facts.dates.add(v);
        facts.numbers.push(Number(v.slice(0, 4)));
      } else {
        for (const f of figuresOf(v)) {
          if (f.kind === 'number') facts.numbers.push(...(f.values ?? []));
          else if (f.kind === 'percent') facts.percents.push(...(f.values ?? []));
          else if (f.kind === 'word') facts.words.add(f.text.toLowerCase());
          else if (f.kind === 'date') {
            for (const d of f.dates ?? []) if (d.length === 10) facts.dates.add(d);
          }
        }
      }
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, key });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push({ v: x, key: k });
    }
  }
  return facts;
}

// ── The check ───────────────────────────────────────────────────────────────────────────────────────────────

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const roundTo = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

function numberGrounded(f: Figure, pool: number[]): boolean {
  const values = f.values ?? [];
  return values.some((v) =>
    pool.some((fact) => {
      if (close(v, fact)) return true;
      if (f.step) return Math.abs(fact - v) <= f.step / 2 + 1e-9;
      // A fact with decimals may be written rounded to the decimals shown (75.3 → 75; 22.69 → 22.7).
      if (!Number.isInteger(fact)) return close(roundTo(fact, f.decimals ?? 0), v);
      return false;
    }),
  );
}

function dateGrounded(f: Figure, facts: Facts): boolean {
  return (f.dates ?? []).some((d) =>
    d.length === 10 ? facts.dates.has(d) : [...facts.dates].some((fact) => fact.slice(5) === d),
  );
}

export interface GroundingResult {
  ok: boolean;
  /** the figures no fact holds, as written */
  ungrounded: string[];
}

/** Whether every figure of the reply is one of the facts. */
export function checkGrounding(reply: string, facts: Facts): GroundingResult {
  const ungrounded: string[] = [];
  const all = [...facts.numbers, ...facts.percents];
  for (const f of figuresOf(reply)) {
    const ok =
      f.kind === 'number'
        ? numberGrounded(f, all)
        : f.kind === 'percent'
          ? numberGrounded(f, facts.percents)
          : f.kind === 'date'
            ? dateGrounded(f, facts)
            : f.kind === 'month'
              ? [...facts.dates].some((d) => d.startsWith(f.month!))
              : f.kind === 'time'
                ? (f.dates ?? []).some((t) => facts.times.has(t))
                : f.kind === 'word'
                  ? facts.words.has(f.text.toLowerCase())
                  : false;
    if (!ok) ungrounded.push(f.text);
  }
  return { ok: ungrounded.length === 0, ungrounded };
}

// ── Repeating the instructions ──────────────────────────────────────────────────────────────────────────────

const SHINGLE = 6;
const words = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);

function shingles(s: string): Set<string> {
  const w = words(s);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= w.length; i++) out.add(w.slice(i, i + SHINGLE).join(' '));
  return out;
}

/**
 * A detector of replies that repeat the instructions: two or more runs of six words in common with them, a
 * marker that only the instructions hold, or the name of a tool.
 */
export function leakDetector(secretTexts: string[], markers: string[]) {
  const secret = new Set<string>();
  for (const t of secretTexts) for (const s of shingles(t)) secret.add(s);
  const lowered = markers.map((m) => m.toLowerCase());
  return (reply: string): boolean => {
    const low = reply.toLowerCase();
    if (lowered.some((m) => low.includes(m))) return true;
    let common = 0;
    for (const s of shingles(reply)) if (secret.has(s) && ++common >= 2) return true;
    return false;
  };
}

// ── Claims of actions ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Saying that something was done (a request sent, approved or cancelled, credits added or refunded): no tool the
 * model has does any of that, so such a sentence is never true of this turn (request statuses the tools read are
 * the exception, and the caller skips the check then). English and Spanish in full, the commonest forms of
 * French, German, Portuguese and Italian. A heuristic: it is there to stop a fooled model's "done, approved".
 */
const CLAIMS: RegExp[] = [
  /\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|now\s+|already\s+)?(?:sent|submitted|placed|approved|confirmed|created|processed|cancell?ed|added|credited|refunded|transferred|granted|upgraded|downgraded)\b/iu,
  /\b(?:request|order|purchase|plan change|upgrade|downgrade|payment|refund|credits?)\b[^.!?\n]{0,60}\b(?:has|have|was|were|is|are)\s+(?:been\s+|now\s+|already\s+)*(?:sent|submitted|placed|approved|confirmed|created|processed|completed|cancell?ed|added|credited|refunded|transferred|granted)\b/iu,
  /\b(?:he|hemos|ya)\s+(?:enviado|confirmado|aprobado|creado|tramitado|cancelado|añadido|abonado|reembolsado|transferido|cambiado)\b/iu,
  /\b(?:solicitud|pedido|compra|cambio de plan|reembolso|cr[eé]ditos?)\b[^.!?\n]{0,60}\b(?:enviad[ao]s?|confirmad[ao]s?|aprobad[ao]s?|cread[ao]s?|tramitad[ao]s?|cancelad[ao]s?|añadid[ao]s?|abonad[ao]s?|reembolsad[ao]s?|transferid[ao]s?)\b/iu,
  /\bj['’]ai\s+(?:envoy|confirm|approuv|cré|annul|ajout|rembours|transf[eé]r)/iu,
  /\b(?:habe\s+ich|haben\s+wir|ich\s+habe|wir\s+haben)\b[^.!?\n]{0,40}(?:gesendet|geschickt|bestätigt|genehmigt|erstellt|storniert|gutgeschrieben|erstattet)(?!\p{L})|\b(?:wurde|wurden|ist|sind)\b[^.!?\n]{0,30}(?:gesendet|bestätigt|genehmigt|gutgeschrieben|erstattet)(?!\p{L})/iu,
  /\b(?:enviei|confirmei|aprovei|criei|cancelei|adicionei|reembolsei)\b|\bfoi\s+(?:enviad|aprovad|confirmad|criad|cancelad|reembolsad)/iu,
  /\bho\s+(?:inviato|confermato|approvato|creato|annullato|aggiunto|rimborsato)\b|\bè\s+stat[ao]\s+(?:inviat|approvat|confermat|creat|annullat|rimborsat)/iu,
];

/** Whether a reply says an action was carried out. */
export const claimsAction = (reply: string): boolean => CLAIMS.some((re) => re.test(reply));

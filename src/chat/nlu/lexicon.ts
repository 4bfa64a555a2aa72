/**
 * The compiled lexicon and the token → concept analysis.
 *
 * Built once at module load from the English and Spanish word lists:
 * - WORDS: single words; PHRASES: multi-word surfaces (longest match first); STEMS: prefixes ("enrich*").
 * - Fuzzy targets, bucketed by length: every lexicon word, every word used inside a phrase, every stem with the
 *   usual endings of its language, and the function/known words (correcting a typo into a function word is
 *   fine: it simply carries no concept).
 *
 * Per message:
 * 1. Each word becomes its canonical form: itself when known, else the closest fuzzy target within the
 *    length-dependent tolerance (normalize → "credtis" → "credits").
 * 2. Phrases are matched on canonical words inside a clause, longest first; single words and stems otherwise.
 * 3. Negation: a negator (not, dont, without, no, sin...) turns the next three words of its clause around:
 *    USE becomes UNUSED ("credits I didn't use", "si no gasto"), LEFT becomes RUNOUT_PAST ("ya no me
 *    quedan"), RECEIVED becomes NOT_RECEIVED, and a request verb becomes NEG_REQ
 *    ("I don't want to upgrade", "sin cambiar de plan"), so a refused action never counts as the request.
 * 4. Regular patterns over the canonical text add structural concepts (prompt injection, "per row",
 *    "how much is", "10 days to go", "will my credits last"...).
 */
import type { Concept, LexiconSpec } from './concepts.ts';
import { FREQUENT_WORDS } from './frequent.ts';
import { boundedDamerau, maxEditsFor } from './fuzzy.ts';
import { EN } from './lexicon-en.ts';
import { ES } from './lexicon-es.ts';
import type { Token } from './normalize.ts';
import { EN_COMMON, EN_FUNCTION, ES_COMMON, ES_FUNCTION, FIRST_NAMES, KNOWN_NEUTRAL, PLAN_TIERS } from './words.ts';

type LangMark = 'en' | 'es' | 'both';

interface Entry {
  concepts: Concept[];
  lang: LangMark;
}

const WORDS = new Map<string, Entry>();
const PHRASES = new Map<string, Entry>();
const STEMS: { stem: string; entry: Entry }[] = [];
/** Words that occur inside phrases: known, so never corrected into something else. */
const PHRASE_WORDS = new Set<string>();
let maxPhraseLength = 1;

function addTo(map: Map<string, Entry>, key: string, concept: Concept, lang: 'en' | 'es'): Entry {
  let entry = map.get(key);
  if (!entry) {
    entry = { concepts: [], lang };
    map.set(key, entry);
  } else if (entry.lang !== lang) {
    entry.lang = 'both';
  }
  if (!entry.concepts.includes(concept)) entry.concepts.push(concept);
  return entry;
}

const stemMap = new Map<string, Entry>();

function compile(spec: LexiconSpec, lang: 'en' | 'es'): void {
  for (const [concept, forms] of Object.entries(spec) as [Concept, readonly string[]][]) {
    for (const form of forms) {
      if (form.endsWith('*')) {
        addTo(stemMap, form.slice(0, -1), concept, lang);
      } else if (form.includes(' ')) {
        addTo(PHRASES, form, concept, lang);
        const parts = form.split(' ');
        maxPhraseLength = Math.max(maxPhraseLength, parts.length);
        for (const p of parts) PHRASE_WORDS.add(p);
      } else {
        addTo(WORDS, form, concept, lang);
      }
    }
  }
}

compile(EN, 'en');
compile(ES, 'es');
for (const [stem, entry] of stemMap) STEMS.push({ stem, entry });
// Longest stem first, so "reembols" wins over a shorter stem that would also match.
STEMS.sort((a, b) => b.stem.length - a.stem.length);

function stemLookup(word: string): Entry | undefined {
  for (const s of STEMS) {
    if (word.length >= s.stem.length && word.startsWith(s.stem)) return s.entry;
  }
  return undefined;
}

function isListedWord(word: string): boolean {
  return (
    WORDS.has(word) ||
    PHRASE_WORDS.has(word) ||
    EN_FUNCTION.has(word) ||
    ES_FUNCTION.has(word) ||
    EN_COMMON.has(word) ||
    ES_COMMON.has(word) ||
    KNOWN_NEUTRAL.has(word) ||
    stemLookup(word) !== undefined
  );
}

/**
 * Regular inflections of a listed word are known too ("looking" ← look, "emails" ← email, "hablando" ←
 * hablar), so an inflected ordinary word is not mistaken for a typo of a lexicon word ("looking" ≠ "looping").
 */
const INFLECTIONS: [suffix: string, replacements: string[]][] = [
  ['ing', ['', 'e']],
  ['ed', ['', 'e']],
  ['es', ['', 'e']],
  ['s', ['']],
  ['ly', ['']],
  ['er', ['', 'e']],
  ['ers', ['', 'e']],
  ['ies', ['y']],
  ['ied', ['y']],
  ['mente', ['', 'o', 'a']],
  ['ando', ['ar']],
  ['iendo', ['er', 'ir']],
  ['ado', ['ar']],
  ['ada', ['ar']],
  ['ados', ['ar']],
  ['ido', ['er', 'ir']],
  ['ida', ['er', 'ir']],
  ['an', ['ar']],
  ['en', ['er', 'ir']],
  ['amos', ['ar']],
  ['emos', ['er']],
  ['imos', ['ir']],
  ['aron', ['ar']],
  ['ieron', ['er', 'ir']],
  ['aba', ['ar']],
  ['o', ['ar', 'er', 'ir']],
  ['a', ['ar']],
  ['e', ['er', 'ir']],
];

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** The lexicon entry of a regular inflection of a lexicon word ("refills" ← refill, "renovaran" ← renovar). */
function inflectedEntry(word: string): Entry | undefined {
  for (const [suffix, replacements] of INFLECTIONS) {
    if (word.length - suffix.length < 3 || !word.endsWith(suffix)) continue;
    const base = word.slice(0, -suffix.length);
    for (const r of replacements) {
      const entry = WORDS.get(base + r);
      if (entry) return entry;
    }
  }
  return undefined;
}

/** Spanish enclitic pronouns, longest first ("devolvérmelos", "abonarme", "recargarnos", "pasarlos"). */
const CLITICS = [
  'noslos',
  'noslas',
  'melos',
  'melas',
  'selos',
  'selas',
  'telos',
  'nos',
  'los',
  'las',
  'les',
  'me',
  'te',
  'se',
  'lo',
  'la',
  'le',
  'os',
];
const CLITIC_HOSTS = /(ar|er|ir|ando|iendo)$/;

/** The verb an infinitive or gerund with enclitic pronouns is built on ("abonarme" → "abonar"). */
function cliticHost(word: string): string | undefined {
  for (const c of CLITICS) {
    if (word.length - c.length < 4 || !word.endsWith(c)) continue;
    const base = word.slice(0, -c.length);
    if (CLITIC_HOSTS.test(base)) return base;
  }
  return undefined;
}

function lexicalEntry(word: string): Entry | undefined {
  return WORDS.get(word) ?? stemLookup(word) ?? STEM_FORMS.get(word) ?? inflectedEntry(word);
}

/** A word the engine knows (so it is never typo-corrected). */
export function isKnownWord(word: string): boolean {
  if (isListedWord(word)) return true;
  const host = cliticHost(word);
  if (host !== undefined && lexicalEntry(host) !== undefined) return true;
  for (const [suffix, replacements] of INFLECTIONS) {
    if (word.length - suffix.length < 3 || !word.endsWith(suffix)) continue;
    const base = word.slice(0, -suffix.length);
    for (const r of replacements) if (isListedWord(base + r)) return true;
    // doubled consonant: "stopped" ← stop, "running" ← run
    const last = base[base.length - 1] ?? '';
    if (base.length >= 3 && !VOWELS.has(last) && last === base[base.length - 2] && isListedWord(base.slice(0, -1)))
      return true;
  }
  return false;
}

/** A word that belongs to the lexicon or the function words (used to reject name candidates). */
export function isVocabulary(word: string): boolean {
  return isKnownWord(word) && !FIRST_NAMES.has(word);
}

// --- fuzzy targets ---------------------------------------------------------------------------------------

const EN_ENDINGS = ['', 's', 'ed', 'ing', 'ment', 'ments', 'er', 'ers', 'ion', 'ions', 'e', 'es', 'y', 'ation'];
const ES_ENDINGS = [
  '',
  'o',
  'a',
  'os',
  'as',
  'an',
  'ar',
  'e',
  'en',
  'ado',
  'ados',
  'ada',
  'amos',
  'aron',
  'ando',
  'acion',
  'aciones',
  'imiento',
  'imientos',
  'ido',
  'idos',
  'ir',
  'ieron',
  'cion',
];

/** Targets bucketed by length: a target is a correct spelling to snap a typo to. */
const TARGETS: string[][] = [];
/** Per target, the set of its letters as a bit mask (a cheap lower bound on the edit distance). */
const TARGET_MASKS: number[][] = [];

function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) - 97);
  return mask;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

function addTarget(word: string): void {
  if (word.length < 4 || /[^a-z]/.test(word)) return;
  const bucket = TARGETS[word.length] ?? [];
  const masks = TARGET_MASKS[word.length] ?? [];
  TARGETS[word.length] = bucket;
  TARGET_MASKS[word.length] = masks;
  if (!bucket.includes(word)) {
    bucket.push(word);
    masks.push(letterMask(word));
  }
}

for (const w of WORDS.keys()) addTarget(w);
for (const w of PHRASE_WORDS) addTarget(w);
for (const w of EN_FUNCTION) addTarget(w);
for (const w of ES_FUNCTION) addTarget(w);
for (const w of KNOWN_NEUTRAL) addTarget(w);
const STEM_FORMS = new Map<string, Entry>();
for (const { stem, entry } of STEMS) {
  const endings = entry.lang === 'es' ? ES_ENDINGS : entry.lang === 'en' ? EN_ENDINGS : [...EN_ENDINGS, ...ES_ENDINGS];
  for (const e of endings) {
    const form = stem + e;
    if (!WORDS.has(form)) {
      STEM_FORMS.set(form, entry);
      addTarget(form);
    }
  }
}

/** Chat shorthand with one obvious spelling ("u", "r", "wut", "q", "xq"). */
const SLANG: Readonly<Record<string, string>> = {
  u: 'you',
  ur: 'your',
  r: 'are',
  wut: 'what',
  wat: 'what',
  wht: 'what',
  whta: 'what',
  hw: 'how',
  hv: 'have',
  pls: 'please',
  plz: 'please',
  pl: 'please',
  cuz: 'because',
  bc: 'because',
  q: 'que',
  xq: 'porque',
  pq: 'porque',
  porq: 'porque',
  tb: 'tambien',
  tmb: 'tambien',
  xfa: 'favor',
  pf: 'favor',
};

const correctionCache = new Map<string, string>();
const ELONGATION = /([a-z])\1{2,}/g;
const DOUBLE = /([a-z])\1/g;
const CACHE_LIMIT = 20_000;

/**
 * The canonical spelling of a word: itself if known, else the closest target within tolerance
 * (ties: the first target of the bucket closest in length). Words under 4 letters, first names and numbers
 * are left alone; a 4-letter word must keep its first letter.
 */
export function canonicalWord(raw: string): string {
  const slang = SLANG[raw];
  if (slang !== undefined) return slang;
  // Chat elongations: "holaaa" → "holaa" → "hola", "thanksss" → "thankss".
  let word = raw.replace(ELONGATION, '$1$1');
  if (word !== raw && !isKnownWord(word)) {
    const single = word.replace(DOUBLE, '$1');
    if (isKnownWord(single)) word = single;
  }
  if (word.length < 4 || isKnownWord(word) || FIRST_NAMES.has(word) || PLAN_TIERS.has(word)) return word;
  // A possessive name ("marcs linkedin") is not a typo of a month.
  if (word.endsWith('s') && FIRST_NAMES.has(word.slice(0, -1))) return word;
  const cached = correctionCache.get(word);
  if (cached !== undefined) return cached;
  const max = maxEditsFor(word.length);
  // A frequent real word is only corrected into an inflection of itself ("otra" → "otro"), never into
  // another word ("code" ↛ "come", "manual" ↛ "anual").
  const frequent = FREQUENT_WORDS.has(word);
  const stem = word.slice(0, -2);
  const wordMask = letterMask(word);
  let best = word;
  let bestDistance = max + 1;
  for (let delta = 0; delta <= max && bestDistance > 0; delta++) {
    for (const len of delta === 0 ? [word.length] : [word.length - delta, word.length + delta]) {
      const bucket = TARGETS[len];
      const masks = TARGET_MASKS[len];
      if (!bucket || !masks) continue;
      const limit = Math.min(max, maxEditsFor(len), bestDistance - 1);
      if (limit < delta) continue;
      for (let t = 0; t < bucket.length; t++) {
        const target = bucket[t]!;
        if ((len === 4 || word.length === 4) && target[0] !== word[0]) continue;
        // Each edit brings in at most one letter the other word lacks.
        const tm = masks[t]!;
        if (popcount(wordMask & ~tm) > limit || popcount(tm & ~wordMask) > limit) continue;
        if (frequent && (!target.startsWith(stem) || commonPrefix(word, target) < Math.min(word.length, len) - 1))
          continue;
        const d = boundedDamerau(word, target, limit);
        if (d <= limit && d < bestDistance) {
          bestDistance = d;
          best = target;
        }
      }
    }
  }
  if (correctionCache.size >= CACHE_LIMIT) correctionCache.clear();
  correctionCache.set(word, best);
  return best;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

// --- analysis ---------------------------------------------------------------------------------------------

export interface Occurrence {
  concept: Concept;
  /** Index of the first token of the surface that produced it. */
  pos: number;
}

export interface Analysis {
  /** One canonical string per token: corrected word, number digits, '|' for a clause boundary, '_' for a name. */
  canon: string[];
  /** Canonical text: canon joined by single spaces. */
  text: string;
  occurrences: Occurrence[];
  concepts: Set<Concept>;
  enVotes: number;
  esVotes: number;
}

const NEGATABLE_REQUEST: ReadonlySet<Concept> = new Set<Concept>([
  'BUY',
  'UPGRADE',
  'DOWNGRADE',
  'CHANGE',
  'ADD',
  'TALK',
]);
const NEGATION_WINDOW = 3;

const SYMBOL_CANON: Record<string, string> = { '€': 'euro', $: 'usd', '£': 'gbp', '%': 'percent' };

/**
 * Turn tokens into concepts. `reserved` holds indices of tokens already claimed as entity names
 * (they become '_' and carry no concept).
 */
export function analyze(tokens: readonly Token[], reserved: ReadonlySet<number>): Analysis {
  const canon: string[] = tokens.map((t, i) => {
    if (reserved.has(i)) return '_';
    switch (t.kind) {
      case 'sep':
        return '|';
      case 'num':
        return String(t.value);
      case 'sym':
        return SYMBOL_CANON[t.text] ?? t.text;
      default:
        return canonicalWord(t.text);
    }
  });

  const occurrences: Occurrence[] = [];
  let enVotes = 0;
  let esVotes = 0;
  const vote = (lang: LangMark) => {
    if (lang === 'en') enVotes++;
    else if (lang === 'es') esVotes++;
  };

  for (let i = 0; i < canon.length; ) {
    const word = canon[i]!;
    if (word === '|' || word === '_') {
      i++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(maxPhraseLength, canon.length - i); n >= 2; n--) {
      let key = word;
      let ok = true;
      for (let k = 1; k < n; k++) {
        const w = canon[i + k]!;
        if (w === '|' || w === '_') {
          ok = false;
          break;
        }
        key += ` ${w}`;
      }
      if (!ok) continue;
      const entry = PHRASES.get(key);
      if (entry) {
        for (const c of entry.concepts) occurrences.push({ concept: c, pos: i });
        vote(entry.lang);
        matched = n;
        break;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const host = cliticHost(word);
    // A plan's name ("starter", "growth") is a name: no reading as an inflection of a lexicon word.
    const entry = PLAN_TIERS.has(word)
      ? WORDS.get(word)
      : (lexicalEntry(word) ?? (host === undefined ? undefined : lexicalEntry(host)));
    if (entry) {
      for (const c of entry.concepts) occurrences.push({ concept: c, pos: i });
      vote(entry.lang);
    } else if (!PLAN_TIERS.has(word)) {
      // A plan's name ("el plan business") is no evidence of the language it is written in.
      const en = EN_FUNCTION.has(word);
      const es = ES_FUNCTION.has(word);
      if (en && !es) enVotes++;
      else if (es && !en) esVotes++;
    }
    i++;
  }

  applyNegation(canon, occurrences);

  const text = canon.join(' ');
  const starts: number[] = [];
  let offset = 0;
  for (const w of canon) {
    starts.push(offset);
    offset += w.length + 1;
  }
  let kept = occurrences;
  for (const { re, concept, drop } of PATTERNS) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) {
      const pos = tokenAt(starts, m.index);
      if (drop) {
        // The pattern reinterprets its words: their single-word readings no longer count.
        const last = tokenAt(starts, m.index + m[0].length - 1);
        kept = kept.filter((o) => o.pos < pos || o.pos > last || !drop.includes(o.concept));
      }
      kept.push({ concept, pos });
    }
  }

  return { canon, text, occurrences: kept, concepts: new Set(kept.map((o) => o.concept)), enVotes, esVotes };
}

/** Index of the token that contains character offset `offset` of the canonical text. */
function tokenAt(starts: readonly number[], offset: number): number {
  let pos = 0;
  while (pos + 1 < starts.length && starts[pos + 1]! <= offset) pos++;
  return pos;
}

function applyNegation(canon: readonly string[], occurrences: Occurrence[]): void {
  const negPositions = occurrences.filter((o) => o.concept === 'NEG').map((o) => o.pos);
  if (negPositions.length === 0) return;
  for (const o of occurrences) {
    for (const p of negPositions) {
      if (o.pos <= p || o.pos > p + NEGATION_WINDOW) continue;
      let crossesClause = false;
      for (let k = p + 1; k < o.pos; k++) if (canon[k] === '|') crossesClause = true;
      if (crossesClause) continue;
      if (o.concept === 'USE') o.concept = 'UNUSED';
      else if (o.concept === 'RECEIVED') o.concept = 'NOT_RECEIVED';
      // "ya no me quedan", "none left": nothing is left.
      else if (o.concept === 'LEFT') o.concept = 'RUNOUT_PAST';
      else if (NEGATABLE_REQUEST.has(o.concept)) o.concept = 'NEG_REQ';
    }
  }
}

/**
 * Structural cues over the canonical text (precompiled; one exec each per message). `drop`: concepts of the
 * matched words that the pattern reinterprets ("the plan expires" is the renewal, not credit expiry).
 */
const PATTERNS: { re: RegExp; concept: Concept; drop?: Concept[] }[] = [
  // Prompt injection: attempts to change the assistant's rules or reach other customers' data.
  {
    re: /\b(ignore|ignora|ignorar|ignores|forget|olvida|olvidar|olvidate|disregard|omite|omitir|bypass|override|salta|saltate)\b.{0,40}\b(instructions?|instrucciones|rules|reglas|prompt|previous|prior|anteriores|guidelines|directrices|system|sistema|restrictions|restricciones)\b/,
    concept: 'INJECTION',
  },
  {
    re: /\b(hidden|secret|system|internal|developer|initial|original|ocultas?|secretas?|internas?|iniciales)\s(instructions|prompt|rules|instrucciones|reglas|message|mensaje)\b|\b(instrucciones|instructions|prompt|reglas)\s(ocultas|secretas|del sistema|internas|de sistema)\b/,
    concept: 'INJECTION',
  },
  { re: /^(system|sistema|assistant|developer|admin|root)\s\|/, concept: 'INJECTION' },
  {
    re: /\b(debug|jailbreak|dan mode|developer mode|modo desarrollador|modo debug|god mode|you are now|act as|pretend|actua como|finge|haz como si|eres ahora|ahora eres)\b|\b(you re|youre|you are) (an? |the )?(admin|administrator|developer|root|system|superuser)\b/,
    concept: 'INJECTION',
  },
  {
    re: /\b(another|other|otro|otra|otros|otras)\s(customer|customers|client|clients|cliente|clientes|tenant|tenants|company s|users account)\b|\b(cuenta|cuentas|account|accounts|data|datos|credits|creditos)\s(de|of)\s(otro|otra|otros|otras|another|other|someone else|alguien mas)\b/,
    concept: 'INJECTION',
  },
  {
    re: /\b(print|reveal|show|display|output|repeat|muestra|muestrame|imprime|dime|ensename|revela)\s(me\s)?(your|tus|tu|el|the|las|los)\s(hidden\s|secret\s|system\s|internal\s|full\s)?(instructions|prompt|instrucciones|reglas|rules|configuration|config|configuracion)\b/,
    concept: 'INJECTION',
  },
  { re: /\bgive me (\d+ )?(free|unlimited) credits\b|\b(creditos gratis|creditos ilimitados)\b/, concept: 'INJECTION' },
  // "how much is / does / for" asks for a price; "cuánto cuesta / vale / es".
  {
    re: /\b(how|hw) much (is|are|r|does|do|would|will|for|per|a|an|the|it|to|money|extra|more)\b|\bcuanto (cuesta|cuestan|vale|valen|sale|salen|es|seria|costaria|pago|pagamos|cobran)\b/,
    concept: 'PRICE_Q',
  },
  // A forecast horizon expressed in days: "10 days to go", "quedan 10 días", "next 5 days".
  {
    re: /\b\d+ (more )?(days?|weeks?) (to go|left|remaining|until|till|before)\b|\b(quedan|faltan|restan) \d+ (dias|semanas)\b|\b(next|proximos|siguientes) \d+ (days|dias)\b/,
    concept: 'HORIZON',
  },
  // "will my credits last", "last until": the verb, not "last week".
  {
    re: /\b(credits?|creds|balance|saldo|it|they|them|this|that|we|i) (still )?(will |would |gonna |going to |is going to |are going to )?last\b(?! (week|month|year|day|days|night|time|\d|few|two|three|couple|quarter|cycle|period))|\blast (until|till|til|through|thru|us|me|the rest)\b/,
    concept: 'LAST_VERB',
  },
  // The pace of consumption: "at our current usage", "with this burn rate", "al ritmo de consumo actual".
  {
    re: /\b(at|with|given|based on|going by) (this|the|our|my|current|present)( current| present)? (rate|pace|usage|speed|consumption|burn rate|spend)\b|\b(con|a|al|segun) (el|este|nuestro|mi)? ?(ritmo|consumo|paso) (actual|de consumo|que llevamos)\b/,
    concept: 'RATE_PACE',
  },
  // How long the credits will last: "how many days of credits do we have left", "para cuántos días me alcanza".
  {
    re: /\bhow (many|much) (days|weeks|time)\b(?!( left| remaining| are left)? (until|till|til|before|to go))|\b(cuantos dias|cuantas semanas|cuanto tiempo)\b(?! (faltan|quedan para|para))/,
    concept: 'FORECAST',
  },
  // How consumption is counted: "how are credits calculated", "cómo se cuentan las conversaciones".
  {
    re: /\bhow (are|is|do|does) .{0,25}\b(counted|calculated|computed|measured|deducted|charged|count|calculate|work)\b|\b(are|is) (\S+ ){1,3}(counted|calculated|computed|deducted)\b|\bcomo (se )?(cuent|calcul|contabiliz|comput|descuent|consum|cobr|funcion)[a-z]*\b|\b(se cobran|se descuentan|se cuentan|se gastan|se consumen) (\S+ )?(por|para|en)\b/,
    concept: 'HOW_COUNTED',
  },
  // Exceeding a conversation cap: "more than 500 conversations".
  {
    re: /\b(more than|over|beyond|above|exceed|mas de|superar|pasar de) (the )?\d+ (conversations|convos|conversaciones|messages|mensajes|invites|invitations|invitaciones)\b/,
    concept: 'LIMIT',
  },
  // Reaching a number of conversations is a question about the cap.
  {
    re: /\b(llega|llegan|llegue|lleguen|reach|reaches|reached|hit|hits|hitting|alcanza|alcanzan|alcance) (a |the )?(las |los )?\d+ (conversations|conversaciones|convos|messages|mensajes|invites|invitaciones)\b/,
    concept: 'LIMIT',
  },
  // "based on last month", "según el mes pasado": the pace of consumption.
  {
    re: /\b(based on|going by|segun|basado en|en base a) (the |el )?(last|previous|past|mes|ultimo|ultima) ?(month|week|mes|semana|pasado|pasada)?\b/,
    concept: 'RATE_PACE',
  },
  // "has the account manager seen my request": a follow-up.
  {
    re: /\b(has|have|did|ha|han) .{0,30}\b(seen|reviewed|looked at|read|answered|responded|replied|visto|revisado|leido|respondido|contestado)\b/,
    concept: 'STATUS',
  },
  // The end of a contract is its renewal: "when does my annual contract end".
  {
    re: /\b(contract|subscription|plan|suscripcion|contrato)\b.{0,20}\b(?<!the )(end|ends|ending|finish|finishes|termina|acaba|finaliza)\b/,
    concept: 'RESET',
  },
  // The plan itself expiring is its renewal ("mi plan vence el 15", "when does my subscription expire").
  {
    re: /\b(contract|subscription|plan|suscripcion|contrato|membership|membresia|licencia|license)( (?!(?:credits?|creditos?|creds)\b)\S+){0,2} (vence|vencen|venza|expira|expiran|caduca|caducan|expire|expires|expiring|expired|lapse|lapses|vencimiento)\b/,
    concept: 'RESET',
    drop: ['EXPIRE'],
  },
  // Cost of one unit of work: "per row", "por contacto", "each time", "cada vez".
  {
    re: /\b(per|por|each|cada|a|every|for one|for a|for 1|for each|por un|por una|por cada) (row|rows|contact|lead|record|email|enrichment|action|request|lookup|prompt|run|execution|reveal|fila|contacto|registro|accion|ejecucion|enriquecimiento|column|columna|company|empresa|profile|perfil|search|busqueda|workflow|flujo|variable|credit lookup|phone|telefono)\b|\b(each|every|cada) (time|vez)\b/,
    concept: 'PER_UNIT',
  },
  // Capacity questions: "how many ... can I send", "cuántos ... puedo".
  {
    re: /\bhow many\b.{0,40}\b(can|could|may|allowed)\b|\b(cuantos|cuantas)\b.{0,40}\b(puedo|podemos|puede|pueden|se pueden|se puede|permite)\b/,
    concept: 'CAPACITY',
  },
  // "what plan am I on", "qué plan tengo", "my current plan".
  {
    re: /\b(what|which|whats|wich)( kind of| type of)? (plan|subscription|tier|package)\b|\b(my|our|the) current (plan|subscription|tier)\b|\b(plan|suscripcion) actual\b|\b(que|cual|cual es) (es )?(mi |nuestro |el )?(plan|suscripcion|tarifa)\b|\b(plan|subscription) (am i|are we|do i have|do we have|im on|were on|i am on|we are on)\b|\b(plan|suscripcion) (tengo|tenemos)\b|\b(tengo|tenemos) (contratado|contratada|contratados)\b|\bplan details\b|\bdetalles? (de|del) (mi |nuestro )?plan\b/,
    concept: 'PLAN_WHICH',
  },
  // "get credits back", "give me back", "want my money back" (but not "get back to me").
  {
    re: /\b(get|give|put|add|want|credit|getting|gets|have|need) (\S+ ){0,4}back\b(?! to)/,
    concept: 'REFUND',
  },
  // "what's in my plan", "in my plan besides credits".
  { re: /\b(whats|what is|what else is) (else )?(in|on) (my|our|the) plan\b/, concept: 'INCLUDE' },
  // "went from 8000 to 500", "bajó de 10.000 a 2.000": a sudden change of the balance.
  {
    re: /\b(went|gone|dropped|fell|go|goes|jumped|pasado|paso|bajo|bajado|cayo|caido|pasamos|pase) (down |de golpe )?(from|de) \d+ (to|a) \d+\b/,
    concept: 'VANISH',
  },
  // "go annual", "pasar a anual": a change of billing frequency.
  {
    re: /\b(go|going|move|moving|switch|switching|change|changing|pasar|pasarnos|pasarme|cambiar|cambiarnos|cambiarme|ir) (to |a |al |over to )?(the |el )?(annual|yearly|monthly|anual|mensual)\b/,
    concept: 'CHANGE',
  },
  // Future run-out: "will we be out of credits", "before the 1st".
  { re: /\b(will|gonna|going to|would) (we|i|you|they)? ?(be|run|go) out of\b/, concept: 'RUNOUT' },
  {
    re: /\b(before|until|till|til|by) (the )?(1|first|end|reset|renewal|next reset|next cycle|top up)\b|\b(antes del|antes de|hasta el) (1|dia 1|primero|fin|final|cierre|reset|reseteo|renovacion)\b/,
    concept: 'HORIZON',
  },
  // Something is consuming credits on its own.
  {
    re: /\b(something|somethings|algo) (is |has |just |esta |ha |se esta |se ha |keeps |still |is still |sigue |no para de )?(burn|burned|burning|ate|eating|eaten|drain|drained|draining|using|used|spending|spent|consuming|consumed|gastando|consumiendo|comiendo|gastado|consumido|comido|gastar|consumir)\b/,
    concept: 'SPIKE',
  },
  // "on what did my credits go": a breakdown by type.
  {
    re: /\ben que (se )?(me |nos )?(han |ha |he |hemos )?(ido|van|fueron|gastado|gastan|gastaron|gasto|gaste|gastamos|consumido|consumen|usado|usan)\b|\bwhat (did|do|have|has) (we|i|you|it) (spend|spent|use|used|burn|burned) (\S+ )?on\b/,
    concept: 'BY_TYPE',
  },
  // "what are my credits used for / spent on": a breakdown by type.
  { re: /\b(what|which)\b.{0,30}\b(spent|used|spend|use|spending|using) (on|for)\b/, concept: 'BY_TYPE' },
  // "did you charge me", "have they billed us": a charge that happened.
  { re: /\b(did|have|has) (you|they|it|we) (charge|charged|bill|billed|take|took)\b/, concept: 'CHARGED' },
  // "¿qué pasa con / si ...?" asks about a hypothetical; a bare "¿qué pasa?" asks what went on.
  {
    re: /\bque (pasa|pasaria|pasara|ocurre|ocurriria|sucede|sucederia) (con|si|a|cuando|al|en|el|la|los|las)\b/,
    concept: 'WHAT_HAPPENS',
  },
  { re: /\bque (pasa|ocurre|sucede)\b(?! (con|si|a|cuando|al|en|el|la|los|las)\b)/, concept: 'WHAT_HAPPENED' },
  // Nobody did anything, yet credits went: unexplained consumption.
  { re: /\b(nobody|no one|noone|nadie)\b/, concept: 'SPIKE' },
  // "conversations over 500", "conversaciones por encima de 500".
  {
    re: /\b(conversations|convos|conversaciones|messages|mensajes) (over|above|beyond|past|de mas de|mas alla de|por encima de) (the |las |los )?\d+\b/,
    concept: 'LIMIT',
  },
  // "monthly to annual", "mensual a anual": a change of billing frequency.
  {
    re: /\b(monthly|mensual|annual|anual|yearly) (billing |facturacion |plan )?(a|to|al|into) (monthly|mensual|annual|anual|yearly)\b/,
    concept: 'CHANGE',
  },
  // "cuál es la tarifa mensual": the price of the plan.
  { re: /\b(cual es|que es|de cuanto es) (la|mi|nuestra) (tarifa|cuota)\b/, concept: 'PRICE_Q' },
  // A date of the month: "on the 1st", "el día 1".
  { re: /\b(on the|el dia|del dia|el) (1|2|3|4|5|6|7|8|9|10|15|20|25|28|30|31)\b/, concept: 'DATE' },
  // A range of days of the month: "between the 1st and the 15th", "del 1 al 15".
  {
    re: /\b(between|from) (the )?\d{1,2} (and|to|until|till) (the )?\d{1,2}\b|\b(del|desde el|entre el) \d{1,2} (al|y el|hasta el) \d{1,2}\b/,
    concept: 'DATE',
  },
  // A reference to an existing request ("my upgrade request", "la solicitud"): a follow-up, not a new request.
  {
    re: /\b(my|the|our|that|this|mi|la|nuestra|esa|esta|el|mis|las) (\S+ ){0,3}(request|requests|solicitud|solicitudes|peticion|peticiones|pedido|order)\b/,
    concept: 'REQUEST_REF',
  },
  // "cuándo vuelvo a tener los créditos": the refill.
  { re: /\b(vuelvo|volvemos|vuelven|volvere|volveremos) a (tener|recibir|cargar|dar)\b/, concept: 'RESET' },
  // "new monthly credits", "créditos nuevos": the refill.
  { re: /\b(new|fresh|nuevos) (\S+ )?(credits|creditos)\b|\bcreditos (nuevos|frescos)\b/, concept: 'RESET' },
  // "am I at zero?", "are we out of credits?": a question about the balance, not a statement before a purchase.
  {
    re: /(^|\| )(\S+ )?(am i|are we|is my account|is our account|is my balance|is the balance)( already| now)? (at (zero|0)|on (zero|0)|out of (credits|creds)|empty|(close to|near|almost at|nearly at|almost|nearly) (zero|0|out))\b/,
    concept: 'LEFT',
  },
  // "when the plan renews", "once my credits reset": the cycle boundary as a condition, not a question about its date.
  {
    re: /\b(when|once|after|as soon as|cuando|una vez que) (the |my |our |el |mi |la |se )?(plan|subscription|credits?|cycle|month|billing cycle|account|suscripcion|ciclo|mes|creditos) (renews?|resets?|refresh(es)?|restarts?|ends|renueva|renueve|reinicia|reinicie|acaba|termina|se renueva)\b(?! (on|el|in|at))/,
    concept: 'CYCLE_END',
  },
  // "drop the scale plan", "dropping down to starter": a downgrade (but not "credits dropped").
  { re: /\bdrop(ping)? (down )?(to |from )?(the |my |our )?(\S+ )?(plan|tier|subscription)\b/, concept: 'DOWNGRADE' },
  // "me los podéis reponer", "reponérmelos": give back credits already spent.
  {
    re: /\b(me|nos) (los|las) (\S+ )?(repon|repong|devolv|devuelv)[a-z]*\b|\brepon(er|ed|gan|gais|eis)(me|nos|los|las|melos|noslos)\b/,
    concept: 'REFUND',
  },
  // Consumption although everything is stopped: "even with all campaigns paused", "aunque todo está pausado".
  {
    re: /\b(even (with|though|when|after|if|while)|aun con|incluso con|aunque|a pesar de)\b.{0,40}\b(paused|stopped|off|disabled|inactive|turned off|not running|pausad[oa]s?|parad[oa]s?|desactivad[oa]s?|apagad[oa]s?)\b/,
    concept: 'SPIKE',
  },
  // "from the starter plan to growth", "del plan growth al scale": a plan change.
  {
    re: /\b(from|de|del|desde) (the |my |our |el |mi |nuestro )?(\S+ )?(plan|tier|subscription|suscripcion)( \S+)? (to|into|a|al|hacia)\b/,
    concept: 'CHANGE',
  },
  // How long the billing period or plan lasts is its end date ("hasta qué día dura mi periodo de facturación").
  {
    re: /\b(dura|durara|duran)( el| mi| la| nuestro| nuestra)? (periodo|ciclo|plan|suscripcion|contrato|mes de facturacion)\b|\b(period|cycle|subscription|plan|contract|trial) (last|lasts|run|runs)\b/,
    concept: 'RESET',
    drop: ['LAST_VERB'],
  },
  // Automatic purchases: "charged automatically for more credits", "recarga automática".
  {
    re: /\b(auto|automatic|automatically|automatica|automaticamente|automaticas)\b.{0,30}\b(top up|topup|recharge|recarga|recargar|buy|purchase|comprar|charge|charged|cobrar|cobren|refill|reload)\b|\b(top up|topup|recharge|recarga|recargar|buy|purchase|comprar|charge|charged|cobrar|cobren|refill|reload|billed)\b.{0,30}\b(auto|automatic|automatically|automatica|automaticamente|automaticas)\b/,
    concept: 'BUY',
  },
  // Asking which plan suits: a plan change in the making ("qué plan me conviene", "which plan should we pick").
  {
    re: /\b(que|cual|which|what) (plan|tier|suscripcion)( \S+)? (me conviene|nos conviene|me recomiendas|me recomendais|recomiendas|recomendais|should i|should we|do you recommend|would you recommend|is best|is better|fits|suits)\b/,
    concept: 'CHANGE',
    drop: ['PLAN_WHICH'],
  },
  // Paying in credits is being charged credits ("do I pay credits for failed lookups", "pago 5 créditos por fila").
  {
    re: /\b(pay|paying|pays|pagar|pago|pagas|pagan|pagamos)( \d+| a| any| extra| the| more| los| mas)? (credits?|creditos?)\b/,
    concept: 'CHARGE',
    drop: ['PAY'],
  },
  // "¿cuándo me llegan los créditos?": their arrival, i.e. the refill (not "me llegan hasta fin de mes").
  {
    re: /\b(cuando|que dia|en que dia|que fecha|en que fecha|a que hora) (me |nos |se )?(llegan|llega|llegaran|llegara|entran|entraran|cargan|cargaran|dan|daran)\b/,
    concept: 'RESET',
    drop: ['ENOUGH'],
  },
  // "one credit" is the unit cost of something ("is a company scrape 1 credit or more?").
  { re: /\b(1|one|un|uno|single) (credit|credito)\b/, concept: 'PER_UNIT' },
  // Switching off the automatic renewal is cancelling the plan.
  {
    re: /\b(turn off|turning off|switch off|disable|disabling|stop|cancel|desactivar|desactiva|desactivo|quitar|quita|quito|anular|cancelar)( the| my| our| el| la| mi)?( subscription| plan| suscripcion| plan's)? (auto renewal|auto renew|autorenewal|automatic renewal|renewal|renovacion automatica|renovacion|autorenovacion)\b/,
    concept: 'CANCEL',
    drop: ['RESET', 'BUY'],
  },
  // "does my plan cover X": what the plan includes.
  {
    re: /\b(plan|subscription|suscripcion|tier|tarifa)( \S+)? (cover|covers|cubre|cubren)\b/,
    concept: 'INCLUDE',
    drop: ['ENOUGH'],
  },
  // "actualizar mi plan" (the Spanish help centres' word for upgrading), "update my subscription".
  { re: /\bactualiz[a-z]* (el |mi |nuestro |nuestra |la |de )?(plan|suscripcion|tarifa)\b/, concept: 'UPGRADE' },
  { re: /\bupdat[a-z]* (my |our |the )?(plan|subscription|tier)\b/, concept: 'CHANGE' },
  // "do I have credits to enrich more?", "¿tengo créditos para seguir?": enough for something.
  {
    re: /\b(tengo|tenemos|me quedan|nos quedan|do i have|do we have|have i got|have we got|i have|we have|is there)( \S+)?( \S+)? (credits?|creditos|saldo|balance) (para|to|for)\b/,
    concept: 'ENOUGH',
  },
  // Paying for credits is buying them ("pay for extra credits with my saved card").
  {
    re: /\b(pay|pagar|pago|paying|pagamos)( only| just| solo| solamente| unicamente)?( for| por)( the| los| some| unos)?( more| extra| additional| mas| adicionales)? (credits?|creditos?)\b/,
    concept: 'BUY',
  },
  // "use them next one?", "¿los puedo usar el próximo?": the next cycle, at the end of a clause.
  { re: /\b(el|al|para el|en el) (proximo|siguiente)( mes| ciclo| periodo)?\s*(\||$)/, concept: 'CYCLE_END' },
  // "are my credits (still) valid": their validity.
  {
    re: /\b(credits?|creditos?|balance|saldo|they|them|ellos)( still| stay| remain| todavia| aun| seguiran| siguen)?( be| being| estaran| seran| son| estan)? (valid|validos|vigentes)\b/,
    concept: 'EXPIRE',
    drop: ['KEEP'],
  },
  // "refill my credits please": a request to top up now, not the monthly refill.
  {
    re: /(^|\| )(please |pls |can you |could you |por favor |puedes |podeis )?(refill|recharge|reload|top up|replenish|recarga|recargad|recargame|recargadme|rellena|rellename)( my| our| the| me| mis| los| nuestros)? (credits?|creditos|balance|saldo|account|cuenta)\b/,
    concept: 'BUY',
    drop: ['RESET'],
  },
  // "I topped up an hour ago": a purchase made, not the monthly refill.
  {
    re: /\b(i|we|just|ive|weve|already|have|has|recently)( just| already)? (topped up|top upped|recharged|reloaded)\b|(^|\| )(topped up|recharged|reloaded) (\S+ ){0,2}(ago|yesterday|today|earlier|this morning|last)\b/,
    concept: 'BOUGHT',
    drop: ['RESET', 'BUY'],
  },
  // "is email verification charged separately?": the charging rule of an action, not a charge that happened.
  {
    re: /\b(is|are|isnt|arent)( (?!(?:i|we|you|they)\b)\S+){1,4} (charged|billed)\b/,
    concept: 'CHARGE',
    drop: ['CHARGED'],
  },
  // "how many credits did we go through": consumption, not a request going through.
  {
    re: /\b(credits?|creds) (did|have|has|do|will|would) (we|i|you|they|the team|our team) (go|went|gone|get|got) through\b|\b(we|i|they|team)( \S+)? (went|go|gone|got|get|burned|burnt) through (\S+ )?(\d+ )?(credits?|creds)\b/,
    concept: 'USE',
    drop: ['STATUS', 'RECEIVED'],
  },
  // "with the credits I have, can I enrich 2000 rows?": enough for something.
  {
    re: /\b(con|with) (los |the |my |mis |our |nuestros )?(creditos|credits|saldo|balance)( que| i| we)? ?(tengo|tenemos|have|got|me quedan|nos quedan|left|remaining|restantes)\b|\b(creditos|credits|saldo|balance) (que )?(tengo|tenemos|i have|we have|left) (puedo|podemos|can i|can we|alcanza|alcanzan|da|dan)\b/,
    concept: 'ENOUGH',
  },
  // "I just renewed": a renewal that happened, not a question about the next one.
  {
    re: /\b(i|we|just|already|have|has)( just| already)? (renewed|renove|renovamos|renovado)\b/,
    concept: 'BOUGHT',
    drop: ['RESET'],
  },
  // "5x the credits of emails", "more credits than": comparing what actions cost.
  {
    re: /\b(\d+|twice|double|triple)( times)?( the| as many| as much)? (credits?|creditos)( as| than| que| of| de)\b|\b(costs?|cuesta|cuestan|takes?|uses?|gasta|gastan|consume|consumen) (more|less|fewer|mas|menos) (credits?|creditos)\b/,
    concept: 'PER_UNIT',
  },
  // "do job change alerts consume credits?", "¿las alertas consumen créditos?": whether some feature costs credits.
  {
    re: /\b(do|does|will|would|can|could) (?!(?:(?:the|my|our|your|a|an) )?(?:i|we|you|they|it|this|that|he|she|credits?|creds|team|teams|teammates?|users?|members?|reps?|people|everyone|anyone|someone|all|seats?)\b)(\S+ ){0,4}\S+ (consume|use|cost|eat|burn|spend|take|deduct|require|need|count|charge|use up)( any| extra| more| additional| your| my| our| a| one| 1)? (credits?|creds)\b|\b(el|la|los|las) (?!(?:creditos?|equipo|usuarios?|cuenta|plan|mes|semana)\b)(\S+ ){0,3}?(consume|consumen|gasta|gastan|cuesta|cuestan|usa|usan|descuenta|descuentan|requiere|requieren|cobra|cobran|resta|restan) (\S+ )?creditos\b/,
    concept: 'ACTION_MISC',
  },
  // "all credits used in one run", "gastados en un solo día": everything consumed at once.
  {
    re: /\ball (of )?(my |our |the )?(\S+ )?(credits|creds)( \S+){0,2} (used|spent|consumed|burned|burnt|eaten|gone|used up)\b|\b(in|within) (one|a single|1) (day|night|go|run|table run|hour|sitting|morning|afternoon)\b|\btodos (mis |los |nuestros )?creditos( \S+){0,2} (gastados|consumidos|usados)\b|\ben un (solo )?(dia|rato|momento|par de horas|minuto)\b/,
    concept: 'SPIKE',
  },
  // "I haven't used anything", "no he hecho nada": credits went without any activity.
  {
    re: /\b(i|we|ive|weve)( have| has)? (havent|hasnt|didnt|dont|have not|did not|do not|not|never) (even )?(used|use|spent|run|ran|done|touched|launched)( \S+)? (anything|any|a thing|nothing)\b|\bno (he|hemos|ha|han) (usado|gastado|hecho|lanzado|tocado) nada\b/,
    concept: 'SPIKE',
  },
  // Buying credits as needed instead of a subscription: "pay as you go", "pago por uso".
  { re: /\b(pay as you go|pay per use|payg|pay as we go|pago por uso|prepago)\b/, concept: 'BUY', drop: ['PAY'] },
  // "tarifa del plan", "tarifa mensual": the plan's price.
  { re: /\btarifas? (del|de la|por|de precios)\b/, concept: 'PRICE' },
  // "how many credits should I buy": how many are needed.
  {
    re: /\bhow many( \S+)? ((should|would|must) (i|we)|(do|would|will) (i|we) (need to|have to)) (buy|purchase|get|order)\b|\bcuantos( \S+)? (deberia|deberiamos|tengo que|tenemos que|necesito|necesitamos|me conviene|nos conviene) (comprar|contratar|adquirir)\b/,
    concept: 'FORECAST',
    drop: ['BUY'],
  },
  // "the same contacts got enriched twice", "se ejecutó dos veces": a duplicated run.
  {
    re: /\b(got|were|was|been|ran|run|has run|have run|enriched|processed|executed|exported|scraped|charged|billed|ejecuto|ejecutaron|enriquecio|enriquecieron|cobro|cobraron|proceso|procesaron|se ejecuto|se ejecutaron)( \S+){0,4} (twice|two times|dos veces|por duplicado)\b|\b(burned|burnt|used|spent|charged|took|consumed|ate|gasto|gastaron|consumio|consumieron) (\S+ )?(double|doble|el doble de) (the )?(credits|creditos)\b/,
    concept: 'SPIKE',
  },
  // "only charged for valid emails?", "solo se cobran los válidos": the charging rule, not a charge that happened.
  {
    re: /\b(only|just|also|even|still) (get |be |being |gets |got )?(charged|billed)( for| per| on| if| when)\b|\b(charged|billed) (only|just) (for|if|when|per)\b/,
    concept: 'CHARGE',
    drop: ['CHARGED'],
  },
  // "how many credits does each http api column take": what some feature costs.
  {
    re: /\bhow many (credits|creds) (does|do|will|would|should) (a|an|each|one|every|the|a single|single) (?!(?:team|user|users|member|members|seat|seats|account|plan|person|rep|reps)\b)(\S+ ){0,4}(take|use|cost|consume|eat|need|require|burn)\b|\bcuantos creditos (consume|gasta|cuesta|usa|requiere|necesita|se lleva) (un|una|cada)\b/,
    concept: 'ACTION_MISC',
  },
  // "credit use of their reps", "consumo por comercial": usage split by person.
  {
    re: /\b(usage|use|consumption|spend|spending|spent) (of|by|from|for) (each |every |all |my |our |their |the |individual )?(reps?|users?|team members?|members?|teammates?|seats?|employees?|sdrs?|bdrs?|salespeople|agents?)\b|\b(consumo|gasto|uso) (de|por) (cada |mis |nuestros |los )?(comerciales?|vendedores?|sdrs?|usuarios?|miembros?|empleados?|agentes?)\b/,
    concept: 'PER_USER',
  },
  // "without launching any campaign", "sin lanzar ninguna campaña": consumption with nothing running.
  {
    re: /\bwithout (me |us |anyone )?(running|launching|doing|using|touching|starting|activating|enriching|exporting) (anything|any|a single|nothing)\b|\bsin (lanzar|usar|hacer|ejecutar|tocar|activar|correr|abrir|exportar|enriquecer) (nada|ninguna|ningun|ningunas|ningunos)\b/,
    concept: 'SPIKE',
  },
  // "I don't know what is consuming them", "no sé qué está gastando": an unexplained consumer.
  {
    re: /\b(dont|do not|no) (know|idea|se|sabemos|entiendo|entendemos)( \S+)? (what|whats|why|que|por que|porque)( \S+){0,2} (consuming|using|eating|draining|spending|burning|gastando|consumiendo|comiendo|gastan|consumen|gasta|consume)\b/,
    concept: 'SPIKE',
  },
  // "for the whole campaign", "para toda la campaña": a horizon to cover.
  {
    re: /\b(for|through|until the end of) (the |this |our )?(whole|entire|rest of the|full) (campaign|quarter|cycle|year|sequence)\b|\b(para|durante|hasta el final de) (todo el|toda la|el resto del?) (mes|campana|trimestre|ciclo|ano|secuencia)\b/,
    concept: 'HORIZON',
  },
  // "do top-up credits expire?": credits bought earlier (a noun), not a request to top up.
  {
    re: /\b(do|does|are|my|our|the|any|of|with|unused|extra|purchased|bought|old) (top up|topup|add on|addon|one off|one time) (credits|creds)\b/,
    concept: 'BOUGHT',
    drop: ['BUY'],
  },
  // "drop to free", "volver al plan gratuito": a downgrade to the free plan.
  {
    re: /\b(drop|dropping|go|going|move|moving|switch|switching|revert|go back|downgrade|downgrading)( back| down)? to (the )?(free|basic free)\b|\b(volver|pasar|pasarme|bajar|bajarme|quedarme)( \S+)? (al|en el) (plan )?(gratuito|gratis|free)\b/,
    concept: 'DOWNGRADE',
  },
  // "human please", "un agente por favor": the whole request is for a person.
  {
    re: /\b(human|agent|person|representative|someone|humano|agente|persona)( \S+)?,? (please|pls|plz|asap|now|por favor|ya)\b/,
    concept: 'TALK',
  },
  // "is anyone available to help me by chat", "¿hay alguien disponible para ayudarme?": asking for a person.
  {
    re: /\b(someone|anyone|somebody|anybody|a person|an agent|a human|alguien|una persona|un agente)( \S+)? (available|free|around|online|disponible|que me (ayude|atienda)|to help|who can help|para ayudarme|para atenderme)\b/,
    concept: 'TALK',
    drop: ['LEFT'],
  },
  // "yesterday I had 4000", "ayer tenía 4000": the balance was much higher shortly before.
  {
    re: /\b(yesterday|this morning|last night|last week|an hour ago|earlier today|ayer|esta manana|anoche|la semana pasada|hace una hora)( i| we)? (had|tenia|teniamos|habia|there were) (\S+ )?\d+\b/,
    concept: 'VANISH',
  },
  // "they renewed me anyway", "me han renovado igual": a charge that happened.
  {
    re: /\b(me|nos) (han|ha) (renovado|cobrado|facturado|cargado)\b|\b(you|they|it) (renewed|charged|billed) (me|us|my card|anyway)\b|\brenewed (anyway|regardless|even though|after i cancel)/,
    concept: 'CHARGED',
    drop: ['RESET'],
  },
  // "part of my plan", "forma parte del plan": what the plan includes.
  {
    re: /(?<!(unused|remaining|leftover|unspent|rest) )\bpart of (my|our|the) (current )?(plan|subscription|tier|package)\b|\b(forma|entra) parte del? (mi |nuestro )?(plan|suscripcion)\b|\bentra en (mi|el|nuestro) plan\b/,
    concept: 'INCLUDE',
  },
  // "el día de la renovación", "fecha del cobro": the date of the refill.
  {
    re: /\b(dia|fecha) (de|del) (la |el )?(renovacion|recarga|cobro|facturacion|reinicio|reseteo|reset)\b/,
    concept: 'DATE',
  },
  // "cuenta igual que", "counts the same as": how an action is counted.
  {
    re: /\b(cuenta|cuentan|count|counts|counted) (igual|lo mismo|como|doble|distinto|diferente|the same|as|double|differently|more|less|mas|menos)\b/,
    concept: 'HOW_COUNTED',
  },
  // "list of users and credits", "desglose por usuario": usage split by person.
  {
    re: /\b(list|lista|listado|ranking|table|tabla|breakdown|desglose|report|informe|reporte) (of|de|by|por|per) (all |los |todos los |each |cada )?(users?|usuarios?|members?|miembros?|reps?|comerciales|teammates?|team members?|sellers|vendedores)\b/,
    concept: 'PER_USER',
  },
  // "¿estoy a cero?", "are we at zero?": a question about the balance.
  { re: /\b(estoy|estamos|esta|estoy ya|estamos ya) (a|en) (cero|0)\b/, concept: 'LEFT', drop: ['VANISH'] },
  // "the credit total for this week": the amount used over a period, not the balance.
  {
    re: /\b(credits?|creditos?|usage|uso|consumo)? ?total (for|in|during|over|del|de la|de este|de esta|de|en) (this|last|the|past|yesterday|today|este|esta|el|la|ayer|hoy)\b/,
    concept: 'USE',
    drop: ['BALANCE'],
  },
  // "do I have 0 credits?", "¿tengo 0 créditos?": what is left.
  {
    re: /\b(tengo|tenemos|do i have|do we have|i have|we have|ive got|weve got)( only| solo| ya)? (0|zero|cero|no|ningun) (\S+ )?(credits?|creditos?|saldo)\b/,
    concept: 'LEFT',
  },
  // "how many credits do we get (per month)", "¿cuántos créditos nos dan al mes?": what the plan grants.
  {
    re: /\bhow many (\S+ )?(credits|creds|seats|identities) (do|does|will|would) (i|we|you|it|they|the plan|my plan|our plan|each user|each seat) (get|receive|come with)\b(?! (back|refunded))|\bcuantos (\S+ )?creditos (me|nos|le) (dan|da|tocan|corresponden|incluye|incluyen)\b/,
    concept: 'INCLUDE',
  },
  // "when will my credits be available again": the refill, not what is left.
  {
    re: /\b(vuelven|volveran|vuelva|volvera|vuelvan) a estar disponibles?\b|\b(available|usable) again\b|\bwhen (will|do|are|does|is) (my |our |the )?(\S+ )?(credits?|quota|balance) (be |become |get )?available\b/,
    concept: 'RESET',
    drop: ['LEFT'],
  },
  // "check if my extra credits got added": whether a purchase arrived.
  {
    re: /\b(credits?|creditos?|pack|purchase|top up|payment|them|they)( \S+)? (got|have been|has been|were|was|been) (added|applied|credited|loaded|processed)\b|\b(se han|se ha|me han|nos han) (sumado|anadido|agregado|cargado|aplicado|abonado) (los )?creditos\b/,
    concept: 'RECEIVED',
    drop: ['ADD'],
  },
  // "ran by itself", "se ejecutó sola": a run nobody started.
  {
    re: /\b(ran|run|runs|running|triggered|started|fired|executed) (by itself|on its own|by themselves|on their own|automatically)\b|\bauto ran\b|\b(se )?(ejecuto|ejecutaron|ejecuta|ejecutan|lanzo|lanzaron|activo|activaron|disparo|dispararon|puso|pusieron) (en marcha )?(sola|solo|solas|solos|por si sola|por si solo)\b/,
    concept: 'SPIKE',
  },
  // "is my plan monthly or annual?", "¿estoy en el plan anual?": which plan the customer has.
  {
    re: /\b(plan|subscription|suscripcion|billing|facturacion) (es|is) (mensual|anual|monthly|annual|yearly)\b|\b(am i|are we|estoy|estamos) (on |en )?(el |un |a |the )?(plan )?(monthly|annual|yearly|mensual|anual)\b/,
    concept: 'PLAN_WHICH',
  },
  // "anyone on the team", "alguien del equipo": a person of the customer's team, not an agent.
  {
    re: /\b(anyone|someone|somebody|anybody|everyone|nobody) (on|in|from) (my|our) (team|workspace|account)\b|\b(alguien|nadie|alguno) de (mi|nuestro) equipo\b/,
    concept: 'TEAM_MEMBER',
    drop: ['SOMEONE'],
  },
  // "going over their share of credits", "pasarse de su cuota": overspending an allocation.
  {
    re: /\b(go|going|goes|went|gone|are|is) (over|above|beyond|past) (their|his|her|its|the|my|our|your) (share|allowance|allotment|quota|budget|allocation)\b|\b(pasa|pasan|pasado|pasando|se pasa|se pasan|se ha pasado|se han pasado|excede|exceden|superado|supera|superan) (de |la |el )?(su|sus|la|el) (cuota|parte|asignacion|presupuesto)\b/,
    concept: 'USE',
    drop: ['LIMIT', 'QUOTA', 'SHARED'],
  },
  // "their share of credits", "la parte de cada uno": each person's allocation.
  {
    re: /\b(their|his|her|each users|each members|individual) (share|allowance|allotment|quota|budget|allocation)\b|\b(la parte|la cuota|el presupuesto) de cada (uno|usuario|miembro|comercial)\b/,
    concept: 'PER_USER',
    drop: ['SHARED'],
  },
  // "scale up our plan", "ampliar la suscripción": a bigger plan.
  {
    re: /\b(scale|bump|step|size|level) up( (my|our|the))? (plan|subscription|tier|package|account|seats|licenses)\b|\b(scale|bump|level) up\s*(\||$)|\bup (my|our|the) (plan|subscription|tier|package)\b|\b(increase|expand|enlarge|extend|boost|grow) (my|our|the) (plan|subscription|tier|package)\b|\b(ampli|aument|mejor|sub)[a-z]* (el |mi |nuestro |nuestra |la )?(plan|suscripcion|tarifa)\b/,
    concept: 'UPGRADE',
    drop: ['ADD'],
  },
  // "the credits didn't top up / refresh": the refill did not come (not a refused purchase).
  {
    re: /\b(credits?|creds|they|it|quota|balance|allowance)( still)? (didnt|did not|havent|have not|hasnt|has not|werent|were not|wasnt|was not|never|not) (been |get |got )?(top up|topped up|refresh|refreshed|reset|renew|renewed|reload|reloaded|replenish|replenished|refill|refilled)\b/,
    concept: 'RESET',
    drop: ['NEG_REQ', 'BUY'],
  },
  // "until the 30th", "hasta el día 30": a horizon to reach.
  {
    re: /\b(until|till|til|to|through|by) the \d{1,2}(st|nd|rd|th)?\b|\bhasta el (dia )?\d{1,2}\b/,
    concept: 'HORIZON',
    drop: ['DATE'],
  },
  // "keeps re-running", "sigue re-ejecutándose": a run that repeats itself.
  {
    re: /\b(keeps?|kept|keep on|is|are)( re)? ?(re running|rerunning|re enriching|looping|retrying|re triggering|retriggering)\b|\b(se )?(sigue|siguen) (re ?ejecutando|ejecutando|reejecutandose|ejecutandose|repitiendo|repitiendose)\b/,
    concept: 'SPIKE',
  },
  // "ha estado gastando": an ongoing action ("estado" is not a status here).
  { re: /\b(ha|han|he|hemos|has|habia|habian) estado [a-z]+(ando|iendo)\b/, concept: 'STILL', drop: ['STATUS'] },
  // "how many credits since monday", "cuántos créditos llevamos": an amount used so far.
  {
    re: /\b(how many|how much|cuantos|cuanto)( \S+)? (credits|creditos|creds)( \S+)? (since|desde)\b|\bcuantos (creditos )?(llevo|llevamos|lleva|llevan)\b/,
    concept: 'USE',
  },
  // "how can I get credits", "¿cómo consigo créditos?": obtaining credits is buying them.
  {
    re: /\b(how (can|do|could) (i|we)|where (can|do) (i|we)|can (i|we)|could (i|we)) (get|obtain|acquire) (more |extra |additional |some )?(credits|creds)\b(?! (back|refunded|returned|reimbursed|restored|credited))|\b(como|donde) (consigo|obtengo|conseguimos|obtenemos|puedo conseguir|puedo obtener) (mas )?creditos\b/,
    concept: 'BUY',
  },
  // "upgrade to get more credits": the purpose of an upgrade is not a separate purchase.
  {
    re: /\b(upgrade|upgrading|mejorar|subir|subo)( \S+){0,4} (to|para|so i can|so we can|and) (get|have|unlock|receive|obtain|tener|conseguir|obtener)\b/,
    concept: 'UPGRADE',
    drop: ['BUY'],
  },
  // "gone in two days", "en dos días": consumed in a short time.
  {
    re: /\b(in|within|en) (just |only |solo |apenas )?(two|three|a few|a couple of|2|3|dos|tres|unos|pocos|un par de) (days|hours|minutes|dias|horas|minutos)\b/,
    concept: 'SPIKE',
  },
  // "after my top up went through": a purchase that was made.
  {
    re: /\b(my|the|our|a) (top up|topup|purchase|payment|order|recharge|pack purchase)( \S+)? (went through|was processed|has been processed|succeeded|completed|is done|was successful)\b|\b(mi|la|nuestra) (recarga|compra)( \S+)? (se proceso|se completo|fue bien|ha ido bien|salio bien)\b/,
    concept: 'BOUGHT',
    drop: ['BUY', 'RECEIVED', 'STATUS'],
  },
  // "when do I get billed next": the next charge date.
  {
    re: /\bwhen (do|will|would|does|is) (i|we|it|you|my card|the card)( get| be)? (billed|charged|invoiced|renewed)\b|\bcuando (me|nos) (cobran|cobrais|cobrareis|cobraran|facturan|renuevan)\b/,
    concept: 'RESET',
  },
  // "more credits than a work one": comparing what actions cost.
  {
    re: /(?<!(used|spent|burned|burnt|consumed|using|spending|x|times|gastado|consumido|usado|gastamos|\d) )\b(more|fewer|less|mas|menos) (credits|creditos) (than|que)\b/,
    concept: 'PER_UNIT',
  },
  // "since the reset", "desde la renovación": a span of time, not the refill.
  {
    re: /\b(since|desde) (the |el |la |our |my )?(last |ultima |ultimo )?(reset|renewal|refresh|renovacion|reinicio|recarga|start of the (month|cycle)|beginning of the (month|cycle)|inicio del (mes|ciclo))\b/,
    concept: 'TIME',
    drop: ['RESET'],
  },
  // "support phone number", "teléfono de atención al cliente": a contact channel.
  {
    re: /\b(telefono|numero|email|correo|chat|whatsapp|linea)( de telefono)? (de )?(atencion al cliente|soporte|contacto|ayuda|ventas)\b|\b(phone|number|email|chat|whatsapp|line|hotline)( number)? (for|of|to) (support|customer service|sales|your team|billing)\b/,
    concept: 'CALL_ME',
    drop: ['ACTION_MISC'],
  },
  // "how many credits do I have this month": the balance, whatever plan is mentioned as context.
  {
    re: /\bhow many (\S+ )?(credits|creds) (do|have) (i|we) (have|got)( \S+)? (this month|this cycle|right now|now|today|currently|at the moment|left|remaining|available)\b/,
    concept: 'LEFT',
  },
  // "when will the paid credits be added": their arrival.
  {
    re: /\bwhen (will|do|does|are|would|is) (\S+ ){0,3}(be|get|gets) (added|loaded|credited|applied|deposited)\b|\bcuando (se )?(\S+ ){0,3}(anadiran|anaden|cargaran|sumaran|abonaran|acreditaran)\b/,
    concept: 'RESET',
    drop: ['ADD'],
  },
  // "top up just my seat": credits for a seat, not an extra seat.
  {
    re: /\b(top up|topup|recharge|reload|refill|recargar|recarga)( just| only| solo)? (my|our|their|his|her|a|one|each|mi|su|cada)( own)? (seat|user|license|usuario|licencia|asiento)\b/,
    concept: 'CREDIT',
    drop: ['SEAT'],
  },
  // "renewal status", "estado de mi suscripción": which plan and how it stands.
  {
    re: /\b(plan|subscription|renewal|account|billing) status\b|\bestado (de|del) (mi |la |nuestra |nuestro )?(plan|suscripcion|cuenta|renovacion)\b/,
    concept: 'PLAN_WHICH',
    drop: ['STATUS'],
  },
  // "what are export credits?", "¿qué son los créditos B2B?": what a kind of credit is.
  {
    re: /\b(what|que) (are|is|son|es) (the |los |las |el |la |un |una |a )?(?!(?:my|our|your|mi|mis|nuestros|tus)\b)(\S+ )?(credits?|creditos?)( (de|del|para) \S+)?\s*(\||$|and\b|y\b)/,
    concept: 'DEFINE',
  },
  // "when are they used / deducted": the charging rule.
  {
    re: /\bwhen (are|is|do|does) (they|it|credits?|the credits|\S+ credits?) (used|deducted|consumed|charged|spent|counted|debited|taken)\b/,
    concept: 'HOW_COUNTED',
  },
  // "running out of credits, what are my options?": what to do now, i.e. get more.
  {
    re: /\b(running|run|ran|out) (out )?of (\S+ )?(credits|creds)\b.{0,40}\b(options|what can (i|we) do|what do (i|we) do|what now)\b|\b(quedando|quedado|quede|quedamos) sin (\S+ )?creditos\b.{0,40}\b(opciones|que puedo hacer|que podemos hacer|que hago|que hacemos)\b/,
    concept: 'BUY',
  },
  // "how much do the columns cost in credits": a cost in credits, not in money.
  {
    re: /\b(cost|costs|costing|cuesta|cuestan|cobra|cobran|charged?|price|priced)( \S+){0,2} (in|en) (credits|creditos)\b/,
    concept: 'CHARGE',
    drop: ['PRICE', 'PRICE_Q'],
  },
  // "auto top-up at 500 credits remaining": a threshold that triggers a purchase, not the balance.
  {
    re: /\b(at|when|below|under|reaches|hits|falls below|drops below|cuando (me |nos )?queden|al llegar a|por debajo de|bajo)( \S+)? \d+ (credits?|creditos)( remaining| left| restantes)?\b/,
    concept: 'RUNOUT',
    drop: ['LEFT'],
  },
  // "from pro to business": a change between two plans named without the word "plan".
  {
    re: /\b(from|de|del) (the |el )?(starter|basic|essential|essentials|pro|professional|plus|growth|scale|business|enterprise|premium|advanced|standard|elite|ultimate|unlimited|agency|startup|lite|light|free|gratuito|basico|esencial|profesional|avanzado|empresarial)( plan| tier)? (to|into|a|al) (the |el )?(starter|basic|essential|essentials|pro|professional|plus|growth|scale|business|enterprise|premium|advanced|standard|elite|ultimate|unlimited|agency|startup|lite|light|free|gratuito|basico|esencial|profesional|avanzado|empresarial)\b/,
    concept: 'CHANGE',
  },
  // "woke up to 0 credits", "nothing was scheduled", "a table I thought was paused": unexplained consumption.
  {
    re: /\b(woke up|came back|logged in|log in|opened the app) to (0|zero|no|an empty)\b|\bnothing (was|is|were) (scheduled|running|active|live|on)\b|\b(thought|assumed|believed|pensaba|creia)( that)? (it |that |this )?(was|were|estaba|estaban) (paused|off|stopped|disabled|inactive|pausad[oa]s?|parad[oa]s?|apagad[oa]s?|desactivad[oa]s?)\b|\bnada (programado|activo|en marcha)\b/,
    concept: 'SPIKE',
  },
  // "hasta cuándo puedo usar los créditos", "until when are they valid": how long credits stay valid.
  {
    re: /\bhasta cuando (\S+ ){0,3}(usar|utilizar|gastar|valen|son validos|sirven|duran)\b|\buntil when (\S+ ){0,3}(use|valid|good)\b|\bhow long (can|do) (i|we) (have to )?(use|spend|keep)\b/,
    concept: 'EXPIRE',
  },
  // "what share of our credits goes to AI": a portion of the usage, not sharing.
  {
    re: /\b(share|portion|percentage|percent|proportion|fraction) of (our|my|the|all) (credits|creds|usage|spend|consumption)\b/,
    concept: 'USE',
    drop: ['SHARED'],
  },
  // "me sigue saliendo 0", "still shows 0": the balance has not changed yet.
  {
    re: /\b(sigue|siguen) (saliendo|apareciendo|mostrando|marcando|poniendo) (\S+ )?(0|cero|el mismo|lo mismo|igual)\b|\bstill (shows|showing|says|saying|reads|at) (0|zero|the same)\b/,
    concept: 'NOT_RECEIVED',
  },
  // "he pagado la recarga", "I paid for the pack": a purchase already made.
  {
    re: /\b(he|hemos|ya|ayer|hoy) (pagado|hecho|realizado|comprado|pague|hice) (la|una|el|un) (recarga|compra|pack|paquete|bono)\b|\b(i|we) (paid for|bought|purchased) (the|a|my|our) (top up|pack|package|bundle|credits)\b/,
    concept: 'BOUGHT',
    drop: ['BUY'],
  },
  // "¿consume créditos ver un perfil?": whether an action costs credits (verb first).
  {
    re: /\b(consume|consumen|gasta|gastan|cuesta|cuestan|cobra|cobran|descuenta|descuentan|usa|usan|resta|restan) (creditos|un credito|algun credito) (el |al |por )?(ver|abrir|exportar|buscar|revelar|visitar|guardar|descargar|enviar|verificar|importar|sincronizar|consultar)\b/,
    concept: 'ACTION_MISC',
  },
  // "are exports unlimited on my plan?": what the plan includes.
  {
    re: /\b(are|is|son|es|estan|esta)( \S+){1,3} (unlimited|ilimitad[oa]s?)\b/,
    concept: 'INCLUDE',
  },
  // "the dashboard only shows 200": the balance has not caught up.
  {
    re: /\b(only|just) (shows|showing|displays|says|has) (me )?\d+\b|\bsolo (me )?(muestra|salen|sale|aparecen|aparece|pone|marca) \d+\b/,
    concept: 'NOT_RECEIVED',
  },
  // "se van sin usar la herramienta", "without using the app": consumption with no activity.
  {
    re: /\bsin (usar|tocar|abrir|utilizar|entrar en) (la herramienta|la plataforma|la app|la aplicacion|la cuenta|el producto|la extension)\b|\bwithout (me |us |anyone )?(using|touching|opening|logging into) (the tool|the app|the platform|the product|the extension|it)\b/,
    concept: 'SPIKE',
    drop: ['UNUSED'],
  },
  // "phone credits", "créditos de exportación": a kind of credit (what is left, bought or included), not the
  // action that spends it.
  {
    re: /\b((phone|phones|mobile|export|exports|email|emails|verification|finder|email finder|api|telefono|movil|exportacion|verificacion|correo) ){1,2}(credits|creds)\b|\bcreditos (de|para) (exportacion|exportaciones|email|emails|email finder|movil|moviles|telefono|telefonos|verificacion|api|correo|correos)\b/,
    concept: 'CREDIT',
    drop: ['ACTION_MISC'],
  },
  // "do I get phone credits with my plan": what the plan includes.
  {
    re: /\b(do|does|will|would) (i|we|you|it) get\b.{0,30}\b(with|on|in) (my|our|the|this) (current |\S+ )?(plan|subscription|tier)\b/,
    concept: 'INCLUDE',
  },
  // "what costs the most credits": which action consumes most.
  {
    re: /\b(what|which|que|cual)( \S+)? (costs?|cuesta|consumes?|uses|gasta|eats)( the)? (most|more|mas)\b/,
    concept: 'BY_TYPE',
    drop: ['PRICE'],
  },
  // Recharging by hand is a purchase ("cómo se recargan créditos manualmente").
  {
    re: /\b(recarg|recharg|top up|reload|refill)\S*( \S+){0,3} (manual|manually|manualmente|a mano|yo mismo|myself|by hand)\b/,
    concept: 'BUY',
    drop: ['RESET'],
  },
  // Where did my credits go (a vanish complaint), as opposed to "where are my credits going" (breakdown).
  {
    re: /\bwhere (did|have|has) .{0,30}\b(go|gone|went)\b|\bdonde (se )?(han ido|fueron|estan) mis creditos\b/,
    concept: 'VANISH',
  },
];

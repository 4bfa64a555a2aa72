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
    const entry = lexicalEntry(word) ?? (host === undefined ? undefined : lexicalEntry(host));
    if (entry) {
      for (const c of entry.concepts) occurrences.push({ concept: c, pos: i });
      vote(entry.lang);
    } else {
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
    re: /\b(contract|subscription|plan|suscripcion|contrato|membership|membresia|licencia|license)( \S+){0,2} (vence|vencen|venza|expira|expiran|caduca|caducan|expire|expires|expiring|expired|lapse|lapses|vencimiento)\b/,
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
    re: /\bcuando (me |nos |se )?(llegan|llega|llegaran|llegara|entran|entraran|cargan|cargaran|dan|daran)\b/,
    concept: 'RESET',
    drop: ['ENOUGH'],
  },
  // "one credit" is the unit cost of something ("is a company scrape 1 credit or more?").
  { re: /\b(1|one|un|uno|single) (credit|credito)\b/, concept: 'PER_UNIT' },
  // Switching off the automatic renewal is cancelling the plan.
  {
    re: /\b(turn off|turning off|switch off|disable|disabling|stop|cancel|desactivar|desactiva|desactivo|quitar|quita|quito|anular|cancelar)( the| my| our| el| la| mi)? (auto renewal|auto renew|autorenewal|automatic renewal|renewal|renovacion automatica|renovacion|autorenovacion)\b/,
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
    re: /\b(pay|pagar|pago|paying|pagamos)( for| por)( the| los| some| unos)?( more| extra| additional| mas| adicionales)? (credits?|creditos?)\b/,
    concept: 'BUY',
  },
  // "use them next one?", "¿los puedo usar el próximo?": the next cycle, at the end of a clause.
  { re: /\b(el|al|para el|en el) (proximo|siguiente)( mes| ciclo| periodo)?\s*(\||$)/, concept: 'CYCLE_END' },
  // "are my credits (still) valid": their validity.
  {
    re: /\b(credits?|creditos?|balance|saldo|they|them|ellos)( still| stay| remain| todavia| aun| seguiran| siguen)? (valid|validos|vigentes)\b/,
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
    re: /\b(is|are|isnt|arent)( (a|an|the|each|every|one|email|emails|phone|phones|mobile|export|exports|verification|verifications|lookup|lookups|search|searches|enrichment|scraping|it|this|that)){1,3} (charged|billed)\b/,
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
  // "do I get phone credits with my plan": what the plan includes.
  {
    re: /\b(do|does|will|would) (i|we|you|it) get\b.{0,30}\b(with|on|in) (my|our|the|this) (current )?(plan|subscription|tier)\b/,
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

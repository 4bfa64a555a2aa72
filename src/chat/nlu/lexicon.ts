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
 *    USE becomes UNUSED ("credits I didn't use", "si no gasto"), and a request verb becomes NEG_REQ
 *    ("I don't want to upgrade", "sin cambiar de plan"), so a refused action never counts as the request.
 * 4. Regular patterns over the canonical text add structural concepts (prompt injection, "per row",
 *    "how much is", "10 days to go", "will my credits last"...).
 */
import type { Concept, LexiconSpec } from './concepts.ts';
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

/** A word the engine knows (so it is never typo-corrected). */
export function isKnownWord(word: string): boolean {
  if (isListedWord(word)) return true;
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

function addTarget(word: string): void {
  if (word.length < 4 || /[^a-z]/.test(word)) return;
  const bucket = TARGETS[word.length] ?? [];
  TARGETS[word.length] = bucket;
  if (!bucket.includes(word)) bucket.push(word);
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
  const cached = correctionCache.get(word);
  if (cached !== undefined) return cached;
  const max = maxEditsFor(word.length);
  let best = word;
  let bestDistance = max + 1;
  for (let delta = 0; delta <= max && bestDistance > 0; delta++) {
    for (const len of delta === 0 ? [word.length] : [word.length - delta, word.length + delta]) {
      const bucket = TARGETS[len];
      if (!bucket) continue;
      const limit = Math.min(max, maxEditsFor(len), bestDistance - 1);
      if (limit < delta) continue;
      for (const target of bucket) {
        if ((len === 4 || word.length === 4) && target[0] !== word[0]) continue;
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
    const entry = WORDS.get(word) ?? stemLookup(word) ?? STEM_FORMS.get(word) ?? inflectedEntry(word);
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
  for (const { re, concept } of PATTERNS) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) {
      let pos = 0;
      while (pos + 1 < starts.length && starts[pos + 1]! <= m.index) pos++;
      occurrences.push({ concept, pos });
    }
  }

  return { canon, text, occurrences, concepts: new Set(occurrences.map((o) => o.concept)), enVotes, esVotes };
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
      else if (NEGATABLE_REQUEST.has(o.concept)) o.concept = 'NEG_REQ';
    }
  }
}

/** Structural cues over the canonical text (precompiled; one exec each per message). */
const PATTERNS: { re: RegExp; concept: Concept }[] = [
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
    re: /\b(contract|subscription|plan|suscripcion|contrato)\b.{0,20}\b(end|ends|ending|finish|finishes|termina|acaba|finaliza)\b/,
    concept: 'RESET',
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
    re: /\b(something|somethings|algo) (is |has |just |esta |ha |se esta |se ha )?(burn|burned|burning|ate|eating|eaten|drain|drained|draining|using|used|spending|spent|consuming|consumed|gastando|consumiendo|comiendo|gastado|consumido|comido)\b/,
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
  // A reference to an existing request ("my upgrade request", "la solicitud"): a follow-up, not a new request.
  {
    re: /\b(my|the|our|that|this|mi|la|nuestra|esa|esta|el|mis|las) (\S+ ){0,3}(request|requests|solicitud|solicitudes|peticion|peticiones|pedido|order)\b/,
    concept: 'REQUEST_REF',
  },
  // "cuándo vuelvo a tener los créditos": the refill.
  { re: /\b(vuelvo|volvemos|vuelven|volvere|volveremos) a (tener|recibir|cargar|dar)\b/, concept: 'RESET' },
  // "new monthly credits", "créditos nuevos": the refill.
  { re: /\b(new|fresh|nuevos) (\S+ )?(credits|creditos)\b|\bcreditos (nuevos|frescos)\b/, concept: 'RESET' },
  // Where did my credits go (a vanish complaint), as opposed to "where are my credits going" (breakdown).
  {
    re: /\bwhere (did|have|has) .{0,30}\b(go|gone|went)\b|\bdonde (se )?(han ido|fueron|estan) mis creditos\b/,
    concept: 'VANISH',
  },
];

/**
 * Named entities: team members, identities, campaigns and plans from the account's dictionary, matched
 * fuzzily (same tolerance as the lexicon; a first name alone is enough for a person), plus a dictionary-free
 * hint that a person is named ("how many credits did juan use").
 *
 * Principles:
 * - An entity name is split into key words; generic words ("LinkedIn", "campaign", "plan") are not keys
 *   unless nothing else is left.
 * - A person (user or identity) matches on any part of the name (the first name alone is enough; more parts
 *   and the first name rank higher); a campaign on all key words
 *   (or most of them when it has three or more); a plan on all key words.
 * - A key word that is also an ordinary word ("Will", "Team", "Growth") only matches when the customer wrote
 *   it capitalised mid-sentence, or (plans) right next to the word "plan".
 * - Tokens claimed by an entity carry no lexical meaning afterwards (a campaign called "Sales Push" does not
 *   mean "talk to sales").
 */
import { fuzzyEquals } from './fuzzy.ts';
import { type Analysis, isKnownWord, isVocabulary } from './lexicon.ts';
import { type Normalized, normalize } from './normalize.ts';
import type { EntityDictionary, NamedEntity } from './types.ts';
import { FIRST_NAMES } from './words.ts';

type Category = 'users' | 'identities' | 'campaigns' | 'plans';

interface Prepared {
  entity: NamedEntity;
  keys: string[];
}

type PreparedDictionary = Record<Category, Prepared[]>;

export interface EntityHit {
  entity: NamedEntity;
  /** Token indices of the message that matched. */
  positions: number[];
}

export type EntityMatches = Partial<Record<Category, EntityHit>>;

const GENERIC_NAME_WORDS = new Set([
  'linkedin',
  'campaign',
  'campaigns',
  'campana',
  'identity',
  'identidad',
  'account',
  'cuenta',
  'the',
  'el',
  'la',
  'los',
  'las',
  'de',
  'del',
  'of',
  'and',
  'y',
  'plan',
  'tier',
  'email',
  'mail',
  'inbox',
]);

const PLAN_WORDS = new Set(['plan', 'tier', 'subscription', 'suscripcion', 'tarifa']);

const prepared = new WeakMap<EntityDictionary, PreparedDictionary>();

function keysOf(name: string): string[] {
  const words = normalize(name)
    .tokens.filter((t) => t.kind === 'word' || t.kind === 'num')
    .map((t) => t.text);
  const keys = words.filter((w) => !GENERIC_NAME_WORDS.has(w));
  return keys.length > 0 ? keys : words;
}

function prepare(dict: EntityDictionary): PreparedDictionary {
  let p = prepared.get(dict);
  if (!p) {
    const build = (list: NamedEntity[] | undefined): Prepared[] =>
      (list ?? []).map((entity) => ({ entity, keys: keysOf(entity.name) })).filter((e) => e.keys.length > 0);
    p = {
      users: build(dict.users),
      identities: build(dict.identities),
      campaigns: build(dict.campaigns),
      plans: build(dict.plans),
    };
    prepared.set(dict, p);
  }
  return p;
}

function isCapitalised(norm: Normalized, i: number): boolean {
  const tok = norm.tokens[i]!;
  const first = norm.raw.charAt(tok.start);
  return first !== first.toLowerCase();
}

interface KeyMatch {
  /** 2 exact (or possessive), 1 fuzzy. */
  quality: 1 | 2;
  /** An ordinary word matched without anything marking it as a name. */
  weak: boolean;
}

function tokenMatches(norm: Normalized, i: number, key: string, category: Category): KeyMatch | undefined {
  const tok = norm.tokens[i]!;
  if (tok.kind !== 'word' && tok.kind !== 'num') return undefined;
  const text = tok.text;
  let quality: 1 | 2;
  if (text === key || (key.length >= 3 && text === `${key}s`)) quality = 2;
  else if (key.length >= 4 && !isVocabulary(text) && fuzzyEquals(text, key)) quality = 1;
  else return undefined;
  let weak = false;
  if (isVocabulary(key)) {
    const prev = norm.tokens[i - 1];
    const midSentenceCapital = isCapitalised(norm, i) && i > 0 && prev?.kind !== 'sep';
    const planContext =
      category === 'plans' &&
      ([norm.tokens[i - 1], norm.tokens[i + 1]].some((t) => t !== undefined && PLAN_WORDS.has(t.text)) ||
        direction(norm, i) > 0);
    weak = !midSentenceCapital && !planContext;
  }
  return { quality, weak };
}

function bestMatch(norm: Normalized, list: Prepared[], category: Category): EntityHit | undefined {
  let best: EntityHit | undefined;
  let bestStrength = 0;
  for (const { entity, keys } of list) {
    const positions: number[] = [];
    let matched = 0;
    let exact = 0;
    let strong = 0;
    let firstMatched = false;
    keys.forEach((key, k) => {
      for (let i = 0; i < norm.tokens.length; i++) {
        const m = tokenMatches(norm, i, key, category);
        if (!m) continue;
        matched++;
        if (m.quality === 2) exact++;
        if (!m.weak) strong++;
        if (k === 0) firstMatched = true;
        positions.push(i);
        break;
      }
    });
    // Ordinary words alone ("will", "black friday" needs "black") never make a name.
    if (matched === 0 || strong === 0) continue;
    const all = matched === keys.length;
    let accepted: boolean;
    // A person: any part of the name (first name, or a surname) is enough; more parts and the first name rank higher.
    if (category === 'users' || category === 'identities') accepted = true;
    else if (category === 'campaigns') accepted = all || (matched >= 2 && matched / keys.length >= 0.6);
    else accepted = all;
    if (!accepted) continue;
    let strength = matched * 10 + exact + (firstMatched ? 2 : 0);
    if (category === 'plans') strength += direction(norm, positions[0]!);
    if (strength > bestStrength) {
      bestStrength = strength;
      best = { entity, positions };
    }
  }
  return best;
}

const TOWARD = new Set(['to', 'a', 'al', 'into', 'onto', 'hacia']);
const AWAY = new Set(['from', 'desde']);

/** A plan after "to"/"a" is the target (+5); after "from"/"desde" it is the current plan (-5). */
function direction(norm: Normalized, i: number): number {
  const before = [norm.tokens[i - 1]?.text ?? '', norm.tokens[i - 2]?.text ?? ''];
  if (before.some((w) => TOWARD.has(w))) return 5;
  if (before.some((w) => AWAY.has(w))) return -5;
  return 0;
}

/** Best match per category (ties: the entity listed first). */
export function matchEntities(norm: Normalized, dict: EntityDictionary | undefined): EntityMatches {
  if (!dict) return {};
  const p = prepare(dict);
  const out: EntityMatches = {};
  for (const category of ['users', 'identities', 'campaigns', 'plans'] as const) {
    const hit = bestMatch(norm, p[category], category);
    if (hit) out[category] = hit;
  }
  return out;
}

const AUXILIARIES = new Set(['did', 'has', 'have', 'had', 'does', 'ha', 'han', 'habia', 'hizo']);

/**
 * Does the text name a person outside the dictionary (tokens already claimed by an entity are skipped)? A common
 * first name anywhere, or an unknown word in a usage frame ("did X use", "X ha gastado", "ha gastado X", "X's usage").
 */
export function mentionsPerson(
  norm: Normalized,
  analysis: Analysis,
  reserved: ReadonlySet<number> = new Set(),
): boolean {
  const { canon } = analysis;
  const usePositions = new Set(analysis.occurrences.filter((o) => o.concept === 'USE').map((o) => o.pos));
  for (let i = 0; i < canon.length; i++) {
    const tok = norm.tokens[i];
    if (tok?.kind !== 'word' || reserved.has(i)) continue;
    const w = tok.text;
    if (FIRST_NAMES.has(w) || (w.endsWith('s') && FIRST_NAMES.has(w.slice(0, -1)))) return true;
    if (w.length < 3 || canon[i] !== w || isKnownWord(w)) continue;
    if (AUXILIARIES.has(canon[i - 1] ?? '') && usePositions.has(i + 1)) return true;
    if (AUXILIARIES.has(canon[i + 1] ?? '') && usePositions.has(i + 2)) return true;
    if (usePositions.has(i - 1) && AUXILIARIES.has(canon[i - 2] ?? '')) return true;
  }
  return false;
}

export interface Mention {
  category: Category;
  entity: NamedEntity;
  /** Token indices of the message that matched, the first one first. */
  positions: number[];
}

/**
 * Every entity the message names, in order of appearance (for comparisons: "Diego vs Dieter", "Outbound email or
 * Partners email"). Within a category, a token belongs to the strongest entity that claims it. Besides the rules
 * of `matchEntities`, a campaign is also named by one of its key words alone when that word is distinctive: not an
 * ordinary word, at least five letters, and in no other campaign's name ("la campaña de proptech").
 */
export function findMentions(norm: Normalized, dict: EntityDictionary | undefined): Mention[] {
  if (!dict) return [];
  const p = prepare(dict);
  const out: Mention[] = [];
  for (const category of ['users', 'identities', 'campaigns', 'plans'] as const) {
    const list = p[category];
    const candidates: Array<Mention & { strength: number }> = [];
    for (const { entity, keys } of list) {
      const positions: number[] = [];
      let exact = 0;
      let strong = 0;
      let firstMatched = false;
      keys.forEach((key, k) => {
        for (let i = 0; i < norm.tokens.length; i++) {
          const m = tokenMatches(norm, i, key, category);
          if (!m) continue;
          if (m.quality === 2) exact++;
          if (!m.weak) strong++;
          if (k === 0) firstMatched = true;
          positions.push(i);
          break;
        }
      });
      const matched = positions.length;
      if (matched === 0 || strong === 0) continue;
      const all = matched === keys.length;
      let accepted: boolean;
      if (category === 'users' || category === 'identities') accepted = true;
      else if (category === 'campaigns') {
        const distinctive =
          matched === 1 &&
          exact === 1 &&
          (() => {
            const key = keys.find((k) => norm.tokens[positions[0]!]?.text.startsWith(k)) ?? '';
            return (
              key.length >= 5 &&
              !isVocabulary(key) &&
              !list.some((o) => o.entity.id !== entity.id && o.keys.some((ok) => ok === key))
            );
          })();
        accepted = all || (matched >= 2 && matched / keys.length >= 0.6) || distinctive;
      } else accepted = all;
      if (!accepted) continue;
      positions.sort((a, b) => a - b);
      candidates.push({ category, entity, positions, strength: matched * 10 + exact + (firstMatched ? 2 : 0) });
    }
    // A token claimed by two entities of the category goes to the stronger one (listed first on ties).
    candidates.sort((a, b) => b.strength - a.strength);
    const taken = new Set<number>();
    for (const c of candidates) {
      if (c.positions.some((x) => taken.has(x))) continue;
      for (const x of c.positions) taken.add(x);
      out.push({ category: c.category, entity: c.entity, positions: c.positions });
    }
  }
  return out.sort((a, b) => a.positions[0]! - b.positions[0]!);
}

/**
 * Deterministic natural-language understanding for the credit support bot (English and Spanish; no LLM, no
 * I/O). Pipeline:
 *
 *   normalize (fold, tokenise, numbers)        normalize.ts
 *   → entity names from the account's dictionary  entities.ts
 *   → concepts (lexicon, typo correction, negation, structural patterns)  lexicon.ts, lexicon-en/es.ts
 *   → slots (period, amount, action type, plan)  slots.ts
 *   → weighted intent cues                      intents.ts
 *
 * All tables are compiled at module load; a call allocates only per-message arrays.
 */
import { type Parsed, readFrame } from './compound.ts';
import type { Concept } from './concepts.ts';
import { type EntityMatches, matchEntities, mentionsPerson } from './entities.ts';
import { scoreIntents } from './intents.ts';
import { languageFromVotes } from './language.ts';
import { type Analysis, analyze } from './lexicon.ts';
import { type Normalized, normalize } from './normalize.ts';
import { signalsOf } from './signals.ts';
import { extractActionType, extractAmount, extractGenericPlan, extractPeriod } from './slots.ts';
import type { EntityDictionary, Intent, Lang, NluResult, Slots } from './types.ts';
import { PLAN_TIERS } from './words.ts';

export { detectLanguage } from './language.ts';
export type {
  ActionTypeSlot,
  EntityDictionary,
  Frame,
  GroupBy,
  Intent,
  Lang,
  Metric,
  NamedEntity,
  NluContext,
  NluResult,
  PeriodSlot,
  PlanField,
  RankBy,
  Selector,
  Signals,
  Slots,
} from './types.ts';
export { parseYesNo } from './yesno.ts';

/** Below this total cue weight nothing was really understood: the message is out of scope. */
const MIN_SCORE = 1.1;
/** Confidence reported when no cue fired at all. */
const NO_CUE_CONFIDENCE = 0.2;
const MAX_ALTERNATIVES = 3;

/**
 * The period only matters where the answer is a quantity over time; elsewhere "this month" is context
 * ("I need more credits this month" is a purchase, not a report).
 */
const PERIOD_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'balance',
  'usage_by_type',
  'usage_by_user',
  'usage_by_period',
  'usage_spike',
  'conversations_by_identity',
  'conversations_limit',
  'forecast_runout',
]);
const CURRENT_PERIODS: ReadonlySet<string> = new Set(['today', 'this_week', 'this_month', 'this_year']);
const PLAN_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['change_plan', 'price', 'plan_details']);

const ACTION_CONCEPTS: readonly Concept[] = ['SCRAPE', 'ENRICH', 'AI', 'WORKFLOW', 'ACTION_MISC'];
const IDENTITY_CONTEXT: readonly Concept[] = ['IDENTITY', 'CONVERSATION', 'MESSAGE', 'SEND', 'LIMIT', 'CAMPAIGN'];

/**
 * The lexical reading of a message (normalised tokens, concepts, language votes), without the account's names.
 * A caller that needs the language before it understands the message (the engine does, to answer in it) reads
 * once and passes the reading to `understand`, which then does not read the text again.
 */
export interface Reading {
  readonly text: string;
  readonly norm: Normalized;
  readonly analysis: Analysis;
}

export function readText(text: string): Reading {
  const norm = normalize(text);
  return { text, norm, analysis: analyze(norm.tokens, new Set()) };
}

/** The language of a reading: the votes of its words, else the hint, else English (see language.ts). */
export function languageOf(r: Reading, hint?: Lang): Lang {
  return languageFromVotes(r.analysis.enVotes, r.analysis.esVotes, r.norm.spanishMarks, hint);
}

export function understand(
  text: string,
  ctx?: { entities?: EntityDictionary; langHint?: Lang; reading?: Reading },
): NluResult {
  const parsed = analyse(text, ctx);
  const frame = readFrame(parsed, ctx?.entities, (from, to) => analyseClause(parsed, from, to, ctx?.entities));
  return frame ? { ...parsed.result, frame } : parsed.result;
}

function analyse(text: string, ctx?: { entities?: EntityDictionary; langHint?: Lang; reading?: Reading }): Parsed {
  const reading = ctx?.reading?.text === text ? ctx.reading : undefined;
  const norm = reading?.norm ?? normalize(text);
  const hits: EntityMatches = matchEntities(norm, ctx?.entities);
  const reserved = new Set<number>();
  for (const hit of Object.values(hits)) for (const p of hit.positions) reserved.add(p);
  // Words that are names are not read as words: the reading without names serves when the message has none.
  const analysis = reading && reserved.size === 0 ? reading.analysis : analyze(norm.tokens, reserved);
  const lang = languageFromVotes(analysis.enVotes, analysis.esVotes, norm.spanishMarks, ctx?.langHint);
  return interpret(norm, hits, reserved, analysis, lang);
}

/**
 * Tokens [from, to) of an analysed message read as a message of their own (a clause of a compound question):
 * the names in them matched alone, their words' concepts taken from the message's analysis, the message's
 * language. Costs no second lexical analysis.
 */
function analyseClause(whole: Parsed, from: number, to: number, entities?: EntityDictionary): Parsed {
  const norm: Normalized = { ...whole.norm, tokens: whole.norm.tokens.slice(from, to) };
  const hits: EntityMatches = matchEntities(norm, entities);
  const reserved = new Set<number>();
  for (const hit of Object.values(hits)) for (const p of hit.positions) reserved.add(p);
  const canon = whole.analysis.canon.slice(from, to).map((w, i) => (reserved.has(i) ? '_' : w));
  const occurrences = whole.analysis.occurrences
    .filter((o) => o.pos >= from && o.pos < to && !reserved.has(o.pos - from))
    .map((o) => ({ concept: o.concept, pos: o.pos - from }));
  const analysis: Analysis = {
    canon,
    text: canon.join(' '),
    occurrences,
    concepts: new Set(occurrences.map((o) => o.concept)),
    enVotes: whole.analysis.enVotes,
    esVotes: whole.analysis.esVotes,
  };
  return interpret(norm, hits, reserved, analysis, whole.result.lang);
}

/** Concepts, slots and the intent of an analysed message. */
function interpret(
  norm: Normalized,
  hits: EntityMatches,
  reserved: ReadonlySet<number>,
  analysis: Analysis,
  lang: Lang,
): Parsed {
  const concepts = new Set<Concept>(analysis.concepts);

  // A name shared by a team member and an identity: the identity when the message is about conversations.
  if (hits.users && hits.identities && hits.users.positions.some((p) => hits.identities?.positions.includes(p))) {
    if (IDENTITY_CONTEXT.some((c) => concepts.has(c))) delete hits.users;
    else delete hits.identities;
  }

  // --- slots
  const periodMatch = extractPeriod(analysis.text);
  const excluded = new Set<number>();
  if (periodMatch) {
    let offset = 0;
    analysis.canon.forEach((w, i) => {
      if (offset >= periodMatch.start && offset < periodMatch.end) excluded.add(i);
      offset += w.length + 1;
    });
  }
  const amount = extractAmount(norm, analysis, excluded);
  const actionType = extractActionType(analysis);
  const genericPlan = extractGenericPlan(norm, analysis);

  // --- derived concepts
  if (periodMatch) concepts.add('PERIOD');
  if (amount !== undefined) concepts.add('AMOUNT');
  if (ACTION_CONCEPTS.some((c) => concepts.has(c))) concepts.add('ACTION');
  if (actionType) concepts.add('TYPED_ACTION');
  // A person outside the dictionary ("how much has pedro spent") is still a person; so is a named identity's
  // owner when the message is about credits, not conversations ("cuánto consumió ana").
  const identityAsPerson =
    hits.identities !== undefined &&
    !hits.users &&
    !IDENTITY_CONTEXT.some((c) => concepts.has(c)) &&
    concepts.has('USE');
  if (hits.users || identityAsPerson || mentionsPerson(norm, analysis, reserved)) concepts.add('NAMED_USER');
  if (hits.identities) concepts.add('NAMED_IDENTITY');
  if (hits.campaigns) concepts.add('NAMED_CAMPAIGN');
  if (hits.plans) concepts.add('NAMED_PLAN');
  if (genericPlan?.kind === 'tier') concepts.add('TIER');
  // Two plan names ("starter vs growth") are about plans even without the word "plan".
  if (norm.tokens.filter((t) => t.kind === 'word' && PLAN_TIERS.has(t.text)).length >= 2) concepts.add('TIER');
  if (norm.tokens.filter((t) => t.kind === 'word').length <= 4) concepts.add('SHORT');

  // --- intent
  const ranked = scoreIntents(concepts, analysis.occurrences);
  const top = ranked[0];
  let intent: Intent;
  let confidence: number;
  let rest = ranked;
  if (!top || top.score < MIN_SCORE) {
    intent = 'other_out_of_scope';
    confidence = top ? round2(NO_CUE_CONFIDENCE + 0.1 * top.score) : NO_CUE_CONFIDENCE;
  } else {
    intent = top.intent;
    const second = ranked[1]?.score ?? 0;
    const strength = 1 - Math.exp(-top.score / 3);
    const margin = (top.score - second) / top.score;
    confidence = round2(strength * (0.5 + 0.5 * margin));
    rest = ranked.slice(1);
  }
  const total = ranked.reduce((sum, r) => sum + r.score, 0) || 1;
  const alternatives = rest
    .filter((r) => r.intent !== intent)
    .slice(0, MAX_ALTERNATIVES)
    .map((r) => ({ intent: r.intent, score: round2(r.score / total) }));

  // --- slots for this intent
  const slots: Slots = {};
  const signals = signalsOf(norm.folded, norm.raw);
  const noSlots = intent === 'other_out_of_scope' || intent === 'greeting' || intent === 'thanks';
  const named = Object.keys(hits).length > 0 || concepts.has('CAMPAIGN');
  const parsed = (result: NluResult): Parsed => ({ result, named, norm, analysis, concepts });
  if (noSlots) return parsed({ intent, confidence, lang, slots, alternatives, signals });
  // A balance is a current quantity and a forecast looks ahead: a past period in such a message dates an event
  // ("bought yesterday") or is the basis of the estimate ("based on last month"), not the period asked about.
  const pastForPresent =
    (intent === 'balance' || intent === 'forecast_runout') &&
    periodMatch !== undefined &&
    !CURRENT_PERIODS.has(periodMatch.period.kind);
  if (periodMatch && PERIOD_INTENTS.has(intent) && !pastForPresent) slots.period = periodMatch.period;
  if (actionType) slots.actionType = actionType;
  if (amount !== undefined) slots.amount = amount;
  if (PLAN_INTENTS.has(intent)) {
    if (hits.plans) slots.targetPlan = { id: hits.plans.entity.id, name: hits.plans.entity.name };
    else if (genericPlan && (intent === 'change_plan' || genericPlan.attached))
      slots.targetPlan = { name: genericPlan.name };
  }
  if (hits.users) slots.user = hits.users.entity;
  if (hits.identities) slots.identity = hits.identities.entity;
  if (hits.campaigns) slots.campaign = hits.campaigns.entity;

  return parsed({ intent, confidence, lang, slots, alternatives, signals });
}

function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}

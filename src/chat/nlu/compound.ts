/**
 * Compound questions: a frame (operator, operands, metric, grouping) read on top of the single-question
 * understanding, deterministically and in both languages. Pure, no I/O.
 *
 * 1. Operands. Every period (slots.ts), action type (the lexicon's occurrences; a scraping takes the company or
 *    contact word nearest to it) and name of the account's dictionary (entities.ts: users, identities, campaigns,
 *    plans) the message mentions, in order. A person's name that is also an identity ("Hannah's LinkedIn") is the
 *    identity when the message is about conversations or the name stands next to LinkedIn/email/inbox, else the
 *    user. The metric is conversations when the message speaks of conversations or only of identities and
 *    campaigns, credits otherwise.
 * 2. Several asks. The message is cut at clause boundaries (punctuation, "and", "y", "also", "además"...). A
 *    piece is an ask of its own when it is understood as an information intent and carries a question word with
 *    a topic, or an ask-noun ("saldo", "usage", "conversations"); pieces that are not (an operand list, "and by how
 *    much") join the ask before them. Two or more different asks make a `multi`, each part read as below; a part
 *    without a period takes the one of the part before it, and "her LinkedIn" is the identity of the person named
 *    before. A purchase, plan change or escalation in the message leaves it to the single-question flow.
 * 3. Operators, in this order: two or more operands of one kind (or paired kinds: "enrichment last week and
 *    workflows this week") compare; a named catalog plan describes that plan (with the difference from the current
 *    one when asked); plan advice; an export; a ranking (top/most/least/bottom + a dimension word; n from "top 3"
 *    or "the two users"); a share (percent words; of the plan, of an identity's conversation limit, or of the
 *    period's total); an average per day; a time series (chart words, "day by day").
 *
 * No frame: the single-question reading stands (the labelled single-question sets are untouched by this file).
 */
import type { Concept } from './concepts.ts';
import { findMentions, type Mention } from './entities.ts';
import type { Analysis } from './lexicon.ts';
import { type Normalized, NUMBER_WORDS } from './normalize.ts';
import { extractPeriods, PERIOD_WORDS } from './slots.ts';
import type {
  ActionTypeSlot,
  EntityDictionary,
  Frame,
  GroupBy,
  Intent,
  Metric,
  NamedEntity,
  NluResult,
  PeriodSlot,
  PlanField,
  RankBy,
  Selector,
} from './types.ts';

/** One message (or one clause of it) understood as a single question, with what the frame reader needs. */
export interface Parsed {
  result: NluResult;
  /** the account's dictionary named something (or a campaign was spoken of): worth looking for every mention */
  named: boolean;
  norm: Normalized;
  analysis: Analysis;
  /** the concepts of the message, derived ones (PERIOD, NAMED_USER...) included */
  concepts: ReadonlySet<Concept>;
}

const words = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

/** Intents whose question is about figures of usage: the ones a comparison or a ranking can stand in for. */
const USAGE_FAMILY: ReadonlySet<Intent> = new Set<Intent>([
  'usage_by_type',
  'usage_by_user',
  'usage_by_period',
  'usage_spike',
  'conversations_by_identity',
  'conversations_limit',
  'balance',
  'other_out_of_scope',
]);
/** Intents that answer with information, so they can be one of several asks. */
const INFO_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  ...[...USAGE_FAMILY].filter((i) => i !== 'other_out_of_scope'),
  'plan_details',
  'price',
  'renewal_date',
  'rollover_policy',
  'forecast_runout',
  'request_status',
]);
/** Single readings of a question about a named plan's terms. */
const PLAN_QUESTION_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'price',
  'plan_details',
  'other_out_of_scope',
  'change_plan',
]);
/** Intents that start a flow or a hand-over: a message holding one is left to the single-question path. */
const FLOW_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'buy_credits',
  'change_plan',
  'cancel_request',
  'talk_to_human',
  'refund_or_dispute',
]);

const COMPARE_WORDS = words(`vs versus compare compared comparing comparison comparative against contra frente
  compara comparar comparame comparando comparado comparada comparacion comparativa diferencia diferencias
  difference differences differ differs gap beat beats than or o u apart`);
const STRONG_COMPARE_WORDS = words(`vs versus compare compared comparing comparison comparative against contra frente
  compara comparar comparame comparando comparado comparada comparacion comparativa diferencia diferencias
  difference differences`);
const UNIT_PRICE_WORDS = words('cheaper cheapest expensive pricier caro caros cara baratos barato barata');
const COMBINED_PHRASES = [
  'combined',
  'together',
  'in total',
  'en total',
  'juntos',
  'juntas',
  'entre los dos',
  'entre las dos',
  'sumados',
  'sumadas',
  'put together',
];
const COMPARE_PHRASES = [
  'mas que',
  'menos que',
  'how much more',
  'how many more',
  'cuanto mas',
  'cuantas mas',
  'cuantos mas',
  'por cuanto',
  'side by side',
  'lado a lado',
];
const ASC_WORDS = words('least fewest lowest smallest bottom quietest menor worst peor peores');
const DESC_WORDS = words('most top biggest highest largest heaviest busiest mayor best mejor mejores');
const RANK_WORDS = words(
  'rank ranking ranked order ordena ordenar ordenadas ordenados ordename sort sorted clasificacion leaderboard top bottom',
);
const SHARE_WORDS = words(
  'percent percentage percentages porcentaje porcentajes porcentual portion fraction proportion proporcion',
);
const SHARE_PHRASES = [
  'how much of the',
  'how much of our',
  'how much of my',
  'how much of its',
  'cuanto del',
  'cuanto de la',
  'cuanto de su',
  'share of',
  'what share',
  's share',
  'our share',
  'what part',
  'que parte',
  'en porcentaje',
  'as a percentage',
  'in percent',
];
const DISCOUNT_WORDS = words('discount discounts off descuento descuentos rebaja promo promotion promocion');
const AVERAGE_WORDS = words(
  'average averages averaged averaging avg mean media medias promedio promedios promedia promediamos',
);
const PER_DAY_PHRASES = ['per day', 'a day', 'al dia', 'por dia'];
const SERIES_WORDS = words(`chart charts graph graphs plot plots visualize visualise visualization visualisation
  grafico graficos grafica graficas diagrama trend trends tendencia tendencias evolution evolucion timeline`);
const SERIES_PHRASES = [
  'over time',
  'day by day',
  'dia a dia',
  'dia por dia',
  'each day',
  'cada dia',
  'por dias',
  'daily breakdown',
  'per day breakdown',
];
const EXPORT_WORDS = words(
  'export exporting exportar exporta exportame exportarme exportalo download descargar descarga descargame descargarme',
);
const NOT_AN_EXPORT = words('import imported importar importe importo free gratis');
const PLATFORM_OBJECTS = words('leads lead contacts contactos factura facturas invoice');
const LIMIT_WORDS = words('limit limite cap quota cuota tope');
const EXPORT_FORMATS = words('csv excel spreadsheet xlsx');
const EXPORT_OBJECTS = words(`usage consumption data report history breakdown statement spend spending used
  consumo uso datos informe historial desglose gasto gastos`);
const ADVICE_WORDS = words(`fit fits fitting suit suits suited best right cheapest cheaper cheap recommend
  recommends recommended recommendation recommendations should save saves saving savings worth economical optimal
  ideal conviene convendria conveniente encaja encajan adecuado adecuada recomienda recomiendas recomiendame
  recomendarias recomendacion recomendarme compensa compensaria economico economica barato barata ahorrar ahorro
  ahorrariamos mejor deberiamos deberia optimo`);
const ADVICE_QUESTION_WORDS =
  words(`which should worth save saving fit fits suit suits recommend would que cual conviene
  compensa compensaria encaja recomienda recomiendas recomiendame deberiamos deberia ahorrar`);
/** "Is it worth it?" about one plan. */
const WORTH_WORDS = words(`worth should recommend recommended save saving conviene convendria compensa compensaria
  merece deberia deberiamos recomiendas recomienda ahorrar ahorrariamos`);
const PLAN_WORDS = words('plan plans planes tier tiers tarifa subscription suscripcion');
const PRICE_WORDS = words(`price prices pricing cost costs costing pay paying expensive cheaper cheap precio precios
  cuesta cuestan costaria vale pagaria pagar pagamos caro barato`);
const VS_CURRENT = words(`differ differs difference differences diferencia diferencias compare compared comparado
  versus vs mine mio mia current actual now ahora tengo than cheaper expensive barato caro`);
const IDENTITY_CONTEXT = words(`linkedin email mail inbox mailbox correo buzon identity identidad sender remitente`);
const POSSESSIVES = words('her his their its su sus');
const CONJUNCTIONS = words('and y e also plus ademas tambien');
const HEAD_CONCEPTS: readonly Concept[] = [
  'BALANCE',
  'LEFT',
  'USE',
  'RUN',
  'CREDIT',
  'CONVERSATION',
  'PRICE',
  'RESET',
  'PLAN_WHICH',
  'QUOTA',
  'INCLUDE',
  'RUNOUT',
  'FORECAST',
];
const QUESTION_CONCEPTS: readonly Concept[] = ['HOW_MUCH', 'HOW_MANY', 'WHEN', 'WHO', 'WHICH', 'WHERE'];
const TOPIC_CONCEPTS: readonly Concept[] = [
  ...HEAD_CONCEPTS,
  'PLAN',
  'PACK',
  'MONEY',
  'IDENTITY',
  'CAMPAIGN',
  'DATE',
  'MOST',
];
const FORECAST_CONCEPTS: readonly Concept[] = ['RUNOUT', 'RUNOUT_PAST', 'LAST_VERB', 'HORIZON', 'FORECAST', 'HOW_LONG'];

/** What the frame reader sees of one clause. */
class View {
  readonly intent: Intent;
  /** folded raw words (and '|' for boundaries), one per token */
  readonly raw: string[];
  readonly canon: string[];
  readonly text: string;
  readonly periods: PeriodSlot[];
  readonly types: ActionTypeSlot[];
  readonly mentions: Mention[];
  readonly metric: Metric;
  readonly users: NamedEntity[];
  readonly identities: NamedEntity[];
  readonly campaigns: NamedEntity[];
  readonly plans: NamedEntity[];

  constructor(
    readonly p: Parsed,
    dict: EntityDictionary | undefined,
  ) {
    this.intent = p.result.intent;
    this.raw = p.norm.tokens.map((t) =>
      t.kind === 'sep' ? '|' : t.kind === 'sym' && t.text === '%' ? 'percent' : t.text,
    );
    this.canon = p.analysis.canon;
    this.text = ` ${this.raw.join(' ')} `;
    this.periods = distinct(
      [...extractPeriods(p.analysis.text), ...creditPeriods(p.analysis.text)]
        .sort((a, b) => a.start - b.start)
        .map((m) => m.period),
    );
    this.types = actionTypes(p.analysis);
    this.mentions = p.named ? findMentions(p.norm, dict) : [];
    this.metric = this.readMetric();
    const persons = this.resolvePersons();
    this.users = persons.users;
    this.identities = persons.identities;
    this.campaigns = this.mentions.filter((m) => m.category === 'campaigns').map((m) => m.entity);
    this.plans = this.mentions.filter((m) => m.category === 'plans').map((m) => m.entity);
  }

  has(c: Concept): boolean {
    return this.p.concepts.has(c);
  }
  /** a word (raw or corrected) of the set */
  any(set: ReadonlySet<string>): boolean {
    return this.raw.some((w, i) => set.has(w) || set.has(this.canon[i] ?? ''));
  }
  indexOf(set: ReadonlySet<string>): number {
    return this.raw.findIndex((w, i) => set.has(w) || set.has(this.canon[i] ?? ''));
  }
  phrase(...ps: string[]): boolean {
    return ps.some((x) => this.text.includes(` ${x} `));
  }

  private readMetric(): Metric {
    if (this.has('CONVERSATION')) return 'conversations';
    if (this.has('CREDIT') || this.types.length > 0) return 'credits';
    const identityLike = this.mentions.some(
      (m) => m.category === 'campaigns' || (m.category === 'identities' && this.nearIdentityWord(m)),
    );
    // An identity that is not also a person's name ("Outbound · Email") only has conversations.
    const identityOnly = this.mentions.some((m) => m.category === 'identities' && !this.overlapsUser(m));
    return identityLike || (identityOnly && !this.has('USE')) ? 'conversations' : 'credits';
  }

  private nearIdentityWord(m: Mention): boolean {
    const lo = Math.min(...m.positions) - 3;
    const hi = Math.max(...m.positions) + 3;
    for (let i = Math.max(0, lo); i <= hi && i < this.raw.length; i++)
      if (IDENTITY_CONTEXT.has(this.raw[i]!)) return true;
    return false;
  }

  private overlapsUser(m: Mention): boolean {
    return this.mentions.some((o) => o.category === 'users' && o.positions.some((x) => m.positions.includes(x)));
  }

  /** Names that are both a user and an identity: the identity for conversations or next to an identity word. */
  private resolvePersons(): { users: NamedEntity[]; identities: NamedEntity[] } {
    const users: NamedEntity[] = [];
    const identities: NamedEntity[] = [];
    const seen = new Set<Mention>();
    for (const m of this.mentions) {
      if (seen.has(m) || (m.category !== 'users' && m.category !== 'identities')) continue;
      const twin = this.mentions.find(
        (o) =>
          o !== m &&
          (o.category === 'users' || o.category === 'identities') &&
          o.category !== m.category &&
          o.positions.some((x) => m.positions.includes(x)),
      );
      seen.add(m);
      if (twin) seen.add(twin);
      const identity = m.category === 'identities' ? m : twin;
      const user = m.category === 'users' ? m : twin;
      const asIdentity =
        identity !== undefined &&
        (user === undefined || this.metric === 'conversations' || this.nearIdentityWord(identity));
      if (asIdentity) pushDistinct(identities, identity.entity);
      else if (user) pushDistinct(users, user.entity);
    }
    return { users, identities };
  }
}

function pushDistinct(list: NamedEntity[], e: NamedEntity) {
  if (!list.some((x) => x.id === e.id)) list.push(e);
}

function distinct<T>(xs: T[]): T[] {
  const out: T[] = [];
  for (const x of xs) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(x))) out.push(x);
  return out;
}

const PREVIOUS_PERIOD =
  /\b(?:previous|last|prior|past) (?:billing |credit )?(?:period|cycle)\b|\b(?:billing )?(?:period|cycle) before\b|\b(?:periodo|ciclo) (?:de facturacion )?(?:anterior|pasado)\b/g;

/** Credit periods named outright ("the previous billing period", "el ciclo anterior"), with their offsets. */
function creditPeriods(text: string): Array<{ period: PeriodSlot; start: number }> {
  const out: Array<{ period: PeriodSlot; start: number }> = [];
  PREVIOUS_PERIOD.lastIndex = 0;
  for (let m = PREVIOUS_PERIOD.exec(text); m; m = PREVIOUS_PERIOD.exec(text))
    out.push({ period: { kind: 'previous_period' }, start: m.index });
  return out;
}

/** "…with the current one", "…con el anterior": the other period of a pair, named by reference. */
const CURRENT_REF = ['current one', 'this one', 'the current', 'el actual', 'el de ahora', 'el presente', 'la actual'];
const PREVIOUS_REF = ['previous one', 'one before', 'last one', 'el anterior', 'el pasado', 'la anterior', 'la pasada'];
const PAIRS: Array<[PeriodSlot['kind'], PeriodSlot['kind']]> = [
  ['previous_period', 'current_period'],
  ['last_month', 'this_month'],
  ['last_week', 'this_week'],
  ['yesterday', 'today'],
];

function counterpart(v: View): PeriodSlot | undefined {
  const only = v.periods[0];
  if (v.periods.length !== 1 || !only) return undefined;
  const current = v.phrase(...CURRENT_REF);
  const previous = v.phrase(...PREVIOUS_REF);
  for (const [past, now] of PAIRS) {
    if (current && only.kind === past) return { kind: now } as PeriodSlot;
    if (previous && only.kind === now) return { kind: past } as PeriodSlot;
  }
  if (current && only.kind === 'month') return { kind: 'this_month' };
  return undefined;
}

/** Action types in order of mention; a scraping takes the nearest unclaimed company or contact word. */
function actionTypes(a: Analysis): ActionTypeSlot[] {
  const occ = [...a.occurrences].sort((x, y) => x.pos - y.pos);
  const qualifiers = occ.filter((o) => o.concept === 'COMPANY' || o.concept === 'CONTACT');
  const claimed = new Set<number>();
  const out: ActionTypeSlot[] = [];
  const sameClause = (i: number, j: number) => {
    for (let k = Math.min(i, j); k < Math.max(i, j); k++) if (a.canon[k] === '|') return false;
    return true;
  };
  for (const o of occ) {
    let t: ActionTypeSlot | undefined;
    if (o.concept === 'ENRICH') t = 'enrichment';
    else if (o.concept === 'AI') t = 'ai_variable';
    else if (o.concept === 'WORKFLOW') t = 'workflow';
    else if (o.concept === 'SCRAPE') {
      let best: { q: number; d: number; company: boolean } | undefined;
      for (const q of qualifiers) {
        const d = Math.abs(q.pos - o.pos);
        if (d > 3 || claimed.has(q.pos) || !sameClause(q.pos, o.pos)) continue;
        if (!best || d < best.d || (d === best.d && q.pos > o.pos))
          best = { q: q.pos, d, company: q.concept === 'COMPANY' };
      }
      if (best) claimed.add(best.q);
      t = best ? (best.company ? 'company_scraping' : 'contact_scraping') : 'scraping';
    }
    if (t && out[out.length - 1] !== t && !out.includes(t)) out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

/** Reads tokens [from, to) of the message as a message of their own. */
type Reparse = (from: number, to: number) => Parsed;

/** The compound frame of a message, or undefined when it is a single question. */
export function readFrame(p: Parsed, dict: EntityDictionary | undefined, reparse: Reparse): Frame | undefined {
  const multi = severalAsks(p, dict, reparse);
  if (multi) return multi;
  return worthReading(p) ? clauseFrame(new View(p, dict)) : undefined;
}

/** Every word that can make a frame, so an ordinary message is let go after one look at its words. */
const CUE_WORDS: ReadonlySet<string> = new Set([
  ...COMPARE_WORDS,
  ...ASC_WORDS,
  ...DESC_WORDS,
  ...RANK_WORDS,
  ...SHARE_WORDS,
  ...AVERAGE_WORDS,
  ...SERIES_WORDS,
  ...EXPORT_WORDS,
  ...EXPORT_FORMATS,
  ...ADVICE_WORDS,
  ...words(
    'mas menos more less fewer part parte share percent day dia dias days daily diario diaria medio monthly mensual combined together juntos sumados',
  ),
]);

/** Two operands of a kind, a name from the dictionary, or a cue word: otherwise no frame can come out. */
function worthReading(p: Parsed): boolean {
  if (p.named) return true;
  const { canon } = p.analysis;
  if (p.norm.tokens.some((t, i) => CUE_WORDS.has(t.text) || CUE_WORDS.has(canon[i] ?? '') || t.text === '%'))
    return true;
  const kinds = p.analysis.occurrences.filter((o) => ['SCRAPE', 'ENRICH', 'AI', 'WORKFLOW'].includes(o.concept));
  if (kinds.length >= 2) return true;
  // Two periods need two period words ("yesterday vs today"): only then run the period rules.
  return canon.filter((w) => PERIOD_WORDS.has(w)).length >= 2 && extractPeriods(p.analysis.text).length >= 2;
}

/** The frame of one clause (or of a whole single-ask message). */
function clauseFrame(v: View): Frame | undefined {
  return (
    comparison(v) ?? namedPlan(v) ?? advice(v) ?? exportAsk(v) ?? ranking(v) ?? share(v) ?? average(v) ?? series(v)
  );
}

function baseSelector(v: View): Selector {
  const sel: Selector = {};
  if (v.periods[0]) sel.period = v.periods[0];
  if (v.metric === 'credits') {
    if (v.types[0]) sel.actionType = v.types[0];
    if (v.users[0]) sel.user = v.users[0];
  } else {
    if (v.identities[0]) sel.identity = v.identities[0];
    if (v.campaigns[0]) sel.campaign = v.campaigns[0];
  }
  return sel;
}

// --- comparison -------------------------------------------------------------------------------------------

function comparison(v: View): Frame | undefined {
  const credits = v.metric === 'credits';
  const other = counterpart(v);
  const dims: Array<{ key: keyof Selector; values: unknown[] }> = [
    { key: 'period', values: other ? [...v.periods, other] : v.periods },
    ...(credits
      ? [
          { key: 'actionType' as const, values: v.types },
          { key: 'user' as const, values: v.users },
        ]
      : [
          { key: 'identity' as const, values: v.identities },
          { key: 'campaign' as const, values: v.campaigns },
        ]),
  ];
  const several = dims.filter((d) => d.values.length >= 2);
  if (several.length === 0) return undefined;
  const explicit = v.any(COMPARE_WORDS) || v.phrase(...COMPARE_PHRASES);
  // Outside usage questions only an outright comparison counts ("el plan incluye IA o enriquecimiento?" does not).
  if (!USAGE_FAMILY.has(v.intent) && !v.any(STRONG_COMPARE_WORDS)) return undefined;
  // What is left, unit prices and spikes are other questions ("are contact scrapes cheaper than company scrapes?").
  if (v.has('LEFT') || v.any(UNIT_PRICE_WORDS) || v.phrase('cost extra', 'on top of')) return undefined;
  // A spike told as two days ("ayer tenía 9000 y hoy 1000") is a spike; two types or people compared are not.
  const onlyPeriods = several.every((d) => d.key === 'period');
  if (v.intent === 'usage_spike' && onlyPeriods && !v.any(STRONG_COMPARE_WORDS)) return undefined;
  const count = Math.max(...several.map((d) => d.values.length));
  const items: Selector[] = [];
  for (let i = 0; i < count; i++) {
    const sel: Selector = {};
    for (const d of dims) {
      const value = d.values.length >= 2 ? d.values[i] : d.values[0];
      if (value !== undefined) (sel as Record<string, unknown>)[d.key] = value;
    }
    items.push(sel);
  }
  const combined = v.has('TOTAL') || v.phrase(...COMBINED_PHRASES);
  const asShare = v.any(SHARE_WORDS) || v.phrase(...SHARE_PHRASES);
  return {
    op: 'compare',
    metric: v.metric,
    items,
    explicit,
    ...(combined ? { combined: true } : {}),
    ...(asShare ? { asShare: true } : {}),
  };
}

// --- plans ------------------------------------------------------------------------------------------------

function namedPlan(v: View): Frame | undefined {
  const plan = v.plans[0];
  if (!plan) return undefined;
  // The plan's terms, not a date, a rollover rule, a limit or what is left "on the Growth plan".
  const terms = PLAN_QUESTION_INTENTS.has(v.intent) || (v.intent === 'balance' && !v.has('LEFT') && !v.has('BALANCE'));
  if (!terms) return undefined;
  // "¿nos conviene pasar a Business?", "is it worth moving to Business?": the plan, and whether it pays off.
  const advise = v.any(WORTH_WORDS) && !v.has('WANT');
  if (FLOW_INTENTS.has(v.intent) && !advise) {
    const request = ['UPGRADE', 'DOWNGRADE', 'CHANGE', 'WANT', 'NEED', 'BUY', 'CANCEL', 'PAUSE'] as const;
    if (v.intent !== 'change_plan' || request.some((c) => v.has(c))) return undefined;
  }
  const fields: PlanField[] = [];
  const priceAt = v.indexOf(PRICE_WORDS);
  const asked: Array<[PlanField, number]> = [];
  if (priceAt >= 0 || v.has('PRICE') || v.has('PRICE_Q') || v.has('HOW_MUCH') || v.has('MONEY'))
    asked.push(['price', Math.max(priceAt, 0)]);
  if (v.has('CREDIT')) asked.push(['credits', firstOccurrence(v, 'CREDIT')]);
  if (v.has('IDENTITY') || v.has('SEAT')) asked.push(['identities', firstOccurrence(v, 'IDENTITY')]);
  asked.sort((a, b) => a[1] - b[1]);
  for (const [f] of asked) if (!fields.includes(f)) fields.push(f);
  const vs = v.any(VS_CURRENT) || v.phrase('my plan', 'mi plan', 'what i pay', 'lo que pago', 'el que tengo', 'el mio');
  const against = v.plans[1];
  return {
    op: 'plan',
    plan,
    fields,
    vs: vs || advise || against !== undefined,
    ...(against ? { against } : {}),
    ...(advise ? { advise: true } : {}),
  };
}

function firstOccurrence(v: View, c: Concept): number {
  const o = v.p.analysis.occurrences.find((x) => x.concept === c);
  return o ? o.pos : 99;
}

function advice(v: View): Frame | undefined {
  if (v.plans.length > 0 || v.has('WANT') || v.has('HOW_MANY') || v.has('ANNUAL') || v.has('MONTHLY')) return undefined;
  // "how many credits should we plan for": plan the verb.
  if (v.phrase('should we plan', 'should i plan', 'to plan', 'we plan for', 'plan ahead', 'planificar', 'planear'))
    return undefined;
  // A purchase or a plan change asked for outright stays a request ("move me to the cheaper plan").
  if (
    FLOW_INTENTS.has(v.intent) &&
    !v.has('WHICH') &&
    !v.any(ADVICE_QUESTION_WORDS) &&
    !v.phrase('is there', 'are there', 'hay algun', 'hay otro', 'existe')
  )
    return undefined;
  const adviceWord = v.raw.some(
    (w, i) => ADVICE_WORDS.has(w) && !(w === 'right' && ['now', 'away'].includes(v.raw[i + 1] ?? '')),
  );
  if (!adviceWord && !v.phrase('cost effective', 'sale mas', 'saldria mas', 'sale mejor')) return undefined;
  const aboutPlans = v.any(PLAN_WORDS) || v.has('PLAN') || v.has('UPGRADE') || v.has('DOWNGRADE');
  if (!aboutPlans) return undefined;
  return { op: 'advice' };
}

// --- export -----------------------------------------------------------------------------------------------

function exportAsk(v: View): Frame | undefined {
  // "export my usage", or a file named outright: "send me a csv of our usage".
  const wanted = v.any(EXPORT_WORDS) || (v.any(EXPORT_FORMATS) && v.any(EXPORT_OBJECTS));
  if (!wanted || FLOW_INTENTS.has(v.intent)) return undefined;
  // "me cobra créditos exportar a csv?", "cuánto cuesta cada exportación": what an export costs, not one to make.
  const cost = ['CHARGE', 'CHARGED', 'PRICE', 'PER_UNIT', 'HOW_COUNTED', 'LEFT'] as const;
  if (cost.some((c) => v.has(c)) || v.any(NOT_AN_EXPORT)) return undefined;
  // "export credits", "créditos de exportación": a kind of credit; contacts, leads and invoices are the platform's.
  if (v.phrase('export credits', 'export credit', 'creditos de exportacion', 'exports credits')) return undefined;
  if (v.has('CONTACT') || v.has('INVOICE') || v.any(PLATFORM_OBJECTS)) return undefined;
  if (!v.any(EXPORT_FORMATS) && !v.any(EXPORT_OBJECTS)) return undefined;
  let groupBy: GroupBy = 'day';
  const by = (ws: string) => v.phrase(...ws.split('|'));
  if (
    by(
      'by user|per user|by users|por usuario|por usuarios|by person|por persona|by member|por miembro|per team member|by team member',
    )
  )
    groupBy = 'user';
  else if (by('by type|per type|by action|por tipo|por tipos|por accion|by action type|por tipo de accion'))
    groupBy = 'type';
  else if (by('by identity|per identity|por identidad|por identidades')) groupBy = 'identity';
  else if (by('by campaign|per campaign|por campana|por campanas')) groupBy = 'campaign';
  const sel: Selector = {};
  if (v.periods[0]) sel.period = v.periods[0];
  return { op: 'export', groupBy, sel };
}

// --- ranking ----------------------------------------------------------------------------------------------

const DIMENSION_WORDS: Array<[RankBy, ReadonlySet<string>]> = [
  ['campaign', words('campaign campaigns campana campanas')],
  [
    'identity',
    words(
      'identity identities identidad identidades inbox inboxes mailbox mailboxes sender senders buzon buzones remitente remitentes',
    ),
  ],
  [
    'type',
    words('type types tipo tipos action actions accion acciones feature features category categories categoria'),
  ],
  [
    'user',
    words(
      'user users usuario usuarios person people persona personas spender spenders member members miembro miembros teammate teammates seat seats',
    ),
  ],
];
const WHO_WORDS = words('who whom whos quien quienes');

function ranking(v: View): Frame | undefined {
  // An explicit dimension noun wins ("which identity", "what action type"); "who" alone means users.
  let by = DIMENSION_WORDS.find(([, set]) => v.any(set))?.[0];
  if (!by && v.any(WHO_WORDS)) by = 'user';
  if (!by && v.phrase('on what', 'en que', 'in what')) by = 'type';
  if (!by || FLOW_INTENTS.has(v.intent)) return undefined;
  // "which linkedin seat", "who had the most linkedin conversations": the senders, not the team.
  if (by === 'user' && (v.has('CONVERSATION') || v.any(IDENTITY_CONTEXT))) by = 'identity';
  const order = rankOrder(v);
  if (!order) return undefined;
  if (!rankWord(v) && !USAGE_FAMILY.has(v.intent)) return undefined;
  const operands =
    by === 'user' ? v.users : by === 'identity' ? v.identities : by === 'campaign' ? v.campaigns : v.types;
  if (operands.length >= 2) return undefined;
  const metric: Metric = by === 'identity' || by === 'campaign' ? 'conversations' : 'credits';
  const sel: Selector = {};
  if (v.periods[0]) sel.period = v.periods[0];
  if (metric === 'credits') {
    if (by !== 'type' && v.types[0]) sel.actionType = v.types[0];
    if (by !== 'user' && v.users[0]) sel.user = v.users[0];
  } else {
    if (by !== 'campaign' && v.campaigns[0]) sel.campaign = v.campaigns[0];
    if (by !== 'identity' && v.identities[0]) sel.identity = v.identities[0];
  }
  const n = rankCount(v);
  return { op: 'rank', metric, by, order, ...(n ? { n } : {}), sel };
}

/** The first order word decides ("de más a menos" is descending); "at least", "más que" are not superlatives. */
function rankOrder(v: View): 'asc' | 'desc' | undefined {
  for (let i = 0; i < v.raw.length; i++) {
    const w = v.raw[i]!;
    const prev = v.raw[i - 1] ?? '';
    const next = v.raw[i + 1] ?? '';
    if (ASC_WORDS.has(w)) {
      if (w === 'least' && prev === 'at') continue;
      return 'asc';
    }
    if (DESC_WORDS.has(w)) {
      if (w === 'most' && prev === 'at') continue;
      if (w === 'top' && (next === 'up' || next === 'ups')) continue;
      return 'desc';
    }
    if (w === 'mas' || w === 'menos') {
      // Spanish superlative: "quién gastó más", "la campaña con menos", "los que más"; not "más que", "más de".
      if (next === 'que' || next === 'de' || prev === 'al' || prev === 'lo' || prev === 'por') continue;
      const before = v.raw.slice(Math.max(0, i - 6), i);
      if (
        !before.some((b) => ['que', 'quien', 'quienes', 'cual', 'cuales', 'con', 'el', 'la', 'los', 'las'].includes(b))
      )
        continue;
      return w === 'mas' ? 'desc' : 'asc';
    }
    if ((w === 'more' || w === 'less' || w === 'fewer') && !['than', 'or'].includes(next) && v.phrase('who', 'which')) {
      // "which campaign got more conversations" (no second operand): the top one
      return w === 'more' ? 'desc' : 'asc';
    }
  }
  if (rankWord(v)) return 'desc';
  return undefined;
}

/** "rank", "top 3", "bottom 2"; not "top up". */
function rankWord(v: View): boolean {
  return v.raw.some((w, i) => RANK_WORDS.has(w) && !(w === 'top' && /^ups?$/.test(v.raw[i + 1] ?? '')));
}

function rankCount(v: View): number | undefined {
  const value = (i: number): number | undefined => {
    const t = v.p.norm.tokens[i];
    if (!t) return undefined;
    if (t.kind === 'num' && t.value !== undefined && Number.isInteger(t.value) && t.value >= 1 && t.value <= 50)
      return t.value;
    return NUMBER_WORDS.get(t.text);
  };
  for (let i = 0; i < v.raw.length; i++) {
    const w = v.raw[i]!;
    if (w === 'top' || w === 'bottom') {
      const n = value(i + 1);
      if (n) return n;
    }
    const n = value(i);
    if (n && DIMENSION_WORDS.some(([, set]) => set.has(v.raw[i + 1] ?? '') || set.has(v.raw[i + 2] ?? ''))) return n;
  }
  return undefined;
}

// --- share, average, series --------------------------------------------------------------------------------

function share(v: View): Frame | undefined {
  const asked = v.any(SHARE_WORDS) || v.phrase(...SHARE_PHRASES);
  if (!asked || FLOW_INTENTS.has(v.intent) || v.any(DISCOUNT_WORDS)) return undefined;
  if (
    FORECAST_CONCEPTS.some((c) => v.has(c)) ||
    v.has('WILL') ||
    v.has('LEFT') ||
    v.phrase('their share', 'his share', 'her share')
  )
    return undefined;
  if (!USAGE_FAMILY.has(v.intent) && !v.has('USE') && !v.has('CREDIT') && !v.has('CONVERSATION')) return undefined;
  const sel = baseSelector(v);
  let of: 'plan' | 'total' | 'limit';
  const filtered = Boolean(sel.actionType || sel.user || sel.identity || sel.campaign);
  if (v.metric === 'conversations' && sel.identity && (v.has('LIMIT') || v.any(LIMIT_WORDS))) of = 'limit';
  else if (
    v.metric === 'credits' &&
    (!filtered ||
      v.has('QUOTA') ||
      v.phrase('of the plan', 'of my plan', 'of our plan', 'del plan', 'de mi plan', 'de nuestro plan'))
  )
    of = 'plan';
  else of = 'total';
  return { op: 'share', metric: v.metric, sel, of };
}

function average(v: View): Frame | undefined {
  if (FLOW_INTENTS.has(v.intent)) return undefined;
  const socialMedia = v.phrase('social media', 'redes sociales');
  const avgWord =
    (v.any(AVERAGE_WORDS) && !socialMedia) ||
    v.phrase('on average', 'de media', 'en promedio', 'gasto medio', 'consumo medio');
  // "how many credits a day did we use in October": a per-day figure of a past or current range.
  const perDay =
    (PER_DAY_PHRASES.some((x) => v.phrase(x)) || v.raw.some((w, i) => w === 'day' && v.raw[i - 1] === '|')) &&
    v.periods.length === 1 &&
    (v.has('HOW_MANY') || v.has('HOW_MUCH')) &&
    (v.has('USE') || v.has('CONVERSATION')) &&
    v.p.result.slots.amount === undefined &&
    !FORECAST_CONCEPTS.some((c) => v.has(c)) &&
    !SERIES_PHRASES.some((x) => v.phrase(x));
  if (!avgWord && !perDay) return undefined;
  return { op: 'average', metric: v.metric, sel: baseSelector(v) };
}

function series(v: View): Frame | undefined {
  if (FLOW_INTENTS.has(v.intent) || FORECAST_CONCEPTS.some((c) => v.has(c))) return undefined;
  const chart = v.any(SERIES_WORDS);
  const daily =
    SERIES_PHRASES.some((x) => v.phrase(x)) ||
    v.phrase('daily usage', 'daily consumption', 'daily spend', 'consumo diario', 'uso diario', 'gasto diario');
  if (!chart && !(daily && USAGE_FAMILY.has(v.intent))) return undefined;
  const monthly = v.phrase(
    'monthly',
    'month by month',
    'mes a mes',
    'por meses',
    'mensual',
    'each month',
    'cada mes',
    'per month',
  );
  return { op: 'series', metric: v.metric, sel: baseSelector(v), step: monthly ? 'month' : 'day' };
}

// --- several asks -----------------------------------------------------------------------------------------

interface Piece {
  from: number;
  to: number;
  /** what comes before it: the start, a conjunction ("and", "y") or punctuation (with a question mark or not) */
  after: 'start' | 'conj' | 'question' | 'punct';
}

const QUESTION_STARTS = words(`what whats which who whos whom when whens where wheres how hows que cual cuales quien
  quienes cuanto cuanta cuantos cuantas cuando donde`);
const REQUEST_STARTS = words(`tell show give list send dime dame muestrame ensename pasame indicame decime dinos`);
const FILLERS = words(`also and plus then just so ok okay oh please pls the a y e ademas tambien luego pues porfa
  el la los las me and our my your nuestro nuestra nuestros nuestras mi mis tu tus`);
/** Nouns that open a bare noun-phrase ask ("saldo actual", "the number of conversations on…"). */
const ASK_NOUNS = words(`balance saldo usage consumption spend spending consumo uso gasto credits credit creditos
  credito conversations conversaciones convos price precio cost coste number numero total renewal renovacion`);
const NEGATIONS = words('not no ni nor never nunca');
/** Words that make a clause a statement or a full question rather than a bare noun phrase ("saldo actual"). */
const CLAUSE_WORDS = words(`i im ive id we were weve you they it is are was did do does have has had can could would
  will yo estoy estamos tengo tenemos tiene tienen he hemos ha han hay puedo podemos`);

/**
 * Cuts the message at clause boundaries into asks; undefined unless there are two or more different ones.
 * A piece starts a new ask when it is an information question of its own (isAsk) and it opens with a question
 * or request word ("and when…", "y cuántas…"), or follows a question mark or full stop and reads as a question,
 * or it is a bare noun phrase beside another ("saldo actual y consumo de la semana pasada", "tell me X and Y").
 * Statements ("a workflow ran and ate my credits") never split.
 */
function severalAsks(p: Parsed, dict: EntityDictionary | undefined, reparseRange: Reparse): Frame | undefined {
  const tokens = p.norm.tokens;
  const cuts: Piece[] = [];
  let start = 0;
  let after: Piece['after'] = 'start';
  for (let i = 0; i <= tokens.length; i++) {
    const t = tokens[i];
    const conj = t !== undefined && t.kind === 'word' && CONJUNCTIONS.has(t.text);
    const boundary = i === tokens.length || t!.kind === 'sep' || conj;
    if (!boundary) continue;
    if (i > start) cuts.push({ from: start, to: i, after });
    if (t) {
      const mark = p.norm.raw.slice(t.start, t.end);
      after = conj
        ? after === 'question' && i === start
          ? 'question'
          : 'conj'
        : mark.includes('?')
          ? 'question'
          : 'punct';
    }
    start = i + 1;
  }
  if (cuts.length < 2) return undefined;
  const lead = (x: Piece) => {
    for (let i = x.from; i < x.to; i++) {
      const w = tokens[i]!.text;
      if (!FILLERS.has(w)) return w;
    }
    return '';
  };
  // Only a piece that opens like a question, a request or an ask-noun can start an ask: without one, no reading.
  const opener = (w: string) => QUESTION_STARTS.has(w) || REQUEST_STARTS.has(w) || ASK_NOUNS.has(w);
  if (!cuts.slice(1).some((x) => opener(lead(x)))) return undefined;
  const isAsk = (q: Parsed) => {
    const r = q.result;
    if (r.intent === 'other_out_of_scope' || r.intent === 'greeting' || r.intent === 'thanks') return false;
    if (FLOW_INTENTS.has(r.intent)) return true;
    if (!INFO_INTENTS.has(r.intent)) return false;
    const c = q.concepts;
    return (
      HEAD_CONCEPTS.some((x) => c.has(x)) ||
      (QUESTION_CONCEPTS.some((x) => c.has(x)) && TOPIC_CONCEPTS.some((x) => c.has(x)))
    );
  };
  // Read and viewed once per range (a group that is one piece reuses the piece's reading).
  const readings = new Map<string, View>();
  const parsedOf = new Map<string, Parsed>();
  const reparse = (from: number, to: number): Parsed => {
    const key = `${from}:${to}`;
    let q = parsedOf.get(key);
    if (!q) {
      q = reparseRange(from, to);
      parsedOf.set(key, q);
    }
    return q;
  };
  const read = (x: { from: number; to: number }, parsed?: Parsed): View => {
    const key = `${x.from}:${x.to}`;
    let v = readings.get(key);
    if (!v) {
      v = new View(parsed ?? reparse(x.from, x.to), dict);
      readings.set(key, v);
    }
    return v;
  };
  const endsWithQuestion = (k: number) =>
    cuts[k + 1]?.after === 'question' || (k === cuts.length - 1 && /\?\s*$/.test(p.norm.raw));
  /** How a piece reads: a question, a request, a bare noun phrase (and short), an ask of its own. */
  const look = (k: number) => {
    const x = cuts[k]!;
    const parsed = reparse(x.from, x.to);
    const first = lead(x);
    const negated = NEGATIONS.has(first);
    const question = !negated && (QUESTION_STARTS.has(first) || QUESTION_CONCEPTS.some((c) => parsed.concepts.has(c)));
    const request = REQUEST_STARTS.has(first);
    let nounPhrase = false;
    let short = false;
    if (ASK_NOUNS.has(first) && !parsed.norm.tokens.some((t) => CLAUSE_WORDS.has(t.text))) {
      const view = read(x, parsed);
      const operands = view.periods.length + view.mentions.length + view.types.length;
      const figure = ['BALANCE', 'USE', 'CONVERSATION', 'PRICE'].some((c) => parsed.concepts.has(c as Concept));
      nounPhrase = figure || operands > 0;
      const reserved = new Set(view.mentions.flatMap((m) => m.positions));
      const content = parsed.norm.tokens.filter((t, i) => t.kind === 'word' && !reserved.has(i)).length;
      short = content - 2 * view.periods.length <= 6;
    }
    return {
      ask: isAsk(parsed),
      opens: !negated && (QUESTION_STARTS.has(first) || request),
      question,
      request,
      nounPhrase,
      short,
    };
  };
  // The first piece must itself be asked (a question, a request, a short noun phrase, or a "?" after it).
  const firstLead = lead(cuts[0]!);
  // Question words inside the first piece, read off the whole message's analysis (same tokens).
  const asked = p.analysis.occurrences.some(
    (o) => o.pos >= cuts[0]!.from && o.pos < cuts[0]!.to && QUESTION_CONCEPTS.includes(o.concept),
  );
  const cheapFirst =
    (asked && !NEGATIONS.has(firstLead)) ||
    QUESTION_STARTS.has(firstLead) ||
    REQUEST_STARTS.has(firstLead) ||
    endsWithQuestion(0);
  if (!cheapFirst && !ASK_NOUNS.has(firstLead)) return undefined;
  const firstPiece = look(0);
  const firstIsAsk =
    cheapFirst || firstPiece.question || firstPiece.request || (firstPiece.nounPhrase && firstPiece.short);
  if (!firstIsAsk) return undefined;
  const groups: Array<{ from: number; to: number }> = [{ from: cuts[0]!.from, to: cuts[0]!.to }];
  for (let k = 1; k < cuts.length; k++) {
    const x = cuts[k]!;
    let starts = false;
    if (opener(lead(x))) {
      const piece = look(k);
      const afterStop = x.after === 'question' || x.after === 'punct';
      starts =
        piece.ask &&
        (piece.opens ||
          (afterStop && (piece.question || piece.request || piece.nounPhrase)) ||
          (piece.nounPhrase && (firstPiece.nounPhrase || firstPiece.request)));
    }
    if (starts) groups.push({ from: x.from, to: x.to });
    else groups[groups.length - 1]!.to = x.to;
  }
  if (groups.length < 2) return undefined;
  const views = groups.map((g) => read(g));
  if (views.some((x) => FLOW_INTENTS.has(x.intent))) return undefined;
  const parts: Frame[] = [];
  let lastPeriod: PeriodSlot | undefined;
  const people: NamedEntity[] = [];
  for (const v of views) {
    let f = (worthReading(v.p) ? clauseFrame(v) : undefined) ?? measureOrAsk(v);
    if (v.periods[0]) lastPeriod = v.periods[0];
    else if (lastPeriod) f = withPeriod(f, lastPeriod);
    f = withCoreference(f, v, people, dict);
    people.push(...v.users);
    // One answer per question: the same single question asked twice ("balance? how many credits left?") is one.
    const same = parts.some(
      (x) => JSON.stringify(x) === JSON.stringify(f) || (x.op === 'ask' && f.op === 'ask' && x.intent === f.intent),
    );
    if (!same) parts.push(f);
  }
  const merged = mergePlanParts(parts);
  if (merged.length >= 2) return { op: 'multi', parts: merged };
  // Two asks that were one ("cuánto cuesta mi plan y cuántos créditos incluye"): that one.
  return merged[0] && merged[0].op !== 'ask' ? merged[0] : undefined;
}

/** A clause with no operator: a figure to measure (total) or an ordinary single question. */
function measureOrAsk(v: View): Frame {
  const sel = baseSelector(v);
  const filtered = Boolean(sel.actionType || sel.user || sel.identity || sel.campaign);
  const measure =
    v.intent === 'usage_by_period' ||
    (v.intent === 'usage_by_type' && sel.actionType) ||
    (v.intent === 'usage_by_user' && sel.user) ||
    (v.intent === 'conversations_by_identity' && (filtered || sel.period || v.has('HOW_MANY'))) ||
    (v.intent === 'balance' && v.has('USE') && !v.has('LEFT') && !v.has('BALANCE'));
  if (measure) return { op: 'total', metric: v.metric, sel };
  return { op: 'ask', intent: v.intent, slots: v.p.result.slots };
}

function withPeriod(f: Frame, period: PeriodSlot): Frame {
  switch (f.op) {
    case 'total':
    case 'share':
    case 'average':
    case 'series':
    case 'rank':
      return f.sel.period ? f : { ...f, sel: { ...f.sel, period } };
    case 'compare':
      return { ...f, items: f.items.map((s) => (s.period ? s : { ...s, period })) };
    default:
      return f;
  }
}

/** "Hannah's credits … and the conversations on her LinkedIn": the identity of a person named before. */
function withCoreference(f: Frame, v: View, people: NamedEntity[], dict: EntityDictionary | undefined): Frame {
  if (f.op !== 'total' || f.metric !== 'conversations' || f.sel.identity || !dict) return f;
  if (!v.any(POSSESSIVES) && !v.any(IDENTITY_CONTEXT)) return f;
  for (const person of [...people].reverse()) {
    const first = person.name.split(/\s+/)[0]?.toLowerCase() ?? '';
    const identity =
      dict.identities.find((i) => i.name.toLowerCase().includes(person.name.toLowerCase())) ??
      dict.identities.find((i) => first.length >= 3 && i.name.toLowerCase().startsWith(first));
    if (identity) return { ...f, sel: { ...f.sel, identity } };
  }
  return f;
}

/**
 * "precio y créditos del plan Lite": a price or plan question beside a named plan is about that plan; "cuánto
 * cuesta mi plan y cuántos créditos incluye": a price and a plan question together are one about the own plan.
 */
function mergePlanParts(parts: Frame[]): Frame[] {
  const isPlanAsk = (x: Frame): x is Extract<Frame, { op: 'ask' }> =>
    x.op === 'ask' &&
    (x.intent === 'price' || x.intent === 'plan_details') &&
    !x.slots.targetPlan &&
    x.slots.amount === undefined;
  const named = parts.find((x): x is Extract<Frame, { op: 'plan' }> => x.op === 'plan');
  const asks = parts.filter(isPlanAsk);
  if (!named && new Set(asks.map((a) => a.intent)).size < 2) return parts;
  const plan: Extract<Frame, { op: 'plan' }> = named ?? { op: 'plan', plan: 'current', fields: [], vs: false };
  const out: Frame[] = [];
  for (const x of parts) {
    if (isPlanAsk(x)) {
      const field: PlanField = x.intent === 'price' ? 'price' : 'credits';
      if (!plan.fields.includes(field)) plan.fields.push(field);
      if (!out.includes(plan)) out.push(plan);
      continue;
    }
    if (x !== plan || !out.includes(plan)) out.push(x);
  }
  return out;
}

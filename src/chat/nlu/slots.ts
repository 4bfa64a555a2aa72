/**
 * Slot extraction: period, amount, action type and target plan.
 *
 * Everything runs on the canonical text produced by the lexicon analysis (typos already corrected, numbers as
 * plain digits, clause boundaries as '|'), with regular expressions compiled once at module load.
 */
import type { Analysis } from './lexicon.ts';
import type { Normalized } from './normalize.ts';
import { NUMBER_WORDS } from './normalize.ts';
import type { ActionTypeSlot, PeriodSlot } from './types.ts';
import { PLAN_TIERS } from './words.ts';

// --- period -----------------------------------------------------------------------------------------------

const NUM_ALT = `\\d+|${[...NUMBER_WORDS.keys()].join('|')}|a couple of|couple of|a couple|un par de`;

const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  enero: 1,
  febrero: 2,
  marzo: 3,
  abril: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
  jan: 1,
  feb: 2,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  ene: 1,
  abr: 4,
  dic: 12,
};
/** Words without which no period can be named (a cheap test before running the period rules). */
export const PERIOD_WORDS: ReadonlySet<string> = new Set([
  ...Object.keys(MONTHS),
  ...'mar ago today todays yesterday yesterdays yday tonight morning week weeks weeks wk wtd month months mtd year ytd day days hour hours cycle period hoy ayer manana noche semana semanas mes meses ano dias dia horas ciclo periodo'.split(
    ' ',
  ),
]);

/** Month names that are also ordinary words ("may I", "ago"): only with a preposition before or a year after. */
const AMBIGUOUS_MONTHS = new Set(['may', 'mar', 'ago']);
const MONTH_ALT = [...Object.keys(MONTHS), 'mar', 'ago'].sort((a, b) => b.length - a.length).join('|');

interface PeriodRule {
  re: RegExp;
  make: (m: RegExpExecArray) => PeriodSlot | undefined;
}

const UNIT_DAYS: Record<string, number> = {
  day: 1,
  days: 1,
  dia: 1,
  dias: 1,
  week: 7,
  weeks: 7,
  semana: 7,
  semanas: 7,
  month: 30,
  months: 30,
  mes: 30,
  meses: 30,
};

function numberValue(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.includes('couple') || s === 'un par de') return 2;
  return NUMBER_WORDS.get(s);
}

const PERIOD_RULES: PeriodRule[] = [
  {
    // "last 7 days", "past two weeks" (=14), "últimos 30 días", "in the last 24 hours" (=1).
    re: new RegExp(
      `\\b(?:last|past|previous|prior|ultimos|ultimas|pasados|pasadas)\\s(${NUM_ALT})\\s(days?|weeks?|months?|dias?|semanas?|mes|meses|hours?|horas?)\\b`,
    ),
    make: (m) => lastNDays(m[1]!, m[2]!),
  },
  {
    // "los 7 días anteriores", "7 days prior"
    re: new RegExp(`\\b(${NUM_ALT})\\s(days|dias|weeks|semanas)\\s(?:anteriores|pasados|pasadas|previous|prior)\\b`),
    make: (m) => lastNDays(m[1]!, m[2]!),
  },
  {
    re: /\b(?:today|todays|hoy|this morning|esta manana|tonight|esta noche|so far today)\b/,
    make: () => ({ kind: 'today' }),
  },
  { re: /\b(?:yesterday|yesterdays|yday|ayer)\b/, make: () => ({ kind: 'yesterday' }) },
  {
    re: /\b(?:this week|this weeks|current week|this wk|week to date|wtd|(?:the )?week so far|(?:for|during|over) the week(?! (?:of|before|after))|esta semana|semana actual|en lo que va de semana|la semana en curso)\b/,
    make: () => ({ kind: 'this_week' }),
  },
  {
    re: /\b(?:last week|last weeks|past week|previous week|prior week|semana pasada|ultima semana|semana anterior)\b/,
    make: () => ({ kind: 'last_week' }),
  },
  {
    re: /\b(?:this month|this months|current month|este mes|mes actual|mes en curso|en lo que va de mes|en lo que va del mes|month to date|mtd|(?:the )?month so far|so far this month|this billing cycle|this cycle|this period|este ciclo|este periodo|end of (?:the |this )?month|month end|fin de mes|final de mes|fin del mes|final del mes|rest of (?:the |this )?month|resto del mes|lo que queda (?:de|del) mes)\b/,
    make: () => ({ kind: 'this_month' }),
  },
  {
    re: /\b(?:last month|last months|past month|previous month|prior month|mes pasado|ultimo mes|mes anterior)\b/,
    make: () => ({ kind: 'last_month' }),
  },
  {
    re: /\b(?:this year|current year|este ano|ano actual|year to date|ytd|so far this year|en lo que va de ano|en lo que va del ano)\b/,
    make: () => ({ kind: 'this_year' }),
  },
  {
    // "in october", "en marzo de 2026", "october 2025", "last may"
    re: new RegExp(
      `(?:\\b(in|en|for|during|durante|since|desde|of|de|del|last|past|el mes de|the month of|mes de|early|late|mid)\\s)?\\b(${MONTH_ALT})s?\\b(?:\\s(?:de\\s|del\\s|of\\s)?(\\d{4})\\b)?`,
    ),
    make: (m) => {
      const word = m[2]!;
      const year = m[3] !== undefined ? Number(m[3]) : undefined;
      if (AMBIGUOUS_MONTHS.has(word) && m[1] === undefined && year === undefined) return undefined;
      const month = MONTHS[word] ?? (word === 'mar' ? 3 : word === 'ago' ? 8 : undefined);
      if (month === undefined) return undefined;
      return year !== undefined && year >= 1990 && year <= 2100
        ? { kind: 'month', month, year }
        : { kind: 'month', month };
    },
  },
];

function lastNDays(n: string, unit: string): PeriodSlot | undefined {
  const value = numberValue(n);
  if (value === undefined || value <= 0) return undefined;
  if (unit.startsWith('hour') || unit.startsWith('hora'))
    return { kind: 'last_n_days', days: Math.max(1, Math.ceil(value / 24)) };
  const perUnit = UNIT_DAYS[unit] ?? 1;
  return { kind: 'last_n_days', days: value * perUnit };
}

export interface PeriodMatch {
  period: PeriodSlot;
  /** Character range in the canonical text. */
  start: number;
  end: number;
}

/** The period mentioned first in the text (longest match on ties). */
export function extractPeriod(text: string): PeriodMatch | undefined {
  let best: PeriodMatch | undefined;
  for (const rule of PERIOD_RULES) {
    const m = rule.re.exec(text);
    if (!m) continue;
    const period = rule.make(m);
    if (!period) continue;
    const start = m.index;
    const end = m.index + m[0].length;
    if (!best || start < best.start || (start === best.start && end > best.end)) best = { period, start, end };
  }
  return best;
}

/** Every period mentioned, in order of appearance (overlaps resolved by the earlier, then the longer match). */
export function extractPeriods(text: string): PeriodMatch[] {
  const found: PeriodMatch[] = [];
  PERIOD_RULES.forEach((rule, r) => {
    const re = GLOBAL_RULES[r]!;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const period = rule.make(m);
      if (period) found.push({ period, start: m.index, end: m.index + m[0].length });
    }
  });
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PeriodMatch[] = [];
  for (const f of found) if (!out.some((o) => f.start < o.end && o.start < f.end)) out.push(f);
  return out;
}

const GLOBAL_RULES = PERIOD_RULES.map((rule) => new RegExp(rule.re.source, 'g'));

// --- amount -----------------------------------------------------------------------------------------------

const TIME_UNITS = new Set([
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'months',
  'year',
  'years',
  'hour',
  'hours',
  'minute',
  'minutes',
  'min',
  'mins',
  'dia',
  'dias',
  'semana',
  'semanas',
  'mes',
  'meses',
  'ano',
  'anos',
  'hora',
  'horas',
  'minutos',
]);
const MONEY_WORDS = new Set([
  'euro',
  'euros',
  'eur',
  'usd',
  'dollar',
  'dollars',
  'dolares',
  'dolar',
  'gbp',
  'pounds',
  'pesos',
  'bucks',
  'percent',
  'porciento',
]);
const COUNTED_NOT_AMOUNT = new Set([
  'identity',
  'identities',
  'identidad',
  'identidades',
  'user',
  'users',
  'usuario',
  'usuarios',
  'seat',
  'seats',
  'plaza',
  'plazas',
  'license',
  'licenses',
  'licencias',
  'member',
  'members',
  'miembros',
  'people',
  'personas',
  'accounts',
  'cuentas',
  'senders',
  'remitentes',
  'mailboxes',
  'reps',
  'sdrs',
  'bdrs',
  'sellers',
  'vendedores',
  'comerciales',
  'teammates',
  'employees',
  'empleados',
  'times',
  'veces',
  'x',
]);
const RATE_BEFORE = new Set([
  'cost',
  'costs',
  'costing',
  'charge',
  'charges',
  'charging',
  'cuesta',
  'cuestan',
  'cobra',
  'cobran',
  'top',
]);
const RATE_AFTER = new Set(['per', 'por', 'each', 'cada']);
const DATE_BEFORE = new Set(['dia', 'day', 'el', 'the', 'on', 'del']);
const FILLERS = new Set(['me', 'us', 'only', 'just', 'around', 'about', 'like', 'nos', 'solo', 'unos', 'unas']);
const ORDINAL_OR_TIME = new Set(['st', 'nd', 'rd', 'th', 'o', 'a', 'am', 'pm', 'h', 'hs', 'hrs', 'min', 'x']);
const MULTIPLIERS: Record<string, number> = {
  mil: 1000,
  thousand: 1000,
  k: 1000,
  m: 1_000_000,
  million: 1_000_000,
  millon: 1_000_000,
  millones: 1_000_000,
};

/**
 * The integer quantity the customer talks about: credits, contacts, rows ("500 contacts", "2.000 créditos",
 * "1,500", "3k", "2 mil"). Not an amount: durations ("30 days"), money ("49€"), years in a date, ordinals
 * ("the 1st"), counts of identities/users/seats, and unit prices ("8 credits per row", "cost 6 credits").
 * With several candidates the last one wins ("if I only use 300 of my 1000 credits, do the other 700...").
 */
export function extractAmount(norm: Normalized, analysis: Analysis, excluded: ReadonlySet<number>): number | undefined {
  const { canon } = analysis;
  let amount: number | undefined;
  for (let i = 0; i < norm.tokens.length; i++) {
    const tok = norm.tokens[i]!;
    let value: number | undefined;
    let last = i;
    if (tok.kind === 'num') {
      if (excluded.has(i) || tok.value === undefined) continue;
      if (tok.suffix && ORDINAL_OR_TIME.has(tok.suffix)) continue;
      value = tok.value;
      const mult = MULTIPLIERS[canon[i + 1] ?? ''];
      if (mult && tok.suffix !== 'k' && tok.suffix !== 'm') {
        value *= mult;
        last = i + 1;
      }
    } else if (canon[i] === 'mil' && norm.tokens[i - 1]?.kind !== 'num' && canon[i + 1] !== 'gracias') {
      value = 1000;
    } else {
      continue;
    }
    if (!Number.isFinite(value) || value < 1 || !Number.isInteger(value)) continue;
    const prev = canon[i - 1] ?? '';
    const prev2 = canon[i - 2] ?? '';
    const next = canon[last + 1] ?? '';
    const next2 = canon[last + 2] ?? '';
    const next3 = canon[last + 3] ?? '';
    if (norm.tokens[i - 1]?.kind === 'sym' || norm.tokens[last + 1]?.kind === 'sym') continue;
    if (MONEY_WORDS.has(next)) continue;
    if (next === 'por' && next2 === 'ciento') continue;
    if (TIME_UNITS.has(next) || ((next === 'more' || next === 'mas') && TIME_UNITS.has(next2))) continue;
    if (COUNTED_NOT_AMOUNT.has(next) || (COUNTED_NOT_AMOUNT.has(next2) && !RATE_AFTER.has(next))) continue;
    // "cuesta 6 créditos" is a unit price; "¿cuánto cuestan 500 créditos?" prices a quantity.
    const pricedQuantity = prev2 === 'cuanto' || prev2 === 'cuanta' || prev2 === 'much';
    if (!pricedQuantity && (RATE_BEFORE.has(prev) || (FILLERS.has(prev) && RATE_BEFORE.has(prev2)))) continue;
    if (RATE_AFTER.has(next2) && isCreditWord(next)) continue;
    if (RATE_AFTER.has(next3) && isCreditWord(next2)) continue;
    if (next === '|' && norm.tokens[last + 2]?.kind === 'num') continue; // "24/7", "10/2025"
    if (value <= 31 && DATE_BEFORE.has(prev)) continue; // "el día 1", "on the 15th"
    amount = value;
  }
  return amount;
}

function isCreditWord(w: string): boolean {
  return w === 'credits' || w === 'credit' || w === 'creditos' || w === 'credito' || w === 'creds';
}

// --- action type ------------------------------------------------------------------------------------------

/**
 * The first explicit action family named in the text. A generic scraping becomes company_scraping or
 * contact_scraping when the text says companies, or contacts/leads/people/profiles (only one of the two).
 */
export function extractActionType(analysis: Analysis): ActionTypeSlot | undefined {
  const first = analysis.occurrences
    .filter((o) => o.concept === 'SCRAPE' || o.concept === 'ENRICH' || o.concept === 'AI' || o.concept === 'WORKFLOW')
    .sort((a, b) => a.pos - b.pos)[0];
  if (!first) return undefined;
  switch (first.concept) {
    case 'ENRICH':
      return 'enrichment';
    case 'AI':
      return 'ai_variable';
    case 'WORKFLOW':
      return 'workflow';
    default: {
      const company = analysis.concepts.has('COMPANY');
      // "perfiles de linkedin" is read as an identity phrase, but scraping profiles is scraping contacts.
      const contact = analysis.concepts.has('CONTACT') || analysis.canon.some((w) => PROFILE_WORDS.has(w));
      if (company && !contact) return 'company_scraping';
      if (contact && !company) return 'contact_scraping';
      return 'scraping';
    }
  }
}

const PROFILE_WORDS: ReadonlySet<string> = new Set(['profile', 'profiles', 'perfil', 'perfiles']);

// --- target plan (generic) --------------------------------------------------------------------------------

const PLAN_WORDS = new Set([
  'plan',
  'plans',
  'tier',
  'subscription',
  'suscripcion',
  'planes',
  'package',
  'paquete',
  'tarifa',
]);
const TO_WORDS = new Set(['to', 'a', 'al', 'into', 'for', 'onto', 'hacia', 'the', 'el']);
const DIRECTION_WORDS = new Set(['to', 'a', 'al', 'into', 'onto', 'hacia']);
const SOURCE_WORDS = new Set(['from', 'desde']);
const ANNUAL_SURFACES: Record<string, string> = {
  annual: 'annual',
  annually: 'annual',
  yearly: 'annual',
  anual: 'anual',
  anuales: 'anual',
  anualmente: 'anual',
  monthly: 'monthly',
  mensual: 'mensual',
  mensuales: 'mensual',
  mensualmente: 'mensual',
};
export interface GenericPlan {
  name: string;
  kind: 'tier' | 'frequency';
  /** Next to a plan word ("annual plan", "plan anual"), as opposed to "monthly price". */
  attached: boolean;
}

const FREQUENCY_DIRECTION = new Set(['to', 'a', 'al', 'into', 'onto', 'hacia', 'for', 'por']);

/**
 * A generic plan target when no dictionary plan is named: a tier name next to a plan word or after
 * "to"/"a" ("the scale plan" → Scale, "downgrade to starter" → Starter, echoing the customer's spelling),
 * otherwise a billing frequency ("monthly to annual" → annual; "mensual a anual" → anual).
 */
export function extractGenericPlan(norm: Normalized, analysis: Analysis): GenericPlan | undefined {
  const { canon } = analysis;
  // Tier candidates; "from X" is the current plan, "to X" the target.
  let target: number | undefined;
  let plain: number | undefined;
  for (let i = 0; i < canon.length; i++) {
    const w = norm.tokens[i]?.kind === 'word' ? norm.tokens[i]!.text : '';
    if (!PLAN_TIERS.has(w)) continue;
    // "scale up" is a verb, not the Scale plan.
    if (w === 'scale' && canon[i + 1] === 'up') continue;
    const before = [canon[i - 1] ?? '', canon[i - 2] ?? ''];
    const near = [canon[i - 1], canon[i + 1], canon[i - 2], canon[i + 2]];
    const nextToPlan = near.some((n) => n !== undefined && PLAN_WORDS.has(n));
    const directed = before.some((b) => DIRECTION_WORDS.has(b));
    if (!nextToPlan && !directed && !TO_WORDS.has(canon[i - 1] ?? '')) continue;
    if (directed) target = i;
    else if (!before.some((b) => SOURCE_WORDS.has(b)) && plain === undefined) plain = i;
  }
  const chosenTier = target ?? plain;
  if (chosenTier !== undefined) {
    const tok = norm.tokens[chosenTier]!;
    const surface = norm.raw.slice(tok.start, tok.end);
    return { name: surface.charAt(0).toUpperCase() + surface.slice(1).toLowerCase(), kind: 'tier', attached: true };
  }
  let chosen: GenericPlan | undefined;
  for (let i = 0; i < canon.length; i++) {
    const f = ANNUAL_SURFACES[canon[i]!];
    if (!f) continue;
    if (chosen === undefined || FREQUENCY_DIRECTION.has(canon[i - 1] ?? '')) {
      const attached = PLAN_WORDS.has(canon[i - 1] ?? '') || PLAN_WORDS.has(canon[i + 1] ?? '');
      chosen = { name: f, kind: 'frequency', attached };
    }
  }
  return chosen;
}

/**
 * Loading and scoring of labelled phrasing files (JSON lines: id, lang, text, intent, slots in the evaluation's
 * convention: period "this_month" / "last_7_days" / "month_3_2026", action_type, amount, target_plan).
 */
import { readFileSync } from 'node:fs';
import { understand } from '../../../src/chat/nlu/index.ts';
import type { EntityDictionary, Intent, Lang, NluResult, PeriodSlot } from '../../../src/chat/nlu/types.ts';

export interface LabelledPhrasing {
  id: string;
  lang: Lang;
  text: string;
  intent: Intent;
  slots: Record<string, string | number>;
}

/** The demo account's names (src/demo/seed.ts), as the bot passes them to `understand`. */
export const DEMO_ENTITIES: EntityDictionary = {
  users: [
    { id: 'usr_demo_laura', name: 'Laura Martín' },
    { id: 'usr_demo_juan', name: 'Juan Pérez' },
    { id: 'usr_demo_sofia', name: 'Sofía Ruiz' },
    { id: 'usr_demo_marc', name: 'Marc Dubois' },
  ],
  identities: [
    { id: 'idn_juan_linkedin', name: 'Juan Pérez · LinkedIn' },
    { id: 'idn_ana_linkedin', name: 'Ana García · LinkedIn' },
    { id: 'idn_sofia_linkedin', name: 'Sofía Ruiz · LinkedIn' },
    { id: 'idn_sales_email', name: 'Sales team · Email' },
    { id: 'idn_marc_linkedin', name: 'Marc Dubois · LinkedIn' },
  ],
  campaigns: [
    { id: 'cmp_saas_ctos', name: 'SaaS CTOs Spain' },
    { id: 'cmp_fintech_q4', name: 'Fintech Q4 outreach' },
    { id: 'cmp_retail', name: 'Retail decision makers' },
    { id: 'cmp_webinar', name: 'Webinar follow-up' },
  ],
  plans: [
    { id: 'plan_starter', name: 'Starter' },
    { id: 'plan_growth', name: 'Growth' },
    { id: 'plan_scale', name: 'Scale' },
    { id: 'plan_enterprise', name: 'Enterprise' },
  ],
};

export function loadPhrasings(url: URL): LabelledPhrasing[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledPhrasing);
}

export function periodLabel(p: PeriodSlot): string {
  switch (p.kind) {
    case 'last_n_days':
      return `last_${p.days}_days`;
    case 'month':
      return p.year === undefined ? `month_${p.month}` : `month_${p.month}_${p.year}`;
    default:
      return p.kind;
  }
}

/** The result's slots in the evaluation's convention. */
export function slotLabels(result: NluResult): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (result.slots.period) out.period = periodLabel(result.slots.period);
  if (result.slots.actionType) out.action_type = result.slots.actionType;
  if (result.slots.amount !== undefined) out.amount = result.slots.amount;
  if (result.slots.targetPlan) out.target_plan = result.slots.targetPlan.name;
  return out;
}

export interface Report {
  total: number;
  intentAccuracy: number;
  langAccuracy: number;
  /** Expected slots all present with the same values. */
  slotAccuracy: number;
  perIntent: Record<string, { correct: number; total: number }>;
  intentMisses: string[];
  langMisses: string[];
  slotMisses: string[];
}

export function evaluate(rows: LabelledPhrasing[], entities?: EntityDictionary): Report {
  const perIntent: Report['perIntent'] = {};
  const intentMisses: string[] = [];
  const langMisses: string[] = [];
  const slotMisses: string[] = [];
  let intentOk = 0;
  let langOk = 0;
  let slotOk = 0;
  for (const row of rows) {
    const result = understand(row.text, entities ? { entities } : undefined);
    const bucket = perIntent[row.intent] ?? { correct: 0, total: 0 };
    perIntent[row.intent] = bucket;
    bucket.total++;
    if (result.intent === row.intent) {
      intentOk++;
      bucket.correct++;
    } else {
      intentMisses.push(`${row.id} [${row.intent} -> ${result.intent}] ${row.text}`);
    }
    if (result.lang === row.lang) langOk++;
    else langMisses.push(`${row.id} [${row.lang} -> ${result.lang}] ${row.text}`);
    const got = slotLabels(result);
    const expected = Object.entries(row.slots ?? {});
    if (expected.every(([k, v]) => got[k] === v)) slotOk++;
    else slotMisses.push(`${row.id} expected ${JSON.stringify(row.slots)} got ${JSON.stringify(got)}: ${row.text}`);
  }
  const n = rows.length || 1;
  return {
    total: rows.length,
    intentAccuracy: intentOk / n,
    langAccuracy: langOk / n,
    slotAccuracy: slotOk / n,
    perIntent,
    intentMisses,
    langMisses,
    slotMisses,
  };
}

/** A readable failure message: accuracy per intent, then every miss. */
export function formatReport(report: Report): string {
  const lines = Object.entries(report.perIntent)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([intent, { correct, total }]) => `  ${intent.padEnd(26)} ${correct}/${total}`);
  return [
    `intent accuracy ${(report.intentAccuracy * 100).toFixed(1)}% of ${report.total}`,
    ...lines,
    'intent misses:',
    ...report.intentMisses.map((m) => `  ${m}`),
    'language misses:',
    ...report.langMisses.map((m) => `  ${m}`),
    'slot misses:',
    ...report.slotMisses.map((m) => `  ${m}`),
  ].join('\n');
}

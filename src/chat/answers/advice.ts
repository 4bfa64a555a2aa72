/**
 * Plan questions: a named catalog plan's terms (and the difference from the customer's plan), and "which plan
 * fits me?", answered by re-pricing the last three closed periods' usage under every catalog plan
 * (src/requests/plan-advice.ts) with the usage of each period from the credit domain.
 */
import { advisePlans, type PlanAdvice, type PlanCost } from '../../requests/plan-advice.ts';
import type { CatalogPlan } from '../../requests/pricing.ts';
import { bold, escapeMd, md } from '../markdown.ts';
import type { NamedEntity, PlanField } from '../nlu/index.ts';
import type { Reply, Suggestion } from '../types.ts';
import { type AnswerCtx, ask, changePlanButton, tr } from './context.ts';

/** The closed periods re-priced (three, or fewer for a young account). */
export const ADVICE_PERIODS = 3;

export async function planAdvice(c: AnswerCtx): Promise<PlanAdvice | null> {
  const [periods, plans, packs, s] = await Promise.all([
    c.deps.credits.closedPeriods(c.who.accountId, ADVICE_PERIODS),
    c.deps.catalog.plans(),
    c.deps.catalog.packs(),
    c.state(),
  ]);
  return advisePlans(periods, plans, packs, s.plan.id ?? null);
}

const signed = (c: AnswerCtx, v: number, show: (x: number) => string) =>
  v === 0 ? tr(c.lang, 'the same', 'lo mismo') : `${v > 0 ? '+' : '−'}${show(Math.abs(v))}`;

function costLine(c: AnswerCtx, row: PlanCost, currentId: string | null | undefined): string {
  const { f, lang } = c;
  const packs = row.perPeriod.reduce((s, p) => s + p.cover.cost, 0);
  const bought = row.perPeriod.reduce((s, p) => s + p.cover.credits, 0);
  const mine = row.plan.id === currentId ? tr(lang, ' (your plan)', ' (tu plan)') : '';
  const extra =
    packs > 0
      ? tr(
          lang,
          ` (${f.money(row.plan.price.amount * row.perPeriod.length, row.plan.price.currency)} of plan + ${f.money(packs, row.plan.price.currency)} for ${f.n(bought)} extra credits)`,
          ` (${f.money(row.plan.price.amount * row.perPeriod.length, row.plan.price.currency)} de plan + ${f.money(packs, row.plan.price.currency)} por ${f.n(bought)} créditos extra)`,
        )
      : tr(lang, ' (no extra credits needed)', ' (sin créditos extra)');
  return `${escapeMd(row.plan.name)}${mine}: ${f.money(row.total, row.plan.price.currency)}${extra}`;
}

/** "Which plan fits me?": the recommendation first, then every plan's cost over the same periods. */
export async function adviceAnswer(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const [a, s] = await Promise.all([planAdvice(c), c.state()]);
  if (!a) {
    return {
      text: tr(
        lang,
        'Your account has no closed credit period with usage yet, so I have nothing to re-price. Ask me again after your next top-up; meanwhile, here are the plans:',
        'Tu cuenta aún no tiene ningún periodo cerrado con consumo, así que no tengo nada que recalcular. Pregúntame después de la próxima recarga; mientras tanto, estos son los planes:',
      ),
      suggestions: [changePlanButton(lang), ask(lang, 'plan_details')],
    };
  }
  const r = a.recommended;
  const months = a.periods.map((p) => `${monthOf(c, p.start)} ${f.n(p.used)}`);
  const current = a.current;
  const verdict =
    current && current.plan.id === r.plan.id
      ? tr(
          lang,
          `You're already on the cheapest plan for your usage: ${bold(r.plan.name)} would cost **${f.money(r.total, a.currency)}** over your last ${a.periods.length} closed periods.`,
          `Ya tienes el plan más barato para tu consumo: ${bold(r.plan.name)} te saldría por **${f.money(r.total, a.currency)}** en tus últimos ${a.periods.length} periodos cerrados.`,
        )
      : tr(
          lang,
          `${bold(r.plan.name)} fits you best: **${f.money(r.total, a.currency)}** over your last ${a.periods.length} closed periods${current ? `, ${f.money(current.total - r.total, a.currency)} less than your ${escapeMd(current.plan.name)} plan (${f.money(current.total, a.currency)})` : ''}.`,
          `El plan que mejor te encaja es ${bold(r.plan.name)}: **${f.money(r.total, a.currency)}** en tus últimos ${a.periods.length} periodos cerrados${current ? `, ${f.money(current.total - r.total, a.currency)} menos que tu plan ${escapeMd(current.plan.name)} (${f.money(current.total, a.currency)})` : ''}.`,
        );
  const how = tr(
    lang,
    `I re-priced the credits you used (${months.join(', ')}) under every plan: the plan's price plus the cheapest packs that cover what goes over its monthly credits.`,
    `He recalculado los créditos que usaste (${months.join(', ')}) con cada plan: el precio del plan más los packs más baratos que cubren lo que supera sus créditos mensuales.`,
  );
  const suggestions: Suggestion[] = [];
  if (!current || current.plan.id !== r.plan.id) {
    suggestions.push({
      title: tr(lang, `Change to ${r.plan.name}`, `Cambiar a ${r.plan.name}`),
      value: { action: 'plan.pick', planId: r.plan.id },
    });
  }
  suggestions.push(changePlanButton(lang), ask(lang, 'usage_by_period'));
  return {
    text: md(
      verdict,
      a.rows.map((row) => costLine(c, row, s.plan.id)),
      how,
    ),
    suggestions,
  };
}

/** One line for the Change Plan quote: what the chosen plan would have cost against the cheapest. */
export async function adviceLine(c: AnswerCtx, target: CatalogPlan): Promise<string | null> {
  const a = await planAdvice(c).catch(() => null);
  if (!a) return null;
  const row = a.rows.find((x) => x.plan.id === target.id);
  if (!row) return null;
  const { f, lang } = c;
  const n = a.periods.length;
  return row.plan.id === a.recommended.plan.id
    ? tr(
        lang,
        `On your last ${n} closed periods' usage, ${escapeMd(target.name)} would have cost ${f.money(row.total, a.currency)}: the cheapest plan for you.`,
        `Con el consumo de tus últimos ${n} periodos cerrados, ${escapeMd(target.name)} te habría costado ${f.money(row.total, a.currency)}: el plan más barato para ti.`,
      )
    : tr(
        lang,
        `On your last ${n} closed periods' usage, ${escapeMd(target.name)} would have cost ${f.money(row.total, a.currency)}; the cheapest for you is ${escapeMd(a.recommended.plan.name)} (${f.money(a.recommended.total, a.currency)}).`,
        `Con el consumo de tus últimos ${n} periodos cerrados, ${escapeMd(target.name)} te habría costado ${f.money(row.total, a.currency)}; el más barato para ti es ${escapeMd(a.recommended.plan.name)} (${f.money(a.recommended.total, a.currency)}).`,
      );
}

/** A period by the month of its first local day ("August"), 12 hours in to stay clear of midnight. */
const monthOf = (c: AnswerCtx, iso: string): string => c.f.month(new Date(new Date(iso).getTime() + 12 * 3_600_000));

/** A catalog plan's terms, the asked ones first, with the difference from the customer's plan (or a second one). */
export async function planInfo(
  c: AnswerCtx,
  named: NamedEntity | 'current',
  fields: PlanField[],
  vs: boolean,
  against?: NamedEntity,
  advise = false,
): Promise<Reply> {
  const { f, lang } = c;
  const [plans, s] = await Promise.all([c.deps.catalog.plans(), c.state()]);
  const plan =
    named === 'current'
      ? (plans.find((p) => p.id === s.plan.id) ?? { ...s.plan, id: s.plan.id ?? 'current' })
      : plans.find((p) => p.id === named.id);
  if (!plan) {
    const name = named === 'current' ? s.plan.name : named.name;
    return {
      text: tr(
        lang,
        `${bold(name)} is not in the plan catalog right now; these are the plans I can offer:`,
        `${bold(name)} no está ahora en el catálogo de planes; estos son los que puedo ofrecerte:`,
      ),
      suggestions: [changePlanButton(lang)],
    };
  }
  const other = (against && plans.find((p) => p.id === against.id)) || plans.find((p) => p.id === s.plan.id);
  const money = (v: number) => f.money(v, plan.price.currency);
  const order: PlanField[] = [
    ...fields,
    ...(['price', 'credits', 'identities'] as const).filter((x) => !fields.includes(x)),
  ];
  const terms = order.map((field) =>
    field === 'price'
      ? tr(lang, `**${money(plan.price.amount)}** a month`, `**${money(plan.price.amount)}** al mes`)
      : field === 'credits'
        ? tr(lang, `**${f.credits(plan.monthlyCredits)}** a month`, `**${f.credits(plan.monthlyCredits)}** al mes`)
        : tr(
            lang,
            `**${f.n(plan.identities)}** identities (${f.n(plan.conversationsPerIdentity)} conversations each a month)`,
            `**${f.n(plan.identities)}** identidades (${f.n(plan.conversationsPerIdentity)} conversaciones cada una al mes)`,
          ),
  );
  const mine = other?.id === s.plan.id;
  const head =
    plan.id === s.plan.id
      ? tr(lang, `${bold(plan.name)}, your plan: ${f.list(terms)}.`, `${bold(plan.name)}, tu plan: ${f.list(terms)}.`)
      : tr(lang, `${bold(plan.name)}: ${f.list(terms)}.`, `${bold(plan.name)}: ${f.list(terms)}.`);
  let diff: string | false = false;
  if (other && other.id !== plan.id && other.price.currency === plan.price.currency) {
    const d = {
      price: plan.price.amount - other.price.amount,
      credits: plan.monthlyCredits - other.monthlyCredits,
      identities: plan.identities - other.identities,
    };
    const parts = order.map((field) =>
      field === 'price'
        ? tr(lang, `${signed(c, d.price, money)} a month`, `${signed(c, d.price, money)} al mes`)
        : field === 'credits'
          ? tr(lang, `${signed(c, d.credits, f.credits)}`, `${signed(c, d.credits, f.credits)}`)
          : tr(lang, `${signed(c, d.identities, f.n)} identities`, `${signed(c, d.identities, f.n)} identidades`),
    );
    const against = mine
      ? tr(lang, `your ${escapeMd(other.name)} plan`, `tu plan ${escapeMd(other.name)}`)
      : escapeMd(other.name);
    diff = tr(lang, `Compared with ${against}: ${f.list(parts)}.`, `Respecto a ${against}: ${f.list(parts)}.`);
  }
  const suggestions: Suggestion[] = [];
  if (plan.id !== s.plan.id) {
    suggestions.push({
      title: tr(lang, `Change to ${plan.name}`, `Cambiar a ${plan.name}`),
      value: { action: 'plan.pick', planId: plan.id },
    });
  }
  suggestions.push({ title: tr(lang, 'Which plan fits me?', '¿Qué plan me conviene?'), value: { action: 'advice' } });
  // Asked whether it pays off: what it would have cost on past usage against the cheapest plan.
  const verdict = advise && plan.id !== s.plan.id ? await adviceLine(c, plan) : null;
  // Asked how it differs: the difference first.
  return { text: verdict ? md(verdict, head, diff) : vs ? md(diff, head) : md(head, diff), suggestions };
}

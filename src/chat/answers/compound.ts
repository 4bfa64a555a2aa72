/**
 * Answers to compound questions (the frames of ../nlu/compound.ts): comparisons, rankings, shares, averages per
 * day, time series, named plans, plan advice, exports and several asks in one message. The short answer comes
 * first; every figure is read from the credit domain and formatted for the customer's locale.
 */
import { bold, escapeMd, joinMd, md } from '../markdown.ts';
import type { Frame, Intent, Metric, RankBy, Selector, Slots } from '../nlu/index.ts';
import type { Reply, Suggestion } from '../types.ts';
import { adviceAnswer, planInfo } from './advice.ts';
import { type AnswerCtx, ask, tr } from './context.ts';
import { exportAnswer } from './exports.ts';
import {
  capitalise,
  filterWords,
  item,
  type Member,
  measure,
  membersOf,
  memberWord,
  pct,
  type Span,
  seriesOf,
  spanOf,
  summary,
  unit,
} from './figures.ts';
import { fullListButton, usageSeries } from './usage.ts';

/** Answers an ordinary single question (the engine's table of answers), for the `ask` parts of a multi. */
export type AskAnswer = (c: AnswerCtx, intent: Intent, slots: Slots) => Promise<Reply>;

export async function answerFrame(c: AnswerCtx, frame: Frame, askAnswer: AskAnswer): Promise<Reply> {
  switch (frame.op) {
    case 'total':
      return total(c, frame.metric, frame.sel);
    case 'compare':
      return compare(c, frame);
    case 'rank':
      return rank(c, frame);
    case 'share':
      return share(c, frame.metric, frame.sel, frame.of);
    case 'average':
      return average(c, frame.metric, frame.sel);
    case 'series':
      return usageSeries(c, frame.metric, frame.sel, frame.step);
    case 'plan':
      return planInfo(c, frame.plan, frame.fields, frame.vs, frame.against, frame.advise);
    case 'advice':
      return adviceAnswer(c);
    case 'export':
      return exportAnswer(c, await spanOf(c, frame.sel.period), frame.groupBy);
    case 'ask':
      return askAnswer(c, frame.intent, frame.slots);
    case 'multi': {
      // Each ask answered in turn, in the order asked; the buttons of the last one.
      const replies: Reply[] = [];
      for (const part of frame.parts) replies.push(await answerFrame(c, part, askAnswer));
      return {
        text: joinMd(...replies.map((r) => r.text)),
        suggestions: replies.at(-1)?.suggestions ?? [],
        attachments: replies.flatMap((r) => r.attachments ?? []),
      };
    }
  }
}

// --- words for selectors ------------------------------------------------------------------------------------

/** The words of a selector's filters and its period, for a sentence: "on enrichment in October". */
async function context(c: AnswerCtx, sel: Selector): Promise<{ span: Span; words: string }> {
  const span = await spanOf(c, sel.period);
  return { span, words: [...filterWords(c, sel), span.label].join(' ') };
}

type Key = keyof Selector;
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// --- total ----------------------------------------------------------------------------------------------------

async function total(c: AnswerCtx, metric: Metric, sel: Selector): Promise<Reply> {
  const { lang } = c;
  const { span, words } = await context(c, sel);
  const v = await measure(c, metric, sel, span);
  const limit = metric === 'conversations' && sel.identity ? (await c.state()).plan.conversationsPerIdentity : 0;
  return {
    text:
      metric === 'credits'
        ? tr(lang, `**${unit(c, metric, v)}** used ${words}.`, `**${unit(c, metric, v)}** usados ${words}.`)
        : tr(
            lang,
            `**${unit(c, metric, v)}** ${words}${limit ? ` (limit ${c.f.n(limit)} a month)` : ''}.`,
            `**${unit(c, metric, v)}** ${words}${limit ? ` (límite de ${c.f.n(limit)} al mes)` : ''}.`,
          ),
    suggestions: [ask(lang, 'usage_by_period'), ask(lang, 'balance')],
  };
}

// --- comparison -------------------------------------------------------------------------------------------

async function compare(c: AnswerCtx, frame: Extract<Frame, { op: 'compare' }>): Promise<Reply> {
  const { f, lang } = c;
  const { metric, items } = frame;
  const keys: Key[] = ['period', 'actionType', 'user', 'identity', 'campaign'];
  const varying = keys.filter((k) => items.some((s) => !sameValue(s[k], items[0]![k])));
  const shared: Selector = {};
  for (const k of keys)
    if (!varying.includes(k) && items[0]![k] !== undefined) Object.assign(shared, { [k]: items[0]![k] });
  const spans = await Promise.all(items.map((s) => spanOf(c, s.period)));
  const values = await Promise.all(items.map((s, i) => measure(c, metric, s, spans[i]!)));
  // What tells the items apart, as an adverb ("in October", "on enrichment", "by **Diego Morales**").
  const adverb = (i: number) => {
    const own: Selector = {};
    for (const k of varying) if (k !== 'period') Object.assign(own, { [k]: items[i]![k] });
    return [...filterWords(c, own), ...(varying.includes('period') ? [spans[i]!.label] : [])].join(' ');
  };
  const sharedWords = [
    ...filterWords(c, { ...shared, period: undefined }),
    ...(varying.includes('period') ? [] : [spans[0]!.label]),
  ].join(' ');
  const ctx = sharedWords ? ` ${sharedWords}` : '';
  const u = (v: number) => unit(c, metric, v);
  let whole = 0;
  if (frame.asShare && !varying.includes('period'))
    whole = await measure(c, metric, { period: shared.period }, spans[0]!);
  const shareOf = (v: number) => (whole > 0 ? ` (${pct(c, v, whole)})` : '');

  if (items.length === 2 && !frame.combined) {
    const [a, b] = values as [number, number];
    const diff = Math.abs(a - b);
    const winner = a >= b ? 0 : 1;
    const verdict =
      a === b
        ? tr(lang, 'exactly the same.', 'exactamente lo mismo.')
        : tr(lang, `**${f.n(diff)} more** ${adverb(winner)}.`, `**${f.n(diff)} más** ${adverb(winner)}.`);
    const sentence = tr(
      lang,
      `**${u(a)}** ${adverb(0)}${shareOf(a)} against **${f.n(b)}** ${adverb(1)}${shareOf(b)}${ctx}: ${verdict}`,
      `**${u(a)}** ${adverb(0)}${shareOf(a)} frente a **${f.n(b)}** ${adverb(1)}${shareOf(b)}${ctx}: ${verdict}`,
    );
    return { text: md(sentence), suggestions: compareSuggestions(c, metric, varying, spans) };
  }
  const sum = values.reduce((s, v) => s + v, 0);
  const rows = items.map((_, i) => ({ i, v: values[i]! })).sort((x, y) => y.v - x.v);
  const head = frame.combined
    ? tr(
        lang,
        `**${u(sum)}** in total${ctx}: ${rows.map((r) => `${f.n(r.v)} ${adverb(r.i)}`).join(', ')}.`,
        `**${u(sum)}** en total${ctx}: ${rows.map((r) => `${f.n(r.v)} ${adverb(r.i)}`).join(', ')}.`,
      )
    : tr(
        lang,
        `The most${ctx}: ${adverb(rows[0]!.i)}, with **${u(rows[0]!.v)}**.`,
        `Lo que más${ctx}: ${adverb(rows[0]!.i)}, con **${u(rows[0]!.v)}**.`,
      );
  return {
    text: md(
      head,
      !frame.combined && rows.map((r) => item(c, capitalise(adverb(r.i)), r.v, whole || sum)),
      !frame.combined && tr(lang, `Together: ${u(sum)}.`, `En total: ${u(sum)}.`),
    ),
    suggestions: compareSuggestions(c, metric, varying, spans),
  };
}

function compareSuggestions(c: AnswerCtx, metric: Metric, varying: Key[], spans: Span[]): Suggestion[] {
  const { lang } = c;
  if (metric === 'conversations') return [ask(lang, 'conversations_by_identity'), ask(lang, 'conversations_limit')];
  if (varying.includes('period')) return [fullListButton(c, 'day', metric, spans[0]!, 0), ask(lang, 'usage_by_type')];
  return [ask(lang, 'usage_by_type'), ask(lang, 'usage_by_user')];
}

// --- ranking ------------------------------------------------------------------------------------------------

const DIM: Record<RankBy, { en: [string, string]; es: [string, string]; feminine: boolean }> = {
  user: { en: ['user', 'users'], es: ['usuario', 'usuarios'], feminine: false },
  type: { en: ['action type', 'action types'], es: ['tipo de acción', 'tipos de acción'], feminine: false },
  identity: { en: ['identity', 'identities'], es: ['identidad', 'identidades'], feminine: true },
  campaign: { en: ['campaign', 'campaigns'], es: ['campaña', 'campañas'], feminine: true },
};

async function rank(c: AnswerCtx, frame: Extract<Frame, { op: 'rank' }>): Promise<Reply> {
  const { f, lang } = c;
  const { metric, by, order } = frame;
  const { span, words } = await context(c, frame.sel);
  const all = await membersOf(c, metric, by, frame.sel, span);
  const sum = all.reduce((s, m) => s + m.value, 0);
  if (sum === 0) {
    return {
      text:
        metric === 'credits'
          ? tr(lang, `No credits were used ${words}.`, `No se han usado créditos ${words}.`)
          : tr(lang, `No conversations ${words}.`, `No hubo conversaciones ${words}.`),
      suggestions: [ask(lang, 'usage_by_period'), ask(lang, 'balance')],
    };
  }
  const ordered = order === 'desc' ? all : [...all].reverse();
  const n = Math.min(frame.n ?? 1, ordered.length);
  const first = ordered[0]!;
  const word = (m: Member) => memberWord(by, m);
  const metricWord =
    metric === 'credits' ? tr(lang, 'credits', 'créditos') : tr(lang, 'conversations', 'conversaciones');
  const most = order === 'desc';
  let head: string;
  if (n === 1) {
    const v = `**${f.n(first.value)}**`;
    head =
      by === 'type'
        ? most
          ? tr(
              lang,
              `Most credits went to ${word(first)} ${words}: ${v} of ${f.n(sum)}.`,
              `La mayor parte de los créditos fue a ${word(first)} ${words}: ${v} de ${f.n(sum)}.`,
            )
          : tr(
              lang,
              `The fewest credits went to ${word(first)} ${words}: ${v} of ${f.n(sum)}.`,
              `Donde menos créditos se gastaron ${words} fue en ${word(first)}: ${v} de ${f.n(sum)}.`,
            )
        : by === 'user'
          ? most
            ? tr(
                lang,
                `${word(first)} used the most credits ${words}: ${v} of ${f.n(sum)}.`,
                `${word(first)} es quien más créditos ha usado ${words}: ${v} de ${f.n(sum)}.`,
              )
            : tr(
                lang,
                `${word(first)} used the fewest credits ${words}: ${v} of ${f.n(sum)}.`,
                `${word(first)} es quien menos créditos ha usado ${words}: ${v} de ${f.n(sum)}.`,
              )
          : tr(
              lang,
              `${word(first)} is the ${DIM[by].en[0]} with the ${most ? 'most' : 'fewest'} ${metricWord} ${words}: ${v} of ${f.n(sum)}.`,
              `${word(first)} es la ${DIM[by].es[0]} con ${most ? 'más' : 'menos'} ${metricWord} ${words}: ${v} de ${f.n(sum)}.`,
            );
  } else {
    const dim = tr(lang, DIM[by].en[1], DIM[by].es[1]);
    const las = DIM[by].feminine ? 'Las' : 'Los';
    head = most
      ? tr(lang, `The top ${n} ${dim} by ${metricWord} ${words}:`, `${las} ${n} ${dim} con más ${metricWord} ${words}:`)
      : tr(
          lang,
          `The ${n} ${dim} with the fewest ${metricWord} ${words}:`,
          `${las} ${n} ${dim} con menos ${metricWord} ${words}:`,
        );
  }
  const label = (m: Member) => (by === 'type' ? capitalise(m.name) : escapeMd(m.name));
  // One asked for: all of them for context. Several: those, then one line for the rest.
  const list =
    n > 1 && ordered.length > n
      ? {
          items: [
            ...ordered.slice(0, n).map((m) => item(c, label(m), m.value, sum)),
            item(
              c,
              tr(
                lang,
                `The other ${ordered.length - n}`,
                `${DIM[by].feminine ? 'Las otras' : 'Los otros'} ${ordered.length - n}`,
              ),
              ordered.slice(n).reduce((a, m) => a + m.value, 0),
              sum,
            ),
          ],
          truncated: true,
        }
      : summary(c, ordered, sum, label, DIM[by].feminine);
  const orderWord = most
    ? tr(lang, 'from most to least', 'de más a menos')
    : tr(lang, 'from least to most', 'de menos a más');
  return {
    text: md(
      head,
      n === 1 &&
        ordered.length > 1 &&
        tr(lang, `All of them, ${orderWord}:`, `${DIM[by].feminine ? 'Todas' : 'Todos'}, ${orderWord}:`),
      list.items,
    ),
    suggestions: [
      ...(list.truncated ? [fullListButton(c, by, metric, span, ordered.length, frame.sel)] : []),
      ...(metric === 'credits' ? [ask(lang, 'usage_by_type')] : [ask(lang, 'conversations_limit')]),
      ask(lang, 'usage_by_period'),
    ],
  };
}

// --- share, average ----------------------------------------------------------------------------------------

async function share(c: AnswerCtx, metric: Metric, sel: Selector, of: 'plan' | 'total' | 'limit'): Promise<Reply> {
  const { f, lang } = c;
  const { span } = await context(c, sel);
  const part = await measure(c, metric, sel, span);
  const s = await c.state();
  const periodWords = span.label;
  let text: string;
  if (of === 'plan' && metric === 'credits') {
    const plan = s.plan.monthlyCredits;
    const who = filterWords(c, { ...sel, period: undefined }).join(' ');
    const used = span.current ? tr(lang, "You've used", 'Llevas usado') : tr(lang, 'You used', 'Usaste');
    text = tr(
      lang,
      `${used} **${pct(c, part, plan)}** of your plan's ${f.n(plan)} monthly credits ${who ? `${who} ` : ''}${periodWords}: ${f.credits(part)}.`,
      `${used} el **${pct(c, part, plan)}** de los ${f.n(plan)} créditos mensuales de tu plan ${who ? `${who} ` : ''}${periodWords}: ${f.credits(part)}.`,
    );
  } else if (of === 'limit' && sel.identity) {
    const limit = s.plan.conversationsPerIdentity;
    text = tr(
      lang,
      `${bold(sel.identity.name)} has used **${pct(c, part, limit)}** of its ${f.n(limit)}-conversation monthly limit ${periodWords}: ${unit(c, 'conversations', part)}.`,
      `${bold(sel.identity.name)} lleva **${pct(c, part, limit)}** de su límite de ${f.n(limit)} conversaciones al mes ${periodWords}: ${unit(c, 'conversations', part)}.`,
    );
  } else {
    const whole = await measure(c, metric, { period: sel.period }, span);
    const subject = subjectOf(c, sel);
    const of =
      metric === 'credits'
        ? tr(lang, 'of the credits used', 'de los créditos usados')
        : tr(lang, 'of the conversations', 'de las conversaciones');
    text =
      whole === 0
        ? tr(
            lang,
            `Nothing was used ${periodWords}, so there is no share to give.`,
            `No hubo consumo ${periodWords}, así que no hay porcentaje que dar.`,
          )
        : tr(
            lang,
            `${subject}: **${pct(c, part, whole)}** ${of} ${periodWords} (${f.n(part)} of ${f.n(whole)}).`,
            `${subject}: **${pct(c, part, whole)}** ${of} ${periodWords} (${f.n(part)} de ${f.n(whole)}).`,
          );
  }
  return {
    text: md(text),
    suggestions:
      metric === 'credits'
        ? [ask(lang, 'usage_by_type'), ask(lang, 'forecast_runout')]
        : [ask(lang, 'conversations_by_identity'), ask(lang, 'conversations_limit')],
  };
}

/** A selector's filter as the subject of a sentence: "Enrichment", "**Diego Morales**". */
function subjectOf(c: AnswerCtx, sel: Selector): string {
  if (sel.user) return bold(sel.user.name);
  if (sel.identity) return bold(sel.identity.name);
  if (sel.campaign) return bold(sel.campaign.name);
  if (sel.actionType) return capitalise(sel.actionType === 'scraping' ? 'scraping' : c.f.typeLabel(sel.actionType));
  return tr(c.lang, 'All', 'Todo');
}

async function average(c: AnswerCtx, metric: Metric, sel: Selector): Promise<Reply> {
  const { f, lang } = c;
  const { span, words } = await context(c, sel);
  const sum = await measure(c, metric, sel, span);
  const avg = Math.round(sum / span.days);
  const days = span.current
    ? tr(lang, `${f.n(span.days)} days so far, today included`, `${f.n(span.days)} días hasta hoy incluido`)
    : tr(lang, `${f.n(span.days)} days`, `${f.n(span.days)} días`);
  return {
    text: md(
      tr(
        lang,
        `On average **${unit(c, metric, avg)} a day** ${words}: ${f.n(sum)} over ${days}.`,
        `De media, **${unit(c, metric, avg)} al día** ${words}: ${f.n(sum)} en ${days}.`,
      ),
    ),
    suggestions: [fullListButton(c, 'day', metric, span, span.days, sel), ask(lang, 'forecast_runout')],
  };
}

// --- buttons: the whole list, an export ----------------------------------------------------------------------

const GROUPS = ['day', 'user', 'type', 'identity', 'campaign'] as const;
const MAX_SPAN_MS = 3 * 366 * 86_400_000;

/** A button's range, checked: null for anything malformed (the engine then treats the press as a message). */
function spanFromButton(c: AnswerCtx, v: Record<string, unknown>): Span | null {
  const from = typeof v.from === 'string' ? new Date(v.from) : undefined;
  const to = typeof v.to === 'string' ? new Date(v.to) : undefined;
  if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return null;
  if (from.getTime() >= to.getTime() || to.getTime() - from.getTime() > MAX_SPAN_MS) return null;
  const last = new Date(Math.min(to.getTime() - 1, c.now.getTime()));
  const current = from.getTime() <= c.now.getTime() && c.now.getTime() < to.getTime();
  return {
    from,
    to,
    label: tr(c.lang, `from ${c.f.date(from)} to ${c.f.date(last)}`, `del ${c.f.date(from)} al ${c.f.date(last)}`),
    current,
    days: Math.max(1, Math.round((Math.min(to.getTime(), c.now.getTime()) - from.getTime()) / 86_400_000)),
  };
}

/** "Show all" / "Day by day": the whole breakdown behind a summarised reply. */
export async function fullList(c: AnswerCtx, v: Record<string, unknown>): Promise<Reply | null> {
  const by = GROUPS.find((g) => g === v.by);
  const metric: Metric = v.metric === 'conversations' ? 'conversations' : 'credits';
  const span = spanFromButton(c, v);
  if (!by || !span) return null;
  const sel = selectorFromButton(v.sel);
  const { f, lang } = c;
  if (by === 'day') {
    const points = await seriesOf(c, metric, sel, span, 'day');
    const sum = points.reduce((s, p) => s + p.value, 0);
    return {
      text: md(
        tr(
          lang,
          `${capitalise(unit(c, metric, sum))} ${span.label}, day by day:`,
          `${capitalise(unit(c, metric, sum))} ${span.label}, día a día:`,
        ),
        points.map((p) => `${f.shortDate(`${p.key}T12:00:00Z`)}: ${f.n(p.value)}`),
      ),
      suggestions: [exportSuggestion(c, span, 'day'), ask(lang, 'usage_by_type')],
    };
  }
  const all = await membersOf(c, metric, by, sel, span);
  const sum = all.reduce((s, m) => s + m.value, 0);
  return {
    text: md(
      tr(
        lang,
        `${capitalise(unit(c, metric, sum))} ${span.label}, all of them:`,
        `${capitalise(unit(c, metric, sum))} ${span.label}, completo:`,
      ),
      all.map((m) => item(c, by === 'type' ? capitalise(m.name) : escapeMd(m.name), m.value, sum)),
    ),
    suggestions:
      by === 'user' || by === 'type'
        ? [exportSuggestion(c, span, by), ask(lang, 'usage_by_period')]
        : [ask(lang, 'conversations_limit')],
  };
}

/** The filters a button carries, kept only when well-formed (a button value is the client's to change). */
function selectorFromButton(raw: unknown): Selector {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const named = (x: unknown) => {
    const e = x as { id?: unknown; name?: unknown } | undefined;
    return e && typeof e.id === 'string' && typeof e.name === 'string' && e.id.length < 200 && e.name.length < 200
      ? { id: e.id, name: e.name }
      : undefined;
  };
  const types = ['scraping', 'company_scraping', 'contact_scraping', 'enrichment', 'ai_variable', 'workflow'] as const;
  const actionType = types.find((t) => t === r.actionType);
  const user = named(r.user);
  const identity = named(r.identity);
  const campaign = named(r.campaign);
  return {
    ...(actionType ? { actionType } : {}),
    ...(user ? { user } : {}),
    ...(identity ? { identity } : {}),
    ...(campaign ? { campaign } : {}),
  };
}

const exportSuggestion = (c: AnswerCtx, span: Span, by: 'day' | 'user' | 'type'): Suggestion => ({
  title: tr(c.lang, 'Export CSV', 'Exportar CSV'),
  value: { action: 'export', by, from: span.from.toISOString(), to: span.to.toISOString() },
});

/** The "Export CSV" button: links for the button's range. */
export function exportFromButton(c: AnswerCtx, v: Record<string, unknown>): Reply | null {
  const by = (['day', 'user', 'type'] as const).find((g) => g === v.by) ?? 'day';
  const span = spanFromButton(c, v);
  return span ? exportAnswer(c, span, by) : null;
}

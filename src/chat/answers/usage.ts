/** Answers about where credits went (by type, user, period, spikes) and conversations by identity. */
import { DateTime } from 'luxon';
import type { UsageRow, UsageType } from '../../credits/types.ts';
import { barChartSvg } from '../chart.ts';
import { bold, escapeMd, md } from '../markdown.ts';
import type { Metric, Selector } from '../nlu/index.ts';
import { resolvePeriod } from '../periods.ts';
import type { Reply, ReplyImage, Suggestion } from '../types.ts';
import { type AnswerCtx, ask, buyButton, tr } from './context.ts';
import {
  capitalise,
  filterWords,
  item,
  type Member,
  type Span,
  seriesOf,
  spanOf,
  summary,
  typesOf,
  unit,
} from './figures.ts';

/** The range a question is about: the period it names, or the current credit period. */
const rangeOf = (c: AnswerCtx) => spanOf(c, c.nlu.slots.period);

const total = (rows: UsageRow[]) => rows.reduce((a, r) => a + (r.credits ?? r.conversations ?? 0), 0);

const members = (rows: UsageRow[], name: (r: UsageRow) => string): Member[] =>
  rows.map((r) => ({ key: r.key, name: name(r), value: r.credits ?? r.conversations ?? 0 }));

/** A button that shows a whole breakdown (the reply shows its top items and "the rest"). */
export function fullListButton(
  c: AnswerCtx,
  by: 'user' | 'type' | 'identity' | 'campaign' | 'day',
  metric: Metric,
  span: Span,
  count: number,
  /** the filters of the figure the list details (a user, a type, an identity, a campaign) */
  sel: Selector = {},
): Suggestion {
  const filter = {
    ...(sel.actionType ? { actionType: sel.actionType } : {}),
    ...(sel.user ? { user: sel.user } : {}),
    ...(sel.identity ? { identity: sel.identity } : {}),
    ...(sel.campaign ? { campaign: sel.campaign } : {}),
  };
  return {
    title: by === 'day' ? tr(c.lang, 'Day by day', 'Día a día') : tr(c.lang, `Show all ${count}`, `Ver los ${count}`),
    value: {
      action: 'list.full',
      by,
      metric,
      from: span.from.toISOString(),
      to: span.to.toISOString(),
      ...(Object.keys(filter).length ? { sel: filter } : {}),
    },
  };
}

/** A button that offers the range as a CSV file (a signed link, see answers/exports.ts). */
export const exportButton = (c: AnswerCtx, span: Span, by: 'day' | 'user' | 'type' = 'day'): Suggestion => ({
  title: tr(c.lang, 'Export CSV', 'Exportar CSV'),
  value: { action: 'export', by, from: span.from.toISOString(), to: span.to.toISOString() },
});

export async function usageByType(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const range = await rangeOf(c);
  const { rows } = await c.deps.credits.usage(c.who.accountId, { from: range.from, to: range.to, groupBy: 'type' });
  const sum = total(rows);
  const wanted = typesOf(c.nlu.slots.actionType);
  if (wanted) {
    const picked = rows.filter((r) => wanted.includes(r.key as UsageType));
    const v = total(picked);
    const name = c.nlu.slots.actionType === 'scraping' ? tr(lang, 'scraping', 'scraping') : f.typeLabel(wanted[0]!);
    return {
      text: md(
        tr(
          lang,
          `**${f.credits(v)}** went to ${name} ${range.label}${sum > 0 ? `, ${f.percent(v / sum)} of the ${f.n(sum)} used` : ''}.`,
          `**${f.credits(v)}** se han ido en ${name} ${range.label}${sum > 0 ? `, el ${f.percent(v / sum)} de los ${f.n(sum)} usados` : ''}.`,
        ),
        picked.length > 1 && picked.map((r) => item(c, capitalise(f.typeLabel(r.key)), r.credits ?? 0, 0)),
        tr(
          lang,
          'Each action is charged when it runs: scrapings and enrichments per record, AI variables per execution, workflows per step they run.',
          'Cada acción se cobra al ejecutarse: scrapings y enriquecimientos por registro, variables de IA por ejecución y workflows por cada paso que ejecutan.',
        ),
      ),
      suggestions: [ask(lang, 'usage_by_user'), ask(lang, 'usage_by_period'), ask(lang, 'balance')],
    };
  }
  if (sum === 0) {
    return {
      text: tr(lang, `No credits were used ${range.label}.`, `No se han usado créditos ${range.label}.`),
      suggestions: [ask(lang, 'balance'), ask(lang, 'usage_by_period')],
    };
  }
  return {
    text: md(
      tr(
        lang,
        `${f.credits(sum)} used ${range.label}, by action:`,
        `${f.credits(sum)} usados ${range.label}, por acción:`,
      ),
      rows.map((r) => item(c, capitalise(f.typeLabel(r.key)), r.credits ?? 0, sum)),
    ),
    suggestions: [ask(lang, 'usage_by_user'), ask(lang, 'usage_spike'), ask(lang, 'forecast_runout')],
  };
}

export async function usageByUser(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const range = await rangeOf(c);
  const user = c.nlu.slots.user;
  if (user) {
    const { rows } = await c.deps.credits.usage(c.who.accountId, {
      from: range.from,
      to: range.to,
      groupBy: 'type',
      filter: { userId: user.id },
    });
    const v = total(rows);
    return {
      text: md(
        tr(
          lang,
          `${bold(user.name)} used **${f.credits(v)}** ${range.label}.`,
          `${bold(user.name)} ha usado **${f.credits(v)}** ${range.label}.`,
        ),
        v > 0 && rows.map((r) => item(c, capitalise(f.typeLabel(r.key)), r.credits ?? 0, v)),
      ),
      suggestions: [ask(lang, 'usage_by_user'), ask(lang, 'usage_by_type')],
    };
  }
  const { rows } = await c.deps.credits.usage(c.who.accountId, { from: range.from, to: range.to, groupBy: 'user' });
  const sum = total(rows);
  if (sum === 0) {
    return {
      text: tr(lang, `Nobody used credits ${range.label}.`, `Nadie ha usado créditos ${range.label}.`),
      suggestions: [ask(lang, 'balance')],
    };
  }
  const top = rows[0]!;
  const list = summary(
    c,
    members(rows, (r) => r.name ?? r.key),
    sum,
    (m) => escapeMd(m.name),
  );
  return {
    text: md(
      tr(
        lang,
        `${f.credits(sum)} used ${range.label}; ${bold(top.name ?? top.key)} used the most:`,
        `${f.credits(sum)} usados ${range.label}; quien más ha gastado es ${bold(top.name ?? top.key)}:`,
      ),
      list.items,
      tr(
        lang,
        'Usage is recorded for the user who ran each action. The View Usage page shows the same breakdown by user.',
        'El consumo se registra a nombre del usuario que ejecutó cada acción. La página View Usage muestra el mismo desglose por usuario.',
      ),
    ),
    suggestions: [
      ...(list.truncated ? [fullListButton(c, 'user', 'credits', range, rows.length)] : []),
      ask(lang, 'usage_by_type'),
      ask(lang, 'usage_spike'),
    ],
  };
}

export async function usageByPeriod(c: AnswerCtx): Promise<Reply> {
  return usageSeries(c, 'credits', c.nlu.slots.period ? { period: c.nlu.slots.period } : {}, 'day');
}

/**
 * A time series: the total first, then the average per day and the busiest day, and a chart (an SVG image
 * attachment); the day-by-day list and a CSV export are a button away. One day: just the figure.
 */
export async function usageSeries(c: AnswerCtx, metric: Metric, sel: Selector, step: 'day' | 'month'): Promise<Reply> {
  const { f, lang } = c;
  const span = await spanOf(c, sel.period);
  // A "monthly" series of a short range is a daily one; of no range, the last six months.
  const monthly = step === 'month' && (sel.period === undefined || span.days > 62);
  const range = monthly && sel.period === undefined ? lastMonths(c, 6) : span;
  const points = await seriesOf(c, metric, sel, range, monthly ? 'month' : 'day');
  const sum = points.reduce((s, p) => s + p.value, 0);
  const what = [...filterWords(c, { ...sel, period: undefined }), range.label].join(' ');
  const headline =
    metric === 'credits'
      ? tr(lang, `**${f.credits(sum)}** used ${what}.`, `**${f.credits(sum)}** usados ${what}.`)
      : tr(lang, `**${unit(c, metric, sum)}** ${what}.`, `**${unit(c, metric, sum)}** ${what}.`);
  if (points.length <= 1 || sum === 0) {
    return {
      text: headline,
      suggestions: [ask(lang, 'usage_by_type'), ask(lang, 'usage_by_user'), ask(lang, 'forecast_runout')],
    };
  }
  const peak = points.reduce((a, b) => (b.value > a.value ? b : a));
  const pointName = (p: Member) => (monthly ? monthName(c, p.key) : f.shortDate(`${p.key}T12:00:00Z`));
  const average = Math.round(sum / Math.max(1, range.days));
  const detail = monthly
    ? tr(
        lang,
        `The busiest month was **${pointName(peak)}** (${f.n(peak.value)}).`,
        `El mes de más consumo fue **${pointName(peak)}** (${f.n(peak.value)}).`,
      )
    : tr(
        lang,
        `About ${f.n(average)} a day over ${f.n(range.days)} days; the busiest day was **${pointName(peak)}** (${f.n(peak.value)}).`,
        `Unos ${f.n(average)} al día en ${f.n(range.days)} días; el día de más consumo fue el **${pointName(peak)}** (${f.n(peak.value)}).`,
      );
  const title =
    metric === 'credits'
      ? tr(lang, monthly ? 'Credits per month' : 'Credits per day', monthly ? 'Créditos por mes' : 'Créditos por día')
      : tr(
          lang,
          monthly ? 'Conversations per month' : 'Conversations per day',
          monthly ? 'Conversaciones por mes' : 'Conversaciones por día',
        );
  const chart: ReplyImage = {
    kind: 'image',
    contentType: 'image/svg+xml',
    data: barChartSvg({
      title,
      bars: points.map((p) => ({
        label: monthly ? monthName(c, p.key, true) : String(Number(p.key.slice(8))),
        value: p.value,
      })),
      format: (v) => f.n(v),
      highlightMax: true,
    }),
    alt: `${title}, ${range.label}: ${points.map((p) => `${pointName(p)} ${f.n(p.value)}`).join('; ')}`,
  };
  return {
    text: md(headline, detail),
    attachments: [chart],
    suggestions: [
      // Month by month: the months are the list; day by day for up to about two months.
      ...(monthly ? [] : [fullListButton(c, 'day', metric, range, points.length, sel)]),
      exportButton(c, range),
      ask(lang, 'usage_by_type'),
    ],
  };
}

/** A local month key (YYYY-MM) by name; its 15th at noon UTC lies inside the month in every time zone. */
const monthName = (c: AnswerCtx, key: string, short = false): string =>
  c.f.month(`${key}-15T12:00:00Z`, short ? { short: true } : { withYear: true });

/** The last `n` calendar months up to today, for a monthly series with no period named. */
function lastMonths(c: AnswerCtx, n: number): Span {
  const zone = c.account.timeZone;
  const today = DateTime.fromJSDate(c.now, { zone }).startOf('day');
  const from = today.startOf('month').minus({ months: n - 1 });
  return {
    from: from.toJSDate(),
    to: today.plus({ days: 1 }).toJSDate(),
    label: tr(c.lang, `over the last ${n} months`, `en los últimos ${n} meses`),
    current: true,
    days: Math.round(today.diff(from, 'days').days) + 1,
  };
}

export async function usageSpike(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  // The last 7 local days (today included) and the 7 before: whole days, read from the day rollups.
  const week = resolvePeriod({ kind: 'last_n_days', days: 7 }, c.now, c.account.timeZone, c.lang);
  const prev = { from: new Date(week.from.getTime() - 7 * 86_400_000), to: week.from };
  const [days, types, users, before, s] = await Promise.all([
    c.deps.credits.usage(c.who.accountId, { ...week, groupBy: 'day' }),
    c.deps.credits.usage(c.who.accountId, { ...week, groupBy: 'type' }),
    c.deps.credits.usage(c.who.accountId, { ...week, groupBy: 'user' }),
    c.deps.credits.usage(c.who.accountId, { ...prev, groupBy: 'type' }),
    c.state(),
  ]);
  const used = total(days.rows);
  const earlier = total(before.rows);
  if (used === 0) {
    return {
      text: tr(
        lang,
        `No credits were used in the last 7 days; your balance is ${f.credits(s.credits.balance)}. If your balance changed, it may be the top-up: unused credits expire then.`,
        `No se han usado créditos en los últimos 7 días; tu saldo es de ${f.credits(s.credits.balance)}. Si tu saldo cambió, puede ser la recarga: los créditos no usados caducan entonces.`,
      ),
      suggestions: [ask(lang, 'rollover_policy'), ask(lang, 'balance')],
    };
  }
  const peak = [...days.rows].sort((a, b) => (b.credits ?? 0) - (a.credits ?? 0))[0]!;
  const topType = types.rows[0]!;
  const topUser = users.rows[0]!;
  const lines = [
    tr(
      lang,
      `In the last 7 days you used **${f.credits(used)}**${earlier > 0 ? ` (${f.n(earlier)} the 7 days before)` : ''}.`,
      `En los últimos 7 días has usado **${f.credits(used)}**${earlier > 0 ? ` (${f.n(earlier)} los 7 días anteriores)` : ''}.`,
    ),
    tr(
      lang,
      `The biggest day was **${f.shortDate(`${peak.key}T12:00:00Z`)}** with ${f.n(peak.credits ?? 0)}. Most went to **${f.typeLabel(topType.key)}** (${f.n(topType.credits ?? 0)}), and ${bold(topUser.name ?? topUser.key)} used the most (${f.n(topUser.credits ?? 0)}).`,
      `El día de más consumo fue el **${f.shortDate(`${peak.key}T12:00:00Z`)}** con ${f.n(peak.credits ?? 0)}. La mayor parte fue a **${f.typeLabel(topType.key)}** (${f.n(topType.credits ?? 0)}), y quien más usó fue ${bold(topUser.name ?? topUser.key)} (${f.n(topUser.credits ?? 0)}).`,
    ),
  ];
  if (topType.key === 'workflow') {
    lines.push(
      tr(
        lang,
        'Workflows keep consuming credits while they are active: check for workflows left running.',
        'Los workflows siguen consumiendo créditos mientras están activos: revisa si hay alguno que se quedó en marcha.',
      ),
    );
  }
  lines.push(
    tr(
      lang,
      `Your balance now is ${f.credits(s.credits.balance)}. If something looks wrong, your account manager can review it.`,
      `Tu saldo ahora es de ${f.credits(s.credits.balance)}. Si algo no cuadra, tu gestor de cuenta puede revisarlo.`,
    ),
  );
  return {
    text: lines.join(' '),
    suggestions: [ask(lang, 'usage_by_user'), ask(lang, 'talk_to_human'), ask(lang, 'forecast_runout')],
  };
}

export async function conversationsByIdentity(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const s = await c.state();
  if (c.nlu.slots.period) {
    const range = await rangeOf(c);
    const { rows } = await c.deps.credits.usage(c.who.accountId, {
      from: range.from,
      to: range.to,
      groupBy: 'identity',
    });
    const sum = total(rows);
    const list = summary(
      c,
      members(rows, (r) => r.name ?? r.key),
      sum,
      (m) => escapeMd(m.name),
      true,
    );
    return {
      text: md(
        tr(lang, `${f.n(sum)} conversations ${range.label}:`, `${f.n(sum)} conversaciones ${range.label}:`),
        list.items,
      ),
      suggestions: [
        ...(list.truncated ? [fullListButton(c, 'identity', 'conversations', range, rows.length)] : []),
        ask(lang, 'conversations_limit'),
        ask(lang, 'conversations_by_identity'),
      ],
    };
  }
  const ids = s.conversations.byIdentity;
  const sum = ids.reduce((a, i) => a + i.used, 0);
  const flag = (used: number, limit: number) => (used >= limit ? ' ⛔' : used >= limit * 0.8 ? ' ⚠️' : '');
  const shown = ids.length <= 7 ? ids : ids.slice(0, 5);
  const rest = ids.slice(shown.length);
  const { rows: campaigns } = await c.deps.credits.usage(c.who.accountId, {
    from: new Date(s.period.start),
    to: new Date(s.period.end),
    groupBy: 'campaign',
  });
  const top = campaigns[0];
  const span = await spanOf(c);
  return {
    text: md(
      tr(
        lang,
        `${f.n(sum)} conversations this period, by identity (limit ${f.n(s.conversations.limitPerIdentity)} each per month):`,
        `${f.n(sum)} conversaciones este periodo, por identidad (límite de ${f.n(s.conversations.limitPerIdentity)} cada una al mes):`,
      ),
      [
        ...shown.map((i) => `${escapeMd(i.name)}: ${f.n(i.used)} / ${f.n(i.limit)}${flag(i.used, i.limit)}`),
        ...(rest.length
          ? [
              `${tr(lang, `The other ${rest.length}`, `Las otras ${rest.length}`)}: ${f.n(rest.reduce((a, i) => a + i.used, 0))}${rest.some((i) => i.used >= i.limit * 0.8) ? ' ⚠️' : ''}`,
            ]
          : []),
      ],
      top &&
        tr(
          lang,
          `The campaign with the most conversations is ${bold(top.name ?? top.key)} (${f.n(top.conversations ?? 0)}).`,
          `La campaña con más conversaciones es ${bold(top.name ?? top.key)} (${f.n(top.conversations ?? 0)}).`,
        ),
    ),
    suggestions: [
      ...(rest.length ? [fullListButton(c, 'identity', 'conversations', span, ids.length)] : []),
      ask(lang, 'conversations_limit'),
      ask(lang, 'balance'),
    ],
  };
}

export async function conversationsLimit(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const s = await c.state();
  const limit = s.conversations.limitPerIdentity;
  const near = s.conversations.byIdentity.filter((i) => i.used >= i.limit * 0.8);
  return {
    text: md(
      tr(
        lang,
        `Each identity can start up to **${f.n(limit)} conversations per month**; the count resets at every top-up (next: ${f.date(s.nextTopUpAt)}). Your plan has ${f.n(s.plan.identities)} identities, and each has its own quota: they are not shared.`,
        `Cada identidad puede iniciar hasta **${f.n(limit)} conversaciones al mes**; el contador se reinicia en cada recarga (la próxima: ${f.date(s.nextTopUpAt)}). Tu plan tiene ${f.n(s.plan.identities)} identidades y cada una tiene su propia cuota: no se comparten.`,
      ),
      near.length > 0 && tr(lang, 'Close to the limit this period:', 'Cerca del límite este periodo:'),
      near.map((i) => `${escapeMd(i.name)}: ${f.n(i.used)} / ${f.n(i.limit)}`),
      tr(
        lang,
        "Daily sending caps per LinkedIn account or mailbox are set in each identity's settings on the platform, not by your plan.",
        'Los topes diarios de envío de cada cuenta de LinkedIn o buzón se configuran en los ajustes de cada identidad en la plataforma, no en tu plan.',
      ),
    ),
    suggestions: [ask(lang, 'conversations_by_identity'), buyButton(lang)],
  };
}

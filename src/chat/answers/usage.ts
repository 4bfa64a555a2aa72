/** Answers about where credits went (by type, user, period, spikes) and conversations by identity. */
import type { UsageRow, UsageType } from '../../credits/types.ts';
import { USAGE_TYPES } from '../../credits/types.ts';
import { escapeMarkdown as md } from '../../shared/text.ts';
import { type ResolvedRange, resolvePeriod } from '../periods.ts';
import type { Reply } from '../types.ts';
import { type AnswerCtx, ask, buyButton, tr } from './context.ts';

/** The range a question is about: the period it names, or the current credit period. */
async function rangeOf(c: AnswerCtx): Promise<ResolvedRange> {
  const slot = c.nlu.slots.period;
  if (slot) return resolvePeriod(slot, c.now, c.account.timeZone, c.lang);
  const s = await c.state();
  const from = new Date(s.period.start);
  return {
    from,
    to: new Date(s.period.end),
    label: tr(c.lang, `this period (since ${c.f.date(from)})`, `este periodo (desde el ${c.f.date(from)})`),
    days: Math.round((new Date(s.period.end).getTime() - from.getTime()) / 86_400_000),
  };
}

const typesOf = (slot: string | undefined): UsageType[] | undefined =>
  slot === 'scraping'
    ? ['company_scraping', 'contact_scraping']
    : slot && (USAGE_TYPES as readonly string[]).includes(slot)
      ? [slot as UsageType]
      : undefined;

const total = (rows: UsageRow[]) => rows.reduce((a, r) => a + (r.credits ?? r.conversations ?? 0), 0);

function bulletList(c: AnswerCtx, rows: UsageRow[], label: (r: UsageRow) => string, of: number, max = 8): string[] {
  return rows.slice(0, max).map((r) => {
    const v = r.credits ?? r.conversations ?? 0;
    return `- ${md(label(r))}: ${c.f.n(v)}${of > 0 ? ` (${c.f.percent(v / of)})` : ''}`;
  });
}

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
    const lines = [
      tr(
        lang,
        `**${f.credits(v)}** went to ${name} ${range.label}${sum > 0 ? `, ${f.percent(v / sum)} of the ${f.n(sum)} used` : ''}.`,
        `**${f.credits(v)}** se han ido en ${name} ${range.label}${sum > 0 ? `, el ${f.percent(v / sum)} de los ${f.n(sum)} usados` : ''}.`,
      ),
    ];
    if (picked.length > 1) lines.push(...bulletList(c, picked, (r) => f.typeLabel(r.key), 0));
    lines.push(
      tr(
        lang,
        'Each action is charged when it runs: scrapings and enrichments per record, AI variables per execution, workflows per step they run.',
        'Cada acción se cobra al ejecutarse: scrapings y enriquecimientos por registro, variables de IA por ejecución y workflows por cada paso que ejecutan.',
      ),
    );
    return {
      text: lines.join('\n'),
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
    text: [
      tr(
        lang,
        `${f.credits(sum)} used ${range.label}, by action:`,
        `${f.credits(sum)} usados ${range.label}, por acción:`,
      ),
      ...bulletList(c, rows, (r) => capitalise(f.typeLabel(r.key)), sum),
    ].join('\n'),
    suggestions: [ask(lang, 'usage_by_user'), ask(lang, 'usage_spike'), ask(lang, 'forecast_runout')],
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
    const lines = [
      tr(
        lang,
        `**${md(user.name)}** used **${f.credits(v)}** ${range.label}.`,
        `**${md(user.name)}** ha usado **${f.credits(v)}** ${range.label}.`,
      ),
    ];
    if (v > 0) lines.push(...bulletList(c, rows, (r) => capitalise(f.typeLabel(r.key)), v));
    return { text: lines.join('\n'), suggestions: [ask(lang, 'usage_by_user'), ask(lang, 'usage_by_type')] };
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
  return {
    text: [
      tr(
        lang,
        `${f.credits(sum)} used ${range.label}; **${md(top.name ?? top.key)}** used the most:`,
        `${f.credits(sum)} usados ${range.label}; quien más ha gastado es **${md(top.name ?? top.key)}**:`,
      ),
      ...bulletList(c, rows, (r) => r.name ?? r.key, sum),
      tr(
        lang,
        'Usage is recorded for the user who ran each action. The View Usage page shows the same breakdown by user.',
        'El consumo se registra a nombre del usuario que ejecutó cada acción. La página View Usage muestra el mismo desglose por usuario.',
      ),
    ].join('\n'),
    suggestions: [ask(lang, 'usage_by_type'), ask(lang, 'usage_spike')],
  };
}

export async function usageByPeriod(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const range = await rangeOf(c);
  const { rows } = await c.deps.credits.usage(c.who.accountId, { from: range.from, to: range.to, groupBy: 'day' });
  const sum = total(rows);
  const lines = [
    tr(lang, `**${f.credits(sum)}** used ${range.label}.`, `**${f.credits(sum)}** usados ${range.label}.`),
  ];
  if (range.days > 1 && range.days <= 31 && sum > 0) {
    const byDay = new Map(rows.map((r) => [r.key, r.credits ?? 0]));
    const days: string[] = [];
    for (let t = range.from.getTime(); t < Math.min(range.to.getTime(), c.now.getTime() + 1); t += 86_400_000) {
      const key = f.dayKey(new Date(t + 12 * 3_600_000));
      if (!days.includes(key)) days.push(key);
    }
    const shown = days.length > 14 ? days.filter((d) => (byDay.get(d) ?? 0) > 0) : days;
    for (const d of shown) lines.push(`- ${f.shortDate(`${d}T12:00:00Z`)}: ${f.n(byDay.get(d) ?? 0)}`);
  }
  return {
    text: lines.join('\n'),
    suggestions: [ask(lang, 'usage_by_type'), ask(lang, 'usage_by_user'), ask(lang, 'forecast_runout')],
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
      `The biggest day was **${f.shortDate(`${peak.key}T12:00:00Z`)}** with ${f.n(peak.credits ?? 0)}. Most went to **${f.typeLabel(topType.key)}** (${f.n(topType.credits ?? 0)}), and **${md(topUser.name ?? topUser.key)}** used the most (${f.n(topUser.credits ?? 0)}).`,
      `El día de más consumo fue el **${f.shortDate(`${peak.key}T12:00:00Z`)}** con ${f.n(peak.credits ?? 0)}. La mayor parte fue a **${f.typeLabel(topType.key)}** (${f.n(topType.credits ?? 0)}), y quien más usó fue **${md(topUser.name ?? topUser.key)}** (${f.n(topUser.credits ?? 0)}).`,
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
    return {
      text: [
        tr(lang, `${f.n(sum)} conversations ${range.label}:`, `${f.n(sum)} conversaciones ${range.label}:`),
        ...bulletList(c, rows, (r) => r.name ?? r.key, sum),
      ].join('\n'),
      suggestions: [ask(lang, 'conversations_limit'), ask(lang, 'conversations_by_identity')],
    };
  }
  const ids = s.conversations.byIdentity;
  const sum = ids.reduce((a, i) => a + i.used, 0);
  const lines = [
    tr(
      lang,
      `${f.n(sum)} conversations this period, by identity (limit ${f.n(s.conversations.limitPerIdentity)} each per month):`,
      `${f.n(sum)} conversaciones este periodo, por identidad (límite de ${f.n(s.conversations.limitPerIdentity)} cada una al mes):`,
    ),
    ...ids.map(
      (i) =>
        `- ${md(i.name)}: ${f.n(i.used)} / ${f.n(i.limit)}${i.used >= i.limit ? ' ⛔' : i.used >= i.limit * 0.8 ? ' ⚠️' : ''}`,
    ),
  ];
  const { rows: campaigns } = await c.deps.credits.usage(c.who.accountId, {
    from: new Date(s.period.start),
    to: new Date(s.period.end),
    groupBy: 'campaign',
  });
  if (campaigns.length) {
    const top = campaigns[0]!;
    lines.push(
      tr(
        lang,
        `The campaign with the most conversations is **${md(top.name ?? top.key)}** (${f.n(top.conversations ?? 0)}).`,
        `La campaña con más conversaciones es **${md(top.name ?? top.key)}** (${f.n(top.conversations ?? 0)}).`,
      ),
    );
  }
  return { text: lines.join('\n'), suggestions: [ask(lang, 'conversations_limit'), ask(lang, 'balance')] };
}

export async function conversationsLimit(c: AnswerCtx): Promise<Reply> {
  const { f, lang } = c;
  const s = await c.state();
  const limit = s.conversations.limitPerIdentity;
  const near = s.conversations.byIdentity.filter((i) => i.used >= i.limit * 0.8);
  const lines = [
    tr(
      lang,
      `Each identity can start up to **${f.n(limit)} conversations per month**; the count resets at every top-up (next: ${f.date(s.nextTopUpAt)}). Your plan has ${f.n(s.plan.identities)} identities, and each has its own quota: they are not shared.`,
      `Cada identidad puede iniciar hasta **${f.n(limit)} conversaciones al mes**; el contador se reinicia en cada recarga (la próxima: ${f.date(s.nextTopUpAt)}). Tu plan tiene ${f.n(s.plan.identities)} identidades y cada una tiene su propia cuota: no se comparten.`,
    ),
  ];
  if (near.length) {
    lines.push(
      tr(lang, 'Close to the limit this period:', 'Cerca del límite este periodo:'),
      ...near.map((i) => `- ${md(i.name)}: ${f.n(i.used)} / ${f.n(i.limit)}`),
    );
  }
  lines.push(
    tr(
      lang,
      "Daily sending caps per LinkedIn account or mailbox are set in each identity's settings on the platform, not by your plan.",
      'Los topes diarios de envío de cada cuenta de LinkedIn o buzón se configuran en los ajustes de cada identidad en la plataforma, no en tu plan.',
    ),
  );
  return { text: lines.join('\n'), suggestions: [ask(lang, 'conversations_by_identity'), buyButton(lang)] };
}

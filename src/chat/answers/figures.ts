/**
 * Figures of a selector (a period and at most one filter of each kind), read from the credit domain through the
 * chat's CreditsPort: a total, a breakdown with every member (zeros included), a series by day or month. Also
 * the words for a selector in a sentence ("in October", "by **Diego Morales**"). Every number is an integer from
 * the ledger; nothing is estimated here.
 */
import { addDays, daysBetween, localDate, periodAt } from '../../credits/period.ts';
import { USAGE_TYPES, type UsageType } from '../../credits/types.ts';
import { bold } from '../markdown.ts';
import type { ActionTypeSlot, Metric, PeriodSlot, RankBy, Selector } from '../nlu/index.ts';
import { resolvePeriod } from '../periods.ts';
import { type AnswerCtx, tr } from './context.ts';

export interface Span {
  from: Date;
  to: Date;
  /** adverbial: "in October", "this week", "this period (since 1 November 2026)" */
  label: string;
  /** the range holds now */
  current: boolean;
  /** days an average divides by: for a current range the local days up to and including today, else all */
  days: number;
}

/** The range of a period the customer named, or the current credit period. */
export async function spanOf(c: AnswerCtx, slot?: PeriodSlot): Promise<Span> {
  let from: Date;
  let to: Date;
  let label: string;
  let days: number;
  if (slot?.kind === 'current_period' || slot?.kind === 'previous_period') {
    // The account's credit periods, from the state (its start is 00:00 of the top-up day, local time).
    const s = await c.state();
    const start = new Date(s.period.start);
    const topUpDay = Number(localDate(start, c.account.timeZone).slice(8, 10));
    const p =
      slot.kind === 'current_period'
        ? { start, end: new Date(s.period.end) }
        : periodAt(new Date(start.getTime() - 1), c.account.timeZone, topUpDay);
    from = p.start;
    to = p.end;
    label = resolvePeriod(slot, c.now, c.account.timeZone, c.lang).label;
    days = daysBetween(localDate(from, c.account.timeZone), localDate(to, c.account.timeZone));
  } else if (slot) {
    const r = resolvePeriod(slot, c.now, c.account.timeZone, c.lang);
    ({ from, to, label, days } = r);
  } else {
    const s = await c.state();
    from = new Date(s.period.start);
    to = new Date(s.period.end);
    label = tr(c.lang, `this period (since ${c.f.date(from)})`, `este periodo (desde el ${c.f.date(from)})`);
    days = daysBetween(localDate(from, c.account.timeZone), localDate(to, c.account.timeZone));
  }
  const current = from.getTime() <= c.now.getTime() && c.now.getTime() < to.getTime();
  if (current) {
    const zone = c.account.timeZone;
    days = daysBetween(localDate(from, zone), localDate(c.now, zone)) + 1;
  }
  return { from, to, label, current, days: Math.max(1, days) };
}

/** The usage types an action-type slot stands for ("scraping": company and contact scraping). */
export const typesOf = (slot: ActionTypeSlot | string | undefined): UsageType[] | undefined =>
  slot === 'scraping'
    ? ['company_scraping', 'contact_scraping']
    : slot && (USAGE_TYPES as readonly string[]).includes(slot)
      ? [slot as UsageType]
      : undefined;

export interface Member {
  key: string;
  name: string;
  value: number;
}

type Group = RankBy | 'day';

interface Row {
  key: string;
  name?: string;
  value: number;
}

/** Rows of one breakdown, summed over the types a "scraping" filter stands for. */
async function rows(c: AnswerCtx, metric: Metric, groupBy: Group, sel: Selector, span: Span): Promise<Row[]> {
  const base = { from: span.from, to: span.to, groupBy, metric } as const;
  const value = (r: { credits?: number; conversations?: number }) => r.credits ?? r.conversations ?? 0;
  if (metric === 'conversations') {
    const filter = { identityId: sel.identity?.id, campaignId: sel.campaign?.id };
    const { rows: found } = await c.deps.credits.usage(c.who.accountId, { ...base, filter });
    return found.map((r) => ({ key: r.key, ...(r.name ? { name: r.name } : {}), value: value(r) }));
  }
  const types = typesOf(sel.actionType);
  // By type: every type in one call, the filter applied to the rows; otherwise one call per type of the filter.
  const calls = groupBy === 'type' || !types ? [undefined] : types;
  const merged = new Map<string, Row>();
  for (const type of calls) {
    const { rows: part } = await c.deps.credits.usage(c.who.accountId, {
      ...base,
      filter: { userId: sel.user?.id, ...(type ? { type } : {}) },
    });
    for (const r of part) {
      if (groupBy === 'type' && types && !types.includes(r.key as UsageType)) continue;
      const m = merged.get(r.key) ?? { key: r.key, ...(r.name ? { name: r.name } : {}), value: 0 };
      m.value += value(r);
      merged.set(r.key, m);
    }
  }
  return [...merged.values()];
}

/** The total of a selector over a span. */
export async function measure(c: AnswerCtx, metric: Metric, sel: Selector, span: Span): Promise<number> {
  const found = await rows(c, metric, metric === 'credits' ? 'type' : 'identity', sel, span);
  return found.reduce((s, r) => s + r.value, 0);
}

/** Every member of a dimension with its value (members without usage included, with 0), largest first. */
export async function membersOf(
  c: AnswerCtx,
  metric: Metric,
  by: RankBy,
  sel: Selector,
  span: Span,
): Promise<Member[]> {
  const found = await rows(c, metric, by, sel, span);
  const out = new Map<string, Member>();
  for (const r of found) {
    out.set(r.key, { key: r.key, name: by === 'type' ? c.f.typeLabel(r.key) : (r.name ?? r.key), value: r.value });
  }
  let all: Array<{ id: string; name: string }>;
  if (by === 'type')
    all = (typesOf(sel.actionType) ?? [...USAGE_TYPES]).map((t) => ({ id: t, name: c.f.typeLabel(t) }));
  else {
    const names = await c.deps.directory.names(c.who.accountId);
    all = by === 'user' ? names.users : by === 'identity' ? names.identities : names.campaigns;
  }
  for (const m of all) if (!out.has(m.id)) out.set(m.id, { key: m.id, name: m.name, value: 0 });
  return [...out.values()].sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
}

/** Values per local day (YYYY-MM-DD) or month (YYYY-MM) from the span's start up to today, zeros included. */
export async function seriesOf(
  c: AnswerCtx,
  metric: Metric,
  sel: Selector,
  span: Span,
  step: 'day' | 'month',
): Promise<Member[]> {
  const byDay = new Map<string, number>();
  for (const r of await rows(c, metric, 'day', sel, span)) byDay.set(r.key, (byDay.get(r.key) ?? 0) + r.value);
  const zone = c.account.timeZone;
  const last = localDate(new Date(Math.min(span.to.getTime() - 1, c.now.getTime())), zone);
  const out = new Map<string, number>();
  for (let day = localDate(span.from, zone); day <= last; day = addDays(day, 1)) {
    const key = step === 'day' ? day : day.slice(0, 7);
    out.set(key, (out.get(key) ?? 0) + (byDay.get(day) ?? 0));
  }
  return [...out.entries()].map(([key, value]) => ({ key, name: key, value }));
}

// --- words ----------------------------------------------------------------------------------------------

export const unit = (c: AnswerCtx, metric: Metric, v: number): string =>
  metric === 'credits'
    ? c.f.credits(v)
    : `${c.f.n(v)} ${tr(c.lang, v === 1 ? 'conversation' : 'conversations', v === 1 ? 'conversación' : 'conversaciones')}`;

/** A whole percentage of part in whole, as the locale writes it (30% / 30 %). */
export const pct = (c: AnswerCtx, part: number, whole: number): string =>
  c.f.percent(whole > 0 ? Math.round((100 * part) / whole) / 100 : 0);

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A filter as an adverbial phrase: "on enrichment", "by **Diego Morales**", "from **Proptech founders**". */
export function filterWords(c: AnswerCtx, sel: Selector): string[] {
  const { lang, f } = c;
  const out: string[] = [];
  if (sel.actionType)
    out.push(tr(lang, 'on ', 'en ') + (sel.actionType === 'scraping' ? 'scraping' : f.typeLabel(sel.actionType)));
  if (sel.user) out.push(tr(lang, 'by ', 'de ') + bold(sel.user.name));
  if (sel.identity) out.push(tr(lang, 'on ', 'en ') + bold(sel.identity.name));
  if (sel.campaign) out.push(tr(lang, 'from ', 'de ') + bold(sel.campaign.name));
  return out;
}

/** A member of a dimension as a noun: a type's label, a name in bold. */
export const memberWord = (by: RankBy, m: Member) => (by === 'type' ? m.name : bold(m.name));

// --- long lists -------------------------------------------------------------------------------------------

/** Lists up to this long are shown whole; longer ones as the top items and "the rest", with a button for all. */
export const LIST_MAX = 7;
export const LIST_TOP = 5;

/** A list item: "Name: 1,234 (30%)" (names escaped, not bold, so the list stays light). */
export const item = (c: AnswerCtx, label: string, v: number, of: number) =>
  `${label}: ${c.f.n(v)}${of > 0 ? ` (${pct(c, v, of)})` : ''}`;

/** The members as list items, summarised when long: the top ones and one line for the rest. */
export function summary(
  c: AnswerCtx,
  members: readonly Member[],
  of: number,
  label: (m: Member) => string,
  /** Spanish: the members are feminine (identidades, campañas) */
  feminine = false,
): { items: string[]; truncated: boolean } {
  if (members.length <= LIST_MAX)
    return { items: members.map((m) => item(c, label(m), m.value, of)), truncated: false };
  const top = members.slice(0, LIST_TOP);
  const rest = members.slice(LIST_TOP);
  const sum = rest.reduce((s, m) => s + m.value, 0);
  return {
    items: [
      ...top.map((m) => item(c, label(m), m.value, of)),
      item(
        c,
        tr(c.lang, `The other ${rest.length}`, `${feminine ? 'Las otras' : 'Los otros'} ${rest.length}`),
        sum,
        of,
      ),
    ],
    truncated: true,
  };
}

/**
 * The assistant's tools over the credit domain. Every tool is scoped by the conversation's binding (the
 * AnswerCtx's ChatIdentity): no tool has a parameter that could name an account, a company or a user id, every
 * schema is strict (no other property is accepted), and a call with any argument the schema does not define
 * (an `account_id` slipped in by hand) is refused whole, before any read. Reads answer compact JSON; figures are
 * computed here, never by the model (totals, differences, shares). Two tools prepare what the customer may then
 * confirm with the chat's own button (the engine's draft and confirm flow: the model can never create a
 * request), and one hands the conversation to the account manager through the escalation port.
 */
import { DateTime } from 'luxon';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { UsageGroupBy, UsageRow } from '../../credits/types.ts';
import type { EscalationReason } from '../../escalations/service.ts';
import { currencyDigits } from '../../locale/format.ts';
import { advisePlans } from '../../requests/plan-advice.ts';
import { AppError } from '../../shared/errors.ts';
import { ADVICE_PERIODS } from '../answers/advice.ts';
import type { AnswerCtx } from '../answers/context.ts';
import { spanOf } from '../answers/figures.ts';
import * as purchase from '../answers/purchase.ts';
import type { PeriodSlot } from '../nlu/types.ts';
import type { Topic } from './route.ts';

export interface ToolEnv {
  /** the conversation's own account, language and formats: the only scope any tool reads */
  c: AnswerCtx;
  /** hands the customer to the account manager (the engine's own hand-over) */
  escalate(reason: EscalationReason): Promise<void>;
}

/** What a turn's tools did beyond answering: a draft to show with its Confirm button, a hand-over. */
export interface ToolEffects {
  flow?: purchase.FlowResult;
  escalated?: boolean;
}

interface Tool {
  def: ChatCompletionFunctionTool;
  args: z.ZodType;
  run(args: never, env: ToolEnv, effects: ToolEffects): Promise<unknown>;
}

const PERIODS = [
  'current_period',
  'previous_period',
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'last_7_days',
  'last_30_days',
] as const;
type Period = (typeof PERIODS)[number];

const slotOf = (p: Period): PeriodSlot =>
  p === 'last_7_days'
    ? { kind: 'last_n_days', days: 7 }
    : p === 'last_30_days'
      ? { kind: 'last_n_days', days: 30 }
      : { kind: p };

/** The range before a period, of the same kind (the previous period, week, month, day), or as long. */
const PREVIOUS: Partial<Record<Period, Period>> = {
  current_period: 'previous_period',
  today: 'yesterday',
  this_week: 'last_week',
  this_month: 'last_month',
};

const ESCALATE_REASONS = [
  'asked_for_person',
  'refund_or_dispute',
  'invoice',
  'carryover_exception',
  'custom_offer',
  'frustration',
] as const;

const fn = (
  name: string,
  description: string,
  properties: Record<string, unknown> = {},
): ChatCompletionFunctionTool => ({
  type: 'function',
  function: {
    name,
    description,
    strict: true,
    parameters: { type: 'object', additionalProperties: false, required: Object.keys(properties), properties },
  },
});

const nullable = (schema: Record<string, unknown>) =>
  'enum' in schema
    ? { ...schema, type: [schema.type, 'null'], enum: [...(schema.enum as unknown[]), null] }
    : { ...schema, type: [schema.type, 'null'] };

const money = (amountMinor: number, currency: string) => ({
  amount: amountMinor / 10 ** currencyDigits(currency),
  currency,
});
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((10_000 * part) / whole) / 100 : 0);
/** The local day of an instant (YYYY-MM-DD); `exclusiveEnd`: the last day of a range that ends there. */
const day = (c: AnswerCtx, d: Date | string, exclusiveEnd = false) =>
  c.f.dayKey(new Date(new Date(d).getTime() - (exclusiveEnd ? 1 : 0)));

const ROWS = 12;

/** Rows biggest first, at most ROWS, the rest as one "others" row; each with its share of the total. */
function rowsOf(rows: UsageRow[], by: UsageGroupBy, total: number) {
  const value = (r: UsageRow) => r.credits ?? r.conversations ?? 0;
  const sorted =
    by === 'day' ? [...rows].sort((a, b) => a.key.localeCompare(b.key)) : [...rows].sort((a, b) => value(b) - value(a));
  const named = (r: UsageRow) => (by === 'type' ? r.key : by === 'day' ? r.key : (r.name ?? r.key));
  const head = sorted.slice(0, ROWS).map((r) => ({ name: named(r), value: value(r), percent: pct(value(r), total) }));
  const rest = sorted.slice(ROWS);
  if (rest.length) {
    const v = rest.reduce((s, r) => s + value(r), 0);
    head.push({ name: `${rest.length} others`, value: v, percent: pct(v, total) });
  }
  return head;
}

const dateArg = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();

const TOOLS: Record<string, Tool> = {
  get_credit_state: {
    def: fn(
      'get_credit_state',
      'Plan, credits, period, top-up, scheduled plan, conversations per identity vs the limit.',
    ),
    args: z.object({}).strict(),
    async run(_args, { c }) {
      const s = await c.state();
      const ids = [...s.conversations.byIdentity].sort((a, b) => b.used - a.used);
      return {
        plan: {
          name: s.plan.name,
          monthly_credits: s.plan.monthlyCredits,
          price_per_month: money(s.plan.price.amount, s.plan.price.currency),
          identities: s.plan.identities,
          conversations_per_identity: s.plan.conversationsPerIdentity,
        },
        credits: {
          balance: s.credits.balance,
          plan: s.credits.plan,
          add_on: s.credits.addOn,
          accumulated: s.credits.accumulated,
          used_this_period: s.credits.usedThisPeriod,
          used_percent_of_plan: pct(s.credits.usedThisPeriod, s.plan.monthlyCredits),
          overage: s.credits.overage,
        },
        period_start: day(c, s.period.start),
        next_top_up: day(c, s.nextTopUpAt),
        days_until_top_up: Math.max(0, Math.ceil((Date.parse(s.nextTopUpAt) - c.now.getTime()) / 86_400_000)),
        scheduled_plan: s.scheduledPlan
          ? {
              name: s.scheduledPlan.name,
              monthly_credits: s.scheduledPlan.monthlyCredits,
              from: day(c, s.scheduledPlan.effectiveFrom),
            }
          : null,
        conversations: {
          limit_per_identity: s.conversations.limitPerIdentity,
          identities: ids.slice(0, ROWS).map((i) => ({
            name: i.name,
            used: i.used,
            limit: i.limit,
            used_percent: pct(i.used, i.limit),
          })),
        },
      };
    },
  },

  get_forecast: {
    def: fn('get_forecast', 'Burn rate (last 7 days), run-out date, credits needed and missing until the top-up.'),
    args: z.object({}).strict(),
    async run(_args, { c }) {
      const f = await c.forecast();
      return {
        burn_rate_per_day: f.burnRatePerDay,
        window_days: f.windowDays,
        used_in_window: f.usedInWindow,
        balance: f.balance,
        runs_out_on: f.runsOutAt ? day(c, f.runsOutAt) : null,
        runs_out_before_top_up: f.runsOutBeforeTopUp,
        needed_until_top_up: f.neededUntilTopUp,
        shortfall: f.shortfall,
        next_top_up: day(c, f.nextTopUpAt),
      };
    },
  },

  get_usage: {
    def: fn(
      'get_usage',
      'Usage in a period or from/to dates (YYYY-MM-DD): total, rows by group with shares; compare_previous adds the range before and the changes.',
      {
        period: nullable({ type: 'string', enum: [...PERIODS] }),
        from: { type: ['string', 'null'] },
        to: { type: ['string', 'null'] },
        group_by: { type: 'string', enum: ['type', 'user', 'day', 'identity', 'campaign', 'none'] },
        metric: { type: 'string', enum: ['credits', 'conversations'] },
        compare_previous: { type: 'boolean' },
      },
    ),
    args: z
      .object({
        period: z.enum(PERIODS).nullable(),
        from: dateArg,
        to: dateArg,
        group_by: z.enum(['type', 'user', 'day', 'identity', 'campaign', 'none']),
        metric: z.enum(['credits', 'conversations']),
        compare_previous: z.boolean(),
      })
      .strict(),
    async run(
      args: {
        period: Period | null;
        from: string | null;
        to: string | null;
        group_by: UsageGroupBy | 'none';
        metric: 'credits' | 'conversations';
        compare_previous: boolean;
      },
      { c },
    ) {
      const metric = args.metric;
      if (metric === 'credits' && (args.group_by === 'identity' || args.group_by === 'campaign')) {
        return { error: 'Credits are grouped by type, user or day; identities and campaigns count conversations.' };
      }
      if (metric === 'conversations' && (args.group_by === 'type' || args.group_by === 'user')) {
        return { error: 'Conversations are grouped by identity, campaign or day.' };
      }
      const groupBy: UsageGroupBy =
        args.group_by === 'none' ? (metric === 'credits' ? 'type' : 'identity') : args.group_by;
      const rangeOf = async (period: Period | null, from: string | null, to: string | null) => {
        if (from || to) {
          const a = DateTime.fromISO(from ?? '', { zone: c.account.timeZone });
          const b = DateTime.fromISO(to ?? '', { zone: c.account.timeZone }).plus({ days: 1 });
          if (!a.isValid || !b.isValid || a >= b) return null;
          return { from: a.toJSDate(), to: b.toJSDate(), label: `${from} to ${to}` };
        }
        const span = await spanOf(c, slotOf(period ?? 'current_period'));
        return { from: span.from, to: span.to, label: period ?? 'current_period' };
      };
      /** The range before: the previous period of the same kind, else as many days just before. */
      const before = async (period: Period | null, range: { from: Date; to: Date }) => {
        const kind = args.from || args.to ? undefined : PREVIOUS[period ?? 'current_period'];
        if (kind) return rangeOf(kind, null, null);
        const length = range.to.getTime() - range.from.getTime();
        return { from: new Date(range.from.getTime() - length), to: range.from, label: 'the same length just before' };
      };
      const read = async (range: { from: Date; to: Date }) => {
        const res = await c.deps.credits.usage(c.who.accountId, { from: range.from, to: range.to, groupBy, metric });
        const total = res.rows.reduce((s, r) => s + (r.credits ?? r.conversations ?? 0), 0);
        return { res, total };
      };
      const range = await rangeOf(args.period, args.from, args.to);
      if (!range) return { error: 'from and to must be dates (YYYY-MM-DD), from not after to.' };
      const a = await read(range);
      const out: Record<string, unknown> = {
        metric,
        range: { from: day(c, range.from), to: day(c, range.to, true), label: range.label },
        total: a.total,
        ...(args.group_by === 'none' ? {} : { by: groupBy, rows: rowsOf(a.res.rows, groupBy, a.total) }),
      };
      if (args.compare_previous) {
        const other = await before(args.period, range);
        const b = await read(other!);
        const value = (rows: UsageRow[], key: string) => {
          const r = rows.find((x) => x.key === key);
          return r ? (r.credits ?? r.conversations ?? 0) : 0;
        };
        const keys = [...new Set([...a.res.rows.map((r) => r.key), ...b.res.rows.map((r) => r.key)])];
        const nameOf = (key: string) =>
          groupBy === 'type' || groupBy === 'day'
            ? key
            : ([...a.res.rows, ...b.res.rows].find((r) => r.key === key)?.name ?? key);
        out.compared_with = {
          range: { from: day(c, other!.from), to: day(c, other!.to, true), label: other!.label },
          total: b.total,
          change: a.total - b.total,
          change_percent: b.total > 0 ? pct(a.total - b.total, b.total) : null,
          ...(args.group_by === 'none'
            ? {}
            : {
                rows: keys
                  .map((k) => ({
                    name: nameOf(k),
                    value: value(a.res.rows, k),
                    compared: value(b.res.rows, k),
                    change: value(a.res.rows, k) - value(b.res.rows, k),
                  }))
                  .sort((x, y) => Math.abs(y.change) - Math.abs(x.change))
                  .slice(0, ROWS),
              }),
        };
      }
      return out;
    },
  },

  get_catalog: {
    def: fn('get_catalog', "Plans and packs; reprice_my_usage adds each plan's cost on past periods.", {
      reprice_my_usage: { type: 'boolean' },
    }),
    args: z.object({ reprice_my_usage: z.boolean() }).strict(),
    async run(args: { reprice_my_usage: boolean }, { c }) {
      const [plans, packs, s] = await Promise.all([c.deps.catalog.plans(), c.deps.catalog.packs(), c.state()]);
      const out: Record<string, unknown> = {
        plans: plans.map((p) => ({
          id: p.id,
          name: p.name,
          monthly_credits: p.monthlyCredits,
          price_per_month: money(p.price.amount, p.price.currency),
          identities: p.identities,
          current: p.id === s.plan.id,
        })),
        packs: packs.map((p) => ({ id: p.id, credits: p.credits, price: money(p.price.amount, p.price.currency) })),
      };
      if (args.reprice_my_usage) {
        const periods = await c.deps.credits.closedPeriods(c.who.accountId, ADVICE_PERIODS);
        const a = advisePlans(periods, plans, packs, s.plan.id ?? null);
        out.repriced = a
          ? {
              periods: a.periods.map((p) => ({ from: day(c, p.start), used: p.used })),
              plans: a.rows.map((r) => ({
                name: r.plan.name,
                total: money(r.total, a.currency),
                extra_credits: r.perPeriod.reduce((x, p) => x + p.cover.credits, 0),
              })),
              cheapest: a.recommended.plan.name,
              current_total: a.current ? money(a.current.total, a.currency) : null,
              saving: a.current ? money(a.current.total - a.recommended.total, a.currency) : null,
            }
          : { note: 'No closed period with usage yet.' };
      }
      return out;
    },
  },

  get_requests: {
    def: fn('get_requests', 'Latest purchase and plan-change requests.'),
    args: z.object({}).strict(),
    async run(_args, { c }) {
      const list = (await c.deps.requests.list(c.who.accountId)).slice(0, 5);
      return {
        requests: list.map((r) => ({
          reference: r.reference,
          kind: r.kind,
          status: r.status,
          credits: r.kind === 'buy_credits' ? r.credits : null,
          plan: r.targetPlanName,
          price: money(r.price.amount, r.price.currency),
          created: day(c, r.createdAt),
          decided: r.decidedAt ? day(c, r.decidedAt) : null,
          reason: r.reason,
        })),
      };
    },
  },

  draft_purchase: {
    def: fn('draft_purchase', 'Quotes credits or a pack (both null: asks which); the customer confirms by button.', {
      credits: { type: ['integer', 'null'] },
      pack_id: { type: ['string', 'null'] },
    }),
    args: z.object({ credits: z.number().int().nullable(), pack_id: z.string().max(100).nullable() }).strict(),
    async run(args: { credits: number | null; pack_id: string | null }, { c }, effects) {
      const flow =
        args.credits === null && args.pack_id === null
          ? await purchase.startBuy(c)
          : await purchase.chooseBuy(c, {
              ...(args.credits !== null ? { credits: args.credits } : {}),
              ...(args.pack_id !== null ? { packId: args.pack_id } : {}),
            });
      effects.flow = flow;
      return {
        shown_to_customer: flow.reply.text,
        awaiting: flow.draft?.awaiting ?? null,
        note: 'Shown with its buttons; nothing is sent until the customer confirms.',
      };
    },
  },

  draft_plan_change: {
    def: fn('draft_plan_change', 'Quotes a change to a plan (id from get_catalog); the customer confirms by button.', {
      plan_id: { type: 'string' },
    }),
    args: z.object({ plan_id: z.string().max(100) }).strict(),
    async run(args: { plan_id: string }, { c }, effects) {
      const flow = await purchase.choosePlan(c, args.plan_id);
      effects.flow = flow;
      return {
        shown_to_customer: flow.reply.text,
        awaiting: flow.draft?.awaiting ?? null,
        note: 'Shown with its buttons; nothing is sent until the customer confirms.',
      };
    },
  },

  escalate_to_account_manager: {
    def: fn('escalate_to_account_manager', 'Hands the chat to the account manager.', {
      reason: { type: 'string', enum: [...ESCALATE_REASONS] },
    }),
    args: z.object({ reason: z.enum(ESCALATE_REASONS) }).strict(),
    async run(args: { reason: EscalationReason }, env, effects) {
      await env.escalate(args.reason);
      effects.escalated = true;
      return { handed_over: true };
    },
  },
};

export const TOOL_NAMES = Object.keys(TOOLS);

/** The tools each topic offers: fewer tools, fewer prompt tokens (the definitions are a third of a prompt). */
const BY_TOPIC: Record<Topic, string[]> = {
  account: ['get_credit_state', 'get_forecast'],
  usage: ['get_usage', 'get_credit_state'],
  plans: ['get_catalog', 'get_requests', 'draft_purchase', 'draft_plan_change'],
  people: ['escalate_to_account_manager', 'get_requests', 'get_credit_state'],
};

/**
 * The figures a topic nearly always needs, read before the first call and given to the model as an earlier call
 * of its own: it can then answer in one round instead of two (each round sends the whole prompt again).
 */
export const PREFETCH: Partial<Record<Topic, { name: string; args: Record<string, unknown> }>> = {
  usage: {
    name: 'get_usage',
    args: {
      period: 'current_period',
      from: null,
      to: null,
      group_by: 'type',
      metric: 'credits',
      compare_previous: true,
    },
  },
  plans: { name: 'get_catalog', args: { reprice_my_usage: false } },
};

export const toolsFor = (topic: Topic): ChatCompletionFunctionTool[] => BY_TOPIC[topic].map((n) => TOOLS[n]!.def);

/** Every tool definition (the documentation and the tests read them). */
export const allTools = (): ChatCompletionFunctionTool[] => Object.values(TOOLS).map((t) => t.def);

export interface ToolOutcome {
  /** what the model reads (JSON) */
  result: unknown;
  /** why the call was refused, if it was */
  refused?: string;
}

/**
 * Runs one tool call of the model: only a tool the turn offered, only with the arguments its strict schema
 * defines. Anything else (an unknown tool, malformed JSON, an extra property such as `account_id`) is refused
 * before any read, and the model reads why.
 */
export async function runTool(
  name: string,
  rawArgs: string,
  offered: ReadonlySet<string>,
  env: ToolEnv,
  effects: ToolEffects,
): Promise<ToolOutcome> {
  const tool = TOOLS[name];
  if (!tool || !offered.has(name)) {
    return { result: { error: `There is no tool ${JSON.stringify(name.slice(0, 60))}.` }, refused: 'unknown_tool' };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawArgs || '{}');
  } catch {
    return { result: { error: 'The arguments are not JSON.' }, refused: 'malformed' };
  }
  const parsed = tool.args.safeParse(json);
  if (!parsed.success) {
    const extra = parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
    return {
      result: {
        error: extra.length
          ? `Refused: ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')} is not an argument. Tools read only this conversation's own account.`
          : 'The arguments do not match the tool.',
      },
      refused: extra.length ? 'extra_argument' : 'invalid_arguments',
    };
  }
  try {
    return { result: await tool.run(parsed.data as never, env, effects) };
  } catch (err) {
    if (err instanceof AppError && err.expected) return { result: { error: err.message } };
    throw err;
  }
}

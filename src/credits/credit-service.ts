/**
 * The credit state of an account follows from the clock and the ledger alone (plan assignments,
 * grants, usage): no job has to have run for it to be right, and computing it twice gives the same answer.
 */
import type { ChannelHandlers, Db } from '../infra/db.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest } from '../shared/errors.ts';
import { ttlCache } from '../shared/ttl-cache.ts';
import { type AccountWithPlans, LEDGER_CHANGED, loadAccount, planAt } from './account-store.ts';
import { changePoints, creditFigures, type LedgerGrant, simulate } from './ledger.ts';
import { localDate, type Period, periodAt, previousPeriod } from './period.ts';
import { MAX_FUTURE_SKEW_MS, planRange } from './ranges.ts';
import type { AccountInfo, CreditState, Forecast, PlanTerms, UsageGroupBy, UsageRow } from './types.ts';
import { type BreakdownFilter, breakdown, usageBetween } from './usage-queries.ts';

const DAY_MS = 86_400_000;
/** Usage ranges are capped so one call cannot scan years of raw events. */
const MAX_RANGE_DAYS = 3 * 366;

export interface CreditServiceDeps {
  db: Db;
  clock: Clock;
  /** keep accounts in memory while listening for their changes (default true; benches measure without) */
  followChanges?: boolean;
}

export type CreditService = ReturnType<typeof createCreditService>;

function planGrantFor(account: AccountWithPlans, period: Period): LedgerGrant | undefined {
  const first = account.plans[0];
  if (!first || first.effectiveFrom.getTime() >= period.end.getTime()) return undefined;
  // The plan in effect when the period starts (or the first plan, for an account that starts mid-period).
  const plan = planAt(account.plans, Math.max(period.start.getTime(), first.effectiveFrom.getTime()))!;
  return {
    id: `plan:${period.start.toISOString()}`,
    kind: 'plan',
    credits: plan.monthlyCredits,
    effectiveAt: period.start.getTime(),
    expiresAt: period.end.getTime(),
  };
}

const planTerms = (p: PlanTerms): PlanTerms => ({
  id: p.id ?? null,
  name: p.name,
  monthlyCredits: p.monthlyCredits,
  price: p.price,
  identities: p.identities,
  conversationsPerIdentity: p.conversationsPerIdentity,
});

/** Accounts whose computed state is kept in memory (per process). */
const CACHE_MAX = 10_000;
/** How long a read of an account's name, calendar and manager may be reused (while not listening). */
const PROFILE_TTL_MS = 5_000;
/** How long an account is kept in memory at most, even while listening (a safety net under the notifications). */
const ACCOUNT_MAX_AGE_MS = 60_000;

export function createCreditService({ db, clock, followChanges = true }: CreditServiceDeps) {
  /**
   * The state is a pure function of the ledger and of which segment of time `now` falls in, so a computed
   * state stays exact until the ledger version changes or the clock reaches the next change point (a grant
   * starting or expiring, a top-up, a scheduled plan). One query (the account row) checks both.
   */
  const cache = new Map<string, { version: string; validFrom: number; validUntil: number; state: CreditState }>();

  async function storedGrants(accountId: string, expiringAfter: number): Promise<LedgerGrant[]> {
    const { rows } = await db.sql<{
      id: string;
      kind: 'carryover' | 'addon' | 'adjustment';
      credits: number;
      effective_at: Date;
      expires_at: Date;
    }>(
      `SELECT id, kind::text AS kind, credits, effective_at, expires_at FROM credit_grant
        WHERE account_id = $1 AND expires_at > $2`,
      [accountId, new Date(expiringAfter)],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      credits: r.credits,
      effectiveAt: r.effective_at.getTime(),
      expiresAt: r.expires_at.getTime(),
    }));
  }

  /** Everything the draw-down needs to be exact at `now`: the grants and the window to replay. */
  async function ledgerWindow(account: AccountWithPlans, now: number) {
    const { timeZone: tz, topUpDay } = account;
    const current = periodAt(new Date(now), tz, topUpDay);
    let from = current.start.getTime();
    let fetchedFrom = Number.POSITIVE_INFINITY;
    let stored: LedgerGrant[] = [];
    let planGrants: LedgerGrant[] = [];
    // Replay from the earliest start of any grant still holding credits in the window; every grant
    // active at that instant pulls the start further back, until none does (usually the period start).
    for (let guard = 0; guard < 120; guard++) {
      if (from < fetchedFrom) {
        stored = (await storedGrants(account.id, from)).filter((g) => g.effectiveAt <= now);
        fetchedFrom = from;
      }
      planGrants = [];
      for (let p = current; p.end.getTime() > from; p = periodAt(new Date(p.start.getTime() - 1), tz, topUpDay)) {
        const g = planGrantFor(account, p);
        if (g) planGrants.push(g);
        else break;
      }
      let earliest = from;
      for (const g of [...planGrants, ...stored]) {
        if (g.effectiveAt < earliest && g.expiresAt > from) earliest = g.effectiveAt;
      }
      if (earliest === from) break;
      from = earliest;
    }
    const grants = [...planGrants, ...stored].filter((g) => g.expiresAt > from);
    // The segment holding `now` runs to the next change, so usage reported a little ahead counts now.
    let horizon = current.end.getTime();
    for (const g of grants) {
      if (g.expiresAt > now) horizon = Math.min(horizon, g.expiresAt);
    }
    const { rows: future } = await db.sql<{ t: Date | null }>(
      'SELECT min(effective_at) AS t FROM credit_grant WHERE account_id = $1 AND effective_at > $2',
      [account.id, new Date(now)],
    );
    const nextStart = future[0]?.t?.getTime();
    if (nextStart !== undefined && nextStart < horizon) horizon = nextStart;
    return { current, from, horizon, grants };
  }

  /**
   * The account row and its plans, the first read of every chat turn and credit-state read. While this process
   * listens for ledger changes (`db.subscribe`) an account is kept in memory until one is announced: the writer's
   * own process hears it at commit, every other at NOTIFY, so a turn needs no round trip for it (and at most
   * ACCOUNT_MAX_AGE_MS pass before it is read again anyway). While not listening (the connection is down, not yet
   * up, or failing its probes) every read goes to PostgreSQL, and `profile` (name, calendar, manager) may be
   * PROFILE_TTL_MS old.
   */
  const accounts = new Map<string, { account: AccountWithPlans; at: number }>();
  const profiles = ttlCache<string, AccountInfo>(PROFILE_TTL_MS, CACHE_MAX);
  /** Moves on every announced change of the account: a read that started before it must not be kept. */
  const changes = new Map<string, number>();
  let live = false;
  /** Moves whenever listening starts or stops (and when `changes` is emptied): a read from another epoch is not kept. */
  let epoch = 0;
  const follow: ChannelHandlers = {
    onNotify(accountId) {
      accounts.delete(accountId);
      profiles.delete(accountId);
      cache.delete(accountId);
      if (changes.size >= CACHE_MAX) {
        // Counters start again from zero: reads in flight could no longer tell, so none of them is kept.
        changes.clear();
        epoch++;
      }
      changes.set(accountId, (changes.get(accountId) ?? 0) + 1);
    },
    onReady() {
      epoch++;
      live = true;
    },
    onReset() {
      epoch++;
      live = false;
      accounts.clear();
    },
  };
  const unsubscribe = followChanges ? db.subscribe(LEDGER_CHANGED, follow) : () => undefined;

  const load = async (accountId: string): Promise<AccountWithPlans> => {
    const known = live ? accounts.get(accountId) : undefined;
    // A safety net under the notifications: even an account nobody announced is read again after a while.
    if (known && Date.now() - known.at < ACCOUNT_MAX_AGE_MS) return known.account;
    const seen = { epoch, live, change: changes.get(accountId) ?? 0 };
    const at = Date.now();
    const account = await loadAccount(db, accountId);
    profiles.set(accountId, account);
    if (seen.live && live && seen.epoch === epoch && seen.change === (changes.get(accountId) ?? 0)) {
      if (accounts.size >= CACHE_MAX) accounts.clear();
      accounts.set(accountId, { account, at });
    }
    return account;
  };
  const profile = (accountId: string): Promise<AccountInfo> =>
    live ? load(accountId) : profiles.get(accountId, () => load(accountId));

  async function getState(accountId: string, at?: Date): Promise<CreditState> {
    const account = await load(accountId);
    const nowDate = at ?? clock.now();
    const now = nowDate.getTime();
    const hit = cache.get(accountId);
    const alerts = { thresholds: account.alertThresholds };
    if (hit && hit.version === account.ledgerVersion && now >= hit.validFrom && now < hit.validUntil) {
      return { ...hit.state, asOf: nowDate.toISOString(), alerts };
    }
    const state = await computeState(account, nowDate);
    return { ...state, alerts };
  }

  async function computeState(account: AccountWithPlans, nowDate: Date): Promise<CreditState> {
    const accountId = account.id;
    const now = nowDate.getTime();
    const { current, from, horizon, grants } = await ledgerWindow(account, now);
    const points = changePoints(grants, from, horizon);
    const sums = await usageBetween(db, accountId, points);
    const segments = sums.map((usage, i) => ({ start: points[i]!, end: points[i + 1]!, usage }));
    const figures = creditFigures(grants, segments, simulate(grants, segments), now, {
      start: current.start.getTime(),
      end: current.end.getTime(),
    });

    const plan = planAt(account.plans, now) ?? account.plans[0];
    if (!plan) throw badRequest(`Account '${accountId}' has no plan.`);
    const scheduled = account.plans.find((p) => p.effectiveFrom.getTime() > now);
    const conversations = await conversationsByIdentity(account, current, plan.conversationsPerIdentity);

    const state: CreditState = {
      accountId,
      plan: planTerms(plan),
      period: { start: current.start.toISOString(), end: current.end.toISOString() },
      nextTopUpAt: current.end.toISOString(),
      credits: {
        plan: plan.monthlyCredits,
        addOn: figures.addOn,
        accumulated: figures.accumulated,
        balance: figures.balance,
        usedThisPeriod: figures.usedThisPeriod,
        overage: figures.overage,
      },
      conversations,
      scheduledPlan: scheduled
        ? { ...planTerms(scheduled), effectiveFrom: scheduled.effectiveFrom.toISOString() }
        : null,
      timeZone: account.timeZone,
      locale: account.locale,
      grants: figures.active
        .sort((a, b) => a.expiresAt - b.expiresAt)
        .map((g) => ({
          id: g.id,
          kind: g.kind,
          credits: g.credits,
          remaining: g.remaining,
          expiresAt: new Date(g.expiresAt).toISOString(),
        })),
      asOf: nowDate.toISOString(),
    };
    // Valid until the next change point: the horizon of the draw-down, or a scheduled plan taking over.
    const validUntil = Math.min(horizon, scheduled ? scheduled.effectiveFrom.getTime() : Number.POSITIVE_INFINITY);
    const lastPoint = points.filter((p) => p <= now).pop() ?? current.start.getTime();
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(accountId, { version: account.ledgerVersion, validFrom: lastPoint, validUntil, state });
    return state;
  }

  async function conversationsByIdentity(account: AccountWithPlans, period: Period, limit: number) {
    const { rows } = await db.sql<{ id: string; name: string | null; used: number }>(
      `WITH used AS (
         SELECT identity_id, sum(count)::bigint AS used FROM conversation_day
          WHERE account_id = $1 AND day >= $2::date AND day < $3::date GROUP BY 1
       )
       SELECT coalesce(i.id, u.identity_id) AS id, i.name, coalesce(u.used, 0)::bigint AS used
         FROM (SELECT id, name FROM identity WHERE account_id = $1) i
         FULL JOIN used u ON u.identity_id = i.id
        ORDER BY 3 DESC, 1`,
      [account.id, localDate(period.start, account.timeZone), localDate(period.end, account.timeZone)],
    );
    return {
      limitPerIdentity: limit,
      byIdentity: rows.map((r) => ({ identityId: r.id, name: r.name ?? r.id, used: r.used, limit })),
    };
  }

  async function usage(
    accountId: string,
    q: {
      from?: Date;
      to?: Date;
      groupBy: UsageGroupBy;
      filter?: BreakdownFilter;
      metric?: 'credits' | 'conversations';
    },
  ): Promise<{ from: string; to: string; groupBy: UsageGroupBy; timeZone: string; rows: UsageRow[] }> {
    const account = await profile(accountId);
    const now = clock.now();
    const period = periodAt(now, account.timeZone, account.topUpDay);
    const from = q.from ?? period.start;
    const to = q.to ?? period.end;
    if (from.getTime() >= to.getTime()) throw badRequest('`from` must be before `to`.');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw badRequest(`The range may span at most ${MAX_RANGE_DAYS} days.`);
    }
    const plan = planRange(from, to, account.timeZone, now);
    const rows = await breakdown(db, accountId, account.timeZone, plan, q.groupBy, q.filter, q.metric);
    return { from: from.toISOString(), to: to.toISOString(), groupBy: q.groupBy, timeZone: account.timeZone, rows };
  }

  /** Burn rate over the last `windowDays` and the day the balance reaches zero at that rate. */
  async function forecast(accountId: string, windowDays = 7, known?: CreditState): Promise<Forecast> {
    const now = clock.now();
    const state = known ?? (await getState(accountId, now));
    const start = now.getTime() - windowDays * DAY_MS;
    const [used = 0] = await usageBetween(db, accountId, [start, now.getTime() + MAX_FUTURE_SKEW_MS]);
    const rate = used / windowDays;
    const balance = state.credits.balance;
    const topUp = new Date(state.nextTopUpAt).getTime();
    const runsOut = rate > 0 ? now.getTime() + (balance / rate) * DAY_MS : null;
    const needed = Math.ceil((rate * (topUp - now.getTime())) / DAY_MS);
    return {
      accountId,
      asOf: now.toISOString(),
      burnRatePerDay: Math.round(rate * 10) / 10,
      windowDays,
      usedInWindow: used,
      balance,
      nextTopUpAt: state.nextTopUpAt,
      runsOutAt: runsOut === null ? null : new Date(runsOut).toISOString(),
      runsOutBeforeTopUp: runsOut !== null && runsOut < topUp,
      neededUntilTopUp: needed,
      shortfall: Math.max(0, needed - balance),
    };
  }

  /**
   * Credits used in each of the last `count` closed credit periods (oldest first), for re-pricing past usage
   * under other plans. A period before the account existed counts only if usage was reported in it.
   */
  async function closedPeriods(
    accountId: string,
    count = 3,
  ): Promise<Array<{ start: string; end: string; used: number }>> {
    const account = await profile(accountId);
    const n = Math.max(1, Math.min(24, Math.floor(count)));
    const periods: Period[] = [];
    let p = periodAt(clock.now(), account.timeZone, account.topUpDay);
    for (let i = 0; i < n; i++) {
      p = previousPeriod(p, account.timeZone, account.topUpDay);
      periods.unshift(p);
    }
    const sums = await usageBetween(db, accountId, [
      ...periods.map((x) => x.start.getTime()),
      periods.at(-1)!.end.getTime(),
    ]);
    return periods
      .map((x, i) => ({ start: x.start.toISOString(), end: x.end.toISOString(), used: sums[i] ?? 0 }))
      .filter((x, i) => x.used > 0 || periods[i]!.end.getTime() > account.createdAt.getTime());
  }

  return {
    getState,
    usage,
    forecast,
    closedPeriods,
    profile,
    loadAccount: load,
    /** stops following ledger changes (the process is closing): from then on every read goes to PostgreSQL */
    close() {
      unsubscribe();
      follow.onReset?.();
    },
    /** whether accounts are kept in memory (listening for changes): for /readyz-style checks and tests */
    isLive: () => live,
  };
}

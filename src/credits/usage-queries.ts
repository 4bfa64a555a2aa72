/**
 * Aggregations over usage, answered from rollups so they stay fast on tens of millions of events:
 * `usage_hour` (per account and UTC hour) for arbitrary instants, `usage_day` / `conversation_day`
 * (per account and local day) for breakdowns; raw events only fill the partial hour or day at an edge.
 */
import type { Db } from '../infra/db.ts';
import type { UsageRow } from './types.ts';

/**
 * Usage credits between consecutive boundaries: result[i] is the sum over [b[i], b[i+1]).
 * Whole hours come from usage_hour; an hour cut by a boundary is read from the raw events.
 */
export async function usageBetween(db: Db, accountId: string, boundaries: readonly number[]): Promise<number[]> {
  const n = boundaries.length;
  const sums = new Array<number>(Math.max(0, n - 1)).fill(0);
  if (n < 2) return sums;
  const b = boundaries.map((t) => new Date(t));
  const { rows } = await db.sql<{ seg: number; credits: number }>(
    `WITH split AS (
       SELECT DISTINCT date_trunc('hour', t) AS h FROM unnest($2::timestamptz[]) AS t WHERE t <> date_trunc('hour', t)
     )
     SELECT width_bucket(x.at, $2::timestamptz[]) AS seg, sum(x.credits)::bigint AS credits FROM (
       SELECT u.hour AS at, u.credits FROM usage_hour u
        WHERE u.account_id = $1 AND u.hour >= $3 AND u.hour < $4
          AND NOT EXISTS (SELECT 1 FROM split s WHERE s.h = u.hour)
       UNION ALL
       SELECT e.occurred_at, e.credits FROM split s
        CROSS JOIN LATERAL (
          SELECT occurred_at, credits FROM usage_event
           WHERE account_id = $1
             AND occurred_at >= greatest(s.h, $3) AND occurred_at < least(s.h + interval '1 hour', $4)
        ) e
     ) x GROUP BY 1`,
    [accountId, b, b[0], b[n - 1]],
  );
  for (const r of rows) {
    const i = r.seg - 1;
    if (i >= 0 && i < sums.length) sums[i] = r.credits;
  }
  return sums;
}

export interface DayRange {
  /** first whole local day, inclusive (YYYY-MM-DD) */
  fromDay: string;
  /** last whole local day, exclusive */
  toDay: string;
}

/**
 * A range [from, to) cut into whole local days (from the day rollups) and up to two raw edges.
 * `fullDays` is null when the range holds no whole day.
 */
export interface RangePlan {
  fullDays: DayRange | null;
  edges: Array<{ from: Date; to: Date }>;
}

const metricByGroup = {
  type: 'credits',
  user: 'credits',
  day: 'credits',
  identity: 'conversations',
  campaign: 'conversations',
} as const;

export interface BreakdownFilter {
  type?: string;
  userId?: string;
  identityId?: string;
  campaignId?: string;
}

/** Collects positional parameters while a statement is composed. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** Usage over a planned range grouped by type, user or day (credits), or identity or campaign (conversations). */
export async function breakdown(
  db: Db,
  accountId: string,
  timeZone: string,
  plan: RangePlan,
  groupBy: 'type' | 'user' | 'day' | 'identity' | 'campaign',
  filter: BreakdownFilter = {},
  metricOverride?: 'credits' | 'conversations',
): Promise<UsageRow[]> {
  const metric = metricOverride ?? metricByGroup[groupBy];
  const totals = new Map<string, number>();
  const credits = metric === 'credits';

  // One statement per source: the day rollup for whole days, the raw events for each edge.
  const run = async (source: 'rollup' | 'raw', range: { fromDay?: string; toDay?: string; from?: Date; to?: Date }) => {
    const p = new Params();
    const where = [`account_id = ${p.add(accountId)}`];
    if (source === 'rollup') where.push(`day >= ${p.add(range.fromDay)}::date`, `day < ${p.add(range.toDay)}::date`);
    else where.push(`occurred_at >= ${p.add(range.from)}`, `occurred_at < ${p.add(range.to)}`);
    if (credits) {
      if (filter.type) where.push(`type = ${p.add(filter.type)}::usage_type`);
      if (filter.userId) where.push(`user_id = ${p.add(filter.userId)}`);
    } else {
      if (filter.identityId) where.push(`identity_id = ${p.add(filter.identityId)}`);
      if (filter.campaignId) where.push(`campaign_id = ${p.add(filter.campaignId)}`);
    }
    const dayKey = () =>
      source === 'rollup'
        ? "to_char(day, 'YYYY-MM-DD')"
        : `to_char((occurred_at AT TIME ZONE ${p.add(timeZone)}), 'YYYY-MM-DD')`;
    const key =
      groupBy === 'type'
        ? 'type::text'
        : groupBy === 'user'
          ? 'user_id'
          : groupBy === 'identity'
            ? 'identity_id'
            : groupBy === 'campaign'
              ? 'campaign_id'
              : dayKey();
    const table = credits
      ? source === 'rollup'
        ? 'usage_day'
        : 'usage_event'
      : source === 'rollup'
        ? 'conversation_day'
        : 'conversation_event';
    const value = credits ? 'sum(credits)' : source === 'rollup' ? 'sum(count)' : 'count(*)';
    const { rows } = await db.sql<{ key: string; v: number }>(
      `SELECT ${key} AS key, ${value}::bigint AS v FROM ${table} WHERE ${where.join(' AND ')} GROUP BY 1`,
      p.values,
    );
    for (const r of rows) totals.set(r.key, (totals.get(r.key) ?? 0) + r.v);
  };

  if (plan.fullDays) await run('rollup', plan.fullDays);
  for (const edge of plan.edges) await run('raw', edge);

  const names = await namesFor(db, accountId, groupBy, [...totals.keys()]);
  const rows: UsageRow[] = [...totals.entries()].map(([key, v]) => {
    const row: UsageRow = { key };
    const name = names.get(key);
    if (name) row.name = name;
    row[metric] = v;
    return row;
  });
  if (groupBy === 'day') rows.sort((a, b) => (a.key < b.key ? -1 : 1));
  else rows.sort((a, b) => (b[metric] ?? 0) - (a[metric] ?? 0) || (a.key < b.key ? -1 : 1));
  return rows;
}

async function namesFor(db: Db, accountId: string, groupBy: string, keys: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  if (keys.length === 0) return map;
  const table =
    groupBy === 'user'
      ? 'platform_user'
      : groupBy === 'identity'
        ? 'identity'
        : groupBy === 'campaign'
          ? 'campaign'
          : null;
  if (!table) return map;
  const { rows } = await db.sql<{ id: string; name: string | null }>(
    `SELECT id, name FROM ${table} WHERE account_id = $1 AND id = ANY($2::text[])`,
    [accountId, keys],
  );
  for (const r of rows) if (r.name) map.set(r.id, r.name);
  return map;
}

/**
 * The rules of the low-credit alerts, pure: which thresholds are in force, when a share is crossed, and which
 * alerts an evaluation records and which one carries the message (docs/credit-semantics.md, "Low-credit alerts").
 */

export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [0.2, 0.05];
export const MAX_ALERT_THRESHOLDS = 5;
/** The trigger of the forecast alert (the others are the share as written: '0.2'). */
export const RUNOUT = 'runout';
/** The thresholds in force for an account: its own, else the default; highest first, distinct. */
export function effectiveThresholds(stored: unknown): number[] {
  const list = Array.isArray(stored) ? stored.filter((v): v is number => typeof v === 'number') : null;
  return [...new Set(list ?? DEFAULT_ALERT_THRESHOLDS)].filter((v) => v > 0 && v < 1).sort((a, b) => b - a);
}

/** The key of a share as stored in `credit_alert.trigger`: the number as JSON writes it ('0.2'). */
export const triggerOf = (share: number) => String(share);

/** The balance must fall below this many credits to cross `share` of `plan` (balance < share × plan). */
export function limitCredits(share: number, plan: number): number {
  // Round away float noise (0.07 × 100 = 7.000000000000001) before taking the next whole credit.
  return Math.ceil(Math.round(share * plan * 1e6) / 1e6);
}

export interface AlertCandidate {
  trigger: string;
  threshold: number | null;
  limitCredits: number | null;
  /** whether this alert carries the message (one per evaluation) */
  notified: boolean;
}

/**
 * What an evaluation records (pure). Every share the balance is below and the forecast alert, minus those
 * already recorded this period. One of them carries the message: the lowest share newly crossed (a batch that
 * crosses 20 % and 5 % at once says 5 %), unless a lower share was already told this period; else the forecast
 * alert. The others are recorded without a message, so they do not fire later in the period.
 */
export function decideAlerts(input: {
  thresholds: readonly number[];
  balance: number;
  plan: number;
  runsOutBeforeTopUp: boolean;
  /** triggers already recorded this period */
  existing: ReadonlySet<string>;
}): AlertCandidate[] {
  const { balance, plan, existing } = input;
  const crossed =
    plan > 0
      ? input.thresholds.filter((s) => balance < limitCredits(s, plan)).sort((a, b) => a - b) // lowest first
      : [];
  const fresh = crossed.filter((s) => !existing.has(triggerOf(s)));
  const toldBelow = [...existing].filter((t) => t !== RUNOUT).map(Number);
  const lowestTold = toldBelow.length ? Math.min(...toldBelow) : Number.POSITIVE_INFINITY;
  const out: AlertCandidate[] = fresh.map((s, i) => ({
    trigger: triggerOf(s),
    threshold: s,
    limitCredits: limitCredits(s, plan),
    notified: i === 0 && s < lowestTold,
  }));
  if (input.runsOutBeforeTopUp && !existing.has(RUNOUT)) {
    out.push({ trigger: RUNOUT, threshold: null, limitCredits: null, notified: !out.some((c) => c.notified) });
  }
  return out;
}

/**
 * Timing helpers shared by the benches: run a function n times after a warm-up, summarise the latencies
 * (nearest-rank percentiles, so a p99 of 200 samples is the 198th fastest), and print aligned tables.
 */
import { performance } from 'node:perf_hooks';

export interface Summary {
  name: string;
  n: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(name: string, samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return {
    name,
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean,
  };
}

/** Milliseconds taken by one call. */
export async function timeOnce<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export interface MeasureOptions {
  iterations: number;
  warmup?: number;
}

/**
 * Calls `fn` sequentially `warmup` times (discarded), then `iterations` times, and summarises the
 * latencies. The last value is returned too, so a caller can check what was measured.
 */
export async function measure<T>(
  name: string,
  fn: () => Promise<T>,
  { iterations, warmup = Math.min(20, iterations) }: MeasureOptions,
): Promise<Summary & { last: T }> {
  let last: T | undefined;
  for (let i = 0; i < warmup; i++) last = await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    last = await fn();
    samples.push(performance.now() - t0);
  }
  return { ...summarize(name, samples), last: last as T };
}

/** 1.234 → "1.23", 123.4 → "123", for tables of milliseconds. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** 12345678 → "12,345,678". */
export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Elapsed seconds of a step, "12.3 s". */
export const fmtSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** An aligned text table; columns holding only numbers are right-aligned. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => cells.length > 0 && cells.every((r) => /^[-\d.,x%]*$/.test(r[i] ?? '')));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(headers), sep, ...cells.map(line)].join('\n');
}

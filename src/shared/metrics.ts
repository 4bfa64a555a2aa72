/**
 * Prometheus metrics (prom-client), one registry per process, passed in like any other dependency.
 *
 * Besides what the process measures itself (HTTP, chat turns, jobs, alerts sent), some gauges describe shared
 * state and are read when Prometheus scrapes, from the sources passed in: the queues (BullMQ), the requests past
 * their SLA and the open escalations (PostgreSQL). Every process reports the same value for those (aggregate them
 * with max, not sum); a source that does not answer within `sourceTimeoutMs` leaves its series out of that scrape.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface QueueStats {
  queue: string;
  /** jobs ready to run that no worker has taken yet (waiting, prioritized; a paused queue's jobs wait too) */
  depth: number;
  /** seconds since the oldest of them became ready (0 when none) */
  oldestAgeSeconds: number;
  /** jobs that used up their attempts (or failed for good), as the queue keeps them */
  failed: number;
}

export interface MetricSources {
  queueStats?: () => Promise<QueueStats[]>;
  /** pending requests past their SLA deadline */
  requestsPastSla?: () => Promise<number>;
  /** escalations a person holds or should pick up; 0 until escalations exist */
  openEscalations?: () => Promise<number>;
  /** how long a scrape waits for each source (default 1,500 ms) */
  sourceTimeoutMs?: number;
}

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`metrics source timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createMetrics(sources: MetricSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const timeoutMs = sources.sourceTimeoutMs ?? 1_500;

  // One read of the queues per scrape, shared by the three gauges that show it.
  let queueRead: { at: number; stats: Promise<QueueStats[] | null> } | undefined;
  const queueStats = (): Promise<QueueStats[] | null> => {
    const source = sources.queueStats;
    if (!source) return Promise.resolve(null);
    if (!queueRead || Date.now() - queueRead.at > 1_000) {
      queueRead = {
        at: Date.now(),
        stats: within(source(), timeoutMs).catch(() => null),
      };
    }
    return queueRead.stats;
  };
  const queueGauge = (name: string, help: string, pick: (s: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of (await queueStats()) ?? []) this.set({ queue: s.queue }, pick(s));
      },
    });
  const countGauge = (name: string, help: string, source: (() => Promise<number>) | undefined, fallback?: number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        if (!source) {
          if (fallback !== undefined) this.set(fallback);
          return;
        }
        const n = await within(source(), timeoutMs).catch(() => undefined);
        if (n !== undefined) this.set(n);
      },
    });

  return {
    registry,
    http: new Histogram({
      name: 'creditbot_http_request_duration_seconds',
      help: 'HTTP requests by route group and status class',
      labelNames: ['route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    chatTurns: new Counter({
      name: 'creditbot_chat_turns_total',
      help: 'Bot turns by what the customer asked (intent) and language',
      labelNames: ['intent', 'lang'] as const,
      registers: [registry],
    }),
    jobs: new Histogram({
      name: 'creditbot_job_duration_seconds',
      help: 'Queue jobs by name and outcome',
      labelNames: ['job', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    alertsSent: new Counter({
      name: 'creditbot_credit_alerts_sent_total',
      help: "Low-credit alerts delivered, by threshold (the share, or 'runout') and recipient (customer, manager, support_channel)",
      labelNames: ['threshold', 'recipient'] as const,
      registers: [registry],
    }),
    llmTurns: new Counter({
      name: 'creditbot_llm_turns_total',
      help: "Chat turns sent to the LLM assistant, by outcome: 'answered', or why the deterministic answer was sent instead (ungrounded_figure, prompt_leak, false_claim, timeout, rate_limited_upstream, server_error, error, budget, no_answer) or 'user_rate_limited'",
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    llmTokens: new Counter({
      name: 'creditbot_llm_tokens_total',
      help: "Tokens of the LLM assistant's calls as the server reported them, by kind (prompt, completion)",
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    llmGroundingBlocked: new Counter({
      name: 'creditbot_llm_grounding_blocked_total',
      help: "Model replies replaced by the deterministic answer, by reason: 'ungrounded_figure' (a number, date or amount no tool result of the turn holds), 'prompt_leak' (it repeats the instructions) or 'false_claim' (it says a request was sent, approved or cancelled, or credits added, which no tool does)",
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    llmLatency: new Histogram({
      name: 'creditbot_llm_turn_duration_seconds',
      help: "Time the LLM assistant took for a turn (every model call and tool), by outcome ('answered' or 'fallback')",
      labelNames: ['outcome'] as const,
      buckets: [0.25, 0.5, 1, 2, 4, 6, 8, 10],
      registers: [registry],
    }),
    queueDepth: queueGauge(
      'creditbot_queue_depth',
      'Jobs ready to run that no worker has taken yet, per queue (read from BullMQ at scrape)',
      (s) => s.depth,
    ),
    queueOldestAge: queueGauge(
      'creditbot_queue_oldest_job_age_seconds',
      'Seconds since the oldest ready job of the queue became ready (0 when none)',
      (s) => s.oldestAgeSeconds,
    ),
    queueFailed: queueGauge(
      'creditbot_queue_failed_jobs',
      'Jobs that used up their attempts or failed for good, as the queue keeps them (30 days)',
      (s) => s.failed,
    ),
    requestsPastSla: countGauge(
      'creditbot_requests_past_sla',
      'Pending Buy More / Change Plan requests past their SLA deadline (SLA breaches waiting for a decision)',
      sources.requestsPastSla,
    ),
    openEscalations: countGauge(
      'creditbot_escalations_open',
      'Open escalations to a person (0 until escalations are counted)',
      sources.openEscalations,
      0,
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A low-cardinality name for a request path: its first two segments. */
export function routeGroup(path: string): string {
  const parts = path.split('/').filter(Boolean).slice(0, 2);
  return parts.length ? `/${parts.join('/')}` : '/';
}

/** Prometheus metrics (prom-client), one registry per process, passed in like any other dependency. */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A low-cardinality name for a request path: its first two segments. */
export function routeGroup(path: string): string {
  const parts = path.split('/').filter(Boolean).slice(0, 2);
  return parts.length ? `/${parts.join('/')}` : '/';
}

/**
 * Receiver for our outgoing platform webhooks. Accepts any method on any path, records every delivery and
 * answers 200 `{"received":true}` unless told to fail: `setDown(true)` (503), `failNext([...])` (per-delivery
 * statuses), `setDelay(ms)` (slow endpoint) or `goOffline()` (listener closed: connections are refused until
 * `comeOnline()` re-listens on the same port, so the URL stays valid).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { FaultQueue, type HttpReply, type ParsedRequest, Router, sleep, startHttpServer, waitUntil } from './http.ts';

export interface WebhookDelivery {
  method: string;
  /** Path plus query string. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  at: number;
  /** Status the receiver answers with (decided on arrival, before any `setDelay`). */
  status: number;
}

export interface WebhookFault {
  status: number;
  /** Sent as `retry-after` (seconds). */
  retryAfter?: number;
  body?: string;
}

export interface WebhookStandin {
  readonly url: string;
  readonly port: number;
  /** Every delivery that reached the server (including those answered with an error status). */
  readonly deliveries: WebhookDelivery[];
  /** Deliveries answered with 2xx. */
  accepted(): WebhookDelivery[];
  /**
   * Resolves with the deliveries once at least `count` were received (`onlyAccepted`: counting only 2xx ones);
   * rejects after `timeoutMs` (default 2000).
   */
  waitFor(count: number, timeoutMs?: number, opts?: { onlyAccepted?: boolean }): Promise<WebhookDelivery[]>;
  /** While down, every request is answered 503 (recorded). */
  setDown(down: boolean): void;
  /** Answer the next deliveries with these statuses, in order. */
  failNext(faults: WebhookFault[]): void;
  /** Wait this long before answering every delivery (0 = no delay). */
  setDelay(ms: number): void;
  /** Status + body for healthy answers (default 200 `{"received":true}`). */
  setResponse(status: number, body?: string): void;
  /** Close the listener (ECONNREFUSED) and drop open connections. */
  goOffline(): Promise<void>;
  /** Listen again on the same port. */
  comeOnline(): Promise<void>;
  readonly offline: boolean;
  reset(): void;
  close(): Promise<void>;
}

export async function startWebhookStandin(opts: { port?: number } = {}): Promise<WebhookStandin> {
  const deliveries: WebhookDelivery[] = [];
  const faults = new FaultQueue<WebhookFault>();
  let down = false;
  let delayMs = 0;
  let okStatus = 200;
  let okBody = JSON.stringify({ received: true });

  const handle = async (req: ParsedRequest): Promise<HttpReply> => {
    let json: unknown;
    if (req.rawBody !== '') {
      try {
        json = JSON.parse(req.rawBody) as unknown;
      } catch {
        json = undefined;
      }
    }
    const delivery: WebhookDelivery = {
      method: req.method,
      path: req.url.pathname + req.url.search,
      headers: req.headers,
      rawBody: req.rawBody,
      json,
      at: Date.now(),
      status: 0,
    };
    deliveries.push(delivery);
    // Decide the answer on arrival (so faults go to deliveries in arrival order), then apply the delay.
    const reply = decide();
    delivery.status = reply.status ?? 200;
    if (delayMs > 0) await sleep(delayMs);
    return reply;
  };

  const decide = (): HttpReply => {
    const fault = faults.take('*');
    if (fault) {
      return {
        status: fault.status,
        headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
        text: fault.body ?? `standin: injected HTTP ${fault.status}`,
      };
    }
    if (down) return { status: 503, text: 'standin: service unavailable' };
    return { status: okStatus, headers: { 'content-type': 'application/json' }, text: okBody };
  };

  const router = new Router().otherwise(handle);
  // No keep-alive: a delivery after goOffline() must see ECONNREFUSED, not a dead pooled socket.
  const http = await startHttpServer(router, {
    keepAlive: false,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });

  return {
    url: http.url,
    port: http.port,
    deliveries,
    accepted: () => deliveries.filter((d) => d.status >= 200 && d.status < 300),
    waitFor(count, timeoutMs = 2000, waitOpts = {}) {
      const pick = () =>
        waitOpts.onlyAccepted ? deliveries.filter((d) => d.status >= 200 && d.status < 300) : deliveries;
      return waitUntil(
        () => {
          const found = pick();
          return found.length >= count ? [...found] : undefined;
        },
        timeoutMs,
        () => `waiting for ${count} webhook deliveries; got ${pick().length} (${deliveries.length} in total)`,
      );
    },
    setDown(value) {
      down = value;
    },
    failNext(list) {
      faults.push('*', list);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    setResponse(status, body = '') {
      okStatus = status;
      okBody = body;
    },
    goOffline: () => http.goOffline(),
    comeOnline: () => http.comeOnline(),
    get offline() {
      return http.offline;
    },
    reset() {
      deliveries.length = 0;
      faults.clear();
      down = false;
      delayMs = 0;
      okStatus = 200;
      okBody = JSON.stringify({ received: true });
    },
    close: () => http.close(),
  };
}

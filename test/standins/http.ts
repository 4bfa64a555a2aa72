/**
 * Shared plumbing for the outside-service stand-ins: a tiny router on top of node:http, body parsing
 * (JSON / urlencoded / raw text), graceful close, going offline/online on the same port, fault queues
 * and a polling `waitUntil`.
 *
 * Nothing here knows about Slack, OpenAI, Bot Framework or webhooks; each stand-in builds on it.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An inbound request after the body has been read and parsed. */
export interface ParsedRequest {
  method: string;
  /** Full URL (host is the stand-in's own address). */
  url: URL;
  /** Path without the query string, not decoded (`url.pathname`). */
  path: string;
  /** Decoded path parameters from a `:name` route pattern, or the named groups of a RegExp route. */
  params: Record<string, string>;
  /** Query string parameters (last value wins). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The media type without parameters, lower-cased (`application/json`), or `''` when absent. */
  contentType: string;
  rawBody: string;
  /**
   * `application/json` (or any `+json`): the parsed JSON (or `undefined` when the body is empty / not JSON);
   * `application/x-www-form-urlencoded`: a `Record<string, string>`; anything else: `undefined`.
   */
  body: unknown;
  /** Set when the body claimed to be JSON but did not parse. */
  bodyError?: string;
}

/** A declarative response; return one from a route handler (or write to `res` yourself and return nothing). */
export interface HttpReply {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised with JSON.stringify and sent as `application/json; charset=utf-8`. */
  json?: unknown;
  /** Sent as-is (`text/plain; charset=utf-8` unless a content-type header is given). */
  text?: string;
}

export type RouteHandler = (
  req: ParsedRequest,
  res: ServerResponse,
) => HttpReply | undefined | Promise<HttpReply | undefined>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** Minimal method + path router. Patterns: '/v3/conversations/:conversationId/activities' or a RegExp. */
export class Router {
  private readonly routes: Route[] = [];
  private fallback: RouteHandler = (req) => ({
    status: 404,
    json: { error: 'not_found', method: req.method, path: req.path },
  });

  on(method: string, path: string | RegExp, handler: RouteHandler): this {
    const upper = method.toUpperCase();
    if (path instanceof RegExp) {
      this.routes.push({ method: upper, pattern: path, names: [], handler });
      return this;
    }
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method: upper, pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  get(path: string | RegExp, handler: RouteHandler): this {
    return this.on('GET', path, handler);
  }
  post(path: string | RegExp, handler: RouteHandler): this {
    return this.on('POST', path, handler);
  }
  put(path: string | RegExp, handler: RouteHandler): this {
    return this.on('PUT', path, handler);
  }
  delete(path: string | RegExp, handler: RouteHandler): this {
    return this.on('DELETE', path, handler);
  }
  /** Any method. */
  all(path: string | RegExp, handler: RouteHandler): this {
    return this.on('*', path, handler);
  }
  /** Handler for requests no route matched (default: 404 JSON). */
  otherwise(handler: RouteHandler): this {
    this.fallback = handler;
    return this;
  }

  /** Finds the handler for a request and fills `req.params`. */
  match(req: ParsedRequest): RouteHandler {
    for (const route of this.routes) {
      if (route.method !== '*' && route.method !== req.method) continue;
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      const params: Record<string, string> = { ...(m.groups ?? {}) };
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      req.params = params;
      return route.handler;
    }
    return this.fallback;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses `rawBody` according to the content type; never throws. */
export function parseBody(contentType: string, rawBody: string): { body: unknown; bodyError?: string } {
  if (contentType === 'application/x-www-form-urlencoded') {
    return { body: Object.fromEntries(new URLSearchParams(rawBody)) };
  }
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    if (rawBody.trim() === '') return { body: undefined };
    try {
      return { body: JSON.parse(rawBody) as unknown };
    } catch (err) {
      return { body: undefined, bodyError: (err as Error).message };
    }
  }
  return { body: undefined };
}

async function readRequest(req: IncomingMessage, base: string): Promise<ParsedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', base);
  const contentType = mediaType(req.headers['content-type']);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path: url.pathname,
    params: {},
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    contentType,
    rawBody,
    ...parseBody(contentType, rawBody),
  };
}

/** Writes a declarative reply. */
export function sendReply(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent || res.writableEnded) return;
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  let payload = '';
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    if (!hasContentType) headers['content-type'] = 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    payload = reply.text;
    if (!hasContentType) headers['content-type'] = 'text/plain; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

export interface HttpStandin {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** True between `goOffline()` and `comeOnline()`. */
  readonly offline: boolean;
  /** Stops listening and destroys open sockets: new connections get ECONNREFUSED. Idempotent. */
  goOffline(): Promise<void>;
  /** Listens again on the same port. Idempotent. */
  comeOnline(): Promise<void>;
  /** Closes for good (destroys keep-alive and in-flight sockets). Idempotent. */
  close(): Promise<void>;
}

export interface StartHttpOptions {
  /** Fixed port; default 0 (random). */
  port?: number;
  /** Called when a handler throws (the request is then answered 500 with the error message). */
  onError?: (err: unknown, req: ParsedRequest | undefined) => void;
  /**
   * Default true. When false every response carries `Connection: close`, so clients never reuse a pooled
   * socket: after `goOffline()` the very next request fails with ECONNREFUSED instead of racing a socket
   * the server just destroyed (undici then reports UND_ERR_SOCKET / "other side closed").
   */
  keepAlive?: boolean;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts a node http server on 127.0.0.1 that dispatches every request through `router`. */
export async function startHttpServer(router: Router, opts: StartHttpOptions = {}): Promise<HttpStandin> {
  const sockets = new Set<Socket>();
  let base = 'http://127.0.0.1';
  const server = createServer((req, res) => {
    void (async () => {
      let parsed: ParsedRequest | undefined;
      if (opts.keepAlive === false) res.setHeader('connection', 'close');
      try {
        parsed = await readRequest(req, base);
        const handler = router.match(parsed);
        const reply = await handler(parsed, res);
        if (reply) sendReply(res, reply);
        else if (!res.headersSent && !res.writableEnded && !res.destroyed) {
          // A handler that returns nothing must have answered (or deliberately destroyed the socket).
          sendReply(res, { status: 204 });
        }
      } catch (err) {
        opts.onError?.(err, parsed);
        if (!res.headersSent && !res.destroyed) {
          sendReply(res, { status: 500, json: { error: 'standin_handler_error', message: String(err) } });
        } else {
          res.destroy();
        }
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const port = await listen(server, opts.port ?? 0);
  base = `http://127.0.0.1:${port}`;
  let offline = false;
  let closed = false;

  const stop = async (): Promise<void> => {
    if (!server.listening) return;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    server.closeAllConnections();
    await done;
    // Give in-process clients a moment to notice the dropped keep-alive sockets.
    await sleep(5);
  };

  return {
    url: base,
    port,
    server,
    get offline() {
      return offline;
    },
    async goOffline() {
      offline = true;
      await stop();
    },
    async comeOnline() {
      if (closed) throw new Error('stand-in is closed');
      if (server.listening) {
        offline = false;
        return;
      }
      await listen(server, port);
      offline = false;
    },
    async close() {
      closed = true;
      offline = true;
      await stop();
    },
  };
}

/**
 * Ordered fault queues keyed by name (a Slack method, an HTTP route...) with a `'*'` wildcard queue that
 * applies to any key once the key's own queue is empty.
 */
export class FaultQueue<F> {
  private readonly queues = new Map<string, F[]>();

  push(key: string, faults: readonly F[]): void {
    const queue = this.queues.get(key) ?? [];
    queue.push(...faults);
    this.queues.set(key, queue);
  }

  /** Removes and returns the next fault for `key` (own queue first, then `'*'`). */
  take(key: string): F | undefined {
    for (const k of [key, '*']) {
      const queue = this.queues.get(k);
      if (queue && queue.length > 0) return queue.shift();
    }
    return undefined;
  }

  pending(key?: string): number {
    if (key !== undefined) return this.queues.get(key)?.length ?? 0;
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  clear(): void {
    this.queues.clear();
  }
}

/**
 * Polls `check` every `intervalMs` (default 5 ms) until it returns something other than `undefined`;
 * rejects after `timeoutMs` with `describe()` in the message.
 */
export function waitUntil<T>(
  check: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 5,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      let value: T | undefined;
      try {
        value = check();
      } catch (err) {
        reject(err);
        return;
      }
      if (value !== undefined) {
        resolve(value);
        return;
      }
      if (Date.now() - started >= timeoutMs) {
        reject(new Error(`Timed out after ${timeoutMs} ms: ${describe()}`));
        return;
      }
      setTimeout(tick, intervalMs);
    };
    tick();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Bearer token from an Authorization header, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m ? m[1]!.trim() : undefined;
}

/**
 * Direct Line test kit: a tiny express app serving only the Direct Line router (real PostgreSQL, real Redis
 * under a prefix of its own) with an echo bot, a REST caller, a WebSocket stream reader, and the two globals
 * the official DirectLineJS client expects from a browser (XMLHttpRequest, WebSocket) for Node.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import {
  createDirectLine,
  type DirectLineConversation,
  type DirectLineDeps,
  type DirectLineServer,
  type StoredActivity,
} from '../../src/directline/index.ts';
import { createDb, type Db } from '../../src/infra/db.ts';
import { errorHandler, notFoundHandler } from '../../src/infra/http.ts';
import { type Clock, systemClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';

export const DL_SECRET = 'test-directline-secret-0123456789';

export type Bot = (
  dl: DirectLineServer,
  conversation: DirectLineConversation,
  activity: StoredActivity,
) => Promise<void>;

/** Echoes messages as `echo: <text>` (empty text gets a polite prompt). */
export const echoBot: Bot = async (dl, conversation, activity) => {
  if (activity.type !== 'message') return;
  const text = typeof activity.text === 'string' ? activity.text : '';
  await dl.appendBotActivity(conversation.id, {
    type: 'message',
    text: text.trim() ? `echo: ${text}` : 'Did you mean to send something? Type your question.',
    replyToId: activity.id,
  });
};

export interface CallResult {
  status: number;
  body: any;
  headers: Headers;
}

export interface DlTestServer {
  url: string;
  /** `${url}/v3/directline` */
  base: string;
  db: Db;
  dl: DirectLineServer;
  prefix: string;
  /** the bot run by onActivity; replace it per test */
  bot: Bot;
  /** `${method} ${path}` of every HTTP request, in order */
  requests: string[];
  /** every conversation/activity pair onActivity saw */
  seen: Array<{ conversation: DirectLineConversation; activity: StoredActivity }>;
  seedUser(o?: { name?: string; locale?: string }): Promise<{ id: string; accountId: string; name: string }>;
  call(
    method: string,
    path: string,
    o?: { auth?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> },
  ): Promise<CallResult>;
  generate(userId: string): Promise<{ conversationId: string; token: string; expires_in: number }>;
  /** Another DirectLine instance on the same database and Redis prefix (as another process would be). */
  second(): DirectLineServer;
  close(): Promise<void>;
}

export async function startDirectLineTestServer(
  o: {
    clock?: Clock;
    keepAliveMs?: number;
    tokenTtlSeconds?: number;
    logLevel?: string;
    /** extra PostgreSQL session settings, e.g. { synchronous_commit: 'off' } to measure without the commit's fsync */
    pgSettings?: Record<string, string>;
    /** extra routes on the test app (mounted before the Direct Line router) */
    configure?: (app: express.Express) => void;
  } = {},
): Promise<DlTestServer> {
  const logger = createLogger({ level: o.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent' });
  const dbUrl = new URL(inject('databaseUrl'));
  if (o.pgSettings) {
    dbUrl.searchParams.set(
      'options',
      Object.entries(o.pgSettings)
        .map(([k, v]) => `-c ${k}=${v}`)
        .join(' '),
    );
  }
  const db = createDb({ url: dbUrl.toString(), poolSize: 20, logger });
  const prefix = `test-${randomUUID()}`;
  const clock = o.clock ?? systemClock;
  const extra: DirectLineServer[] = [];

  const deps = (onActivity: DirectLineDeps['onActivity']): DirectLineDeps => ({
    db,
    secret: DL_SECRET,
    tokenTtlSeconds: o.tokenTtlSeconds ?? 1800,
    clock,
    logger,
    redisUrl: inject('redisUrl'),
    redisPrefix: prefix,
    async resolveUser(userId) {
      const r = await db.sql<{ id: string; account_id: string; name: string; locale: string | null }>(
        'SELECT id, account_id, name, locale FROM platform_user WHERE id = $1',
        [userId],
      );
      const row = r.rows[0];
      return row ? { id: row.id, accountId: row.account_id, name: row.name, locale: row.locale } : null;
    },
    onActivity,
    options: { keepAliveMs: o.keepAliveMs ?? 20_000 },
  });

  const t: DlTestServer = {
    url: '',
    base: '',
    db,
    prefix,
    bot: echoBot,
    seen: [],
    requests: [],
    dl: undefined as unknown as DirectLineServer,
    async seedUser(u = {}) {
      const accountId = `acc_${randomUUID().slice(0, 8)}`;
      const id = `usr_${randomUUID().slice(0, 8)}`;
      const name = u.name ?? 'Laura Test';
      await db.sql('INSERT INTO account (id, name, updated_at) VALUES ($1, $2, now())', [
        accountId,
        `Account ${accountId}`,
      ]);
      await db.sql(
        'INSERT INTO platform_user (id, account_id, name, locale, updated_at) VALUES ($1, $2, $3, $4, now())',
        [id, accountId, name, u.locale ?? null],
      );
      return { id, accountId, name };
    },
    async call(method, path, c = {}) {
      const headers: Record<string, string> = { ...(c.headers ?? {}) };
      if (c.auth) headers.authorization = `Bearer ${c.auth}`;
      let body: string | Blob | undefined;
      if (c.raw !== undefined) body = typeof c.raw === 'string' ? c.raw : new Blob([new Uint8Array(c.raw)]);
      else if (c.body !== undefined) {
        body = JSON.stringify(c.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${t.base}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async generate(userId) {
      const r = await t.call('POST', '/tokens/generate', { auth: DL_SECRET, body: { user: { id: userId } } });
      if (r.status !== 200) throw new Error(`generate failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    second() {
      const other = createDirectLine(deps(async () => undefined));
      extra.push(other);
      return other;
    },
    async close() {
      server.closeAllConnections();
      await Promise.all([...extra, t.dl].map((d) => d.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      // Leave nothing behind in the shared Redis (presence keys carry this server's prefix).
      const redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        const keys: string[] = [];
        for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1_000 }))
          keys.push(...(batch as string[]));
        for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      } catch {
        // nothing to clean if Redis is away
      } finally {
        redis.disconnect();
      }
    },
  };

  t.dl = createDirectLine(
    deps(async (conversation, activity) => {
      t.seen.push({ conversation, activity });
      await t.bot(t.dl, conversation, activity);
    }),
  );

  const app = express();
  app.set('trust proxy', true);
  app.use((req, _res, next) => {
    t.requests.push(`${req.method} ${req.path}`);
    next();
  });
  o.configure?.(app);
  app.use('/v3/directline', t.dl.router);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  const server = http.createServer(app);
  t.dl.attachWebSocket(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.base = `${t.url}/v3/directline`;
  return t;
}

/** Polls `fn` until it returns a truthy value. */
export async function waitFor<T>(fn: () => T | Promise<T>, ms = 5_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface StreamReader {
  ws: WebSocket;
  /** every activity received, in order */
  activities: any[];
  /** every text frame received (including empty keepalives) */
  frames: string[];
  watermarks: string[];
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens a stream URL; resolves once open, or rejects with the HTTP status of a refused upgrade. */
export function openStream(url: string): Promise<StreamReader> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const reader: StreamReader = {
      ws,
      activities: [],
      frames: [],
      watermarks: [],
      closed: new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() }))),
      close: () => ws.close(),
    };
    ws.on('message', (data) => {
      const text = data.toString();
      reader.frames.push(text);
      if (!text) return;
      const msg = JSON.parse(text) as { activities: unknown[]; watermark: string };
      reader.activities.push(...msg.activities);
      reader.watermarks.push(msg.watermark);
    });
    ws.once('open', () => resolve(reader));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

/**
 * A minimal XMLHttpRequest over fetch, enough for RxJS 5's AjaxObservable (which DirectLineJS uses):
 * open, setRequestHeader, send, abort, timeout, responseType 'json', onreadystatechange/onerror/ontimeout.
 */
class NodeXMLHttpRequest {
  readyState = 0;
  status = 0;
  statusText = '';
  response: unknown = null;
  responseText = '';
  responseType = '';
  timeout = 0;
  withCredentials = false;
  upload = {};
  onreadystatechange: ((this: NodeXMLHttpRequest, ev: unknown) => void) | null = null;
  onerror: ((this: NodeXMLHttpRequest, ev: unknown) => void) | null = null;
  ontimeout: ((this: NodeXMLHttpRequest, ev: unknown) => void) | null = null;
  onload: ((this: NodeXMLHttpRequest, ev: unknown) => void) | null = null;
  private method = 'GET';
  private url = '';
  private headers: Record<string, string> = {};
  private resHeaders: Headers | undefined;
  private controller = new AbortController();
  private aborted = false;
  private timedOut = false;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.resHeaders?.get(name) ?? null;
  }
  getAllResponseHeaders() {
    const lines: string[] = [];
    this.resHeaders?.forEach((v, k) => {
      lines.push(`${k}: ${v}`);
    });
    return lines.join('\r\n');
  }
  abort() {
    this.aborted = true;
    this.controller.abort();
  }
  send(body?: BodyInit | null) {
    const timer =
      this.timeout > 0
        ? setTimeout(() => {
            this.timedOut = true;
            this.controller.abort();
          }, this.timeout)
        : undefined;
    fetch(this.url, {
      method: this.method,
      headers: this.headers,
      body: body ?? undefined,
      signal: this.controller.signal,
    })
      .then(async (res) => {
        const text = await res.text();
        clearTimeout(timer);
        this.status = res.status;
        this.statusText = res.statusText;
        this.resHeaders = res.headers;
        this.responseText = text;
        if (this.responseType === 'json') {
          try {
            this.response = text ? JSON.parse(text) : null;
          } catch {
            this.response = null;
          }
        } else {
          this.response = text;
        }
        this.readyState = 4;
        this.onreadystatechange?.call(this, { type: 'readystatechange' });
        this.onload?.call(this, { type: 'load' });
      })
      .catch((err: unknown) => {
        clearTimeout(timer);
        if (this.aborted) return;
        this.readyState = 4;
        this.status = 0;
        if (this.timedOut) this.ontimeout?.call(this, { type: 'timeout' });
        else this.onerror?.call(this, { type: 'error', error: err });
      });
  }
}

/** Gives Node what DirectLineJS expects of a browser. Returns a function that restores the previous globals. */
export function installBrowserGlobals(): () => void {
  const g = globalThis as Record<string, unknown>;
  const before = { XMLHttpRequest: g.XMLHttpRequest, WebSocket: g.WebSocket };
  g.XMLHttpRequest = NodeXMLHttpRequest;
  g.WebSocket = WebSocket;
  return () => {
    g.XMLHttpRequest = before.XMLHttpRequest;
    g.WebSocket = before.WebSocket;
  };
}

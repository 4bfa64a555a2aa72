/**
 * Bot Framework connector stand-in (Bot Connector REST API v3).
 *
 * A test posts an inbound Activity to our bot (`/api/messages`) whose `serviceUrl` is this stand-in; the bot's
 * CloudAdapter then answers through the connector API here:
 *   POST   /v3/conversations/:conversationId/activities               sendToConversation
 *   POST   /v3/conversations/:conversationId/activities/:activityId   replyToActivity
 *   PUT    /v3/conversations/:conversationId/activities/:activityId   updateActivity
 *   DELETE /v3/conversations/:conversationId/activities/:activityId   deleteActivity
 * plus members / history / create-conversation endpoints with empty-ish answers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Activity, ChannelAccount } from 'botbuilder';
import { FaultQueue, type HttpReply, type ParsedRequest, Router, startHttpServer, waitUntil } from './http.ts';

export type ConnectorOperation =
  | 'send'
  | 'reply'
  | 'update'
  | 'delete'
  | 'history'
  | 'createConversation'
  | 'attachment'
  | 'members';

export interface ConnectorRecord {
  op: ConnectorOperation;
  conversationId: string;
  /** For reply: the activity replied to; for update/delete: the target activity. */
  activityId?: string;
  /** The activity body the bot sent (send/reply/update), as JSON. */
  activity?: Partial<Activity>;
  /** Id the stand-in answered with (`{ id }`), when any. */
  id?: string;
  /** Raw `Authorization` header (undefined when the bot sent none, e.g. auth disabled). */
  authorization?: string;
  headers: IncomingHttpHeaders;
  at: number;
  faulted: boolean;
  fault?: ConnectorFault;
  status: number;
}

/** A bot-sent activity as stored by the stand-in (id assigned by the stand-in). */
export type BotActivity = Partial<Activity> & { id: string };

export type ConnectorFault =
  | { status: 429; retryAfter?: number }
  | { status: 400 | 401 | 403 | 404 | 500 | 502 | 503; code?: string; message?: string };

export interface ConnectorStandinOptions {
  /** Answer 401 to requests without an `Authorization` header (default false: record it only). */
  requireAuth?: boolean;
  /** Members returned by the members endpoints (default []). */
  members?: ChannelAccount[];
}

export interface InboundActivityInput {
  conversationId: string;
  /** Default 'message'. */
  type?: string;
  text?: string;
  /** Default 'user-1'. */
  fromId?: string;
  fromName?: string;
  /** Default: a unique id (so CloudAdapter replies via replyToActivity). */
  id?: string;
  /** Default 'webchat'. */
  channelId?: string;
  value?: unknown;
  locale?: string;
  /** Merged last (e.g. `membersAdded`, `channelData`, `deliveryMode: 'expectReplies'`). */
  extra?: Partial<Activity>;
}

export interface ConnectorStandin {
  readonly url: string;
  readonly port: number;
  /** Everything the bot called, in order. */
  readonly records: ConnectorRecord[];
  /** Activities the bot sent (send + reply, not faulted), optionally for one conversation, in order. */
  replies(conversationId?: string): BotActivity[];
  /** Update / delete records (not faulted). */
  updates(conversationId?: string): ConnectorRecord[];
  deletes(conversationId?: string): ConnectorRecord[];
  /** The conversation as a user would see it now: sent activities with updates applied and deletes removed. */
  transcript(conversationId: string): BotActivity[];
  /**
   * Resolves with the conversation's replies once at least `count` (matching `filter`, e.g. `{ type: 'message' }`
   * to skip typing indicators) arrived; rejects after `timeoutMs` (default 2000).
   */
  waitForReplies(
    conversationId: string,
    count: number,
    timeoutMs?: number,
    filter?: { type?: string } | ((a: BotActivity) => boolean),
  ): Promise<BotActivity[]>;
  /** Queue faults for the next calls of an operation ('*' = any). */
  failNext(faults: ConnectorFault[], op?: ConnectorOperation | '*'): void;
  /** An inbound Activity for the bot with `serviceUrl` = this stand-in. */
  inboundActivity(input: InboundActivityInput): Partial<Activity>;
  /**
   * POSTs an activity to the bot endpoint (e.g. `${botBase}/api/messages`). Returns status, text and parsed
   * JSON (e.g. `{ activities }` for `deliveryMode: 'expectReplies'`, or an invoke response body).
   */
  postActivity(
    botUrl: string,
    activity: Partial<Activity>,
    opts?: { authorization?: string },
  ): Promise<{ status: number; text: string; json: unknown }>;
  reset(): void;
  close(): Promise<void>;
}

function opFor(req: ParsedRequest): ConnectorOperation | undefined {
  const hasActivity = req.params.activityId !== undefined;
  if (req.path.endsWith('/activities/history')) return 'history';
  if (req.method === 'POST') return hasActivity ? 'reply' : 'send';
  if (req.method === 'PUT') return 'update';
  if (req.method === 'DELETE') return 'delete';
  return undefined;
}

export async function startConnectorStandin(opts: ConnectorStandinOptions = {}): Promise<ConnectorStandin> {
  const records: ConnectorRecord[] = [];
  const faults = new FaultQueue<ConnectorFault>();
  const members = opts.members ?? [];
  let counter = 0;
  let inboundCounter = 0;

  const record = (req: ParsedRequest, op: ConnectorOperation, conversationId: string): ConnectorRecord => {
    const r: ConnectorRecord = {
      op,
      conversationId,
      headers: req.headers,
      at: Date.now(),
      faulted: false,
      status: 0,
    };
    if (req.params.activityId !== undefined) r.activityId = req.params.activityId;
    if (typeof req.headers.authorization === 'string') r.authorization = req.headers.authorization;
    if (req.body && typeof req.body === 'object' && (op === 'send' || op === 'reply' || op === 'update')) {
      r.activity = req.body as Partial<Activity>;
    }
    records.push(r);
    return r;
  };

  /** Faults and auth; undefined means go ahead. */
  const gate = (r: ConnectorRecord): HttpReply | undefined => {
    const fault = faults.take(r.op);
    if (fault) {
      r.faulted = true;
      r.fault = fault;
      r.status = fault.status;
      if (fault.status === 429) {
        return {
          status: 429,
          headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
          json: { error: { code: 'TooManyRequests', message: 'Too many requests (stand-in)' } },
        };
      }
      return {
        status: fault.status,
        json: {
          error: {
            code: fault.code ?? (fault.status >= 500 ? 'ServiceError' : 'BadArgument'),
            message: fault.message ?? `Injected HTTP ${fault.status} (stand-in)`,
          },
        },
      };
    }
    if (opts.requireAuth && r.authorization === undefined) {
      r.status = 401;
      return { status: 401, json: { message: 'Authorization has been denied for this request.' } };
    }
    return undefined;
  };

  const ok = (r: ConnectorRecord, json: unknown, status = 200): HttpReply => {
    r.status = status;
    return { status, json };
  };

  const newId = (conversationId: string) => `${conversationId}|${String(++counter).padStart(7, '0')}`;

  const router = new Router();

  const activityWrite = (req: ParsedRequest): HttpReply => {
    const conversationId = req.params.conversationId ?? '';
    const op = opFor(req) ?? 'send';
    const r = record(req, op, conversationId);
    const gated = gate(r);
    if (gated) return gated;
    if (op === 'delete') return ok(r, undefined);
    if (!req.body || typeof req.body !== 'object') {
      r.status = 400;
      return { status: 400, json: { error: { code: 'BadArgument', message: 'Missing activity body' } } };
    }
    r.id = op === 'update' ? (req.params.activityId ?? newId(conversationId)) : newId(conversationId);
    return ok(r, { id: r.id });
  };

  router.post('/v3/conversations/:conversationId/activities/history', activityWrite);
  router.post('/v3/conversations/:conversationId/activities', activityWrite);
  router.post('/v3/conversations/:conversationId/activities/:activityId', activityWrite);
  router.put('/v3/conversations/:conversationId/activities/:activityId', activityWrite);
  router.delete('/v3/conversations/:conversationId/activities/:activityId', activityWrite);

  const membersRoute = (req: ParsedRequest): HttpReply => {
    const r = record(req, 'members', req.params.conversationId ?? '');
    const gated = gate(r);
    if (gated) return gated;
    if (req.params.memberId !== undefined) {
      const member = members.find((m) => m.id === req.params.memberId);
      if (req.method === 'DELETE') return ok(r, undefined);
      return member
        ? ok(r, member)
        : ok(r, { error: { code: 'BadArgument', message: 'Member not found (stand-in)' } }, 404);
    }
    if (req.path.endsWith('/pagedmembers')) return ok(r, { members });
    return ok(r, members);
  };
  router.get('/v3/conversations/:conversationId/members', membersRoute);
  router.get('/v3/conversations/:conversationId/pagedmembers', membersRoute);
  router.get('/v3/conversations/:conversationId/members/:memberId', membersRoute);
  router.delete('/v3/conversations/:conversationId/members/:memberId', membersRoute);
  router.get('/v3/conversations/:conversationId/activities/:activityId/members', membersRoute);

  router.post('/v3/conversations/:conversationId/attachments', (req) => {
    const r = record(req, 'attachment', req.params.conversationId ?? '');
    const gated = gate(r);
    if (gated) return gated;
    r.id = `att-${++counter}`;
    return ok(r, { id: r.id });
  });

  router.post('/v3/conversations', (req) => {
    const conversationId = `standin-conv-${++counter}`;
    const r = record(req, 'createConversation', conversationId);
    const gated = gate(r);
    if (gated) return gated;
    const body = (req.body ?? {}) as { activity?: Partial<Activity> };
    const json: Record<string, string> = { id: conversationId, serviceUrl: http.url };
    if (body.activity) {
      r.activity = body.activity;
      r.id = newId(conversationId);
      json.activityId = r.id;
    }
    return ok(r, json, 200);
  });
  router.get('/v3/conversations', () => ({ json: { conversations: [] } }));

  const http = await startHttpServer(router);

  const live = (r: ConnectorRecord) => !r.faulted && r.status >= 200 && r.status < 300;
  const sent = (conversationId?: string): BotActivity[] =>
    records
      .filter(
        (r) =>
          (r.op === 'send' || r.op === 'reply') &&
          live(r) &&
          (conversationId === undefined || r.conversationId === conversationId),
      )
      .map((r) => ({ ...r.activity, id: r.id! }));
  const ofOp = (op: ConnectorOperation, conversationId?: string) =>
    records.filter(
      (r) => r.op === op && live(r) && (conversationId === undefined || r.conversationId === conversationId),
    );

  return {
    url: http.url,
    port: http.port,
    records,
    replies: sent,
    updates: (conversationId) => ofOp('update', conversationId),
    deletes: (conversationId) => ofOp('delete', conversationId),
    transcript(conversationId) {
      const state = new Map<string, BotActivity>();
      for (const r of records) {
        if (r.conversationId !== conversationId || !live(r)) continue;
        if ((r.op === 'send' || r.op === 'reply') && r.id) state.set(r.id, { ...r.activity, id: r.id });
        else if (r.op === 'update' && r.activityId && state.has(r.activityId)) {
          state.set(r.activityId, { ...state.get(r.activityId), ...r.activity, id: r.activityId });
        } else if (r.op === 'delete' && r.activityId) state.delete(r.activityId);
      }
      return [...state.values()];
    },
    waitForReplies(conversationId, count, timeoutMs = 2000, filter) {
      const test =
        typeof filter === 'function'
          ? filter
          : filter?.type !== undefined
            ? (a: BotActivity) => a.type === filter.type
            : () => true;
      return waitUntil(
        () => {
          const found = sent(conversationId).filter(test);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () =>
          `waiting for ${count} repl(ies) in ${conversationId}; got: ${JSON.stringify(
            sent(conversationId).map((a) => ({ type: a.type, text: a.text })),
          )}; all records: ${records.map((r) => `${r.op}:${r.conversationId}:${r.status}`).join(', ')}`,
      );
    },
    failNext(list, op = '*') {
      faults.push(op, list);
    },
    inboundActivity(input) {
      const now = new Date();
      const id = input.id ?? `inbound-${++inboundCounter}-${now.getTime()}`;
      return {
        type: input.type ?? 'message',
        id,
        timestamp: now,
        localTimestamp: now,
        serviceUrl: http.url,
        channelId: input.channelId ?? 'webchat',
        from: { id: input.fromId ?? 'user-1', name: input.fromName ?? 'Test User', role: 'user' },
        conversation: { id: input.conversationId, isGroup: false, conversationType: 'personal', name: '' },
        recipient: { id: 'standin-bot', name: 'Bot', role: 'bot' },
        ...(input.text !== undefined ? { text: input.text, textFormat: 'plain' } : {}),
        ...(input.value !== undefined ? { value: input.value } : {}),
        locale: input.locale ?? 'en-US',
        entities: [],
        channelData: {},
        ...(input.extra ?? {}),
      } as Partial<Activity>;
    },
    async postActivity(botUrl, activity, postOpts = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (postOpts.authorization) headers.authorization = postOpts.authorization;
      const res = await fetch(botUrl, { method: 'POST', headers, body: JSON.stringify(activity) });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json };
    },
    reset() {
      records.length = 0;
      faults.clear();
    },
    close: () => http.close(),
  };
}

/**
 * Slack stand-in.
 *
 * 1. A Slack Web API server for `new WebClient(token, { slackApiUrl: standin.apiUrl })` or Bolt's
 *    `new App({ token, signingSecret, clientOptions: { slackApiUrl: standin.apiUrl } })`.
 *    `standin.apiUrl` is `standin.url + '/api/'`; WebClient builds method URLs as `${slackApiUrl}${method}`
 *    (it appends a missing trailing slash itself), so both '.../api' and '.../api/' work.
 * 2. Helpers to send signed requests (interactivity payloads, Events API callbacks) to our own Bolt endpoint.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { BlockAction, EnvelopedEvent, ViewStateValue, ViewSubmitAction } from '@slack/bolt';
import {
  bearerToken,
  FaultQueue,
  type HttpReply,
  type ParsedRequest,
  Router,
  startHttpServer,
  waitUntil,
} from './http.ts';

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

/**
 * An injected failure.
 * - `{ status: 429, retryAfter }`: HTTP 429 with `Retry-After: <seconds>` and `{ok:false,error:'ratelimited'}`.
 * - `{ status: 500 | 503 }`: that HTTP status with a non-JSON body.
 * - `{ ok: false, error }`: HTTP 200 with `{ ok: false, error }` (a Slack platform error).
 */
export type SlackFault = { status: 429; retryAfter: number } | { status: 500 | 503 } | { ok: false; error: string };

export interface SlackCall {
  /** Web API method name, e.g. 'chat.postMessage'. Calls to a `responseUrl()` are recorded as 'response_url'. */
  method: string;
  /**
   * Arguments as an object. Form-encoded JSON fields (`blocks`, `attachments`, `view`, `metadata`...) are parsed
   * back into objects; other form values stay strings (so `unfurl_links` arrives as 'false', as Slack sees it).
   */
  body: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  headers: IncomingHttpHeaders;
  /** How the arguments were sent. */
  encoding: 'form' | 'json' | 'query' | 'none';
  /** True when a `failNext` fault answered this call (no state was changed). */
  faulted: boolean;
  fault?: SlackFault;
  /** What the stand-in answered (HTTP status and JSON body, or text for 5xx faults). */
  response: { status: number; body: unknown };
}

/** A message as it currently stands (after `chat.update`s) in the stand-in's memory. */
export interface SlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  edited?: { user: string; ts: string };
  /** Number of successful `chat.update`s (or `replace_original` responses) applied. */
  updateCount: number;
  /** Every argument of the original post (e.g. `unfurl_links`, `username`, `reply_broadcast`). */
  postedWith: Record<string, unknown>;
}

export interface SlackEphemeral {
  channel: string;
  user: string;
  /** The `message_ts` Slack returned. */
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  title: unknown;
  submit: unknown;
  close: unknown;
  blocks: unknown[];
  state: { values: Record<string, Record<string, ViewStateValue>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
  /** The `trigger_id` the view was opened with. */
  trigger_id?: string;
}

export interface SlackUserInput {
  id: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
}

/** The `user` object `users.info` returns. */
export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_bot: boolean;
  is_admin: boolean;
  is_app_user: boolean;
  updated: number;
  profile: {
    real_name: string;
    real_name_normalized: string;
    display_name: string;
    display_name_normalized: string;
    email?: string;
    image_48: string;
    team: string;
  };
}

export interface SlackStandinOptions {
  /** Bot token the server accepts; default 'xoxb-standin-token'. */
  token?: string;
  /** Default 'T0STANDIN'. */
  teamId?: string;
  /** Default 'standin'. */
  teamDomain?: string;
  /** The bot's user id (`auth.test` user_id); default 'U0STANDINBOT'. */
  botUserId?: string;
  /** Default 'B0STANDIN'. */
  botId?: string;
  /** Default 'A0STANDIN'. */
  appId?: string;
  /** Users `users.info` knows about. */
  users?: SlackUserInput[];
}

/** Custom answer for a method: return the full JSON response (include `ok`), or undefined for the built-in one. */
export type SlackMethodHandler = (call: SlackCall) => Record<string, unknown> | undefined;

export interface SlackStandin {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `url + '/api/'`: pass as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly port: number;
  readonly token: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** Every call in arrival order (including faulted and unauthenticated ones). */
  readonly calls: SlackCall[];
  /** Calls to one method (including faulted ones; filter on `faulted` if needed). */
  callsTo(method: string): SlackCall[];
  /**
   * Resolves with every recorded call matching `predicate` (a method name or a function) once at least
   * `count` (default 1) match; polls every 5 ms; rejects after `timeoutMs` (default 2000).
   */
  waitFor(predicate: string | ((call: SlackCall) => boolean), timeoutMs?: number, count?: number): Promise<SlackCall[]>;
  /** Current messages (after updates/deletes), in posting order, optionally for one channel. */
  messages(channel?: string): SlackMessage[];
  message(channel: string, ts: string): SlackMessage | undefined;
  ephemerals(channel?: string): SlackEphemeral[];
  /** Views opened with `views.open` (current state after `views.update`). */
  views(): SlackView[];
  /** The DM channel id `conversations.open({ users })` returns for this user (stable per user). */
  dmChannelFor(userId: string): string;
  addUser(user: SlackUserInput): void;
  /**
   * A file someone shared: `files.info` answers it, and `url_private(_download)` serves `content` to requests
   * carrying the bot token (as Slack does), 404 otherwise.
   */
  addFile(file: { id: string; name: string; content: string; mimetype?: string }): Record<string, unknown>;
  /** Home tabs published with `views.publish`, by user id (the latest one). */
  homeTabs(): Map<string, SlackView>;
  /** Override / add a method's answer. */
  onMethod(method: string, handler: SlackMethodHandler | undefined): void;
  /**
   * Answers `method` only after `ms` (0 = at once), having done its work already: a slow Slack, or a reply lost
   * on the way back (the caller dies waiting, the message is posted).
   */
  setDelay(method: string, ms: number): void;
  /** Queue faults for the next calls to `method` ('*' = any method, used after the method's own queue). */
  failNext(method: string, responses: SlackFault[]): void;
  /**
   * Slack unreachable for `method` ('*' = every method): its calls get no answer until `release`, as when
   * packets are dropped. A held call is not recorded until released; if its client went away meanwhile (a
   * killed worker, a client timeout), Slack never saw it.
   */
  hold(method: string): void;
  /** Ends a hold: held calls whose client is still there are handled now, as if they had just arrived. */
  release(method: string): void;
  /** Calls to `method` ('*' = any) waiting behind a hold right now. */
  held(method?: string): number;
  /**
   * A `response_url` served by this stand-in. Bolt's `respond()` posts JSON there; it is recorded as a
   * 'response_url' call and applied: `replace_original` updates / `delete_original` deletes the message given
   * here, `response_type: 'in_channel'` posts a new message, otherwise an ephemeral for `user` is recorded.
   */
  responseUrl(target?: { channel?: string; ts?: string; user?: string }): string;
  /** Clears calls, messages, ephemerals, views, faults and custom handlers; ts numbering restarts. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------------------------

/** Form fields that are plain strings even when they start with '{' or '['. */
const STRING_FIELDS = new Set([
  'text',
  'markdown_text',
  'username',
  'icon_emoji',
  'icon_url',
  'thread_ts',
  'ts',
  'channel',
  'user',
  'users',
  'title',
  'initial_comment',
  'content',
  'alt_text',
  'trigger_id',
  'view_id',
  'external_id',
  'hash',
  'message_ts',
  'cursor',
  'token',
]);

/** WebClient JSON-encodes every non-primitive argument into the form; undo that. */
function decodeFormFields(form: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const trimmed = value.trimStart();
    if (!STRING_FIELDS.has(key) && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      try {
        out[key] = JSON.parse(value) as unknown;
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[key] = value;
  }
  return out;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}

const BASE_TS_SECONDS = 1_700_000_000;

/** Deterministic, strictly increasing Slack timestamps: '1700000000.000100', '1700000000.000200', ... */
function tsFor(n: number): string {
  const micros = n * 100;
  const seconds = BASE_TS_SECONDS + Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function idFor(prefix: string, n: number): string {
  return `${prefix}${n.toString(36).toUpperCase().padStart(10, '0')}`;
}

function stableId(prefix: string, key: string): string {
  return prefix + createHash('sha1').update(key).digest('hex').slice(0, 10).toUpperCase();
}

function toSlackUser(input: SlackUserInput, teamId: string): SlackUser {
  const name = input.name ?? input.id.toLowerCase();
  const realName = input.real_name ?? name;
  const displayName = input.display_name ?? '';
  return {
    id: input.id,
    team_id: teamId,
    name,
    deleted: input.deleted ?? false,
    real_name: realName,
    tz: input.tz ?? 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    is_bot: input.is_bot ?? false,
    is_admin: false,
    is_app_user: false,
    updated: BASE_TS_SECONDS,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      ...(input.email !== undefined ? { email: input.email } : {}),
      image_48: `https://avatars.standin.invalid/${input.id}_48.png`,
      team: teamId,
    },
  };
}

export async function startSlackStandin(opts: SlackStandinOptions = {}): Promise<SlackStandin> {
  const token = opts.token ?? 'xoxb-standin-token';
  const teamId = opts.teamId ?? 'T0STANDIN';
  const teamDomain = opts.teamDomain ?? 'standin';
  const botUserId = opts.botUserId ?? 'U0STANDINBOT';
  const botId = opts.botId ?? 'B0STANDIN';
  const appId = opts.appId ?? 'A0STANDIN';

  const calls: SlackCall[] = [];
  let messages = new Map<string, SlackMessage>(); // key `${channel}/${ts}`, insertion = post order
  let ephemerals: SlackEphemeral[] = [];
  let views = new Map<string, SlackView>();
  const users = new Map<string, SlackUser>();
  for (const u of opts.users ?? []) users.set(u.id, toSlackUser(u, teamId));
  const files = new Map<string, { info: Record<string, unknown>; content: string }>();
  let homes = new Map<string, SlackView>();
  const dmByUser = new Map<string, string>();
  const userByDm = new Map<string, string>();
  const responseTargets = new Map<string, { channel?: string; ts?: string; user?: string }>();
  const handlers = new Map<string, SlackMethodHandler>();
  const delays = new Map<string, number>();
  const faults = new FaultQueue<SlackFault>();
  let tsCounter = 0;
  let idCounter = 0;

  const nextTs = () => tsFor(++tsCounter);
  const nextId = (prefix: string) => idFor(prefix, ++idCounter);
  const key = (channel: string, ts: string) => `${channel}/${ts}`;

  const dmChannelFor = (userId: string): string => {
    let dm = dmByUser.get(userId);
    if (!dm) {
      dm = stableId('D', userId);
      dmByUser.set(userId, dm);
      userByDm.set(dm, userId);
    }
    return dm;
  };

  /** Slack lets you post to a user id: it lands in the app's DM with that user. */
  const resolveChannel = (channel: string): string =>
    /^[UW][A-Z0-9]+$/.test(channel) ? dmChannelFor(channel) : channel;

  const publicMessage = (m: SlackMessage): Record<string, unknown> => {
    const { channel: _channel, updateCount: _updateCount, postedWith: _postedWith, ...rest } = m;
    return {
      ...rest,
      bot_profile: { id: botId, app_id: appId, name: 'standin-bot', team_id: teamId, deleted: false },
    };
  };

  const postMessage = (channelArg: string, args: Record<string, unknown>): SlackMessage => {
    const channel = resolveChannel(channelArg);
    const message: SlackMessage = {
      type: 'message',
      channel,
      ts: nextTs(),
      text: str(args.text) ?? '',
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      updateCount: 0,
      postedWith: args,
    };
    const threadTs = str(args.thread_ts);
    if (threadTs) message.thread_ts = threadTs;
    const blocks = arr(args.blocks);
    if (blocks) message.blocks = blocks;
    const attachments = arr(args.attachments);
    if (attachments) message.attachments = attachments;
    if (args.metadata !== undefined) message.metadata = args.metadata;
    messages.set(key(channel, message.ts), message);
    return message;
  };

  const applyUpdate = (message: SlackMessage, args: Record<string, unknown>): void => {
    if (args.text !== undefined) message.text = str(args.text) ?? '';
    if (args.blocks !== undefined) {
      const blocks = arr(args.blocks);
      if (blocks) message.blocks = blocks;
      else delete message.blocks;
    }
    if (args.attachments !== undefined) {
      const attachments = arr(args.attachments);
      if (attachments) message.attachments = attachments;
      else delete message.attachments;
    }
    if (args.metadata !== undefined) message.metadata = args.metadata;
    message.edited = { user: botUserId, ts: nextTs() };
    message.updateCount += 1;
  };

  const hasContent = (args: Record<string, unknown>) =>
    Boolean(str(args.text)) || Boolean(arr(args.blocks)?.length) || Boolean(arr(args.attachments)?.length);

  const err = (error: string, extra: Record<string, unknown> = {}) => ({ ok: false, error, ...extra });

  const builtins: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    'api.test': (args) => ({ ok: true, args }),
    'auth.test': () => ({
      ok: true,
      url: `https://${teamDomain}.slack.com/`,
      team: teamDomain,
      user: 'standin-bot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (args) => {
      const channel = str(args.channel);
      if (!channel) return err('channel_not_found');
      if (!hasContent(args)) return err('no_text');
      const m = postMessage(channel, args);
      return { ok: true, channel: m.channel, ts: m.ts, message: publicMessage(m) };
    },
    'chat.update': (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return err('channel_not_found');
      if (!ts) return err('message_not_found');
      const m = messages.get(key(resolveChannel(channel), ts));
      if (!m) return err('message_not_found');
      if (!hasContent(args) && args.text === undefined) return err('no_text');
      applyUpdate(m, args);
      return { ok: true, channel: m.channel, ts: m.ts, text: m.text, message: publicMessage(m) };
    },
    'chat.delete': (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return err('channel_not_found');
      const k = key(resolveChannel(channel), ts ?? '');
      if (!messages.has(k)) return err('message_not_found');
      messages.delete(k);
      return { ok: true, channel: resolveChannel(channel), ts };
    },
    'chat.postEphemeral': (args) => {
      const channel = str(args.channel);
      const user = str(args.user);
      if (!channel) return err('channel_not_found');
      if (!user) return err('user_not_in_channel');
      if (!hasContent(args)) return err('no_text');
      const e: SlackEphemeral = { channel: resolveChannel(channel), user, ts: nextTs(), text: str(args.text) ?? '' };
      const threadTs = str(args.thread_ts);
      if (threadTs) e.thread_ts = threadTs;
      const blocks = arr(args.blocks);
      if (blocks) e.blocks = blocks;
      const attachments = arr(args.attachments);
      if (attachments) e.attachments = attachments;
      ephemerals.push(e);
      return { ok: true, message_ts: e.ts };
    },
    'conversations.history': (args) => {
      const channel = str(args.channel);
      if (!channel) return err('channel_not_found');
      const resolved = resolveChannel(channel);
      const oldest = Number(str(args.oldest) ?? '0');
      const limit = Number(str(args.limit) ?? '100');
      const withMetadata = str(args.include_all_metadata) === 'true';
      const found = [...messages.values()]
        .filter((m) => m.channel === resolved && !m.thread_ts && Number(m.ts) >= oldest)
        .sort((a, b) => Number(b.ts) - Number(a.ts)) // newest first, as Slack answers
        .slice(0, limit)
        .map((m) => {
          const { metadata, ...rest } = publicMessage(m);
          return withMetadata && metadata ? { ...rest, metadata } : rest;
        });
      return { ok: true, messages: found, has_more: false };
    },
    'conversations.replies': (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return err('channel_not_found');
      if (!ts) return err('thread_not_found');
      const resolved = resolveChannel(channel);
      if (!messages.has(key(resolved, ts))) return err('thread_not_found');
      const withMetadata = str(args.include_all_metadata) === 'true';
      const limit = Number(str(args.limit) ?? '1000');
      const found = [...messages.values()]
        .filter((m) => m.channel === resolved && (m.ts === ts || m.thread_ts === ts))
        .sort((a, b) => Number(a.ts) - Number(b.ts)) // oldest first, the root first, as Slack answers
        .slice(0, limit)
        .map((m) => {
          const { metadata, ...rest } = publicMessage(m);
          return withMetadata && metadata ? { ...rest, metadata } : rest;
        });
      return { ok: true, messages: found, has_more: false };
    },
    'files.info': (args) => {
      const f = files.get(str(args.file) ?? '');
      return f ? { ok: true, file: f.info } : err('file_not_found');
    },
    'views.publish': (args) => {
      const userId = str(args.user_id);
      const input = args.view;
      if (!userId) return err('invalid_arguments');
      if (!input || typeof input !== 'object') return err('invalid_arguments');
      const v = input as Record<string, unknown>;
      if (v.type !== 'home') return err('invalid_arguments');
      const blocks = arr(v.blocks) ?? [];
      if (blocks.length > 100) return err('invalid_blocks', { response_metadata: { messages: ['too many blocks'] } });
      const view: SlackView = {
        id: nextId('V'),
        team_id: teamId,
        type: 'home',
        callback_id: str(v.callback_id) ?? '',
        private_metadata: str(v.private_metadata) ?? '',
        external_id: str(v.external_id) ?? '',
        title: v.title ?? null,
        submit: null,
        close: null,
        blocks,
        state: { values: {} },
        hash: nextId('H'),
        clear_on_close: false,
        notify_on_close: false,
        root_view_id: '',
        previous_view_id: null,
        app_id: appId,
        app_installed_team_id: teamId,
        bot_id: botId,
      };
      view.root_view_id = view.id;
      homes.set(userId, view);
      return { ok: true, view };
    },
    'chat.getPermalink': (args) => {
      const channel = str(args.channel);
      const ts = str(args.message_ts);
      if (!channel) return err('channel_not_found');
      if (!ts || !messages.has(key(resolveChannel(channel), ts))) return err('message_not_found');
      return {
        ok: true,
        channel: resolveChannel(channel),
        permalink: `https://${teamDomain}.slack.com/archives/${resolveChannel(channel)}/p${ts.replace('.', '')}`,
      };
    },
    'conversations.open': (args) => {
      const channel = str(args.channel);
      if (channel) return { ok: true, channel: { id: channel } };
      const ids = (str(args.users) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) return err('users_list_not_supplied');
      const id = ids.length === 1 ? dmChannelFor(ids[0]!) : stableId('G', [...ids].sort().join(','));
      const full = truthy(args.return_im);
      return {
        ok: true,
        no_op: false,
        already_open: false,
        channel: full
          ? { id, created: BASE_TS_SECONDS, is_im: ids.length === 1, is_mpim: ids.length > 1, user: ids[0] }
          : { id },
      };
    },
    'views.open': (args) => {
      const triggerId = str(args.trigger_id);
      if (!triggerId && !str(args.interactivity_pointer)) return err('invalid_arguments');
      const input = args.view;
      if (!input || typeof input !== 'object') return err('invalid_arguments');
      const v = input as Record<string, unknown>;
      const id = nextId('V');
      const view: SlackView = {
        id,
        team_id: teamId,
        type: str(v.type) ?? 'modal',
        callback_id: str(v.callback_id) ?? '',
        private_metadata: str(v.private_metadata) ?? '',
        external_id: str(v.external_id) ?? '',
        title: v.title ?? null,
        submit: v.submit ?? null,
        close: v.close ?? null,
        blocks: arr(v.blocks) ?? [],
        state: { values: {} },
        hash: `${BASE_TS_SECONDS}.${randomBytes(4).toString('hex')}`,
        clear_on_close: truthy(v.clear_on_close),
        notify_on_close: truthy(v.notify_on_close),
        root_view_id: id,
        previous_view_id: null,
        app_id: appId,
        app_installed_team_id: teamId,
        bot_id: botId,
      };
      if (triggerId) view.trigger_id = triggerId;
      views.set(id, view);
      return { ok: true, view: { ...view } };
    },
    'views.update': (args) => {
      const viewId = str(args.view_id);
      const externalId = str(args.external_id);
      const view = viewId
        ? views.get(viewId)
        : [...views.values()].find((x) => externalId && x.external_id === externalId);
      if (!view) return err('not_found');
      const hash = str(args.hash);
      if (hash && hash !== view.hash) return err('hash_conflict');
      const input = args.view;
      if (!input || typeof input !== 'object') return err('invalid_arguments');
      const v = input as Record<string, unknown>;
      view.type = str(v.type) ?? view.type;
      view.callback_id = str(v.callback_id) ?? '';
      view.private_metadata = str(v.private_metadata) ?? '';
      view.title = v.title ?? view.title;
      view.submit = v.submit ?? null;
      view.close = v.close ?? null;
      view.blocks = arr(v.blocks) ?? [];
      view.hash = `${BASE_TS_SECONDS}.${randomBytes(4).toString('hex')}`;
      return { ok: true, view: { ...view } };
    },
    'users.info': (args) => {
      const id = str(args.user);
      const user = id ? users.get(id) : undefined;
      if (!user) return err('user_not_found');
      return { ok: true, user };
    },
  };

  const record = (
    method: string,
    req: ParsedRequest,
    body: Record<string, unknown>,
    encoding: SlackCall['encoding'],
  ): SlackCall => {
    const call: SlackCall = {
      method,
      body,
      at: Date.now(),
      headers: req.headers,
      encoding,
      faulted: false,
      response: { status: 0, body: undefined },
    };
    calls.push(call);
    return call;
  };

  const answer = (call: SlackCall, status: number, json: unknown, headers?: Record<string, string>): HttpReply => {
    call.response = { status, body: json };
    return { status, json, ...(headers ? { headers } : {}) };
  };

  const faultReply = (call: SlackCall, fault: SlackFault): HttpReply => {
    call.faulted = true;
    call.fault = fault;
    if ('ok' in fault) return answer(call, 200, { ok: false, error: fault.error });
    if (fault.status === 429) {
      return answer(call, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
    }
    const text = `standin: injected HTTP ${fault.status}`;
    call.response = { status: fault.status, body: text };
    return { status: fault.status, text };
  };

  const router = new Router();

  const holds = new Set<string>();
  const waiting: Array<{ method: string; resume: () => void }> = [];
  const isHeld = (method: string) => holds.has(method) || holds.has('*');

  router.all('/api/:method', async (req, res) => {
    const method = req.params.method ?? '';
    if (isHeld(method)) {
      let gone = false;
      res.once('close', () => {
        gone = !res.writableEnded;
      });
      await new Promise<void>((resume) => waiting.push({ method, resume }));
      if (gone || res.destroyed) return undefined; // the client gave up: Slack never saw this call
    }
    let body: Record<string, unknown>;
    let encoding: SlackCall['encoding'];
    if (req.contentType === 'application/x-www-form-urlencoded') {
      body = decodeFormFields(req.body as Record<string, string>);
      encoding = 'form';
    } else if (req.contentType === 'application/json') {
      body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
      encoding = 'json';
    } else if (Object.keys(req.query).length > 0) {
      body = decodeFormFields(req.query);
      encoding = 'query';
    } else {
      body = {};
      encoding = 'none';
    }
    const call = record(method, req, body, encoding);

    const fault = faults.take(method);
    if (fault) return faultReply(call, fault);

    if (req.bodyError) return answer(call, 200, err('invalid_json'));
    // Slack accepts the token as a Bearer header (required for JSON bodies) or as a form/query `token` field.
    const presented = bearerToken(req.headers) ?? (encoding === 'json' ? undefined : str(body.token));
    if (!presented) return answer(call, 200, err('not_authed'));
    if (presented !== token) return answer(call, 200, err('invalid_auth'));

    const custom = handlers.get(method)?.(call);
    const result = custom ?? (builtins[method] ? builtins[method](body) : { ok: true });
    const delay = delays.get(method) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    return answer(call, 200, result);
  });

  router.get('/files-pri/:id/:name', (req) => {
    const f = files.get(req.params.id ?? '');
    const call = record('files-pri', req, {}, 'none');
    if (!f || bearerToken(req.headers) !== token) return answer(call, 404, { ok: false, error: 'file_not_found' });
    call.response = { status: 200, body: f.content };
    return { status: 200, text: f.content, headers: { 'content-type': String(f.info.mimetype ?? 'text/plain') } };
  });

  router.post('/response_url/:id', (req) => {
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const call = record('response_url', req, body, req.contentType === 'application/json' ? 'json' : 'form');
    const fault = faults.take('response_url');
    if (fault) return faultReply(call, fault);
    const target = responseTargets.get(req.params.id ?? '');
    if (!target) return answer(call, 404, { ok: false, error: 'expired_url' });
    const existing = target.channel && target.ts ? messages.get(key(target.channel, target.ts)) : undefined;
    if (truthy(body.delete_original)) {
      if (existing) messages.delete(key(existing.channel, existing.ts));
    } else if (truthy(body.replace_original)) {
      if (existing) applyUpdate(existing, body);
    } else if (body.response_type === 'in_channel' && target.channel) {
      postMessage(target.channel, body);
    } else if (target.channel) {
      ephemerals.push({
        channel: target.channel,
        user: target.user ?? '',
        ts: nextTs(),
        text: str(body.text) ?? '',
        ...(arr(body.blocks) ? { blocks: arr(body.blocks) } : {}),
      });
    }
    return answer(call, 200, { ok: true });
  });

  const http = await startHttpServer(router);

  const matches = (predicate: string | ((call: SlackCall) => boolean)) =>
    typeof predicate === 'string' ? (c: SlackCall) => c.method === predicate : predicate;

  return {
    url: http.url,
    apiUrl: `${http.url}/api/`,
    port: http.port,
    token,
    teamId,
    botUserId,
    botId,
    appId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(predicate, timeoutMs = 2000, count = 1) {
      const test = matches(predicate);
      return waitUntil(
        () => {
          const found = calls.filter(test);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () =>
          `waiting for ${count} Slack call(s) matching ${typeof predicate === 'string' ? predicate : 'predicate'}; ` +
          `recorded: [${calls.map((c) => c.method + (c.faulted ? '(faulted)' : '')).join(', ')}]`,
      );
    },
    messages: (channel) => [...messages.values()].filter((m) => channel === undefined || m.channel === channel),
    message: (channel, ts) => messages.get(key(resolveChannel(channel), ts)),
    ephemerals: (channel) => ephemerals.filter((e) => channel === undefined || e.channel === channel),
    views: () => [...views.values()],
    dmChannelFor,
    addUser: (user) => {
      users.set(user.id, toSlackUser(user, teamId));
    },
    addFile(file) {
      const url = `${http.url}/files-pri/${file.id}/${encodeURIComponent(file.name)}`;
      const info = {
        id: file.id,
        name: file.name,
        title: file.name,
        mimetype: file.mimetype ?? 'text/plain',
        size: Buffer.byteLength(file.content),
        url_private: url,
        url_private_download: `${url}?download=1`,
        permalink: `https://${teamDomain}.slack.com/files/${file.id}`,
      };
      files.set(file.id, { info, content: file.content });
      return info;
    },
    homeTabs: () => homes,
    onMethod(method, handler) {
      if (handler) handlers.set(method, handler);
      else handlers.delete(method);
    },
    failNext: (method, responses) => faults.push(method, responses),
    setDelay(method, ms) {
      if (ms > 0) delays.set(method, ms);
      else delays.delete(method);
    },
    hold(method) {
      holds.add(method);
    },
    release(method) {
      holds.delete(method);
      for (const w of waiting.filter((x) => method === '*' || x.method === method)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resume();
      }
    },
    held: (method = '*') => waiting.filter((w) => method === '*' || w.method === method).length,
    responseUrl(target = {}) {
      const id = randomBytes(8).toString('hex');
      responseTargets.set(id, target);
      return `${http.url}/response_url/${id}`;
    },
    reset() {
      calls.length = 0;
      messages = new Map();
      ephemerals = [];
      views = new Map();
      homes = new Map();
      faults.clear();
      handlers.clear();
      delays.clear();
      holds.clear();
      for (const w of waiting.splice(0)) w.resume();
      tsCounter = 0;
      idCounter = 0;
    },
    async close() {
      await http.close();
      for (const w of waiting.splice(0)) w.resume();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Signed inbound requests to our Bolt endpoint
// ---------------------------------------------------------------------------------------------------------------

export type SlackContentType = 'application/json' | 'application/x-www-form-urlencoded';

export interface SlackSignedHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
  'content-type': SlackContentType;
}

/** Slack's v0 signature: `v0=` + hex HMAC-SHA256(signingSecret, `v0:${timestamp}:${rawBody}`). */
export function slackSignature(signingSecret: string, rawBody: string, timestampSeconds: number): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

/**
 * Headers Slack sends with an inbound request. `content-type` is inferred from the body (JSON when it starts
 * with '{', form otherwise) unless given; Bolt compares it with `===`, so it is exactly the bare media type.
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
  contentType?: SlackContentType,
): SlackSignedHeaders {
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': slackSignature(signingSecret, rawBody, timestampSeconds),
    'content-type':
      contentType ?? (rawBody.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded'),
  };
}

/** Interactivity payloads are sent form-encoded as a single `payload` field holding JSON. */
export function formBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface PostToBoltOptions {
  /** A raw string is sent as-is; an object is JSON-encoded (`application/json`) or wrapped by `formBody`. */
  body: string | object;
  /** Default: form for objects with a `type` of 'block_actions' | 'view_submission' | ..., JSON otherwise. */
  contentType?: SlackContentType;
  /** Adds `x-slack-retry-num`. */
  retryNum?: number;
  /** Adds `x-slack-retry-reason` (e.g. 'http_timeout', 'http_error'). */
  retryReason?: string;
  /** Signature timestamp in seconds (default now); use an old one to test staleness rejection. */
  timestamp?: number;
  /** Sign with this secret instead (to test bad signatures). */
  signWith?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

const INTERACTIVE_TYPES = new Set([
  'block_actions',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'block_suggestion',
  'interactive_message',
]);

/** Posts a correctly signed request to our Bolt endpoint (e.g. `${base}/slack/events`). */
export async function postToBolt(
  url: string,
  signingSecret: string,
  opts: PostToBoltOptions,
): Promise<{ status: number; text: string; headers: Headers }> {
  let rawBody: string;
  let contentType: SlackContentType;
  if (typeof opts.body === 'string') {
    rawBody = opts.body;
    contentType =
      opts.contentType ??
      (rawBody.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  } else {
    const type = (opts.body as { type?: unknown }).type;
    contentType =
      opts.contentType ??
      (typeof type === 'string' && INTERACTIVE_TYPES.has(type)
        ? 'application/x-www-form-urlencoded'
        : 'application/json');
    rawBody = contentType === 'application/json' ? JSON.stringify(opts.body) : formBody(opts.body);
  }
  const headers: Record<string, string> = {
    ...signSlackRequest(opts.signWith ?? signingSecret, rawBody, opts.timestamp, contentType),
    ...(opts.retryNum !== undefined ? { 'x-slack-retry-num': String(opts.retryNum) } : {}),
    ...(opts.retryReason !== undefined ? { 'x-slack-retry-reason': opts.retryReason } : {}),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(opts.headers ?? {}),
  };
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

// ---------------------------------------------------------------------------------------------------------------
// Payload factories (shapes follow @slack/bolt's BlockAction / ViewSubmitAction / EnvelopedEvent types)
// ---------------------------------------------------------------------------------------------------------------

let factoryCounter = 0;
const factoryId = (prefix: string) => idFor(prefix, ++factoryCounter);

/** A current-looking Slack ts ('1712345678.123456'), unique within this process. */
export function slackTsNow(): string {
  const micros = Date.now() * 1000 + (++factoryCounter % 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

const DEFAULT_TEAM = 'T0STANDIN';
const DEFAULT_APP = 'A0STANDIN';
const DEFAULT_BOT_USER = 'U0STANDINBOT';
const DEFAULT_BOT = 'B0STANDIN';
/** Connection-refused address so a forgotten `respond()` fails fast instead of reaching the internet. */
const DEAD_RESPONSE_URL = 'http://127.0.0.1:1/actions/T0STANDIN/0/standin';

interface FoundElement {
  blockId: string;
  element: Record<string, unknown>;
}

function findElement(blocks: unknown[] | undefined, actionId: string): FoundElement | undefined {
  for (const raw of blocks ?? []) {
    if (!raw || typeof raw !== 'object') continue;
    const block = raw as Record<string, unknown>;
    const candidates = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      block.accessory,
      block.element,
    ] as unknown[];
    for (const c of candidates) {
      if (c && typeof c === 'object' && (c as Record<string, unknown>).action_id === actionId) {
        return { blockId: str(block.block_id) ?? factoryId('blk'), element: c as Record<string, unknown> };
      }
    }
  }
  return undefined;
}

export interface BlockActionPayloadInput {
  userId: string;
  userName?: string;
  actionId: string;
  /** For buttons the button's value; for selects/overflows the selected option's value. */
  value: string;
  channelId: string;
  channelName?: string;
  /** ts of the message holding the button. */
  messageTs: string;
  /** The message's blocks; the element with `actionId` is looked up there for block_id, type and text. */
  blocks?: unknown[];
  messageText?: string;
  triggerId?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** Use `standin.responseUrl({ channel, ts })` to capture `respond()`; default: a connection-refused URL. */
  responseUrl?: string;
  /** Author of the message (defaults to the stand-in's bot). */
  botUserId?: string;
  botId?: string;
  /** `state.values` of the message's input elements. */
  stateValues?: Record<string, Record<string, ViewStateValue>>;
  /** Merged into the generated action object. */
  action?: Record<string, unknown>;
}

/** The body of a `block_actions` interaction on a message (send with `formBody` / `postToBolt`). */
export function blockActionPayload(input: BlockActionPayloadInput): BlockAction {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  const found = findElement(input.blocks, input.actionId);
  const element = found?.element ?? {};
  const type = str(element.type) ?? 'button';
  const actionTs = slackTsNow();
  const action: Record<string, unknown> = {
    type,
    block_id: found?.blockId ?? 'actions',
    action_id: input.actionId,
    action_ts: actionTs,
  };
  if (type === 'button') {
    action.text = element.text ?? { type: 'plain_text', text: input.value, emoji: true };
    action.value = input.value;
    if (element.style !== undefined) action.style = element.style;
  } else if (['static_select', 'external_select', 'overflow', 'radio_buttons'].includes(type)) {
    const options = (Array.isArray(element.options) ? element.options : []) as Array<Record<string, unknown>>;
    const option = options.find((o) => o.value === input.value);
    action.selected_option = option ?? {
      text: { type: 'plain_text', text: input.value, emoji: true },
      value: input.value,
    };
  } else {
    action.value = input.value;
  }
  Object.assign(action, input.action ?? {});

  const userName = input.userName ?? input.userId.toLowerCase();
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    token: 'standin-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channelId, is_ephemeral: false },
    trigger_id: input.triggerId ?? `${Date.now()}.${factoryId('')}.${randomBytes(8).toString('hex')}`,
    team: { id: teamId, domain: input.teamDomain ?? 'standin' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: input.channelName ?? 'standin-channel' },
    message: {
      type: 'message',
      user: input.botUserId ?? DEFAULT_BOT_USER,
      bot_id: input.botId ?? DEFAULT_BOT,
      app_id: input.apiAppId ?? DEFAULT_APP,
      team: teamId,
      ts: input.messageTs,
      text: input.messageText ?? '',
      ...(input.blocks ? { blocks: input.blocks } : {}),
    },
    state: { values: input.stateValues ?? {} },
    response_url: input.responseUrl ?? DEAD_RESPONSE_URL,
    actions: [action],
  };
  return payload as unknown as BlockAction;
}

export interface ViewSubmissionPayloadInput {
  userId: string;
  userName?: string;
  callbackId: string;
  privateMetadata: string;
  /** `view.state.values`: `{ [blockId]: { [actionId]: { type: 'plain_text_input', value: '...' } } }`. */
  values: Record<string, Record<string, ViewStateValue>>;
  viewId?: string;
  blocks?: unknown[];
  title?: string;
  teamId?: string;
  apiAppId?: string;
  triggerId?: string;
  externalId?: string;
}

/** The body of a `view_submission` interaction (send with `formBody` / `postToBolt`). */
export function viewSubmissionPayload(input: ViewSubmissionPayloadInput): ViewSubmitAction {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  const appId = input.apiAppId ?? DEFAULT_APP;
  const viewId = input.viewId ?? factoryId('V');
  const userName = input.userName ?? input.userId.toLowerCase();
  const payload = {
    type: 'view_submission',
    team: { id: teamId, domain: 'standin' },
    user: { id: input.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: appId,
    token: 'standin-verification-token',
    trigger_id: input.triggerId ?? `${Date.now()}.${factoryId('')}.${randomBytes(8).toString('hex')}`,
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: input.blocks ?? [],
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: input.title ?? 'Standin', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: appId,
      external_id: input.externalId ?? '',
      app_installed_team_id: teamId,
      bot_id: DEFAULT_BOT,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return payload as unknown as ViewSubmitAction;
}

export interface EventCallbackOptions {
  eventId?: string;
  teamId?: string;
  apiAppId?: string;
  /** Seconds; default now. */
  eventTime?: number;
  /** The installation's bot user (goes into `authorizations`); default the stand-in's default bot user. */
  botUserId?: string;
}

/** An Events API `event_callback` envelope (JSON body). */
export function eventCallback<E extends { type: string }>(
  event: E,
  opts: EventCallbackOptions = {},
): EnvelopedEvent<E> {
  const teamId = opts.teamId ?? DEFAULT_TEAM;
  return {
    token: 'standin-verification-token',
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: opts.apiAppId ?? DEFAULT_APP,
    event,
    type: 'event_callback',
    event_id: opts.eventId ?? factoryId('Ev'),
    event_time: opts.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: opts.botUserId ?? DEFAULT_BOT_USER,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

export interface MessageEventInput {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  /** Set for a reply in a thread (the parent message's ts). */
  threadTs?: string;
  /** Author of the thread's parent (Slack sets `parent_user_id` on thread replies). */
  parentUserId?: string;
  /** 'channel' (default), 'group', 'im' or 'mpim'. */
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
  teamId?: string;
}

/** A user-authored `message` event (wrap it with `eventCallback`). */
export function messageEvent(input: MessageEventInput): {
  type: 'message';
  channel: string;
  user: string;
  text: string;
  ts: string;
  event_ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  channel_type: string;
  team: string;
  client_msg_id: string;
  blocks: unknown[];
} {
  const ts = input.ts ?? slackTsNow();
  return {
    type: 'message',
    channel: input.channel,
    user: input.user,
    text: input.text,
    ts,
    event_ts: ts,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    ...(input.threadTs && input.parentUserId ? { parent_user_id: input.parentUserId } : {}),
    channel_type: input.channelType ?? 'channel',
    team: input.teamId ?? DEFAULT_TEAM,
    client_msg_id: `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-a${randomBytes(2).toString('hex').slice(1)}-${randomBytes(6).toString('hex')}`,
    blocks: [
      {
        type: 'rich_text',
        block_id: randomBytes(3).toString('base64url'),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: input.text }] }],
      },
    ],
  };
}

/** The `url_verification` handshake body Slack sends when an Events URL is configured. */
export function urlVerification(challenge: string): { token: string; challenge: string; type: 'url_verification' } {
  return { token: 'standin-verification-token', challenge, type: 'url_verification' };
}

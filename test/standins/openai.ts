/**
 * OpenAI-compatible stand-in: `POST /v1/chat/completions` (JSON or `stream: true` SSE) and `GET /v1/models`.
 * Use with `new OpenAI({ apiKey: 'x', baseURL: standin.baseURL })` (`standin.url + '/v1'`).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import { estimateRequestTokens } from '../../src/chat/llm/tokens.ts';
import {
  bearerToken,
  FaultQueue,
  type HttpReply,
  type ParsedRequest,
  Router,
  sleep,
  startHttpServer,
  waitUntil,
} from './http.ts';

export interface OpenAIToolCallReply {
  id?: string;
  name: string;
  /** A string is sent verbatim; an object is JSON-encoded. */
  arguments: string | Record<string, unknown>;
}

/** What the model "says": a plain string, or a structured reply. */
export type OpenAIReply =
  | string
  | {
      content?: string | null;
      refusal?: string | null;
      toolCalls?: OpenAIToolCallReply[];
      /** Default: 'tool_calls' when there are tool calls, 'stop' otherwise. */
      finishReason?: ChatCompletion.Choice['finish_reason'];
      /** Default: characters / 4 (prompt: what the request sends; completion: the content and tool calls). */
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** Streaming: the content deltas to send (default: the content split after each space). */
      chunks?: string[];
      /** Wait before answering (headers not sent yet: the client's timeout applies). */
      delayMs?: number;
      /** Streaming: wait between chunks. */
      chunkDelayMs?: number;
      /** Streaming: send at most this many content chunks, then destroy the connection (no finish chunk, no [DONE]). */
      dropAfterChunks?: number;
    };

export interface OpenAIRequestContext {
  headers: IncomingHttpHeaders;
  /** 0-based index of this request among all chat completion requests (faulted ones included). */
  index: number;
}

export type OpenAIHandler = (
  request: ChatCompletionCreateParams,
  ctx: OpenAIRequestContext,
) => OpenAIReply | Promise<OpenAIReply>;

/**
 * An injected failure for the next request(s). Error bodies use OpenAI's `{ error: { message, type, param, code } }`.
 * `retryAfter` (seconds) sets `retry-after`; `retryAfterMs` sets `retry-after-ms` (the openai client prefers it,
 * and `retryAfterMs: 0` makes its retry immediate). `disconnect` destroys the socket without answering.
 */
export type OpenAIFault =
  | { status: 429; retryAfter?: number; retryAfterMs?: number; message?: string }
  | {
      status: 400 | 401 | 403 | 404 | 408 | 409 | 500 | 502 | 503;
      retryAfter?: number;
      retryAfterMs?: number;
      message?: string;
    }
  | { disconnect: true };

export interface OpenAIRecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body (undefined for GETs). */
  body: unknown;
  headers: IncomingHttpHeaders;
  at: number;
  faulted: boolean;
  fault?: OpenAIFault;
  /** Status answered (0 for a disconnect). */
  status: number;
}

export interface OpenAIStandinOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 invalid_api_key otherwise). */
  apiKey?: string;
  /** Reply used by the default handler; default 'Hello from the OpenAI stand-in.' */
  reply?: OpenAIReply;
  /** Ids listed by GET /v1/models; default ['gpt-4o-mini', 'gpt-4o']. */
  models?: string[];
}

export interface OpenAIStandin {
  readonly url: string;
  /** `url + '/v1'`: pass as the OpenAI client's `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request (all routes, including faulted and rejected ones). */
  readonly requests: OpenAIRecordedRequest[];
  /** Bodies of chat completion requests that reached the handler (not faulted). */
  completions(): ChatCompletionCreateParams[];
  /** Resolves with the chat completion requests once at least `count` arrived (faulted included). */
  waitFor(count: number, timeoutMs?: number): Promise<OpenAIRecordedRequest[]>;
  /** Replace the default handler's reply. */
  setReply(reply: OpenAIReply): void;
  /** Scripted replies, answered in order before the handler (one per chat completion request). */
  enqueue(...replies: OpenAIReply[]): void;
  /** Replace the handler (undefined restores the default handler). */
  setHandler(handler: OpenAIHandler | undefined): void;
  /** Queue faults for the next chat completion requests (or another path, e.g. '/v1/models'; '*' = any). */
  failNext(faults: OpenAIFault[], path?: string): void;
  /** Clears requests and faults; keeps handler and reply. */
  reset(): void;
  close(): Promise<void>;
}

const COMPLETIONS_PATH = '/v1/chat/completions';

/**
 * Prompt tokens as the stand-in reports them: characters / 4 of what the request sends (messages' text, tool calls,
 * tool definitions), the product's own estimate (src/chat/llm/tokens.ts), so benches and tests read one method.
 */
function promptTokens(req: ChatCompletionCreateParams): number {
  return estimateRequestTokens(req.messages ?? [], req.tools ?? []);
}

function splitForStream(content: string): string[] {
  const pieces = content.match(/\S+\s*|\s+/g);
  return pieces ?? (content === '' ? [] : [content]);
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

interface Normalised {
  content: string | null;
  refusal: string | null;
  toolCalls: ChatCompletionMessageFunctionToolCall[];
  finishReason: ChatCompletion.Choice['finish_reason'];
  usage: { prompt_tokens: number; completion_tokens: number };
  chunks: string[];
  delayMs: number;
  chunkDelayMs: number;
  dropAfterChunks: number | undefined;
}

function normalise(reply: OpenAIReply, req: ChatCompletionCreateParams): Normalised {
  const r = typeof reply === 'string' ? { content: reply } : reply;
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = (r.toolCalls ?? []).map((t) => ({
    id: t.id ?? `call_${randomBytes(12).toString('hex')}`,
    type: 'function',
    function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments) },
  }));
  const content = r.content === undefined ? (toolCalls.length > 0 ? null : '') : r.content;
  return {
    content,
    refusal: r.refusal ?? null,
    toolCalls,
    finishReason: r.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: r.usage ?? {
      prompt_tokens: promptTokens(req),
      completion_tokens: Math.ceil(
        ((content ?? '').length +
          JSON.stringify(toolCalls.map((t) => t.function)).length * Math.min(1, toolCalls.length)) /
          4,
      ),
    },
    chunks: r.chunks ?? splitForStream(content ?? ''),
    delayMs: r.delayMs ?? 0,
    chunkDelayMs: r.chunkDelayMs ?? 0,
    dropAfterChunks: r.dropAfterChunks,
  };
}

export async function startOpenAIStandin(
  handler?: OpenAIHandler,
  opts: OpenAIStandinOptions = {},
): Promise<OpenAIStandin> {
  const requests: OpenAIRecordedRequest[] = [];
  const accepted: ChatCompletionCreateParams[] = [];
  const faults = new FaultQueue<OpenAIFault>();
  let reply: OpenAIReply = opts.reply ?? 'Hello from the OpenAI stand-in.';
  const defaultHandler: OpenAIHandler = () => reply;
  const scripted: OpenAIReply[] = [];
  let current: OpenAIHandler = handler ?? defaultHandler;
  let completionIndex = 0;
  const models = opts.models ?? ['gpt-4o-mini', 'gpt-4o'];

  const record = (req: ParsedRequest): OpenAIRecordedRequest => {
    const entry: OpenAIRecordedRequest = {
      method: req.method,
      path: req.path,
      body: req.body,
      headers: req.headers,
      at: Date.now(),
      faulted: false,
      status: 0,
    };
    requests.push(entry);
    return entry;
  };

  const reqId = () => `req_${randomBytes(16).toString('hex')}`;

  /** Records, applies faults and auth; returns a reply to send, or undefined to proceed. */
  const gate = (
    entry: OpenAIRecordedRequest,
    req: ParsedRequest,
    res: ServerResponse,
  ): HttpReply | 'handled' | undefined => {
    const fault = faults.take(req.path);
    if (fault) {
      entry.faulted = true;
      entry.fault = fault;
      if ('disconnect' in fault) {
        res.socket?.destroy();
        return 'handled';
      }
      entry.status = fault.status;
      const headers: Record<string, string> = { 'x-request-id': reqId() };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      const [type, code] =
        fault.status === 429
          ? ['requests', 'rate_limit_exceeded']
          : fault.status >= 500
            ? ['server_error', null]
            : ['invalid_request_error', null];
      const message =
        fault.message ??
        (fault.status === 429 ? 'Rate limit reached (stand-in).' : `Injected HTTP ${fault.status} (stand-in).`);
      return { status: fault.status, headers, json: errorBody(message, type, code) };
    }
    if (opts.apiKey !== undefined && bearerToken(req.headers) !== opts.apiKey) {
      entry.status = 401;
      return {
        status: 401,
        json: errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
      };
    }
    return undefined;
  };

  const router = new Router();

  router.get('/v1/models', (req, res) => {
    const entry = record(req);
    const gated = gate(entry, req, res);
    if (gated === 'handled') return undefined;
    if (gated) return gated;
    entry.status = 200;
    return {
      json: {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'standin' })),
      },
    };
  });

  router.get('/v1/models/:model', (req, res) => {
    const entry = record(req);
    const gated = gate(entry, req, res);
    if (gated === 'handled') return undefined;
    if (gated) return gated;
    const id = req.params.model ?? '';
    if (!models.includes(id)) {
      entry.status = 404;
      return {
        status: 404,
        json: errorBody(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model'),
      };
    }
    entry.status = 200;
    return { json: { id, object: 'model', created: 1_700_000_000, owned_by: 'standin' } };
  });

  router.post(COMPLETIONS_PATH, async (req, res) => {
    const entry = record(req);
    const index = completionIndex++;
    const gated = gate(entry, req, res);
    if (gated === 'handled') return undefined;
    if (gated) return gated;

    const body = req.body as ChatCompletionCreateParams | undefined;
    if (req.bodyError || !body || typeof body !== 'object') {
      entry.status = 400;
      return {
        status: 400,
        json: errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null),
      };
    }
    if (typeof body.model !== 'string' || body.model === '') {
      entry.status = 400;
      return { status: 400, json: errorBody('you must provide a model parameter', 'invalid_request_error', null) };
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      entry.status = 400;
      return {
        status: 400,
        json: errorBody(
          "Missing required parameter: 'messages'.",
          'invalid_request_error',
          'missing_required_parameter',
          'messages',
        ),
      };
    }
    accepted.push(body);

    const next = scripted.shift();
    const out = normalise(next ?? (await current(body, { headers: req.headers, index })), body);
    if (out.delayMs > 0) await sleep(out.delayMs);
    if (res.destroyed) return undefined;

    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { ...out.usage, total_tokens: out.usage.prompt_tokens + out.usage.completion_tokens };
    entry.status = 200;

    if (body.stream !== true) {
      const completion: ChatCompletion = {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: out.content,
              refusal: out.refusal,
              annotations: [],
              ...(out.toolCalls.length > 0 ? { tool_calls: out.toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: out.finishReason,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_standin',
      };
      return { headers: { 'x-request-id': reqId(), 'openai-processing-ms': '1' }, json: completion };
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: ChatCompletionChunk['choices']): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      service_tier: 'default',
      system_fingerprint: 'fp_standin',
      choices,
      ...(includeUsage ? { usage: null } : {}),
    });
    const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': reqId(),
    });
    write(
      chunk([
        { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null },
      ]),
    );
    const pieces = out.dropAfterChunks === undefined ? out.chunks : out.chunks.slice(0, out.dropAfterChunks);
    for (const piece of pieces) {
      if (out.chunkDelayMs > 0) await sleep(out.chunkDelayMs);
      if (res.destroyed) return undefined;
      write(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
    }
    if (out.dropAfterChunks !== undefined) {
      // Let the written chunks reach the client, then cut the connection mid-stream.
      await sleep(10);
      res.destroy();
      return undefined;
    }
    out.toolCalls.forEach((call, i) => {
      write(
        chunk([
          {
            index: 0,
            delta: {
              tool_calls: [
                { index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
              ],
            },
            logprobs: null,
            finish_reason: null,
          },
        ]),
      );
      write(
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index: i, function: { arguments: call.function.arguments } }] },
            logprobs: null,
            finish_reason: null,
          },
        ]),
      );
    });
    write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: out.finishReason }]));
    if (includeUsage) write({ ...chunk([]), usage });
    res.end('data: [DONE]\n\n');
    return undefined;
  });

  router.otherwise((req) => {
    record(req).status = 404;
    return {
      status: 404,
      json: errorBody(`Unknown request URL: ${req.method} ${req.path}.`, 'invalid_request_error', 'unknown_url'),
    };
  });

  const http = await startHttpServer(router);

  return {
    url: http.url,
    baseURL: `${http.url}/v1`,
    port: http.port,
    requests,
    completions: () => [...accepted],
    waitFor(count, timeoutMs = 2000) {
      return waitUntil(
        () => {
          const found = requests.filter((r) => r.path === COMPLETIONS_PATH);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () =>
          `waiting for ${count} chat completion request(s); got ${requests.filter((r) => r.path === COMPLETIONS_PATH).length}`,
      );
    },
    setReply(next) {
      reply = next;
    },
    enqueue(...replies) {
      scripted.push(...replies);
    },
    setHandler(next) {
      current = next ?? defaultHandler;
    },
    failNext(list, path = COMPLETIONS_PATH) {
      faults.push(path, list);
    },
    reset() {
      requests.length = 0;
      accepted.length = 0;
      faults.clear();
      scripted.length = 0;
      completionIndex = 0;
    },
    close: () => http.close(),
  };
}

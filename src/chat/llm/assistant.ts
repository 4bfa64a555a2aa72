/**
 * The LLM assistant: an OpenAI-compatible model that words answers to the messages the deterministic engine does
 * not recognise confidently (./route.ts), over read-only tools of the conversation's own account (./tools.ts).
 *
 * One turn: the user's rate limit (every process counts in Redis), then at most `maxRounds` model calls within
 * `timeoutMs` and a prompt-token budget: the rules, the policy and the topic's guidance from prompts/, the
 * account's known facts, the conversation's memory, the message. The reply must pass the grounding guard (every
 * figure from this turn's tool results or the known facts; no repeating the instructions) and is then escaped as
 * another party's text. Anything else (a timeout, a 429, a 5xx, no answer, a blocked reply) is a fallback: the
 * engine answers deterministically. Tokens are counted (metrics) and recorded per conversation (PostgreSQL).
 */
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { EscalationReason } from '../../escalations/service.ts';
import { currencyDigits } from '../../locale/format.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AnswerCtx } from '../answers/context.ts';
import type { FlowResult } from '../answers/purchase.ts';
import type { Reply } from '../types.ts';
import { addFacts, checkGrounding, claimsAction, emptyFacts, type Facts, leakDetector } from './grounding.ts';
import { type ChatMemory, memoryPrompt } from './memory.ts';
import { modelReplyMarkdown } from './output.ts';
import type { AssistantPrompts } from './prompts.ts';
import type { Route } from './route.ts';
import { estimateRequestTokens } from './tokens.ts';
import { PREFETCH, runTool, TOOL_NAMES, type ToolEffects, type ToolEnv, toolsFor } from './tools.ts';

export type FallbackReason =
  | 'ungrounded_figure'
  | 'prompt_leak'
  | 'false_claim'
  | 'timeout'
  | 'rate_limited_upstream'
  | 'server_error'
  | 'error'
  | 'budget'
  | 'no_answer';

export interface AssistantRequest {
  c: AnswerCtx;
  text: string;
  route: Extract<Route, { to: 'model' }>;
  memory: ChatMemory | null | undefined;
  /** the engine's hand-over to the account manager (the escalation tool calls it) */
  escalate(reason: EscalationReason): Promise<void>;
  /** called once, when the model is about to be asked (the channel shows a typing indicator) */
  waiting?: () => void;
}

export type AssistantOutcome =
  | { kind: 'answered'; reply: Reply; flow?: FlowResult; escalated: boolean }
  | { kind: 'fallback'; reason: FallbackReason; escalated: boolean }
  | { kind: 'user_rate_limited'; retryAfterSeconds: number };

export interface Assistant {
  answer(req: AssistantRequest): Promise<AssistantOutcome>;
}

/** A per-user limit on messages sent to the model, shared by every process (./rate-limit.ts). */
export interface MessageRateLimiter {
  take(userId: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

/** Tokens spent per conversation (./usage-store.ts). */
export interface LlmUsageStore {
  record(entry: {
    conversationId: string;
    accountId: string;
    userId: string;
    requests: number;
    promptTokens: number;
    completionTokens: number;
    outcome: string;
  }): Promise<void>;
}

/** Metrics of the assistant (src/shared/metrics.ts). */
export interface AssistantObserver {
  turn(outcome: FallbackReason | 'answered' | 'user_rate_limited'): void;
  tokens(prompt: number, completion: number): void;
  blocked(reason: 'ungrounded_figure' | 'prompt_leak' | 'false_claim'): void;
  latency(seconds: number, outcome: 'answered' | 'fallback'): void;
}

export interface AssistantOptions {
  client: OpenAI;
  model: string;
  prompts: AssistantPrompts;
  /** the whole turn, every model call and tool included */
  timeoutMs: number;
  maxRounds: number;
  /** estimated prompt tokens over the turn's calls; a call that would pass it is not made */
  turnTokenBudget: number;
  /** estimated tokens of conversation memory in the prompt */
  memoryTokens: number;
  logger: Logger;
  limiter?: MessageRateLimiter;
  usage?: LlmUsageStore;
  observe?: AssistantObserver;
  /** the most tool calls one turn may run (a model that loops is stopped) */
  maxToolCalls?: number;
}

const MAX_COMPLETION_TOKENS = 350;

/** The account's state as the prompt states it, and as the guard reads it (the account's known facts). */
async function knownFacts(c: AnswerCtx): Promise<{ text: string; value: Record<string, unknown> }> {
  const [s, f] = await Promise.all([c.state(), c.forecast()]);
  const day = (d: string | Date) => c.f.dayKey(new Date(d));
  const value = {
    today: day(c.now),
    plan: s.plan.name,
    monthly_credits: s.plan.monthlyCredits,
    price_per_month: `${s.plan.price.amount / 10 ** currencyDigits(s.plan.price.currency)} ${s.plan.price.currency}`,
    balance: s.credits.balance,
    accumulated: s.credits.accumulated,
    add_on: s.credits.addOn,
    used_this_period: s.credits.usedThisPeriod,
    used_percent_of_plan:
      s.plan.monthlyCredits > 0 ? Math.round((10_000 * s.credits.usedThisPeriod) / s.plan.monthlyCredits) / 100 : 0,
    overage: s.credits.overage,
    period_start: day(s.period.start),
    next_top_up: day(s.nextTopUpAt),
    burn_rate_per_day: f.burnRatePerDay,
    runs_out_on: f.runsOutAt ? day(f.runsOutAt) : null,
    runs_out_before_top_up: f.runsOutBeforeTopUp,
    shortfall: f.shortfall,
  };
  const runsOut = value.runs_out_on
    ? `runs out ${value.runs_out_on}${value.runs_out_before_top_up ? ', before the top-up' : ''}`
    : 'no run-out';
  const text =
    `Known facts (today ${value.today}, ${c.account.timeZone}): plan ${value.plan}, ${value.monthly_credits} ` +
    `credits/month, ${value.price_per_month}/month; balance ${value.balance} (accumulated ${value.accumulated}, ` +
    `add-on ${value.add_on}); used ${value.used_this_period} this period (${value.used_percent_of_plan}% of plan), ` +
    `overage ${value.overage}; period from ${value.period_start}, top-up ${value.next_top_up}; ` +
    `${value.burn_rate_per_day}/day over 7 days, ${runsOut}, shortfall ${value.shortfall}.`;
  return { text, value };
}

function classify(err: unknown, aborted: boolean): FallbackReason {
  if (aborted || err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError) {
    return 'timeout';
  }
  if (err instanceof OpenAI.RateLimitError) return 'rate_limited_upstream';
  if (err instanceof OpenAI.APIError && typeof err.status === 'number' && err.status >= 500) return 'server_error';
  return 'error';
}

export function createAssistant(opts: AssistantOptions): Assistant {
  const { prompts, logger } = opts;
  const leaks = leakDetector([prompts.system, ...Object.values(prompts.topics)], ['cb-assistant', ...TOOL_NAMES]);
  const maxToolCalls = opts.maxToolCalls ?? 6;

  async function answer(req: AssistantRequest): Promise<AssistantOutcome> {
    const { c } = req;
    const log = logger.child({ conversationId: c.who.conversationId, llm: true });
    if (opts.limiter) {
      const gate = await opts.limiter.take(c.who.userId).catch((err: unknown) => {
        // Redis away: the model is still asked (the limit protects cost, not correctness).
        log.warn({ err: (err as Error).message }, 'llm rate limit unavailable; allowing the message');
        return { allowed: true, retryAfterSeconds: 0 };
      });
      if (!gate.allowed) {
        opts.observe?.turn('user_rate_limited');
        return { kind: 'user_rate_limited', retryAfterSeconds: gate.retryAfterSeconds };
      }
    }
    const started = performance.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
    const spent = { requests: 0, prompt: 0, completion: 0 };
    const effects: ToolEffects = {};
    let outcome: AssistantOutcome;
    try {
      const work = turn(req, abort.signal, spent, effects, log);
      // After a timeout the turn is abandoned: its late failure (the aborted call) must not go unhandled.
      work.catch(() => undefined);
      outcome = await Promise.race([
        work,
        new Promise<AssistantOutcome>((resolve) =>
          abort.signal.addEventListener('abort', () =>
            resolve({ kind: 'fallback', reason: 'timeout', escalated: effects.escalated === true }),
          ),
        ),
      ]);
    } catch (err) {
      const reason = classify(err, abort.signal.aborted);
      log.warn({ reason, err: (err as Error).message }, 'llm assistant unavailable; deterministic answer');
      outcome = { kind: 'fallback', reason, escalated: effects.escalated === true };
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    const seconds = (performance.now() - started) / 1_000;
    const label = outcome.kind === 'answered' ? 'answered' : outcome.kind === 'fallback' ? outcome.reason : 'error';
    opts.observe?.turn(label as FallbackReason | 'answered');
    opts.observe?.latency(seconds, outcome.kind === 'answered' ? 'answered' : 'fallback');
    if (spent.requests > 0) {
      opts.observe?.tokens(spent.prompt, spent.completion);
      await opts.usage
        ?.record({
          conversationId: c.who.conversationId,
          accountId: c.who.accountId,
          userId: c.who.userId,
          requests: spent.requests,
          promptTokens: spent.prompt,
          completionTokens: spent.completion,
          outcome: label,
        })
        .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'llm usage not recorded'));
    }
    return outcome;
  }

  async function turn(
    req: AssistantRequest,
    signal: AbortSignal,
    spent: { requests: number; prompt: number; completion: number },
    effects: ToolEffects,
    log: Logger,
  ): Promise<AssistantOutcome> {
    const { c, route } = req;
    const known = await knownFacts(c);
    const facts: Facts = addFacts(emptyFacts(), known.value, c.account.timeZone);
    const tools: ChatCompletionFunctionTool[] = toolsFor(route.topic);
    const offered = new Set(tools.map((t) => t.function.name));
    const memory = memoryPrompt(req.memory, opts.memoryTokens);
    // The policy matters to every topic but usage (the figures explain themselves there).
    const policy = route.topic === 'usage' ? null : prompts.policy;
    const system = [prompts.system, policy, prompts.topics[route.topic], known.text, memory.summary]
      .filter(Boolean)
      .join('\n\n');
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: system },
      ...memory.messages,
      { role: 'user', content: req.text },
    ];
    const env: ToolEnv = {
      c,
      escalate: async (reason) => {
        if (signal.aborted) throw new Error('turn timed out');
        await req.escalate(reason);
      },
    };
    // The topic's usual figures, as if the model had asked for them: one round instead of two.
    const pre = PREFETCH[route.topic];
    if (pre) {
      const args = JSON.stringify(pre.args);
      const out = await runTool(pre.name, args, offered, env, effects);
      if (!out.refused) {
        addFacts(facts, out.result, c.account.timeZone);
        messages.push(
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_prefetch', type: 'function', function: { name: pre.name, arguments: args } }],
          },
          { role: 'tool', tool_call_id: 'call_prefetch', content: JSON.stringify(out.result) },
        );
      }
    }
    let estimated = 0;
    let toolCalls = 0;
    /** request statuses were read: "approved" may then be a fact */
    const readRequests = false;
    req.waiting?.();
    for (let round = 0; round < opts.maxRounds; round++) {
      const last = round === opts.maxRounds - 1;
      const cost = estimateRequestTokens(messages, tools);
      if (estimated + cost > opts.turnTokenBudget) {
        log.warn({ estimated, cost, budget: opts.turnTokenBudget }, 'llm turn over its token budget');
        return { kind: 'fallback', reason: 'budget', escalated: effects.escalated === true };
      }
      estimated += cost;
      const res: ChatCompletion = await opts.client.chat.completions.create(
        {
          model: opts.model,
          messages,
          tools,
          // The last round must answer: no more tools.
          tool_choice: last ? 'none' : 'auto',
          parallel_tool_calls: false,
          temperature: 0.2,
          max_tokens: MAX_COMPLETION_TOKENS,
        },
        { signal, maxRetries: 0, timeout: opts.timeoutMs },
      );
      spent.requests++;
      spent.prompt += res.usage?.prompt_tokens ?? cost;
      spent.completion += res.usage?.completion_tokens ?? 0;
      const msg = res.choices[0]?.message;
      if (!msg) return { kind: 'fallback', reason: 'no_answer', escalated: effects.escalated === true };
      const calls = (msg.tool_calls ?? []).filter((t) => t.type === 'function');
      if (calls.length > 0 && !last) {
        messages.push({ role: 'assistant', content: msg.content ?? null, tool_calls: calls });
        for (const call of calls) {
          if (signal.aborted) return { kind: 'fallback', reason: 'timeout', escalated: effects.escalated === true };
          const outcome =
            ++toolCalls > maxToolCalls
              ? { result: { error: 'Too many tool calls: answer now.' }, refused: 'too_many' }
              : await runTool(call.function.name, call.function.arguments, offered, env, effects);
          if (outcome.refused)
            log.warn({ tool: call.function.name.slice(0, 60), refused: outcome.refused }, 'llm tool call refused');
          else addFacts(facts, outcome.result, c.account.timeZone);
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(outcome.result) });
        }
        continue;
      }
      const text = (msg.content ?? '').trim();
      if (!text || msg.refusal) return { kind: 'fallback', reason: 'no_answer', escalated: effects.escalated === true };
      if (leaks(text)) {
        log.warn({ promptVersion: prompts.version }, 'llm reply blocked: it repeats the instructions');
        opts.observe?.blocked('prompt_leak');
        return { kind: 'fallback', reason: 'prompt_leak', escalated: effects.escalated === true };
      }
      if (!readRequests && claimsAction(text)) {
        log.warn('llm reply blocked: it says something was done');
        opts.observe?.blocked('false_claim');
        return { kind: 'fallback', reason: 'false_claim', escalated: effects.escalated === true };
      }
      const grounding = checkGrounding(text, facts);
      if (!grounding.ok) {
        log.warn({ ungrounded: grounding.ungrounded.slice(0, 10) }, 'llm reply blocked: a figure no tool result holds');
        opts.observe?.blocked('ungrounded_figure');
        return { kind: 'fallback', reason: 'ungrounded_figure', escalated: effects.escalated === true };
      }
      return {
        kind: 'answered',
        reply: { text: modelReplyMarkdown(text) },
        ...(effects.flow ? { flow: effects.flow } : {}),
        escalated: effects.escalated === true,
      };
    }
    return { kind: 'fallback', reason: 'no_answer', escalated: effects.escalated === true };
  }

  return { answer };
}

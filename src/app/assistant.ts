/**
 * The LLM assistant as the product runs it (OPENAI_API_KEY set): the OpenAI client for any OpenAI-compatible
 * server (OPENAI_BASE_URL, OPENAI_MODEL), the prompts read once from prompts/assistant/, the per-user message
 * limit in Redis, tokens per conversation in PostgreSQL and the metrics. Built once by the composition root.
 */
import OpenAI from 'openai';
import { type Assistant, createAssistant } from '../chat/llm/assistant.ts';
import { loadAssistantPrompts } from '../chat/llm/prompts.ts';
import { createMessageRateLimiter } from '../chat/llm/rate-limit.ts';
import { createLlmUsageStore } from '../chat/llm/usage-store.ts';
import type { Config } from '../config.ts';
import type { Db } from '../infra/db.ts';
import type { Redis } from '../infra/redis.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';

export function buildAssistant(
  config: Config,
  deps: { db: Db; redis: Redis; logger: Logger; metrics: Metrics },
): Assistant | undefined {
  const ai = config.openai;
  if (!ai) return undefined;
  const prompts = loadAssistantPrompts();
  deps.logger.info({ model: ai.model, prompts: prompts.version }, 'llm assistant on');
  return createAssistant({
    client: new OpenAI({ apiKey: ai.apiKey, baseURL: ai.baseURL, timeout: ai.timeoutMs, maxRetries: 0 }),
    model: ai.model,
    prompts,
    timeoutMs: ai.timeoutMs,
    maxRounds: ai.maxRounds,
    turnTokenBudget: ai.turnTokenBudget,
    memoryTokens: ai.memoryTokens,
    logger: deps.logger,
    limiter: createMessageRateLimiter({
      redis: deps.redis,
      prefix: config.redisPrefix,
      max: ai.rateLimit.max,
      windowSeconds: ai.rateLimit.windowSeconds,
    }),
    usage: createLlmUsageStore(deps.db),
    observe: {
      turn: (outcome) => deps.metrics.llmTurns.inc({ outcome }),
      tokens(prompt, completion) {
        deps.metrics.llmTokens.inc({ kind: 'prompt' }, prompt);
        deps.metrics.llmTokens.inc({ kind: 'completion' }, completion);
      },
      blocked: (reason) => deps.metrics.llmGroundingBlocked.inc({ reason }),
      latency: (seconds, outcome) => deps.metrics.llmLatency.observe({ outcome }, seconds),
    },
  });
}

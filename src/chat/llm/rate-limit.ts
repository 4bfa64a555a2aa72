/**
 * A per-user limit on the messages sent to the LLM assistant, shared by every process: a sliding window kept in
 * Redis (a sorted set of the user's recent messages, trimmed, counted and added to in one script, on Redis's own
 * clock so processes with skewed clocks agree). Messages the deterministic engine answers are not counted: they
 * cost nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from '../../infra/redis.ts';
import type { MessageRateLimiter } from './assistant.ts';

/** KEYS[1] the user's window; ARGV: window ms, limit, member. Answers {allowed 0|1, ms until a slot frees}. */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
`;

export function createMessageRateLimiter(opts: {
  redis: Pick<Redis, 'eval'>;
  prefix: string;
  max: number;
  windowSeconds: number;
}): MessageRateLimiter {
  return {
    async take(userId) {
      const key = `${opts.prefix}:llm-rate:${userId}`;
      const [allowed, waitMs] = (await opts.redis.eval(
        SCRIPT,
        1,
        key,
        String(opts.windowSeconds * 1_000),
        String(opts.max),
        randomUUID(),
      )) as [number, number];
      return { allowed: allowed === 1, retryAfterSeconds: Math.max(1, Math.ceil(Number(waitMs) / 1_000)) };
    },
  };
}

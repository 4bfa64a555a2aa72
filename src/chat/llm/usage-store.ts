/**
 * Tokens the LLM assistant spent, per conversation (`chat_llm_usage`, one row per conversation, added to by each
 * turn that called the model), as the server reported them.
 */
import type { Db } from '../../infra/db.ts';
import type { LlmUsageStore } from './assistant.ts';

export function createLlmUsageStore(db: Db): LlmUsageStore {
  return {
    async record(e) {
      const blocked = e.outcome === 'ungrounded_figure' || e.outcome === 'prompt_leak' ? 1 : 0;
      await db.sql(
        `INSERT INTO chat_llm_usage
           (conversation_id, account_id, user_id, turns, requests, prompt_tokens, completion_tokens, blocked_replies)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7)
         ON CONFLICT (conversation_id) DO UPDATE SET
           turns = chat_llm_usage.turns + 1,
           requests = chat_llm_usage.requests + EXCLUDED.requests,
           prompt_tokens = chat_llm_usage.prompt_tokens + EXCLUDED.prompt_tokens,
           completion_tokens = chat_llm_usage.completion_tokens + EXCLUDED.completion_tokens,
           blocked_replies = chat_llm_usage.blocked_replies + EXCLUDED.blocked_replies,
           last_at = now()`,
        [e.conversationId, e.accountId, e.userId, e.requests, e.promptTokens, e.completionTokens, blocked],
      );
    },
  };
}

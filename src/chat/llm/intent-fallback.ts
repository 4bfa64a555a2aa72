/**
 * Optional second opinion for messages the deterministic engine is unsure about (OPENAI_API_KEY set).
 * The model only picks one of the bot's intents (and the details the message states) from a fixed JSON
 * schema: it never writes to the customer and never sees or states figures; the answer is then built from
 * the ledger exactly as for any other message. Any failure (timeout, error, an unknown label) means "no
 * opinion" and the bot offers choices as it would without an LLM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { z } from 'zod';
import type { Logger } from '../../shared/logger.ts';
import { INTENTS, type Intent, type PeriodSlot, type Slots } from '../nlu/types.ts';

const PERIODS = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'last_7_days',
  'last_30_days',
] as const;
const ACTIONS = ['scraping', 'company_scraping', 'contact_scraping', 'enrichment', 'ai_variable', 'workflow'] as const;

const answer = z.object({
  intent: z.enum(INTENTS),
  period: z.enum(PERIODS).nullable(),
  actionType: z.enum(ACTIONS).nullable(),
  amount: z.number().int().min(0).max(100_000_000).nullable(),
});

/** The JSON schema the model must answer with (structured outputs). */
const responseFormat = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'customer_intent',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['intent', 'period', 'actionType', 'amount'],
      properties: {
        intent: { type: 'string', enum: INTENTS },
        period: { type: ['string', 'null'], enum: [...PERIODS, null] },
        actionType: { type: ['string', 'null'], enum: [...ACTIONS, null] },
        amount: { type: ['integer', 'null'] },
      },
    },
  },
};

const promptPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prompts/intent-fallback.md');

export interface IntentGuess {
  intent: Intent;
  slots: Slots;
}

export interface IntentFallback {
  classify(text: string): Promise<IntentGuess | null>;
}

const toPeriod = (p: (typeof PERIODS)[number] | null): PeriodSlot | undefined =>
  p === null
    ? undefined
    : p === 'last_7_days'
      ? { kind: 'last_n_days', days: 7 }
      : p === 'last_30_days'
        ? { kind: 'last_n_days', days: 30 }
        : { kind: p };

export function createIntentFallback(opts: {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  logger: Logger;
  timeoutMs?: number;
}): IntentFallback {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs ?? 4_000,
    maxRetries: 1,
  });
  const system = readFileSync(promptPath, 'utf8');
  return {
    async classify(text) {
      try {
        const res = await client.chat.completions.create({
          model: opts.model,
          temperature: 0,
          max_tokens: 100,
          response_format: responseFormat,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: text.slice(0, 2_000) },
          ],
        });
        const parsed = answer.safeParse(JSON.parse(res.choices[0]?.message?.content ?? 'null'));
        if (!parsed.success) {
          opts.logger.warn({ issues: parsed.error.issues.length }, 'intent fallback: answer outside the schema');
          return null;
        }
        const g = parsed.data;
        const slots: Slots = {};
        const period = toPeriod(g.period);
        if (period) slots.period = period;
        if (g.actionType) slots.actionType = g.actionType;
        if (g.amount !== null) slots.amount = g.amount;
        return { intent: g.intent, slots };
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message }, 'intent fallback unavailable; offering choices');
        return null;
      }
    },
  };
}

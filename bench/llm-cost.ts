/**
 * `npm run bench:llm-cost`: what the LLM assistant costs over the labelled sets (test/unit/nlu/*.jsonl,
 * test/fixtures/compound/*.jsonl and the dev set), each phrasing a fresh conversation of the demo account, through
 * the real chat engine (PostgreSQL, the demo seed, the assistant with its prompts, tools and guard) against the
 * OpenAI-compatible stand-in on loopback.
 *
 * Reported: the share of turns answered at zero tokens (the model never asked), and for the others the tokens of the
 * whole turn (every call's prompt and completion), median and p99 prompt tokens per turn and per call, calls per
 * turn; against a naive baseline that sends every turn to the model with the whole credit state and the catalog in
 * the prompt (the same rules and policy, one call, the same completion length as ours), and the ratio.
 *
 * Tokens are estimated as characters / 4 of what a request sends (messages, tool calls, tool definitions as JSON;
 * src/chat/llm/tokens.ts), which is also what the stand-in reports; a real tokenizer (o200k) counts English a little
 * under that, and tool definitions well under it (OpenAI renders them compactly). The stand-in plays a plausible
 * model, scripted: it answers from the figures it has (the known facts, the topic's prefetched figures) when they
 * cover the question, else calls the one tool that does (by user, identity, campaign or day; a draft for a purchase;
 * the hand-over for a person), then answers with the figures the tool gave. A real model may call more tools.
 *
 * Targets: ≥ 80 % of turns at zero tokens, ≤ 1,000 tokens per LLM turn, ≥ 5× cheaper than the baseline.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServices } from '../src/app/services.ts';
import { loadAssistantPrompts } from '../src/chat/llm/prompts.ts';
import { estimateRequestTokens } from '../src/chat/llm/tokens.ts';
import type { ChatIdentity } from '../src/chat/types.ts';
import { loadConfig } from '../src/config.ts';
import { DEMO_ACCOUNT_ID, DEMO_USERS, seedDemo } from '../src/demo/seed.ts';
import { createLogger } from '../src/shared/logger.ts';
import { type OpenAIReply, startOpenAIStandin } from '../test/standins/openai.ts';
import { applyMigrations, createScratchDatabase } from './lib/database.ts';
import { fmtInt, percentile, table } from './lib/stats.ts';

const SETS: Array<[string, URL]> = [
  ['nlu/extra-phrasings', new URL('../test/unit/nlu/extra-phrasings.jsonl', import.meta.url)],
  ['nlu/holdout-phrasings', new URL('../test/unit/nlu/holdout-phrasings.jsonl', import.meta.url)],
  ['nlu/round2-phrasings', new URL('../test/unit/nlu/round2-phrasings.jsonl', import.meta.url)],
  ['compound/questions', new URL('../test/fixtures/compound/questions.jsonl', import.meta.url)],
  ['compound/holdout', new URL('../test/fixtures/compound/holdout.jsonl', import.meta.url)],
  [
    'dev',
    [
      new URL('../../shared/eval/questions.dev.jsonl', import.meta.url),
      new URL('../test/fixtures/questions.dev.jsonl', import.meta.url),
    ].find((u) => existsSync(u))!,
  ],
];

type Msg = { role: string; content?: string | null; tool_calls?: Array<{ id: string; function: { name: string } }> };

/** The last tool result of the request, parsed (the prefetch or the model's own call). */
function lastTool(messages: Msg[]): Record<string, any> | null {
  const m = [...messages].reverse().find((x) => x.role === 'tool');
  return m?.content ? JSON.parse(m.content) : null;
}

/** Figures of the known facts line, as the model reads them. */
function fact(system: string, name: RegExp): string | undefined {
  return name.exec(system)?.[1];
}

/** A plausible model, scripted: answers from what it has, or calls the one tool that has it, then answers. */
function plausible(req: { messages: Msg[]; tools?: Array<{ function: { name: string } }> }): OpenAIReply {
  const messages = req.messages;
  const system = String(messages[0]?.content ?? '');
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  const text = String(messages[lastUser]?.content ?? '').toLowerCase();
  const asked = messages.slice(lastUser + 1).some((m) => m.tool_calls?.some((c) => c.id !== 'call_prefetch'));
  const tools = new Set((req.tools ?? []).map((t) => t.function.name));
  const result = lastTool(messages.slice(lastUser + 1));
  const balance = fact(system, /balance (\d+)/);
  const topUp = fact(system, /top-up (\d{4}-\d{2}-\d{2})/);
  if (!asked) {
    if (tools.has('escalate_to_account_manager')) {
      return { toolCalls: [{ name: 'escalate_to_account_manager', arguments: { reason: 'refund_or_dispute' } }] };
    }
    if (tools.has('draft_purchase') && /\d{3,}/.test(text) && /buy|compr|credit|cr[eé]dit|top ?up|recarg/.test(text)) {
      const credits = Number(/(\d[\d.,]*)/.exec(text)![1]!.replace(/[.,]/g, ''));
      return { toolCalls: [{ name: 'draft_purchase', arguments: { credits, pack_id: null } }] };
    }
    if (tools.has('get_usage')) {
      const by = /user|usuario|who|qui[eé]n|team|equipo/.test(text)
        ? 'user'
        : /identit|sender|linkedin|campa/.test(text)
          ? /campa/.test(text)
            ? 'campaign'
            : 'identity'
          : /day|d[ií]a|daily|diario/.test(text)
            ? 'day'
            : null;
      if (by) {
        const metric = by === 'identity' || by === 'campaign' ? 'conversations' : 'credits';
        return {
          toolCalls: [
            {
              name: 'get_usage',
              arguments: {
                period: 'current_period',
                from: null,
                to: null,
                group_by: by,
                metric,
                compare_previous: false,
              },
            },
          ],
        };
      }
    }
  }
  if (result?.total !== undefined) {
    const top = result.rows?.[0];
    const compared = result.compared_with;
    return `This period you used ${result.total}${compared ? `, against ${compared.total} in the previous one` : ''}${top ? `; the most went to ${top.name} (${top.value}, ${top.percent} %)` : ''}.`;
  }
  if (result?.plans) {
    const plans = result.plans as Array<{ name: string; monthly_credits: number }>;
    return `These are the plans: ${plans.map((p) => `${p.name} with ${p.monthly_credits} credits a month`).join('; ')}.`;
  }
  return `You have ${balance} credits, and your plan tops up on ${topUp}.`;
}

interface Turn {
  text: string;
  /** prompt tokens of the turn's last call */
  lastCall: number;
  set: string;
  conversationId: string;
  calls: number;
  prompt: number;
  completion: number;
  answered: boolean;
}

async function main() {
  const prompts = loadAssistantPrompts();
  const openai = await startOpenAIStandin((req) => plausible(req as never), { apiKey: 'sk-bench' });
  const db = await createScratchDatabase('creditbot_bench_llm');
  await applyMigrations(db.url);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    REDIS_PREFIX: `bench-llm-${randomBytes(4).toString('hex')}`,
    PLATFORM_API_KEY: 'bench-key-0123456789',
    DIRECT_LINE_SECRET: 'bench-secret-0123456789',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: openai.baseURL,
    LLM_USER_RATE_LIMIT: '10000',
  });
  const services = createServices(config, { logger: createLogger({ level: 'silent' }) });
  try {
    await seedDemo({ db: services.db, clock: services.clock });
    const user = DEMO_USERS[0];
    const turns: Turn[] = [];
    const perCall: number[] = [];
    let n = 0;
    const t0 = performance.now();
    for (const [set, url] of SETS) {
      const texts = readFileSync(url, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => (JSON.parse(l) as { text: string }).text);
      for (const text of texts) {
        const who: ChatIdentity = {
          conversationId: `bench-llm-${++n}`,
          accountId: DEMO_ACCOUNT_ID,
          userId: user.id,
          userName: user.name,
          userLocale: null,
        };
        openai.reset();
        const out = await services.engine.handle(who, { kind: 'message', text }, {}, `turn-${n}`);
        const reqs = openai.completions();
        const callPrompts = reqs.map((r) => estimateRequestTokens(r.messages, r.tools ?? []));
        perCall.push(...callPrompts);
        turns.push({
          set,
          conversationId: who.conversationId,
          calls: reqs.length,
          lastCall: callPrompts.at(-1) ?? 0,
          prompt: 0,
          completion: 0,
          // answered by the model, or handed to a person by its tool (the engine's hand-over message)
          answered: (out.intent ?? '').startsWith('llm:') || Boolean(out.state.handoff),
          text,
        });
      }
    }
    const elapsed = performance.now() - t0;

    // Tokens as the product recorded them per conversation (chat_llm_usage), i.e. as the server reported them.
    const { rows } = await services.db.sql<{
      conversation_id: string;
      prompt_tokens: string;
      completion_tokens: string;
    }>('SELECT conversation_id, prompt_tokens, completion_tokens FROM chat_llm_usage');
    const recorded = new Map(rows.map((r) => [r.conversation_id, r]));
    for (const t of turns) {
      const r = recorded.get(t.conversationId);
      t.prompt = Number(r?.prompt_tokens ?? 0);
      t.completion = Number(r?.completion_tokens ?? 0);
    }
    const llm = turns.filter((t) => t.calls > 0);

    // The naive baseline: every turn, one call, the rules and policy plus the whole credit state and the catalog.
    const [state, plans, packs] = await Promise.all([
      services.credits.getState(DEMO_ACCOUNT_ID),
      services.catalog.plans(),
      services.catalog.packs(),
    ]);
    const naiveSystem = [
      prompts.system,
      prompts.policy,
      `Credit state: ${JSON.stringify(state)}`,
      `Catalog: ${JSON.stringify({ plans, packs })}`,
    ].join('\n\n');
    const meanCompletion = llm.length ? llm.reduce((s, t) => s + t.completion, 0) / llm.length : 30;
    let baselineTotal = 0;
    const baselinePrompts: number[] = [];
    n = 0;
    for (const [, url] of SETS) {
      for (const line of readFileSync(url, 'utf8')
        .split('\n')
        .filter((l) => l.trim())) {
        const text = (JSON.parse(line) as { text: string }).text;
        const p = estimateRequestTokens([
          { role: 'system', content: naiveSystem },
          { role: 'user', content: text },
        ]);
        baselinePrompts.push(p);
        baselineTotal += p + meanCompletion;
      }
    }

    const total = (ts: Turn[]) => ts.reduce((s, t) => s + t.prompt + t.completion, 0);
    const oursTotal = total(turns);
    const zeroShare = (ts: Turn[]) => ts.filter((t) => t.calls === 0).length / Math.max(1, ts.length);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const llmPrompt = sorted(llm.map((t) => t.prompt));
    const callsSorted = sorted(perCall);
    const perTurn = llm.length ? total(llm) / llm.length : 0;
    const ratio = oursTotal > 0 ? baselineTotal / oursTotal : Number.POSITIVE_INFINITY;

    console.log(
      `\nbench:llm-cost: ${turns.length} labelled phrasings, one fresh conversation each, ${(elapsed / 1000).toFixed(1)} s\n`,
    );
    console.log(
      table(
        ['set', 'turns', 'zero tokens', 'to the model'],
        [...new Set(turns.map((t) => t.set))].map((set) => {
          const ts = turns.filter((t) => t.set === set);
          return [set, ts.length, `${(100 * zeroShare(ts)).toFixed(1)}%`, ts.filter((t) => t.calls > 0).length];
        }),
      ),
    );
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `\nzero-token turns: ${pct(zeroShare(turns))} (${turns.length - llm.length}/${turns.length})  target ≥ 80%`,
    );
    console.log(
      `LLM turns: ${llm.length}; answered by the model (or handed over by its tool) ${llm.filter((t) => t.answered).length}, deterministic fallback ${llm.filter((t) => !t.answered).length}`,
    );
    for (const t of llm.filter((x) => !x.answered).slice(0, 5)) console.log(`  fell back: ${t.text}`);
    console.log(
      table(
        ['per LLM turn', 'mean', 'median', 'p99'],
        [
          ['tokens (prompt + completion, all calls)', fmtInt(perTurn), '', ''],
          [
            'prompt tokens (all calls)',
            fmtInt(llmPrompt.reduce((s, x) => s + x, 0) / Math.max(1, llmPrompt.length)),
            fmtInt(percentile(llmPrompt, 50)),
            fmtInt(percentile(llmPrompt, 99)),
          ],
          [
            'prompt tokens per call',
            fmtInt(callsSorted.reduce((s, x) => s + x, 0) / Math.max(1, callsSorted.length)),
            fmtInt(percentile(callsSorted, 50)),
            fmtInt(percentile(callsSorted, 99)),
          ],
          ['calls', (llm.reduce((s, t) => s + t.calls, 0) / Math.max(1, llm.length)).toFixed(2), '', ''],
        ],
      ),
    );
    console.log(`\ntarget ≤ 1,000 tokens per LLM turn: ${perTurn <= 1_000 ? 'met' : 'NOT met'} (${fmtInt(perTurn)})`);
    // Sensitivity: a model that makes one more call per turn than the scripted one (a tool it did not need): that
    // call resends the last prompt plus a tool call and its result (about 150 tokens) and answers (about 30).
    const extra = llm.reduce((s, t) => s + t.lastCall + 150 + 30, 0) / Math.max(1, llm.length);
    console.log(`with one more call in every LLM turn: about ${fmtInt(perTurn + extra)} tokens per LLM turn`);
    console.log(
      `\nnaive baseline (every turn to the model, the whole credit state and catalog in the prompt): ${fmtInt(
        baselineTotal / turns.length,
      )} tokens per turn (prompt median ${fmtInt(percentile(sorted(baselinePrompts), 50))}), ${fmtInt(baselineTotal)} in all`,
    );
    console.log(`ours: ${fmtInt(oursTotal / turns.length)} tokens per turn on average, ${fmtInt(oursTotal)} in all`);
    console.log(`ratio: ${ratio.toFixed(1)}× cheaper  target ≥ 5×: ${ratio >= 5 ? 'met' : 'NOT met'}`);
  } finally {
    await services.close();
    await openai.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

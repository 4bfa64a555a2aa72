/**
 * The bot's brain, channel-neutral: a turn (a message, a button press or the chat opening) and the
 * conversation's state go in; replies and the new state come out. Every figure comes from the credit
 * domain for the conversation's own account, fixed by its binding (never by what a message says).
 * Understanding is deterministic (./nlu): no LLM is needed for any answer.
 */

import { type Lang, toLang } from '../locale/format.ts';
import { adviceAnswer } from './answers/advice.ts';
import { type AskAnswer, answerFrame, exportFromButton, fullList } from './answers/compound.ts';
import { type AnswerCtx, isAskIntent, makeCtx, tr } from './answers/context.ts';
import * as credits from './answers/credits.ts';
import * as help from './answers/help.ts';
import * as purchase from './answers/purchase.ts';
import * as usage from './answers/usage.ts';
import { detectLanguage, parseYesNo, understand } from './nlu/index.ts';
import type { Intent, NluResult } from './nlu/types.ts';
import type { ChatDeps } from './ports.ts';
import type { ChatIdentity, ChatState, Draft, Reply, TurnInput } from './types.ts';

/** Below this confidence the bot offers choices instead of guessing. */
export const CLARIFY_BELOW = 0.3;

export interface TurnResult {
  replies: Reply[];
  state: ChatState;
  intent?: string;
  /** what the understanding engine made of a typed message (and its compound frame, if any) */
  nlu?: { intent: string; confidence: number; lang: string; slots: NluResult['slots']; frame?: NluResult['frame'] };
}

const emptyNlu = (lang: Lang, intent: Intent = 'other_out_of_scope'): NluResult => ({
  intent,
  confidence: 1,
  lang,
  slots: {},
  alternatives: [],
});

type Answer = (c: AnswerCtx) => Promise<Reply> | Reply;

const answers: Partial<Record<Intent, Answer>> = {
  balance: credits.balance,
  plan_details: credits.planDetails,
  price: credits.price,
  renewal_date: credits.renewalDate,
  rollover_policy: credits.rolloverPolicy,
  forecast_runout: credits.forecastRunout,
  usage_by_type: usage.usageByType,
  usage_by_user: usage.usageByUser,
  usage_by_period: usage.usageByPeriod,
  usage_spike: usage.usageSpike,
  conversations_by_identity: usage.conversationsByIdentity,
  conversations_limit: usage.conversationsLimit,
  talk_to_human: help.talkToHuman,
  refund_or_dispute: help.refundOrDispute,
  request_status: purchase.requestStatus,
  cancel_request: (c) => purchase.cancelRequest(c),
  greeting: help.greeting,
  thanks: help.thanks,
  other_out_of_scope: help.outOfScope,
};

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length < 200 ? v : undefined;
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** An ordinary question asked inside a compound one ("what's my balance and …"), answered from the table. */
const askAnswer: AskAnswer = async (c, intent, slots) => {
  const answer = answers[intent] ?? help.outOfScope;
  return answer({ ...c, nlu: { ...c.nlu, intent, slots } });
};

export function createChatEngine(deps: ChatDeps) {
  async function handle(who: ChatIdentity, input: TurnInput, prev: ChatState, turnId: string): Promise<TurnResult> {
    const account = await deps.directory.account(who.accountId);
    const hint: Lang =
      prev.lang ?? toLang(input.clientLocale) ?? toLang(who.userLocale) ?? toLang(account.locale) ?? 'en';
    const state: ChatState = { ...prev };
    const text = (input.text ?? '').trim();
    const lang = input.kind === 'message' && text ? detectLanguage(text, hint) : hint;
    state.lang = lang;
    if (input.kind === 'join' && input.pageUrl) {
      const base = originOf(input.pageUrl);
      if (base) state.linkBase = base;
    }
    const ctx = (nlu: NluResult) => makeCtx(deps, who, account, nlu, lang, turnId, state.linkBase);
    const result: { nlu?: TurnResult['nlu'] } = {};
    const done = (replies: Reply[], intent?: string, draft?: Draft | null): TurnResult => {
      if (draft !== undefined) state.draft = draft;
      return { replies, state, ...(intent ? { intent } : {}), ...(result.nlu ? { nlu: result.nlu } : {}) };
    };
    const flow = (r: purchase.FlowResult, intent: string) => done([r.reply], intent, r.draft);

    if (input.kind === 'join') {
      const origin = input.origin ?? 'help';
      state.origin = origin;
      const c = ctx(emptyNlu(lang));
      const open = await help.opening(c, origin);
      if (origin === 'buy_more') {
        const r = await purchase.startBuy(c);
        return done([open, r.reply], 'join:buy_more', r.draft);
      }
      if (origin === 'change_plan') {
        const r = await purchase.startPlanChange(c);
        return done([open, r.reply], 'join:change_plan', r.draft);
      }
      return done([open], 'join:help');
    }

    const v = input.value;
    const action = v ? str(v.action) : undefined;
    if (action) {
      const c = ctx(emptyNlu(lang));
      switch (action) {
        case 'ask': {
          const intent = str(v?.intent);
          if (intent && isAskIntent(intent)) return done([await answers[intent]!(ctx(emptyNlu(lang, intent)))], intent);
          break;
        }
        case 'buy.start':
          return flow(await purchase.startBuy(c), 'buy_credits');
        case 'buy.pick':
          return flow(await purchase.chooseBuy(c, { credits: int(v?.credits), packId: str(v?.packId) }), 'buy_credits');
        case 'plan.start':
          return flow(await purchase.startPlanChange(c), 'change_plan');
        case 'plan.pick': {
          const planId = str(v?.planId);
          return flow(planId ? await purchase.choosePlan(c, planId) : await purchase.startPlanChange(c), 'change_plan');
        }
        case 'draft.confirm': {
          const kind = str(v?.kind);
          const draft: Draft | undefined =
            kind === 'buy_credits' && int(v?.credits)
              ? {
                  kind,
                  credits: int(v?.credits)!,
                  ...(str(v?.packId) ? { packId: str(v?.packId)! } : {}),
                  awaiting: 'confirm',
                }
              : kind === 'change_plan' && str(v?.planId)
                ? { kind, planId: str(v?.planId)!, awaiting: 'confirm' }
                : undefined;
          if (draft) return flow(await purchase.confirmDraft(c, draft, confirmKey(who, draft, v)), 'confirm');
          break;
        }
        case 'draft.cancel':
          return done(
            [
              {
                text: tr(lang, "OK, I haven't sent anything.", 'De acuerdo, no he enviado nada.'),
                suggestions: help.greeting(c).suggestions ?? [],
              },
            ],
            'draft_cancel',
            null,
          );
        case 'request.cancel':
          return done([await purchase.cancelRequest(c, str(v?.requestId))], 'cancel_request');
        case 'list.full': {
          const reply = v ? await fullList(c, v) : null;
          if (reply) return done([reply], 'list_full');
          break;
        }
        case 'export': {
          const reply = v ? exportFromButton(c, v) : null;
          if (reply) return done([reply], 'export');
          break;
        }
        case 'advice':
          return done([await adviceAnswer(c)], 'plan_advice');
      }
      // An unknown or malformed button value: treat any text it carries as a message.
      if (!text) return done([help.clarify(c, [])], 'unknown_action');
    }

    if (!text) return done([help.emptyMessage(ctx(emptyNlu(lang)))], 'empty');

    // A purchase in progress reads short answers ("2000", "yes") in its context first.
    const draft = state.draft ?? null;
    const entities = await deps.directory.names(who.accountId);
    const plans = await deps.catalog.plans();
    let nlu = understand(text, {
      entities: { ...entities, plans: plans.map((p) => ({ id: p.id, name: p.name })) },
      langHint: lang,
    });
    if (nlu.confidence < CLARIFY_BELOW && deps.intentFallback && !draft && !nlu.frame) {
      // Unsure: a second opinion on the label only; the answer is still built from the ledger.
      const guess = await deps.intentFallback.classify(text);
      if (guess)
        nlu = { ...nlu, intent: guess.intent, confidence: CLARIFY_BELOW, slots: { ...guess.slots, ...nlu.slots } };
    }
    const c = ctx(nlu);
    result.nlu = {
      intent: nlu.intent,
      confidence: Math.round(nlu.confidence * 100) / 100,
      lang: nlu.lang,
      slots: nlu.slots,
      ...(nlu.frame ? { frame: nlu.frame } : {}),
    };
    if (draft?.awaiting === 'confirm') {
      const yn = parseYesNo(text);
      if (yn === 'yes')
        return flow(await purchase.confirmDraft(c, draft, confirmKey(who, draft, { nonce: draft.nonce })), 'confirm');
      if (yn === 'no') {
        return done(
          [{ text: tr(lang, "OK, I haven't sent anything.", 'De acuerdo, no he enviado nada.') }],
          'draft_cancel',
          null,
        );
      }
    }
    if (draft?.kind === 'buy_credits' && draft.awaiting === 'amount') {
      // "2000", "2.000", "5k", or a sentence about buying that names an amount.
      const bare = /^\s*(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*(k)?\s*$/i.exec(text);
      const amount = bare ? Number(bare[1]!.replace(/[.,\s]/g, '')) * (bare[2] ? 1_000 : 1) : nlu.slots.amount;
      const onTopic = ['buy_credits', 'balance', 'price', 'other_out_of_scope', 'greeting'].includes(nlu.intent);
      if (amount !== undefined && (bare || onTopic))
        return flow(await purchase.chooseBuy(c, { credits: amount }), 'buy_credits');
    }
    if (draft?.kind === 'change_plan' && draft.awaiting === 'plan' && nlu.slots.targetPlan) {
      return flow(await purchase.startPlanChange(c, nlu.slots.targetPlan), 'change_plan');
    }

    // A compound question (a comparison, a ranking, several asks...): its structure is the evidence, answer it.
    if (nlu.frame) return done([await answerFrame(c, nlu.frame, askAnswer)], `frame:${nlu.frame.op}`);
    if (nlu.confidence < CLARIFY_BELOW && nlu.intent !== 'other_out_of_scope') {
      return done([help.clarify(c, [nlu.intent, ...nlu.alternatives.map((a) => a.intent)])], 'clarify');
    }
    if (nlu.intent === 'buy_credits') {
      const amount = nlu.slots.amount;
      return flow(await purchase.startBuy(c, amount && amount >= 10 ? amount : undefined), 'buy_credits');
    }
    if (nlu.intent === 'change_plan')
      return flow(await purchase.startPlanChange(c, nlu.slots.targetPlan), 'change_plan');
    const answer = answers[nlu.intent] ?? help.outOfScope;
    return done([await answer(c)], nlu.intent);
  }

  return { handle };
}

/** The http(s) origin of a URL, or undefined. */
function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The idempotency key of a confirmation: the same draft confirmed twice in one conversation (a double
 * click, a retried delivery) is one request; a new draft after a decision is a new one.
 */
function confirmKey(who: ChatIdentity, draft: Draft, v: Record<string, unknown> | undefined): string {
  const what = draft.kind === 'buy_credits' ? `buy:${draft.credits}:${draft.packId ?? ''}` : `plan:${draft.planId}`;
  const nonce = typeof v?.nonce === 'string' ? v.nonce.slice(0, 100) : '';
  return `${who.conversationId}|${what}|${nonce}`;
}

export type ChatEngine = ReturnType<typeof createChatEngine>;

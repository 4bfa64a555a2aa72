/**
 * The bot's brain, channel-neutral: a turn (a message, a button press or the chat opening) and the
 * conversation's state go in; replies and the new state come out. Every figure comes from the credit
 * domain for the conversation's own account, fixed by its binding (never by what a message says).
 * Understanding is deterministic (./nlu): no LLM is needed for any answer.
 */

import type { AccountNames } from '../accounts/directory.ts';
import type { EscalationReason } from '../escalations/service.ts';
import { ESCALATION_REASONS } from '../escalations/service.ts';
import { type Lang, toLang } from '../locale/format.ts';
import type { CatalogPlan } from '../requests/pricing.ts';
import { conflict } from '../shared/errors.ts';
import { storableText } from '../shared/text.ts';
import { adviceAnswer } from './answers/advice.ts';
import { type AskAnswer, answerFrame, exportFromButton, fullList } from './answers/compound.ts';
import { type AnswerCtx, ask, buyButton, changePlanButton, isAskIntent, makeCtx, tr } from './answers/context.ts';
import * as credits from './answers/credits.ts';
import * as handoff from './answers/handoff.ts';
import * as help from './answers/help.ts';
import * as purchase from './answers/purchase.ts';
import * as usage from './answers/usage.ts';
import type { Assistant } from './llm/assistant.ts';
import { remember } from './llm/memory.ts';
import { slowDown } from './llm/output.ts';
import { routeMessage } from './llm/route.ts';
import { languageOf, parseYesNo, readText, understand } from './nlu/index.ts';
import type { EntityDictionary, Intent, NluResult } from './nlu/types.ts';
import type { ChatDeps } from './ports.ts';
import type { ChatIdentity, ChatState, Draft, Reply, TurnInput } from './types.ts';

/** Below this confidence the bot offers choices instead of guessing. */
export const CLARIFY_BELOW = 0.3;

export interface TurnResult {
  replies: Reply[];
  state: ChatState;
  intent?: string;
  /** a person was asked to take over in this turn (the channel may emit Bot Framework's handoff.initiate) */
  handoff?: { escalationId: string; reference: string; reason: EscalationReason };
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
  greeting: help.greeting,
  thanks: help.thanks,
  other_out_of_scope: help.outOfScope,
};

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length < 200 ? v : undefined;
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
/** An amount from a button: a number as sent (the quote checks it is whole and in range), or none. */
const amountOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** An ordinary question asked inside a compound one ("what's my balance and …"), answered from the table. */
const askAnswer: AskAnswer = async (c, intent, slots) => {
  const answer = answers[intent] ?? help.outOfScope;
  return answer({ ...c, nlu: { ...c.nlu, intent, slots } });
};

/**
 * The names a message may mention: the account's (kept a few seconds by the directory) and the catalog's plans.
 * The same pair gives the same dictionary object, so the NLU's per-dictionary preparation (every name
 * normalised) is done once per refresh, not on every turn.
 */
const dictionaries = new WeakMap<object, { plans: readonly CatalogPlan[]; dict: EntityDictionary }>();
function dictionaryOf(names: AccountNames, plans: readonly CatalogPlan[]): EntityDictionary {
  const known = dictionaries.get(names);
  if (known?.plans === plans) return known.dict;
  const dict = { ...names, plans: plans.map((p) => ({ id: p.id, name: p.name })) };
  dictionaries.set(names, { plans, dict });
  return dict;
}

export interface EngineOptions {
  /** the LLM assistant (OPENAI_API_KEY): asked first for what the engine does not recognise confidently */
  assistant?: Assistant;
}

/** What the channel offers a turn: `waiting` is called when an answer will take a while (a typing indicator). */
export interface TurnHooks {
  waiting?: () => void;
}

export function createChatEngine(deps: ChatDeps, opts: EngineOptions = {}) {
  async function handle(
    who: ChatIdentity,
    input: TurnInput,
    prev: ChatState,
    turnId: string,
    hooks: TurnHooks = {},
  ): Promise<TurnResult> {
    const account = await deps.directory.account(who.accountId);
    const hint: Lang =
      prev.lang ?? toLang(input.clientLocale) ?? toLang(who.userLocale) ?? toLang(account.locale) ?? 'en';
    const state: ChatState = { ...prev };
    const askedCancel = state.cancel ?? null;
    state.cancel = null;
    const text = (input.text ?? '').trim();
    // One lexical reading of a typed message gives its language now and serves understanding later.
    const reading = input.kind === 'message' && text ? readText(text) : undefined;
    const lang = reading ? languageOf(reading, hint) : hint;
    state.lang = lang;
    if (input.kind === 'join' && input.pageUrl) {
      const base = originOf(input.pageUrl);
      if (base) state.linkBase = base;
    }
    const ctx = (nlu: NluResult) => makeCtx(deps, who, account, nlu, lang, turnId, state.linkBase);
    const result: { nlu?: TurnResult['nlu'] } = {};
    const done = (replies: Reply[], intent?: string, draft?: Draft | null): TurnResult => {
      if (draft !== undefined) state.draft = draft;
      if (opts.assistant && text && input.kind !== 'join') {
        state.memory = remember(state.memory, {
          user: text,
          bot: replies.map((r) => r.text).join(' '),
          intent: intent ?? '',
        });
      }
      return { replies, state, ...(intent ? { intent } : {}), ...(result.nlu ? { nlu: result.nlu } : {}) };
    };
    const flow = (r: purchase.FlowResult, intent: string) => done([r.reply], intent, r.draft);
    const cancelFlow = (r: purchase.CancelAsk) => {
      state.cancel = r.pending;
      return done([r.reply], 'cancel_request');
    };
    const v = input.value;
    const action = v ? str(v.action) : undefined;

    /** Hands the customer to a person now, and says honestly who answers and by when. */
    const escalate = async (reason: EscalationReason, trigger: string | null, intent: string): Promise<TurnResult> => {
      const c = ctx(emptyNlu(lang));
      const p = await deps.escalations!.open(who, { reason, trigger });
      state.handoff = { escalationId: p.id, told: false };
      state.draft = null;
      state.misses = 0;
      return {
        ...done([handoff.handedOver(c, p)], intent),
        ...(p.created ? { handoff: { escalationId: p.id, reference: p.reference, reason } } : {}),
      };
    };

    // While a person holds the conversation the bot stays silent: what the customer writes goes to them.
    if (state.handoff && deps.escalations) {
      const status = await deps.escalations.status(state.handoff.escalationId);
      if (status === 'open' || status === 'claimed') {
        const c = ctx(emptyNlu(lang));
        if (action === 'handoff.leave') {
          await deps.escalations.leave(state.handoff.escalationId);
          state.handoff = null;
          return done([handoff.backWithBot(c)], 'handoff:leave');
        }
        if (input.kind === 'join') {
          const p = await deps.escalations.active(who);
          const missed = handoff.whileAway(c, await deps.escalations.missed(who, lang, account.timeZone));
          if (p) return done([...missed, handoff.stillWithPerson(c, p)], 'handoff:join');
        } else if (text) {
          await deps.escalations.say(state.handoff.escalationId, who, { activityId: turnId, text });
          if (state.handoff.told) return done([], 'handoff:relay');
          state.handoff = { ...state.handoff, told: true };
          const p = await deps.escalations.active(who);
          return done([handoff.relayed(c, { person: p?.person ?? null, status })], 'handoff:relay');
        } else {
          return done([], 'handoff:relay');
        }
      }
      state.handoff = null; // closed meanwhile: the bot answers again
    }

    if (input.kind === 'join') {
      const origin = input.origin ?? 'help';
      state.origin = origin;
      const c = ctx(emptyNlu(lang));
      // What a person said while the customer was away, and a person still holding the conversation: it continues.
      const missed = handoff.whileAway(c, (await deps.escalations?.missed(who, lang, account.timeZone)) ?? []);
      const active = await deps.escalations?.active(who);
      if (active) {
        state.handoff = { escalationId: active.id, told: true };
        return done([...missed, handoff.stillWithPerson(c, active)], 'handoff:join');
      }
      const open = await help.opening(c, origin);
      if (origin === 'buy_more') {
        const r = await purchase.startBuy(c);
        return done([...missed, open, r.reply], 'join:buy_more', r.draft);
      }
      if (origin === 'change_plan') {
        const r = await purchase.startPlanChange(c);
        return done([...missed, open, r.reply], 'join:change_plan', r.draft);
      }
      return done([...missed, open], 'join:help');
    }

    if (action) {
      const c = ctx(emptyNlu(lang));
      switch (action) {
        case 'ask': {
          const intent = str(v?.intent);
          if (intent === 'talk_to_human' && deps.escalations) return escalate('asked_for_person', null, intent);
          if (intent && isAskIntent(intent)) return done([await answers[intent]!(ctx(emptyNlu(lang, intent)))], intent);
          break;
        }
        case 'handoff.start': {
          const reason = str(v?.reason);
          if (!deps.escalations) return done([help.talkToHuman(c)], 'talk_to_human');
          return escalate(
            ESCALATION_REASONS.includes(reason as EscalationReason) ? (reason as EscalationReason) : 'asked_for_person',
            null,
            'talk_to_human',
          );
        }
        case 'handoff.leave':
          // The person already handed the conversation back: nothing to leave.
          return done([handoff.backWithBot(c)], 'handoff:leave');
        case 'buy.start':
          return flow(await purchase.startBuy(c), 'buy_credits');
        case 'buy.pick':
          return flow(
            await purchase.chooseBuy(c, { credits: amountOf(v?.credits), packId: str(v?.packId) }),
            'buy_credits',
          );
        case 'plan.start':
          return flow(await purchase.startPlanChange(c), 'change_plan');
        case 'plan.pick': {
          const planId = str(v?.planId);
          return flow(planId ? await purchase.choosePlan(c, planId) : await purchase.startPlanChange(c), 'change_plan');
        }
        case 'draft.confirm': {
          const kind = str(v?.kind);
          // An amount no button offers (made by hand): the quote answers what can be requested, nothing is sent.
          if (
            kind === 'buy_credits' &&
            !str(v?.packId) &&
            v?.credits !== undefined &&
            !purchase.requestable(v.credits)
          ) {
            return flow(await purchase.chooseBuy(c, { credits: amountOf(v?.credits) }), 'buy_credits');
          }
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
          // Never cancels yet: names the request and asks to confirm (or says it is not one of theirs).
          return cancelFlow(
            await purchase.askCancel(
              c,
              v?.requestId === undefined ? {} : { requestId: String(v.requestId).slice(0, 100) },
            ),
          );
        case 'request.cancel.confirm': {
          const requestId = str(v?.requestId);
          if (!requestId) return cancelFlow(await purchase.askCancel(c));
          return done([await purchase.cancelRequest(c, requestId)], 'cancel_request');
        }
        case 'request.cancel.keep':
          return done([await purchase.keepRequest(c, str(v?.requestId))], 'cancel_keep');
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
    const nlu = understand(text, {
      entities: dictionaryOf(entities, plans),
      langHint: lang,
      ...(reading ? { reading } : {}),
    });
    const c = ctx(nlu);
    result.nlu = {
      intent: nlu.intent,
      confidence: Math.round(nlu.confidence * 100) / 100,
      lang: nlu.lang,
      slots: nlu.slots,
      ...(nlu.frame ? { frame: nlu.frame } : {}),
    };
    if (askedCancel) {
      // The answer to "Cancel request R-…?": yes cancels that one; "cancel it" is read as asking again.
      const yn = parseYesNo(text);
      if (yn === 'yes') return done([await purchase.cancelRequest(c, askedCancel.requestId)], 'cancel_request');
      if (yn === 'no' && nlu.intent !== 'cancel_request') {
        return done([await purchase.keepRequest(c, askedCancel.requestId)], 'cancel_keep');
      }
    }
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

    // Not recognised confidently (free-form, another language, unsure): the LLM assistant answers first, grounded
    // in this turn's tool results; what it cannot answer or ground falls through to the deterministic answer.
    const route = opts.assistant ? routeMessage(text, nlu) : undefined;
    if (opts.assistant && route?.to === 'model') {
      let handed: TurnResult | undefined;
      const out = await opts.assistant.answer({
        c,
        text,
        route,
        memory: state.memory,
        ...(hooks.waiting ? { waiting: hooks.waiting } : {}),
        escalate: async (reason) => {
          if (!deps.escalations) throw conflict('No person can be reached from this chat; name the account manager.');
          handed ??= await escalate(reason, text, 'talk_to_human');
        },
      });
      if (handed) return handed;
      if (out.kind === 'answered') {
        state.misses = 0;
        // A draft is shown as the engine's own quote with its buttons; the model's words about it are not.
        return out.flow ? flow(out.flow, 'llm:draft') : done([out.reply], 'llm:answer');
      }
      if (out.kind === 'user_rate_limited') return done([slowDown(c, out.retryAfterSeconds)], 'llm:rate_limited');
    }

    const signals = nlu.signals ?? {};
    const escalations = deps.escalations;
    const missed =
      !nlu.frame && (nlu.confidence < CLARIFY_BELOW || (nlu.intent === 'other_out_of_scope' && !signals.invoice));
    state.misses = missed ? (state.misses ?? 0) + 1 : 0;
    /** The answer, with a person offered beside it for this reason. */
    const withOffer = (reply: Reply, reason: EscalationReason, intent: string): TurnResult => {
      if (!escalations) return done([reply], intent);
      const o = handoff.offer(c, reason);
      return done(
        [
          {
            text: [reply.text, o.line].filter(Boolean).join('\n\n'),
            suggestions: [o.button, ...(reply.suggestions ?? [])].slice(0, 5),
          },
        ],
        intent,
      );
    };

    // A person asked for in so many words: hand over now. Frustration alone: offer it.
    if (nlu.intent === 'talk_to_human' && escalations) {
      if (signals.asksForPerson || !signals.frustrated) {
        const reason = signals.customOffer ? 'custom_offer' : signals.invoice ? 'invoice' : 'asked_for_person';
        return escalate(reason, text, 'talk_to_human');
      }
      return withOffer(
        { text: '', suggestions: [ask(lang, 'balance'), ask(lang, 'usage_by_type')] },
        'frustration',
        'talk_to_human',
      );
    }
    if (escalations && state.misses >= 2) {
      const o = handoff.offer(c, 'misunderstood');
      const base = help.clarify(c, [nlu.intent, ...nlu.alternatives.map((a) => a.intent)]);
      return done([{ text: o.line, suggestions: [o.button, ...(base.suggestions ?? [])].slice(0, 5) }], 'clarify');
    }
    // A compound question (a comparison, a ranking, several asks...): its structure is the evidence, answer it.
    if (nlu.frame) return done([await answerFrame(c, nlu.frame, askAnswer)], `frame:${nlu.frame.op}`);
    if (nlu.confidence < CLARIFY_BELOW && nlu.intent !== 'other_out_of_scope') {
      return done([help.clarify(c, [nlu.intent, ...nlu.alternatives.map((a) => a.intent)])], 'clarify');
    }
    if (nlu.intent === 'other_out_of_scope' && signals.invoice) {
      return withOffer(
        { text: help.invoices(c), suggestions: [ask(lang, 'usage_by_type'), ask(lang, 'balance')] },
        'invoice',
        'invoice',
      );
    }
    if (nlu.intent === 'refund_or_dispute') {
      return withOffer(await help.refundOrDispute(c), signals.invoice ? 'invoice' : 'refund_or_dispute', nlu.intent);
    }
    if (nlu.intent === 'rollover_policy' && signals.exception) {
      return withOffer(await credits.rolloverPolicy(c), 'carryover_exception', nlu.intent);
    }
    if (signals.customOffer && escalations) {
      return withOffer(
        { text: help.customOffer(c), suggestions: [changePlanButton(lang), buyButton(lang)] },
        'custom_offer',
        'custom_offer',
      );
    }
    if (nlu.intent === 'buy_credits') {
      const amount = nlu.slots.amount;
      return flow(await purchase.startBuy(c, amount && amount >= 10 ? amount : undefined), 'buy_credits');
    }
    if (nlu.intent === 'change_plan')
      return flow(await purchase.startPlanChange(c, nlu.slots.targetPlan), 'change_plan');
    if (nlu.intent === 'cancel_request') {
      const typed = purchase.typedRequestId(text);
      return cancelFlow(await purchase.askCancel(c, typed ? { typed } : {}));
    }
    const answer = answers[nlu.intent] ?? help.outOfScope;
    const reply = await answer(c);
    return signals.frustrated && escalations && !missed
      ? withOffer(reply, 'frustration', nlu.intent)
      : done([reply], nlu.intent);
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
  const nonce = typeof v?.nonce === 'string' ? storableText(v.nonce.slice(0, 100)) : '';
  return `${who.conversationId}|${what}|${nonce}`;
}

export type ChatEngine = ReturnType<typeof createChatEngine>;

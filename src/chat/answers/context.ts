/** What every answer gets: the language, formatters, the conversation's own account, and lazy figures. */
import type { CreditState, Forecast } from '../../credits/types.ts';
import { type Formatter, formatter, type Lang } from '../../locale/format.ts';
import type { NluResult } from '../nlu/types.ts';
import type { ChatDeps, DirectoryPort } from '../ports.ts';
import type { ChatIdentity, Suggestion } from '../types.ts';

export type AccountView = Awaited<ReturnType<DirectoryPort['account']>>;

export interface AnswerCtx {
  lang: Lang;
  f: Formatter;
  now: Date;
  who: ChatIdentity;
  account: AccountView;
  nlu: NluResult;
  deps: ChatDeps;
  /** id of the current turn: names a confirmation offer, so confirming it twice makes one request */
  turnId: string;
  /** origin that relative links are made absolute with (the page that opened the chat), if known */
  linkBase?: string;
  state(): Promise<CreditState>;
  forecast(): Promise<Forecast>;
}

export function makeCtx(
  deps: ChatDeps,
  who: ChatIdentity,
  account: AccountView,
  nlu: NluResult,
  lang: Lang,
  turnId: string,
  linkBase?: string,
): AnswerCtx {
  let state: Promise<CreditState> | undefined;
  let forecast: Promise<Forecast> | undefined;
  return {
    lang,
    f: formatter(lang, account.timeZone),
    now: deps.clock.now(),
    who,
    account,
    nlu,
    deps,
    turnId,
    ...(linkBase ? { linkBase } : {}),
    state: () => {
      state ??= deps.credits.getState(who.accountId);
      return state;
    },
    forecast() {
      forecast ??= this.state().then((s) => deps.credits.forecast(who.accountId, 7, s));
      return forecast;
    },
  };
}

export const tr = (lang: Lang, en: string, es: string) => (lang === 'es' ? es : en);

/** Buttons that ask one of the questions the bot answers (sent as a postback, shown as the question). */
const questions = {
  balance: ['How many credits do I have left?', '¿Cuántos créditos me quedan?'],
  usage_by_type: ['What did we spend credits on?', '¿En qué hemos gastado los créditos?'],
  usage_by_user: ['Who used the most credits?', '¿Quién ha gastado más créditos?'],
  usage_by_period: ['Credits used day by day', 'Consumo de créditos día a día'],
  usage_spike: ['Why did my credits drop?', '¿Por qué han bajado mis créditos?'],
  forecast_runout: ['When will I run out?', '¿Cuándo me quedaré sin créditos?'],
  renewal_date: ['When do my credits renew?', '¿Cuándo se renuevan mis créditos?'],
  rollover_policy: ['Do unused credits carry over?', '¿Se acumulan los créditos que no uso?'],
  plan_details: ['What does my plan include?', '¿Qué incluye mi plan?'],
  price: ['How much does it cost?', '¿Cuánto cuesta?'],
  conversations_by_identity: ['Conversations by identity', 'Conversaciones por identidad'],
  conversations_limit: ['Conversation limits', 'Límites de conversaciones'],
  request_status: ['Status of my requests', 'Estado de mis solicitudes'],
  talk_to_human: ['Talk to my account manager', 'Hablar con mi gestor'],
} as const;

export type AskIntent = keyof typeof questions;

export const ask = (lang: Lang, intent: AskIntent): Suggestion => {
  const [en, es] = questions[intent];
  return { title: tr(lang, en, es), value: { action: 'ask', intent } };
};

export const buyButton = (lang: Lang): Suggestion => ({
  title: tr(lang, 'Buy more credits', 'Comprar más créditos'),
  value: { action: 'buy.start' },
});
export const changePlanButton = (lang: Lang): Suggestion => ({
  title: tr(lang, 'Change plan', 'Cambiar de plan'),
  value: { action: 'plan.start' },
});

export const isAskIntent = (s: string): s is AskIntent => s in questions;

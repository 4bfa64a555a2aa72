/**
 * The Bot Framework bot: an ActivityHandler that receives its state and services through its
 * constructor (BotBuilder-Samples 05.multi-turn-prompt) and maps activities to the channel-neutral
 * engine and back. Works behind any adapter (CloudAdapter for Bot Framework channels, the in-process
 * Direct Line adapter); moving to the Microsoft 365 Agents SDK is an adapter swap.
 */

import { EventFactory } from 'botbuilder';
import {
  ActionTypes,
  type Activity,
  ActivityHandler,
  ActivityTypes,
  type CardAction,
  type ConversationState,
  MessageFactory,
  type StatePropertyAccessor,
  TurnContext,
} from 'botbuilder-core';
import { toLang } from '../locale/format.ts';
import type { Logger } from '../shared/logger.ts';
import type { BindingStore } from './bindings.ts';
import type { ChatEngine } from './engine.ts';
import type { ChatState, Origin, Reply, TurnInput } from './types.ts';

const ORIGINS: readonly Origin[] = ['change_plan', 'buy_more', 'help'];
export const MAX_TEXT = 2_000;

export interface PendingInbox {
  /** Messages kept for a user whose conversation had gone; taken (and marked delivered) once. */
  take(userId: string): Promise<string[]>;
}

export interface CreditBotDeps {
  engine: ChatEngine;
  conversationState: ConversationState;
  bindings: BindingStore;
  logger: Logger;
  inbox?: PendingInbox;
  /** told about every answered turn (metrics) */
  onTurn?: (intent: string, lang: string) => void;
}

export function toActivity(reply: Reply, locale: string): Partial<Activity> {
  const actions: CardAction[] = (reply.suggestions ?? []).map((s) =>
    s.value
      ? { type: ActionTypes.MessageBack, title: s.title, displayText: s.title, text: s.text ?? s.title, value: s.value }
      : { type: ActionTypes.ImBack, title: s.title, value: s.text ?? s.title },
  );
  const activity = actions.length
    ? MessageFactory.suggestedActions(actions, reply.text)
    : MessageFactory.text(reply.text);
  activity.textFormat = 'markdown';
  activity.locale = locale;
  if (reply.attachments?.length) {
    // Inline data, so the picture shows without the client fetching anything (Web Chat turns it into a blob: URL).
    activity.attachments = reply.attachments.map((a) => ({
      contentType: a.contentType,
      contentUrl: `data:${a.contentType};base64,${Buffer.from(a.data, 'utf8').toString('base64')}`,
      name: a.alt,
    }));
    activity.attachmentLayout = 'list';
  }
  return activity;
}

/** Typing indicators while the bot waits on something slow (the LLM assistant): now, then every 3 s until done. */
class Typing {
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly context: TurnContext,
    private readonly logger: Logger,
  ) {}

  start() {
    if (this.timer) return;
    const send = () => {
      this.sending = this.context
        .sendActivity({ type: ActivityTypes.Typing })
        .catch((err: unknown) => this.logger.debug({ err: (err as Error).message }, 'typing indicator not sent'));
    };
    send();
    this.timer = setInterval(send, 3_000);
  }

  /** Stops, and waits for an indicator on its way, so none arrives after the answer. */
  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
  }
}

export class CreditBot extends ActivityHandler {
  private readonly chatState: StatePropertyAccessor<ChatState>;

  constructor(private readonly deps: CreditBotDeps) {
    super();
    this.chatState = deps.conversationState.createProperty<ChatState>('chat');

    this.onMessage(async (context, next) => {
      const a = context.activity;
      const value =
        a.value && typeof a.value === 'object' && !Array.isArray(a.value)
          ? (a.value as Record<string, unknown>)
          : undefined;
      const text = typeof a.text === 'string' ? a.text : '';
      if (text.length > MAX_TEXT) {
        await this.reply(context, {
          text: 'That message is too long for me; please ask in a few words. / Ese mensaje es demasiado largo; pregúntame en pocas palabras.',
        });
      } else {
        await this.turn(context, value ? { kind: 'postback', text, value } : { kind: 'message', text });
      }
      await next();
    });

    this.onEvent(async (context, next) => {
      const a = context.activity;
      if (a.name === 'webchat/join') {
        const value = (a.value ?? {}) as { origin?: unknown; locale?: unknown; pageUrl?: unknown };
        const origin = ORIGINS.includes(value.origin as Origin) ? (value.origin as Origin) : 'help';
        // The visitor's language as the page reports it (Web Chat's locale comes with the activity too).
        const locale = typeof value.locale === 'string' && value.locale.length <= 35 ? value.locale : undefined;
        const pageUrl = typeof value.pageUrl === 'string' && value.pageUrl.length <= 300 ? value.pageUrl : undefined;
        await this.turn(context, {
          kind: 'join',
          origin,
          ...(locale ? { clientLocale: locale } : {}),
          ...(pageUrl ? { pageUrl } : {}),
        });
      }
      await next();
    });

    // Channels without Web Chat's join event (Teams, Emulator): greet when the user joins.
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined && context.activity.channelId !== 'directline')
        await this.turn(context, { kind: 'join', origin: 'help' });
      await next();
    });
  }

  private async reply(context: TurnContext, reply: Reply, locale = 'en-US', channelData?: Record<string, unknown>) {
    const activity = toActivity(reply, locale);
    if (channelData) activity.channelData = channelData;
    await context.sendActivity(activity);
  }

  private async turn(context: TurnContext, input: TurnInput) {
    const a = context.activity;
    const conversationId = a.conversation?.id;
    if (!conversationId) return;
    const who = await this.deps.bindings.resolve(conversationId, a.channelId, a.from?.id);
    if (!who) {
      await this.reply(context, {
        text: "I can't link this chat to an account on the platform, so I can't show any figures. Please open the chat from the platform's View Usage page. / No puedo vincular este chat a una cuenta de la plataforma; ábrelo desde la página View Usage.",
      });
      return;
    }
    const state = await this.chatState.get(context, {});
    const typing = new Typing(context, this.deps.logger);
    const result = await this.deps.engine
      .handle(who, { ...input, clientLocale: input.clientLocale ?? a.locale }, state, a.id ?? `${Date.now()}`, {
        waiting: () => typing.start(),
      })
      .finally(() => typing.stop());
    await this.chatState.set(context, result.state);
    const lang = result.state.lang ?? 'en';
    this.deps.onTurn?.(result.nlu?.intent ?? result.intent ?? 'unknown', lang);
    await this.deps.bindings.touch(conversationId, TurnContext.getConversationReference(a), lang);
    const locale = lang === 'es' ? 'es-ES' : 'en-US';
    if (input.kind === 'join' && this.deps.inbox) {
      for (const text of await this.deps.inbox.take(who.userId)) await this.reply(context, { text }, locale);
    }
    // What the bot understood travels with its replies (for analytics and `npm run eval`), never figures.
    const channelData = { intent: result.intent ?? null, nlu: result.nlu ?? null };
    for (const r of result.replies) await this.reply(context, r, locale, channelData);
    if (result.handoff) {
      // Bot Framework's handoff protocol, for channels (and hosts) that route conversations to agents.
      await context.sendActivity(
        EventFactory.createHandoffInitiation(context, {
          escalationId: result.handoff.escalationId,
          reference: result.handoff.reference,
          reason: result.handoff.reason,
          accountId: who.accountId,
        }),
      );
    }
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }
}

/** The message a customer sees when a turn fails on our side (logged with its stack). */
export function onTurnError(logger: Logger) {
  return async (context: TurnContext, error: Error) => {
    logger.error({ err: error, conversationId: context.activity.conversation?.id }, 'bot turn failed');
    const lang = toLang(context.activity.locale) ?? 'en';
    await context
      .sendActivity(
        lang === 'es'
          ? 'Lo siento, algo ha fallado por nuestra parte. Inténtalo de nuevo en un momento.'
          : 'Sorry, something went wrong on our side. Please try again in a moment.',
      )
      .catch(() => undefined);
  };
}

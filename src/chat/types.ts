/** The channel-neutral shapes of the chat: what comes in, what goes out, what is remembered. */
import type { Lang } from '../locale/format.ts';
import type { ChatMemory } from './llm/memory.ts';

/** A button. `value` makes it a postback the engine handles (messageBack); otherwise `text` is sent as typed. */
export interface Suggestion {
  title: string;
  text?: string;
  value?: Record<string, unknown>;
}

/** A picture sent with a reply: a chart rendered on the server (an SVG image, nothing fetched by the client). */
export interface ReplyImage {
  kind: 'image';
  contentType: 'image/svg+xml';
  /** the image itself */
  data: string;
  /** what it shows, for screen readers and channels without images */
  alt: string;
}

export interface Reply {
  /** Markdown, assembled with ./markdown.ts */
  text: string;
  suggestions?: Suggestion[];
  attachments?: ReplyImage[];
}

export type Origin = 'change_plan' | 'buy_more' | 'help';

/** Who is talking: fixed by the conversation's binding, never by what a message says. */
export interface ChatIdentity {
  conversationId: string;
  accountId: string;
  userId: string;
  userName: string;
  userLocale: string | null;
}

export interface TurnInput {
  kind: 'message' | 'join' | 'postback';
  text?: string;
  value?: Record<string, unknown>;
  origin?: Origin;
  /** locale the client reports (activity.locale, or the join event's) */
  clientLocale?: string;
  /** join only: the page that opened the chat (its origin makes links absolute when PUBLIC_URL is not set) */
  pageUrl?: string;
}

/** A purchase or plan change being put together, before it becomes a request. */
export type Draft =
  | { kind: 'buy_credits'; credits?: number; packId?: string; awaiting: 'amount' | 'confirm'; nonce?: string }
  | { kind: 'change_plan'; planId?: string; awaiting: 'plan' | 'confirm'; nonce?: string };

export interface ChatState {
  lang?: Lang;
  /** where relative links point (the origin of the page that opened the chat) */
  linkBase?: string;
  origin?: Origin;
  draft?: Draft | null;
  /** a person holds the conversation (an escalation); `told`: the customer was told their messages go to them */
  handoff?: { escalationId: string; told?: boolean } | null;
  /** turns in a row the bot did not understand (two make it offer a person) */
  misses?: number;
  /** the request the bot last asked to cancel: a typed yes or no answers it, any other turn forgets it */
  cancel?: { requestId: string; reference: string } | null;
  /** recent turns and a summary of older ones, for the LLM assistant's prompt (kept only when it is configured) */
  memory?: ChatMemory | null;
}

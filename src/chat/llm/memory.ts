/**
 * What the assistant remembers of a conversation, kept in the conversation's state: the last few turns as they
 * were (the customer's words and the start of the answer), older ones reduced, deterministically, to what they
 * were about. The prompt takes the summary and as many recent turns as its token budget allows, newest first.
 * Pure.
 */
import { estimateTokens } from './tokens.ts';

export interface ChatMemory {
  /** the latest turns, oldest first: what the customer wrote, the bot's answer (both cut short), its topic */
  recent: Array<{ u: string; b: string; t: string }>;
  /** what older turns were about ("balance", "usage by type"), oldest first */
  earlier: string[];
}

export const RECENT_TURNS = 4;
const EARLIER_LABELS = 12;
const TEXT_CHARS = 240;

/** Plain text of a reply, cut short: Markdown escapes and emphasis removed, on one line. */
function plain(text: string, max = TEXT_CHARS): string {
  const s = text.replace(/\\(.)/g, '$1').replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A turn's topic for the summary, from what the bot understood ("frame:compare" → "compare"). */
const labelOf = (intent: string) =>
  intent
    .replace(/^[a-z]+:/, '')
    .replace(/_/g, ' ')
    .trim() || 'other';

const addLabel = (labels: string[], label: string) => (labels.at(-1) === label ? labels : [...labels, label]);

/** The memory after one more turn. */
export function remember(
  mem: ChatMemory | null | undefined,
  turn: { user: string; bot: string; intent: string },
): ChatMemory {
  const recent = [...(mem?.recent ?? []), { u: plain(turn.user), b: plain(turn.bot), t: labelOf(turn.intent) }];
  let earlier = mem?.earlier ?? [];
  while (recent.length > RECENT_TURNS) earlier = addLabel(earlier, recent.shift()!.t);
  return { recent, earlier: earlier.slice(-EARLIER_LABELS) };
}

export interface MemoryPrompt {
  /** one line about older turns, or null */
  summary: string | null;
  /** recent turns as chat messages, oldest first */
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
  tokens: number;
}

/**
 * The memory as prompt material within `budget` estimated tokens: the newest turns that fit, and a summary line
 * naming what the older (and the left-out) turns were about.
 */
export function memoryPrompt(mem: ChatMemory | null | undefined, budget: number): MemoryPrompt {
  if (!mem || budget <= 0) return { summary: null, messages: [], tokens: 0 };
  const kept: ChatMemory['recent'] = [];
  let older = [...mem.earlier];
  let tokens = 0;
  let full = false;
  for (let i = mem.recent.length - 1; i >= 0; i--) {
    const turn = mem.recent[i]!;
    const cost = estimateTokens(turn.u) + estimateTokens(turn.b) + 8;
    if (!full && tokens + cost <= budget * 0.8) {
      kept.unshift(turn);
      tokens += cost;
    } else {
      full = true;
    }
  }
  for (const turn of mem.recent.slice(0, mem.recent.length - kept.length)) older = addLabel(older, turn.t);
  let summary: string | null = older.length
    ? `Earlier in this chat the customer asked about: ${older.join('; ')}.`
    : null;
  if (summary && tokens + estimateTokens(summary) > budget) summary = null;
  if (summary) tokens += estimateTokens(summary);
  return {
    summary,
    messages: kept.flatMap((t) => [
      { role: 'user' as const, content: t.u },
      { role: 'assistant' as const, content: t.b },
    ]),
    tokens,
  };
}

/**
 * Token estimates, where the server's own count is not known yet (budgets are checked before a call): a
 * character count divided by four, OpenAI's rule of thumb for English (Spanish and other Latin-script languages
 * come out a little above it, scripts such as CJK well above). The server's reported usage is what is recorded.
 */

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** What a chat completion request sends as its prompt: every message's text and tool calls, and the tool definitions. */
export function estimateRequestTokens(messages: readonly unknown[], tools: readonly unknown[] = []): number {
  let chars = 0;
  for (const m of messages) {
    const msg = m as { content?: unknown; tool_calls?: unknown };
    if (typeof msg.content === 'string') chars += msg.content.length;
    if (msg.tool_calls) chars += JSON.stringify(msg.tool_calls).length;
    chars += 16; // role and framing, about 4 tokens a message
  }
  if (tools.length) chars += JSON.stringify(tools).length;
  return Math.ceil(chars / 4);
}

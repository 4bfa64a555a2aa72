/**
 * A customer in the chat, through the product's own Direct Line endpoints over HTTP: token generation
 * with the secret, conversation start, posting activities, reading replies with watermarks.
 */
import { TEST_DL_SECRET } from './constants.ts';

export interface BotMessage {
  id: string;
  text: string;
  from: { id: string; role?: string };
  suggestedActions?: { actions: Array<{ title: string; value?: unknown; type: string }> };
  [k: string]: unknown;
}

export class ChatClient {
  private watermark: string | undefined;
  constructor(
    readonly baseUrl: string,
    readonly conversationId: string,
    readonly token: string,
  ) {}

  static async open(baseUrl: string, userId: string, secret = TEST_DL_SECRET): Promise<ChatClient> {
    const gen = await fetch(`${baseUrl}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
    });
    if (gen.status !== 200) throw new Error(`tokens/generate: ${gen.status} ${await gen.text()}`);
    const { token, conversationId } = (await gen.json()) as { token: string; conversationId: string };
    const start = await fetch(`${baseUrl}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (start.status >= 300) throw new Error(`conversations: ${start.status} ${await start.text()}`);
    return new ChatClient(baseUrl, conversationId, token);
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: 'whoever' }, ...activity }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Bot activities since the last read. */
  async read(): Promise<BotMessage[]> {
    const qs = this.watermark ? `?watermark=${this.watermark}` : '';
    const res = await fetch(`${this.baseUrl}/v3/directline/conversations/${this.conversationId}/activities${qs}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (res.status !== 200) throw new Error(`activities: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { activities: BotMessage[]; watermark: string };
    this.watermark = body.watermark;
    return body.activities.filter((a) => a.from?.role === 'bot' || a.from?.id === 'credits-bot');
  }

  /** Sends a message (or a button press) and returns the bot's replies to it. */
  async say(text: string, value?: Record<string, unknown>): Promise<BotMessage[]> {
    await this.read();
    const r = await this.post({ type: 'message', text, ...(value ? { value } : {}) });
    if (r.status !== 200) throw new Error(`post: ${r.status} ${JSON.stringify(r.body)}`);
    return this.read();
  }

  async join(origin: 'buy_more' | 'change_plan' | 'help', locale?: string): Promise<BotMessage[]> {
    await this.read();
    await this.post({ type: 'event', name: 'webchat/join', value: { origin }, ...(locale ? { locale } : {}) });
    return this.read();
  }

  /** Presses a suggested action of the last replies whose title matches. */
  async press(replies: BotMessage[], title: RegExp): Promise<BotMessage[]> {
    const action = replies.flatMap((r) => r.suggestedActions?.actions ?? []).find((a) => title.test(a.title));
    if (!action) throw new Error(`no button ${title} in ${JSON.stringify(replies.map((r) => r.suggestedActions))}`);
    return this.say(action.title, action.value as Record<string, unknown>);
  }

  /** Waits for a bot message matching `re` (polling), e.g. a proactive notification. */
  async waitFor(re: RegExp, ms = 10_000): Promise<BotMessage> {
    const deadline = Date.now() + ms;
    const seen: string[] = [];
    while (Date.now() < deadline) {
      for (const m of await this.read()) {
        seen.push(m.text);
        if (re.test(m.text)) return m;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no bot message matching ${re} within ${ms} ms; saw: ${JSON.stringify(seen)}`);
  }
}

export const textOf = (replies: BotMessage[]) => replies.map((r) => r.text).join('\n');

/**
 * The bot behind our self-hosted Direct Line, in process: activities posted by Web Chat reach the bot
 * directly, and what the bot sends is appended to the conversation (PostgreSQL, then pushed to every
 * process's WebSocket clients). Proactive messages work from any process, workers included.
 */
import {
  type Activity,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder-core';
import type { DirectLineServer } from '../../directline/index.ts';

export const BOT_ACCOUNT = { id: 'credits-bot', name: 'Credits assistant', role: 'bot' } as const;

/** A message a person sends through the bot (an escalation) carries `channelData.agent`: `agent:<id>` and a name. */
function agentOf(a: Partial<Activity>): { id: string; name: string; role: 'bot' } | null {
  const agent = (a.channelData as { agent?: { id?: unknown; name?: unknown } } | undefined)?.agent;
  if (typeof agent?.id !== 'string' || !agent.id.startsWith('agent:')) return null;
  if (typeof agent.name !== 'string' || agent.name === '') return null;
  return { id: agent.id, name: agent.name.slice(0, 200), role: 'bot' };
}

export class DirectLineBotAdapter extends BotAdapter {
  constructor(private readonly dl: Pick<DirectLineServer, 'appendBotActivity'>) {
    super();
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const out: ResourceResponse[] = [];
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) throw new Error('No conversation to send to.');
    for (const a of activities) {
      if (a.type === 'delay') {
        await new Promise((r) => setTimeout(r, typeof a.value === 'number' ? a.value : 1_000));
        out.push({ id: '' });
        continue;
      }
      const stored = await this.dl.appendBotActivity(conversationId, {
        ...a,
        // A person speaking through the bot (an escalation) keeps their name; everything else is the bot.
        from: agentOf(a) ?? BOT_ACCOUNT,
        recipient: context.activity.from,
        replyToId: a.replyToId ?? context.activity.id,
      });
      out.push({ id: stored.id });
    }
    return out;
  }

  async updateActivity(): Promise<void> {
    // Direct Line 3.0 has no update: Web Chat keeps what it showed.
  }

  async deleteActivity(): Promise<void> {
    // Same as above.
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity as Partial<Activity>), logic);
  }

  /** Runs a turn for an activity a client posted. */
  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

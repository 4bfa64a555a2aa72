/**
 * Messages in escalation threads (Events API `message`, from `message.im` / `message.channels` /
 * `message.groups`): a person's reply is recorded (Slack's retries and duplicate deliveries are the same row,
 * keyed by channel and ts) before the event is acknowledged, then delivered to the customer by a job. Edits and
 * deletions follow the reply; file shares reach the customer as signed links; the app's own posts (the
 * customer's mirrored messages), other bots and messages outside escalation threads are ignored.
 */
import type { App } from '@slack/bolt';
import type { EscalationView } from '../../../escalations/service.ts';
import { ttlCache } from '../../../shared/ttl-cache.ts';
import type { SlackDeps } from '../../deps.ts';
import { slackToPlain } from '../../text.ts';

interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
}

interface MessageLike {
  subtype?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  files?: SlackFile[];
  message?: MessageLike;
  previous_message?: MessageLike;
  deleted_ts?: string;
}

const isReply = (m: Pick<MessageLike, 'ts' | 'thread_ts'>) => !!m.thread_ts && m.thread_ts !== m.ts;

export function register(app: App, deps: SlackDeps) {
  const { escalations, logger } = deps;
  const names = ttlCache<string, string>(3_600_000);

  /** Who wrote: the account's manager by the name the platform gave, others by their Slack profile. */
  async function nameOf(userId: string, e: EscalationView, client: App['client']): Promise<string> {
    if (userId === e.managerSlackUserId && e.managerName) return e.managerName;
    return names.get(userId, async () => {
      const info = await client.users.info({ user: userId }).catch(() => null);
      const u = info?.user;
      return u?.profile?.real_name || u?.real_name || u?.profile?.display_name || u?.name || 'Support team';
    });
  }

  app.event('message', async ({ event, client }) => {
    const m = event as unknown as MessageLike;
    if (typeof m.channel !== 'string' || typeof m.ts !== 'string') return;
    try {
      if (m.subtype === 'message_changed') {
        const edited = m.message;
        if (!edited || edited.bot_id || !isReply(edited) || typeof edited.ts !== 'string') return;
        await escalations.editAgentMessage('slack', `${m.channel}:${edited.ts}`, slackToPlain(edited.text ?? ''));
        return;
      }
      if (m.subtype === 'message_deleted') {
        if (typeof m.deleted_ts !== 'string') return;
        await escalations.deleteAgentMessage('slack', `${m.channel}:${m.deleted_ts}`);
        return;
      }
      // Plain replies, replies also sent to the channel, and file shares; nothing else (joins, bots, our own posts).
      if (m.subtype && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return;
      if (m.bot_id || !m.user || !isReply(m)) return;
      const e = await escalations.byThread(m.channel, m.thread_ts!);
      if (!e) return;
      const files = (m.files ?? [])
        .filter((f): f is SlackFile & { id: string } => typeof f.id === 'string' && /^F[A-Z0-9]{2,}$/.test(f.id))
        .slice(0, 10)
        .map((f) => ({ name: (f.name ?? f.title ?? 'file').slice(0, 200), url: deps.fileLink(e.id, f.id) }));
      const text = slackToPlain(m.text ?? '');
      if (!text.trim() && files.length === 0) return;
      const out = await escalations.agentMessage(e.id, {
        source: 'slack',
        sourceId: `${m.channel}:${m.ts}`,
        agent: { id: m.user, name: await nameOf(m.user, e, client), via: 'slack' },
        text,
        files,
        slackTs: m.ts,
      });
      if (out.created && out.closed) {
        await client.chat
          .postEphemeral({
            channel: m.channel,
            user: m.user,
            thread_ts: m.thread_ts!,
            text: "This conversation is back with the bot, so your reply was not sent to the customer. It is kept in the escalation's history.",
          })
          .catch((err: Error) =>
            logger.warn({ err: err.message }, 'could not tell the person their reply was not sent'),
          );
      }
    } catch (err) {
      // Thrown, the event is not acknowledged and Slack retries it: the row's key makes the retry harmless.
      logger.error({ err, channel: m.channel, ts: m.ts }, 'could not record a Slack thread message');
      throw err;
    }
  });
}

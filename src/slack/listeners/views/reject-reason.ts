/** The Reject modal's submission: the reason is required and goes to the customer. */
import type { App } from '@slack/bolt';
import { AppError } from '../../../shared/errors.ts';
import { storableText } from '../../../shared/text.ts';
import { REJECT_BLOCK, REJECT_INPUT, VIEW_REJECT } from '../../blocks.ts';
import type { SlackDeps } from '../../deps.ts';

export function register(app: App, deps: SlackDeps) {
  const { requests, approvers, logger } = deps;
  app.view(VIEW_REJECT, async ({ ack, view, body, client }) => {
    const value: unknown = view.state?.values?.[REJECT_BLOCK]?.[REJECT_INPUT]?.value;
    // Slack's text, kept: only what PostgreSQL cannot store (a NUL, an unpaired surrogate) is cleaned away.
    const reason = typeof value === 'string' ? storableText(value).trim().slice(0, 2_000) : '';
    if (!reason) {
      await ack({ response_action: 'errors', errors: { [REJECT_BLOCK]: 'Please give the customer a reason.' } });
      return;
    }
    const userId = body.user.id;
    let r: Awaited<ReturnType<typeof requests.get>>;
    try {
      r = await requests.get(String(view.private_metadata ?? ''));
    } catch {
      await ack({ response_action: 'errors', errors: { [REJECT_BLOCK]: 'This request no longer exists.' } });
      return;
    }
    if (!requests.mayDecide(r, userId, approvers)) {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_BLOCK]: 'Only the account manager or a configured approver can decide.' },
      });
      return;
    }
    await ack();
    // After ack() the modal is gone: anything to say goes to the manager's DM.
    const tell = async (text: string) => {
      const dm = await client.conversations.open({ users: userId });
      if (dm.channel?.id) await client.chat.postMessage({ channel: dm.channel.id, text });
    };
    try {
      const out = await requests.decide(
        r.id,
        'reject',
        { id: userId, name: storableText(String(body.user.name ?? userId)), via: 'slack' },
        { reason, authorize: (x) => requests.mayDecide(x, userId, approvers) },
      );
      if (out.outcome === 'already_decided') {
        await tell(`${r.reference} was already ${out.request.status}; your rejection was not applied.`);
      }
    } catch (err) {
      logger.error({ err, requestId: r.id }, 'rejection failed');
      await tell(
        err instanceof AppError && err.expected
          ? `${r.reference} was not rejected: ${err.message}`
          : `Sorry, rejecting ${r.reference} failed on our side; nothing was changed. Please try again.`,
      ).catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'could not tell the manager'));
    }
  });
}

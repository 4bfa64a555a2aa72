/** Approve and Reject buttons on approval messages. ack() first; the decision runs after it. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { AppError } from '../../../shared/errors.ts';
import type { SlackDeps } from '../../app.ts';
import { ACTION_APPROVE, ACTION_REJECT, rejectModal } from '../../blocks.ts';

export function register(app: App, deps: SlackDeps) {
  const { requests, approvers, logger } = deps;

  const tell = async (body: BlockAction, client: App['client'], text: string) => {
    const channel = body.channel?.id ?? body.user.id;
    await client.chat.postEphemeral({ channel, user: body.user.id, text }).catch((err: Error) => {
      logger.warn({ err: err.message }, 'could not send an ephemeral message');
    });
  };

  app.action<BlockAction<ButtonAction>>(ACTION_APPROVE, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const r = await requests.get(action.value ?? '');
      if (!requests.mayDecide(r, userId, approvers)) {
        await tell(
          body,
          client,
          `Only the account manager${r.managerName ? ` (${r.managerName})` : ''} or a configured approver can decide ${r.reference}. Nothing was changed.`,
        );
        return;
      }
      const out = await requests.decide(
        r.id,
        'approve',
        { id: userId, name: body.user.name ?? userId, via: 'slack' },
        {
          authorize: (x) => requests.mayDecide(x, userId, approvers),
        },
      );
      if (out.outcome === 'already_decided') {
        await tell(
          body,
          client,
          `${r.reference} was already ${out.request.status}${out.request.decidedBy ? ` by ${out.request.decidedBy}` : ''}.`,
        );
      }
    } catch (err) {
      logger.error({ err, requestId: action.value }, 'approve failed');
      await tell(
        body,
        client,
        err instanceof AppError && err.expected ? err.message : 'Sorry, the approval failed; please try again.',
      );
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_REJECT, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const r = await requests.get(action.value ?? '');
      if (!requests.mayDecide(r, userId, approvers)) {
        await tell(
          body,
          client,
          `Only the account manager${r.managerName ? ` (${r.managerName})` : ''} or a configured approver can decide ${r.reference}. Nothing was changed.`,
        );
        return;
      }
      if (r.status !== 'pending') {
        await tell(body, client, `${r.reference} was already ${r.status}${r.decidedBy ? ` by ${r.decidedBy}` : ''}.`);
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(r) });
    } catch (err) {
      logger.error({ err, requestId: action.value }, 'reject failed');
      await tell(body, client, 'Sorry, the rejection form could not be opened; please try again.');
    }
  });
}

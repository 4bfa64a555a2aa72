/** Approve and Reject buttons on approval messages. ack() first; the decision runs after it. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { RequestView } from '../../../requests/request-service.ts';
import { AppError } from '../../../shared/errors.ts';
import { storableText } from '../../../shared/text.ts';
import { ACTION_APPROVE, ACTION_REJECT, rejectModal } from '../../blocks.ts';
import type { SlackDeps } from '../../deps.ts';

const alreadyDecided = (r: Pick<RequestView, 'reference' | 'status' | 'decidedBy'>) =>
  `${r.reference} was already ${r.status}${r.decidedBy ? ` by ${r.decidedBy}` : ''}.`;

export function register(app: App, deps: SlackDeps) {
  const { requests, approvers, logger } = deps;

  const tell = async (body: BlockAction, client: App['client'], text: string) => {
    const channel = body.channel?.id ?? body.user.id;
    await client.chat.postEphemeral({ channel, user: body.user.id, text }).catch((err: Error) => {
      logger.warn({ err: err.message }, 'could not send an ephemeral message');
    });
  };

  /**
   * The request behind a button, if the clicking user may decide it; otherwise they are told why and
   * nothing changes. Unexpected failures are logged and the user is asked to try again.
   */
  const handle = (verb: string, decide: (r: RequestView, body: BlockAction, client: App['client']) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>(
      verb === 'approve' ? ACTION_APPROVE : ACTION_REJECT,
      async ({ ack, body, action, client }) => {
        await ack();
        try {
          const r = await requests.get(typeof action.value === 'string' ? action.value : '');
          if (!requests.mayDecide(r, body.user.id, approvers)) {
            await tell(
              body,
              client,
              `Only the account manager${r.managerName ? ` (${r.managerName})` : ''} or a configured approver can decide ${r.reference}. Nothing was changed.`,
            );
            return;
          }
          await decide(r, body, client);
        } catch (err) {
          logger.error({ err, requestId: action.value }, `${verb} failed`);
          await tell(
            body,
            client,
            err instanceof AppError && err.expected ? err.message : `Sorry, the ${verb} failed; please try again.`,
          );
        }
      },
    );

  handle('approve', async (r, body, client) => {
    const userId = body.user.id;
    const out = await requests.decide(
      r.id,
      'approve',
      { id: userId, name: storableText(String(body.user.name ?? userId)), via: 'slack' },
      { authorize: (x) => requests.mayDecide(x, userId, approvers) },
    );
    if (out.outcome === 'already_decided') await tell(body, client, alreadyDecided(out.request));
  });

  handle('reject', async (r, body, client) => {
    if (r.status !== 'pending') {
      await tell(body, client, alreadyDecided(r));
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(r) });
  });
}

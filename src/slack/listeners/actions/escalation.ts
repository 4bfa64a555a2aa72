/** Claim / Hand back to the bot / Resolve on an escalation thread's root message. ack() first. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { EscalationView } from '../../../escalations/service.ts';
import { AppError } from '../../../shared/errors.ts';
import type { SlackDeps } from '../../deps.ts';
import { ACTION_CLAIM, ACTION_HAND_BACK, ACTION_RESOLVE } from '../../escalation-blocks.ts';

/**
 * Who may act on an escalation: the account's manager, a configured approver, the person holding it, or anyone
 * in the team channel the thread lives in (the escalation or support channel).
 */
export function mayHandle(e: EscalationView, userId: string, deps: SlackDeps): boolean {
  return (
    userId === e.managerSlackUserId ||
    userId === e.assigneeId ||
    deps.approvers.includes(userId) ||
    (!!e.slackChannel && (e.slackChannel === deps.supportChannel || e.slackChannel === deps.escalationChannel))
  );
}

export function register(app: App, deps: SlackDeps) {
  const { escalations, logger } = deps;

  const tell = async (body: BlockAction, client: App['client'], text: string) => {
    const channel = body.channel?.id ?? body.user.id;
    await client.chat.postEphemeral({ channel, user: body.user.id, text }).catch((err: Error) => {
      logger.warn({ err: err.message }, 'could not send an ephemeral message');
    });
  };

  const button = (
    actionId: string,
    verb: string,
    act: (e: EscalationView, agent: { id: string; name: string; via: 'slack' }) => Promise<string | null>,
  ) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      try {
        const e = await escalations.get(action.value ?? '');
        if (!mayHandle(e, body.user.id, deps)) {
          await tell(
            body,
            client,
            `Only the account manager${e.managerName ? ` (${e.managerName})` : ''}, the person holding it or a configured approver can ${verb} ${e.reference}. Nothing was changed.`,
          );
          return;
        }
        const name =
          body.user.id === e.managerSlackUserId && e.managerName ? e.managerName : (body.user.name ?? body.user.id);
        const said = await act(e, { id: body.user.id, name, via: 'slack' });
        if (said) await tell(body, client, said);
      } catch (err) {
        logger.error({ err, escalationId: action.value }, `${verb} failed`);
        await tell(
          body,
          client,
          err instanceof AppError && err.expected ? err.message : `Sorry, the ${verb} failed; please try again.`,
        );
      }
    });

  button(ACTION_CLAIM, 'claim', async (e, agent) => {
    const out = await escalations.claim(e.id, agent);
    return out.outcome === 'already'
      ? `${e.reference} is ${out.escalation.status === 'closed' ? 'closed' : `already held by ${out.escalation.assigneeName ?? 'someone'}`}.`
      : null;
  });
  button(ACTION_HAND_BACK, 'hand back', async (e, agent) => {
    const out = await escalations.close(e.id, 'handed_back', agent);
    return out.outcome === 'already' ? `${e.reference} was already back with the bot.` : null;
  });
  button(ACTION_RESOLVE, 'resolve', async (e, agent) => {
    const out = await escalations.close(e.id, 'resolved', agent);
    return out.outcome === 'already' ? `${e.reference} was already closed.` : null;
  });
}

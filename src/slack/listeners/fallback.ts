/**
 * What no listener of this app handles (a slash command other than /credits, a button or a modal of another version, a
 * shortcut, an options request) is acknowledged at once with a word for the person, so Slack never waits the
 * 3 seconds Bolt gives an unhandled request (which then answers 404). A global middleware: it lets the
 * requests the listeners know through.
 */
import type { AnyMiddlewareArgs, App, SlackAction } from '@slack/bolt';
import { ACTION_APPROVE, ACTION_REJECT, VIEW_REJECT } from '../blocks.ts';
import type { SlackDeps } from '../deps.ts';
import { ACTION_CLAIM, ACTION_HAND_BACK, ACTION_RESOLVE } from '../escalation-blocks.ts';
import { CREDITS_COMMAND } from './commands/credits.ts';

const KNOWN_ACTIONS = new Set([ACTION_APPROVE, ACTION_REJECT, ACTION_CLAIM, ACTION_HAND_BACK, ACTION_RESOLVE]);
const KNOWN_VIEWS = new Set([VIEW_REJECT]);

export const COMMAND_HELP =
  'This app knows one slash command: /credits <account name or id> (for account managers and approvers). Approval requests come to you as direct messages with Approve and Reject buttons, and wait in your App Home; without Slack, they are decided in the support console (/console).';
export const STALE_BUTTON =
  'That button is not one this app knows (it may come from an older message). Use the buttons on the request or escalation message, or the support console (/console).';

type Args = AnyMiddlewareArgs & { ack?: (response?: unknown) => Promise<void>; next: () => Promise<void> };

export function register(app: App, deps: SlackDeps) {
  const { logger } = deps;
  app.use(async (args) => {
    const { body, next } = args as Args;
    const ack = (args as Args).ack;
    const b = body as Record<string, unknown>;
    if (!ack) return next(); // events are acknowledged by Bolt itself
    if (typeof b.command === 'string') {
      if (b.command === CREDITS_COMMAND) return next();
      await ack({ response_type: 'ephemeral', text: COMMAND_HELP });
      return;
    }
    if (b.type === 'block_actions') {
      const actions = (b.actions as Array<{ action_id?: unknown }>) ?? [];
      if (actions.length > 0 && actions.every((a) => KNOWN_ACTIONS.has(String(a.action_id)))) return next();
      await ack();
      const respond = (args as { respond?: (m: unknown) => Promise<unknown> }).respond;
      const user = (b as unknown as SlackAction).user?.id;
      const channel = (b.channel as { id?: string } | null | undefined)?.id ?? user;
      const told = respond
        ? respond({ response_type: 'ephemeral', replace_original: false, text: STALE_BUTTON })
        : channel && user
          ? args.client.chat.postEphemeral({ channel, user, text: STALE_BUTTON })
          : Promise.resolve();
      await Promise.resolve(told).catch((err: Error) =>
        logger.warn({ err: err.message }, 'could not tell about an unknown button'),
      );
      return;
    }
    if (b.type === 'view_submission' || b.type === 'view_closed') {
      const callbackId = (b.view as { callback_id?: unknown } | undefined)?.callback_id;
      if (b.type === 'view_submission' && KNOWN_VIEWS.has(String(callbackId))) return next();
      await ack(); // closes the modal
      return;
    }
    if (b.type === 'block_suggestion' || b.name !== undefined) {
      await ack({ options: [] });
      return;
    }
    await ack(); // shortcuts, message actions, legacy attachments and dialogs: nothing of this app's
  });
}

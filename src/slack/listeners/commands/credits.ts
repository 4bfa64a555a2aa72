/**
 * `/credits <account name or id>`: the account's state, forecast and open items, for approvers and the account's
 * manager only (an ephemeral answer; strangers are told why not, without any lookup). Answered in the ack body
 * within Slack's 3 seconds; should the lookup take longer, the ack says so and the answer follows through
 * `respond` (the command's response_url).
 */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { accountsManagedBy, findAccounts } from '../../../accounts/lookup.ts';
import { storableText } from '../../../shared/text.ts';
import {
  accountAnswer,
  CREDITS_NOT_YOURS,
  CREDITS_REFUSED,
  creditsHelp,
  noAccount,
  type SlashAnswer,
  severalAccounts,
} from '../../credits-answer.ts';
import type { SlackDeps } from '../../deps.ts';
import { slackToPlain } from '../../text.ts';

export const CREDITS_COMMAND = '/credits';
/** How long the answer may take before the ack goes out without it (Slack waits 3 s for the ack). */
const ANSWER_BUDGET_MS = 2_000;

export function register(app: App, deps: SlackDeps) {
  const { db, logger } = deps;

  async function answer(command: SlashCommand): Promise<SlashAnswer> {
    const user = command.user_id;
    const approver = deps.approvers.includes(user);
    const managed = approver ? [] : await accountsManagedBy(db, user);
    if (!approver && managed.length === 0) return { response_type: 'ephemeral', text: CREDITS_REFUSED };
    // Slack escapes &, < and > in a command's text; names are searched as people typed them.
    const query = slackToPlain(storableText(command.text ?? ''))
      .trim()
      .replace(/^["“'`]+|["”'`]+$/g, '')
      .trim();
    if (!query) return creditsHelp(approver ? await accountsManagedBy(db, user) : managed);
    let matches = await findAccounts(db, query, approver ? {} : { managedBy: user });
    if (matches.length === 0 && !approver && (await findAccounts(db, query, { limit: 1 })).length > 0) {
      return { response_type: 'ephemeral', text: CREDITS_NOT_YOURS };
    }
    if (matches.length === 0) return noAccount(query);
    if (matches.length > 1) {
      const exact = matches.filter((m) => m.name.toLowerCase() === query.toLowerCase());
      if (exact.length !== 1) return severalAccounts(query, matches);
      matches = exact;
    }
    const account = matches[0]!;
    const state = await deps.credits.getState(account.id);
    const [forecast, pending, escalations] = await Promise.all([
      deps.credits.forecast(account.id, 7, state),
      deps.requests.list({ accountId: account.id, status: 'pending', limit: 50 }),
      deps.escalations.list({ accountId: account.id, status: 'active', limit: 50 }),
    ]);
    return accountAnswer({
      account,
      state,
      forecast,
      pending,
      escalations,
      consoleUrl: `${deps.publicUrl}/console/accounts/${encodeURIComponent(account.id)}`,
      now: new Date(),
    });
  }

  app.command(CREDITS_COMMAND, async ({ command, ack, respond }) => {
    const work = answer(command);
    const failed = (err: unknown): SlashAnswer => {
      logger.error({ err }, '/credits failed');
      return { response_type: 'ephemeral', text: 'Sorry, /credits could not answer just now; please try again.' };
    };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ANSWER_BUDGET_MS);
    });
    const first = await Promise.race([work.catch(failed), late]);
    clearTimeout(timer);
    if (first) {
      await ack(first);
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Looking the account up…' });
    // Not awaited: the ack goes out now; the answer follows through the response_url.
    void work
      .catch(failed)
      .then((a) => (respond as RespondFn)({ ...a, replace_original: true }))
      .catch((err: Error) => logger.warn({ err: err.message }, 'could not send the /credits answer'));
  });
}

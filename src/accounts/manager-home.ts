/**
 * The Slack App Home of the people who look after an account (src/slack/jobs/home.ts publishes it). The domain
 * asks for it to be published again in the transaction of every change that shows there: one job per person and
 * change, keyed, so a retried transaction or a repeated click asks once.
 */
import type { Tx } from '../infra/db.ts';
import { enqueueMany } from '../jobs/outbox.ts';

/** What a Slack user id looks like (an operator's email never does). */
export const isSlackUserId = (id: string | null | undefined): id is string => !!id && /^[UW][A-Z0-9]{2,31}$/.test(id);

/**
 * Asks for the Home tab of the account's manager (and of `others`, Slack users such as the person holding an
 * escalation) to be published again. `change` names the change (`req_<id>_decided`): the job key.
 */
export async function refreshHomes(
  tx: Pick<Tx, 'sql'>,
  accountId: string,
  change: string,
  others: ReadonlyArray<string | null | undefined> = [],
): Promise<void> {
  const { rows } = await tx.sql<{ manager: string | null }>(
    'SELECT manager_slack_user_id AS manager FROM account WHERE id = $1',
    [accountId],
  );
  await refreshHomesOf(tx, [rows[0]?.manager, ...others], change);
}

/** The same for people named directly. */
export async function refreshHomesOf(
  tx: Pick<Tx, 'sql'>,
  users: ReadonlyArray<string | null | undefined>,
  change: string,
): Promise<void> {
  const people = [...new Set(users.filter(isSlackUserId))];
  await enqueueMany(
    tx,
    'v1.slack.publish-home',
    people.map((slackUserId) => ({ payload: { slackUserId }, key: `${slackUserId}__${change}` })),
  );
}

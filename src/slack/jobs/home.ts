/**
 * A person's App Home (views.publish): what they look after, with the buttons of the messages. Published when
 * they open the tab and whenever something in it changes (the domain enqueues one job per person and change).
 * Two jobs for one person may run at once: each publishes, reads again and publishes once more if the view
 * changed meanwhile, so the last view published is the current one.
 */
import type { JobHandlers } from '../../jobs/worker.ts';
import { homeView } from '../home-blocks.ts';
import { slackCall } from '../web-api.ts';
import type { SlackJobDeps } from './deps.ts';

/** Items a Home tab reads (more are counted, not shown: see home-blocks.ts). */
const READ_LIMIT = 200;

export function homeJobHandlers(deps: SlackJobDeps): Pick<JobHandlers, 'v1.slack.publish-home'> {
  const { requests, escalations, credits } = deps;

  async function build(slackUserId: string) {
    const [managed, assigned, held] = await Promise.all([
      requests.list({ status: 'pending', managerSlackUserId: slackUserId, limit: READ_LIMIT }),
      requests.list({ status: 'pending', assigneeId: slackUserId, limit: READ_LIMIT }),
      escalations.list({ status: 'active', forSlackUser: slackUserId, limit: READ_LIMIT }),
    ]);
    const byId = new Map([...managed, ...assigned].map((r) => [r.id, r]));
    // Oldest deadline first: what is due soonest is on top.
    const pending = [...byId.values()].sort((a, b) => a.slaDueAt.localeCompare(b.slaDueAt));
    const active = held.sort((a, b) =>
      a.status === b.status ? a.slaDueAt.localeCompare(b.slaDueAt) : a.status === 'open' ? -1 : 1,
    );
    const zones = new Map<string, string>();
    for (const accountId of new Set([...pending, ...active].map((x) => x.accountId))) {
      zones.set(accountId, (await credits.profile(accountId).catch(() => null))?.timeZone ?? 'UTC');
    }
    return homeView({
      requests: pending,
      escalations: active,
      timeZoneOf: (id) => zones.get(id) ?? 'UTC',
      consoleUrl: `${deps.publicUrl}/console`,
      now: new Date(),
    });
  }

  /** What decides whether two views differ (not the time stamp in the intro). */
  const content = (v: Awaited<ReturnType<typeof build>>) => JSON.stringify(v.blocks.slice(2));

  return {
    async 'v1.slack.publish-home'({ slackUserId }) {
      if (!deps.slack) return { skipped: 'Slack is not configured' };
      const client = deps.slack.client;
      let view = await build(slackUserId);
      for (let round = 1; round <= 3; round++) {
        await slackCall(client.views.publish({ user_id: slackUserId, view }));
        const now = await build(slackUserId);
        if (content(now) === content(view)) return { published: view.blocks.length, rounds: round };
        view = now;
      }
      return { published: view.blocks.length, rounds: 3 };
    },
  };
}

/**
 * `app_home_opened`: the person's Home tab is published by a job (src/slack/jobs/home.ts), so the event is
 * acknowledged at once and a slow Slack never makes it retry. Keyed by the event id: a retry asks once.
 */
import type { App } from '@slack/bolt';
import { refreshHomesOf } from '../../../accounts/manager-home.ts';
import type { SlackDeps } from '../../deps.ts';

export function register(app: App, deps: SlackDeps) {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab && event.tab !== 'home') return; // the Messages tab has nothing to publish
    const eventId = (body as { event_id?: unknown }).event_id;
    const key = `opened_${typeof eventId === 'string' && /^[A-Za-z0-9]{1,40}$/.test(eventId) ? eventId : event.event_ts}`;
    await refreshHomesOf(deps.db, [event.user], key.replaceAll('.', '_'));
  });
}

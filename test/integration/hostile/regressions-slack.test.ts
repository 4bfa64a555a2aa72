/**
 * Regression tests for the Slack findings of the hostile-input review, through the real /slack/events
 * endpoint (Bolt behind the app's edge), PostgreSQL, Redis, and the Slack stand-in for the Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDITS_REFUSED } from '../../../src/slack/credits-answer.ts';
import { COMMAND_HELP, STALE_BUTTON } from '../../../src/slack/listeners/fallback.ts';
import {
  confirmPurchase,
  customer,
  MANAGER,
  type RequestsRig,
  SIGNING_SECRET,
  startRequestsRig,
} from '../../helpers/requests.ts';
import { blockActionPayload, formBody, postToBolt, viewSubmissionPayload } from '../../standins/slack.ts';

let rig: RequestsRig;
beforeAll(async () => {
  rig = await startRequestsRig();
});
afterAll(async () => {
  await rig?.close();
});

const events = () => `${rig.app.url}/slack/events`;
const timed = async <T>(fn: () => Promise<T>) => {
  const t0 = Date.now();
  const out = await fn();
  return { out, ms: Date.now() - t0 };
};

describe('signed bodies Bolt cannot use are a 400, never a 500', () => {
  it.each([
    ['null', 'null', 'application/json'],
    ['an array', '[]', 'application/json'],
    ['a string', '"x"', 'application/json'],
    ['an empty object', '{}', 'application/json'],
    ['garbage', '{"type":', 'application/json'],
    ['an event that is null', '{"type":"event_callback","event":null}', 'application/json'],
    ['an event that is a string', '{"type":"event_callback","event":"x"}', 'application/json'],
    [
      'actions that are not a list',
      JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: 5 }),
      'application/json',
    ],
    [
      'an action without a user',
      JSON.stringify({ type: 'block_actions', actions: [{ action_id: 'request_approve' }] }),
      'application/json',
    ],
    [
      'an action whose channel is null (found by the property run)',
      JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, channel: null, actions: [{ action_id: 'x' }] }),
      'application/json',
    ],
    [
      'a view submission without a view',
      JSON.stringify({ type: 'view_submission', user: { id: 'U1' } }),
      'application/json',
    ],
    ['a form payload of null', formBody(null), 'application/x-www-form-urlencoded'],
    ['a form without a payload or command', 'a=1&b=2', 'application/x-www-form-urlencoded'],
    ['a form with a repeated field', 'command=%2Fx&command=%2Fy', 'application/x-www-form-urlencoded'],
  ] as const)('%s', async (_name, body, contentType) => {
    const r = await postToBolt(events(), SIGNING_SECRET, { body, contentType });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error.code).toBe('bad_request');
  });

  it('an unsigned or forged request stays a 401 whatever its body', async () => {
    const forged = await postToBolt(events(), SIGNING_SECRET, { body: 'null', signWith: 'nope' });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(events(), {
      method: 'POST',
      body: 'null',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
  });
});

describe('timestamps more than 5 minutes away are refused, in the past and in the future', () => {
  const payload = () =>
    formBody(
      blockActionPayload({
        userId: 'U0NOBODY1',
        actionId: 'some_other_action',
        value: 'x',
        channelId: 'C0X',
        messageTs: '1.2',
      }),
    );
  it.each([
    ['6 minutes in the future', 6 * 60, 401],
    ['a day in the future', 86_400, 401],
    ['6 minutes ago', -6 * 60, 401],
    ['4 minutes in the future', 4 * 60, 200],
    ['4 minutes ago', -4 * 60, 200],
  ] as const)('%s: %i', async (_name, offset, status) => {
    const r = await postToBolt(events(), SIGNING_SECRET, {
      body: payload(),
      timestamp: Math.floor(Date.now() / 1000) + offset,
    });
    expect(r.status).toBe(status);
  });
});

describe('what no listener handles is acknowledged at once, with a helpful answer', () => {
  it('a slash command other than /credits: acked within a second with an ephemeral explanation', async () => {
    const { out: r, ms } = await timed(() =>
      postToBolt(events(), SIGNING_SECRET, {
        body: new URLSearchParams({
          command: '/approve-everything',
          text: 'approve all',
          user_id: 'U0SOMEONE1',
          channel_id: 'C0X',
          team_id: 'T0STANDIN',
          response_url: rig.slack.responseUrl(),
          trigger_id: '1.2.3',
        }).toString(),
      }),
    );
    expect(r.status).toBe(200);
    expect(ms).toBeLessThan(1_000);
    expect(JSON.parse(r.text)).toEqual({ response_type: 'ephemeral', text: COMMAND_HELP });
  });

  it('/credits from someone who is neither an approver nor a manager: refused within a second', async () => {
    const { out: r, ms } = await timed(() =>
      postToBolt(events(), SIGNING_SECRET, {
        body: new URLSearchParams({
          command: '/credits',
          text: 'approve all',
          user_id: 'U0SOMEONE1',
          channel_id: 'C0X',
          team_id: 'T0STANDIN',
          response_url: rig.slack.responseUrl(),
          trigger_id: '1.2.3',
        }).toString(),
      }),
    );
    expect(r.status).toBe(200);
    expect(ms).toBeLessThan(1_000);
    expect(JSON.parse(r.text)).toEqual({ response_type: 'ephemeral', text: CREDITS_REFUSED });
  });

  it('an unknown button: acked within a second, and the person is told in an ephemeral', async () => {
    const responseUrl = rig.slack.responseUrl({ channel: 'C0X', user: 'U0SOMEONE1' });
    const { out: r, ms } = await timed(() =>
      postToBolt(events(), SIGNING_SECRET, {
        body: blockActionPayload({
          userId: 'U0SOMEONE1',
          actionId: 'old_button_v0',
          value: 'whatever',
          channelId: 'C0X',
          messageTs: '1.2',
          responseUrl,
        }),
      }),
    );
    expect(r.status).toBe(200);
    expect(ms).toBeLessThan(1_000);
    const [told] = await rig.slack.waitFor((c) => c.method === 'response_url', 5_000);
    expect(told!.body.text).toBe(STALE_BUTTON);
  });

  it('an unknown modal, a shortcut and an options request: acked within a second', async () => {
    const bodies = [
      viewSubmissionPayload({ userId: 'U0SOMEONE1', callbackId: 'other_modal', privateMetadata: '', values: {} }),
      {
        type: 'shortcut',
        callback_id: 'x',
        trigger_id: '1.2.3',
        user: { id: 'U0SOMEONE1' },
        team: { id: 'T0STANDIN' },
      },
      { type: 'block_suggestion', action_id: 'x', block_id: 'y', value: 'a', user: { id: 'U0SOMEONE1' }, team: null },
    ];
    for (const body of bodies) {
      const { out: r, ms } = await timed(() => postToBolt(events(), SIGNING_SECRET, { body }));
      expect(r.status).toBe(200);
      expect(ms).toBeLessThan(1_000);
    }
  });

  it('an Approve click is acked at once and decided when the Slack API has not answered since the start', async () => {
    const down = await startRequestsRig({}, { slackUnreachable: true });
    try {
      const { acc, chat } = await customer(down);
      await confirmPurchase(chat, 300);
      const { rows } = await down.app.services.db.sql<{ id: string }>(
        'SELECT id FROM change_request WHERE account_id = $1',
        [acc.id],
      );
      const body = blockActionPayload({
        userId: MANAGER,
        actionId: 'request_approve',
        value: rows[0]!.id,
        channelId: down.slack.dmChannelFor(MANAGER),
        messageTs: '1.2',
      });
      const { out: r, ms } = await timed(() => postToBolt(`${down.app.url}/slack/events`, SIGNING_SECRET, { body }));
      expect(r.status).toBe(200);
      expect(ms).toBeLessThan(1_000);
      const deadline = Date.now() + 5_000;
      let status = '';
      while (Date.now() < deadline && status !== 'approved') {
        const s = await down.app.services.db.sql<{ status: string }>(
          'SELECT status::text FROM change_request WHERE account_id = $1',
          [acc.id],
        );
        status = s.rows[0]?.status ?? '';
        await new Promise((x) => setTimeout(x, 50));
      }
      expect(status).toBe('approved');
    } finally {
      await down.close();
    }
  }, 30_000);
});

/** The App Home's Block Kit: within Slack's 100 blocks whatever is waiting, names as text, the messages' buttons. */
import { describe, expect, it } from 'vitest';
import type { EscalationView } from '../../../src/escalations/service.ts';
import type { RequestView } from '../../../src/requests/request-service.ts';
import { homeShares, homeView, MAX_HOME_BLOCKS } from '../../../src/slack/home-blocks.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const now = new Date('2026-12-06T10:00:00Z');

const request = (n: number, over: Partial<RequestView> = {}): RequestView => ({
  id: uuid(n),
  reference: `R-${String(n).padStart(6, '0')}`,
  accountId: `acc_${n}`,
  accountName: `Account ${n}`,
  requesterUserId: `usr_${n}`,
  requesterName: `User ${n}`,
  conversationId: null,
  kind: 'buy_credits',
  status: 'pending',
  credits: 1_000 + n,
  packId: null,
  targetPlan: null,
  targetPlanName: null,
  currentPlan: {
    name: 'Growth',
    monthlyCredits: 10_000,
    price: { amount: 44_900, currency: 'EUR' },
    identities: 5,
    conversationsPerIdentity: 500,
  },
  price: { amount: 4_490, currency: 'EUR' },
  effective: null,
  slaDueAt: n % 2 ? '2026-12-06T09:00:00.000Z' : '2026-12-06T12:00:00.000Z',
  slaRemindedAt: null,
  slackChannel: null,
  slackTs: null,
  managerSlackUserId: 'U0MANAGER01',
  managerName: 'Carla',
  assigneeId: null,
  assigneeName: null,
  assignedAt: null,
  assignedBy: null,
  createdAt: '2026-12-06T08:00:00.000Z',
  decidedAt: null,
  decidedBy: null,
  deciderId: null,
  decidedVia: null,
  reason: null,
  ...over,
});

const escalation = (n: number, over: Partial<EscalationView> = {}): EscalationView => ({
  id: uuid(1_000 + n),
  reference: `E-${String(n).padStart(6, '0')}`,
  accountId: `acc_${n}`,
  accountName: `Account ${n}`,
  userId: `usr_${n}`,
  customerName: `Customer ${n}`,
  conversationId: `conv_${n}`,
  reason: 'asked_for_person',
  trigger: 'a person please',
  status: n % 2 ? 'open' : 'claimed',
  outcome: null,
  slackChannel: null,
  slackThreadTs: null,
  assigneeId: n % 2 ? null : 'U0MANAGER01',
  assigneeName: n % 2 ? null : 'Carla',
  managerSlackUserId: 'U0MANAGER01',
  managerName: 'Carla',
  slaDueAt: '2026-12-06T11:00:00.000Z',
  slaBreachedAt: null,
  createdAt: '2026-12-06T08:00:00.000Z',
  claimedAt: null,
  closedAt: null,
  closedBy: null,
  ...over,
});

const input = (requests: RequestView[], escalations: EscalationView[]) => ({
  requests,
  escalations,
  timeZoneOf: () => 'Europe/Madrid',
  consoleUrl: 'https://support.example.com/console',
  now,
});

type Block = { type: string; elements?: Array<{ action_id?: string; value?: string }> };

describe('App Home blocks', () => {
  it.each([
    [0, 0],
    [1, 0],
    [0, 1],
    [46, 0],
    [47, 0],
    [0, 80],
    [80, 80],
    [300, 5],
    [5, 300],
  ])('%i requests and %i escalations fit in 100 blocks, the rest counted', (r, e) => {
    const view = homeView(
      input(
        Array.from({ length: r }, (_, i) => request(i)),
        Array.from({ length: e }, (_, i) => escalation(i)),
      ),
    );
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(MAX_HOME_BLOCKS);
    const [shownR, shownE] = homeShares(r, e);
    const actions = view.blocks.filter((b) => b.type === 'actions') as Block[];
    expect(actions).toHaveLength(shownR + shownE);
    const text = JSON.stringify(view.blocks);
    if (r > shownR) expect(text).toContain(`…and ${r - shownR} more pending requests`);
    if (e > shownE) expect(text).toContain(`…and ${e - shownE} more escalations`);
    if (r === 0) expect(text).toContain('Nothing is waiting for your decision');
    if (e > 0 && r > 0) expect(shownE).toBeGreaterThanOrEqual(Math.min(e, 23));
  });

  it("carries the messages' buttons with the same action ids and values", () => {
    const view = homeView(input([request(1)], [escalation(1), escalation(2)]));
    const elements = (view.blocks as Block[]).flatMap((b) => b.elements ?? []);
    expect(elements.filter((x) => x.action_id).map((x) => `${x.action_id}:${x.value}`)).toEqual([
      `request_approve:${uuid(1)}`,
      `request_reject:${uuid(1)}`,
      `escalation_claim:${uuid(1_001)}`,
      `escalation_hand_back:${uuid(1_001)}`,
      `escalation_resolve:${uuid(1_001)}`,
      `escalation_hand_back:${uuid(1_002)}`, // claimed: no Claim
      `escalation_resolve:${uuid(1_002)}`,
    ]);
  });

  it('shows names as text (no mentions, links or formatting) and dates in the account time zone', () => {
    const hostile = '<!channel> *bold* _it_ <https://evil.example|click> & co';
    const view = homeView(
      input(
        [request(1, { accountName: hostile, requesterName: hostile })],
        [escalation(1, { customerName: hostile, accountName: hostile, trigger: hostile })],
      ),
    );
    const text = JSON.stringify(view.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example');
    expect(text).not.toContain('*bold*');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp; co');
    expect(text).toContain('10:00 CET'); // 09:00 UTC in Madrid
    expect(text).toContain('overdue');
  });
});

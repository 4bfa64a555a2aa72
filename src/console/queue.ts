/**
 * The support team's one queue: requests and escalations together, each with its status, its age against its
 * SLA, who has it and the account; filtered (status, kind, account, manager, overdue, assignee) and searched
 * (customer, account, reference) in one query over both tables. Rendered escaped by construction; every form
 * carries the session's CSRF token and brings the operator back to the same filtered view.
 */
import { escalationReference } from '../escalations/service.ts';
import type { Db } from '../infra/db.ts';
import { formatter } from '../locale/format.ts';
import { referenceOf } from '../requests/request-service.ts';
import { isStorable } from '../shared/text.ts';
import type { ConsoleSession } from './auth.ts';
import { esc } from './html.ts';
import { csrfField, duration, type Person, personSelect, when } from './pages.ts';

export const STATUSES = {
  open: 'Open (waiting on support)',
  done: 'Done',
  all: 'All',
  pending: 'Requests: pending',
  approved: 'Requests: approved',
  rejected: 'Requests: rejected',
  cancelled: 'Requests: cancelled',
  waiting: 'Escalations: waiting for a person',
  claimed: 'Escalations: held by someone',
  closed: 'Escalations: closed',
} as const;
export type StatusFilter = keyof typeof STATUSES;

export interface QueueFilter {
  status: StatusFilter;
  kind: 'request' | 'escalation' | null;
  account: string | null;
  manager: string | null;
  overdue: boolean;
  /** 'me' (the operator), 'none' (nobody), or a person's id */
  assignee: string | null;
  q: string | null;
}

/** A filter's value: text PostgreSQL can hold (anything else filters nothing), at most `max` characters. */
const str = (v: unknown, max = 200) =>
  typeof v === 'string' && v.trim() && isStorable(v) ? [...v.trim()].slice(0, max).join('') : null;

/** The filter a query string asks for; anything unknown falls back to the default (the open queue). */
export function parseFilter(query: Record<string, unknown>): QueueFilter {
  const status = str(query.status);
  const kind = str(query.kind);
  return {
    status: status && status in STATUSES ? (status as StatusFilter) : 'open',
    kind: kind === 'request' || kind === 'escalation' ? kind : null,
    account: str(query.account),
    manager: str(query.manager),
    overdue: query.overdue === '1' || query.overdue === 'on',
    assignee: str(query.assignee, 320),
    q: str(query.q),
  };
}

export interface QueueItem {
  kind: 'request' | 'escalation';
  id: string;
  reference: string;
  status: string;
  open: boolean;
  overdue: boolean;
  accountId: string;
  accountName: string;
  timeZone: string;
  managerSlackUserId: string | null;
  managerName: string | null;
  userId: string;
  customerName: string;
  conversationId: string | null;
  createdAt: Date;
  slaDueAt: Date;
  assigneeId: string | null;
  assigneeName: string | null;
  doneAt: Date | null;
  /** when the SLA's clock stopped: a request decided, an escalation claimed */
  pickedAt: Date | null;
  doneBy: string | null;
  /** a rejection's reason, or how an escalation ended */
  doneNote: string | null;
  /** request: its kind; escalation: the reason */
  detail: string;
  credits: number | null;
  priceAmount: number | null;
  priceCurrency: string | null;
  currentPlan: string | null;
  targetPlan: string | null;
  effective: string | null;
  trigger: string | null;
}

const ITEMS = `
  SELECT 'request' AS kind, r.id::text AS id, r.status::text AS status, (r.status = 'pending') AS open,
         (r.status = 'pending' AND r.sla_due_at < $1) AS overdue, r.account_id, r.requester_user_id AS user_id,
         r.conversation_id, r.created_at, r.sla_due_at, r.assignee_id, r.assignee_name,
         COALESCE(d.decided_at, CASE WHEN r.status = 'cancelled' THEN r.updated_at END) AS done_at,
         COALESCE(d.decider_name, d.decider_id) AS done_by, d.reason AS done_note, r.kind::text AS detail,
         r.credits, r.price_amount, r.price_currency, r.current_plan->>'name' AS current_plan,
         r.target_plan->>'name' AS target_plan, r.effective, NULL::text AS trigger, d.decided_at AS picked_at
    FROM change_request r LEFT JOIN request_decision d ON d.request_id = r.id
  UNION ALL
  SELECT 'escalation', e.id::text, e.status::text, (e.status <> 'closed'), (e.status = 'open' AND e.sla_due_at < $1),
         e.account_id, e.user_id, e.conversation_id, e.created_at, e.sla_due_at, e.assignee_id, e.assignee_name,
         e.closed_at, e.closed_by, e.outcome, e.reason, NULL, NULL, NULL, NULL, NULL, NULL, e.trigger, e.claimed_at
    FROM escalation e`;

/** `%`, `_` and `\` typed in a search mean themselves. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The items the filter selects: what is open and overdue first, then by deadline; done ones newest first. */
export async function queueItems(
  db: Db,
  filter: QueueFilter,
  ctx: { now: Date; operatorId: string; limit?: number },
): Promise<{ items: QueueItem[]; more: boolean }> {
  const params: unknown[] = [ctx.now];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  const byStatus: Record<StatusFilter, string | null> = {
    open: 'i.open',
    done: 'NOT i.open',
    all: null,
    pending: `i.kind = 'request' AND i.status = 'pending'`,
    approved: `i.kind = 'request' AND i.status = 'approved'`,
    rejected: `i.kind = 'request' AND i.status = 'rejected'`,
    cancelled: `i.kind = 'request' AND i.status = 'cancelled'`,
    waiting: `i.kind = 'escalation' AND i.status = 'open'`,
    claimed: `i.kind = 'escalation' AND i.status = 'claimed'`,
    closed: `i.kind = 'escalation' AND i.status = 'closed'`,
  };
  if (byStatus[filter.status]) where.push(byStatus[filter.status]!);
  if (filter.kind) where.push(`i.kind = ${p(filter.kind)}`);
  if (filter.account) where.push(`i.account_id = ${p(filter.account)}`);
  if (filter.manager)
    where.push(
      filter.manager === 'none'
        ? 'a.manager_slack_user_id IS NULL'
        : `(a.manager_slack_user_id = ${p(filter.manager)} OR lower(a.manager_name) = lower(${p(filter.manager)}))`,
    );
  if (filter.overdue) where.push('i.overdue');
  if (filter.assignee === 'none') where.push('i.assignee_id IS NULL');
  else if (filter.assignee)
    where.push(`i.assignee_id = ${p(filter.assignee === 'me' ? ctx.operatorId : filter.assignee)}`);
  if (filter.q) {
    const q = filter.q;
    const like = p(`%${likeLiteral(q)}%`);
    const ors = [`u.name ILIKE ${like}`, `a.name ILIKE ${like}`, `a.id ILIKE ${like}`, `i.user_id = ${p(q)}`];
    // A reference (R-1A2B3C, E-9F8E7D) is the start of the id; a whole id matches too.
    const ref = /^([RE])-?([0-9a-f]{4,32})$/i.exec(q.replaceAll(' ', ''));
    if (ref)
      ors.push(
        `(i.kind = ${p(ref[1]!.toUpperCase() === 'R' ? 'request' : 'escalation')} AND replace(i.id, '-', '') LIKE ${p(`${ref[2]!.toLowerCase()}%`)})`,
      );
    if (/^[0-9a-f-]{36}$/i.test(q)) ors.push(`i.id = ${p(q.toLowerCase())}`);
    where.push(`(${ors.join(' OR ')})`);
  }
  const limit = Math.min(ctx.limit ?? 200, 500);
  const { rows } = await db.sql<Record<string, unknown>>(
    `SELECT i.*, a.name AS account_name, a.time_zone, a.manager_slack_user_id, a.manager_name, u.name AS customer_name
       FROM (${ITEMS}) i
       JOIN account a ON a.id = i.account_id
       LEFT JOIN platform_user u ON u.id = i.user_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY i.open DESC, i.overdue DESC, CASE WHEN i.open THEN i.sla_due_at END ASC,
               COALESCE(i.done_at, i.created_at) DESC, i.id
      LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit).map((r): QueueItem => {
    const kind = r.kind as QueueItem['kind'];
    const id = String(r.id);
    return {
      kind,
      id,
      reference: kind === 'request' ? referenceOf(id) : escalationReference(id),
      status: String(r.status),
      open: Boolean(r.open),
      overdue: Boolean(r.overdue),
      accountId: String(r.account_id),
      accountName: String(r.account_name),
      timeZone: String(r.time_zone ?? 'UTC'),
      managerSlackUserId: (r.manager_slack_user_id as string | null) ?? null,
      managerName: (r.manager_name as string | null) ?? null,
      userId: String(r.user_id),
      customerName: (r.customer_name as string | null) ?? String(r.user_id),
      conversationId: (r.conversation_id as string | null) ?? null,
      createdAt: r.created_at as Date,
      slaDueAt: r.sla_due_at as Date,
      assigneeId: (r.assignee_id as string | null) ?? null,
      assigneeName: (r.assignee_name as string | null) ?? null,
      doneAt: (r.done_at as Date | null) ?? null,
      pickedAt: (r.picked_at as Date | null) ?? null,
      doneBy: (r.done_by as string | null) ?? null,
      doneNote: (r.done_note as string | null) ?? null,
      detail: String(r.detail),
      credits: (r.credits as number | null) ?? null,
      priceAmount: (r.price_amount as number | null) ?? null,
      priceCurrency: (r.price_currency as string | null) ?? null,
      currentPlan: (r.current_plan as string | null) ?? null,
      targetPlan: (r.target_plan as string | null) ?? null,
      effective: (r.effective as string | null) ?? null,
      trigger: (r.trigger as string | null) ?? null,
    };
  });
  return { items, more: rows.length > limit };
}

export const REASONS: Record<string, string> = {
  asked_for_person: 'Asked for a person',
  refund_or_dispute: 'Refund or disputed charge',
  invoice: 'Invoice or billing',
  carryover_exception: 'Carry-over exception',
  custom_offer: 'Custom offer',
  misunderstood: 'Not understood twice',
  frustration: 'Frustrated',
};

const OUTCOMES: Record<string, string> = {
  resolved: 'resolved',
  handed_back: 'handed back to the bot',
  customer_left: 'customer went back to the bot',
};

/** What the item is about, in a line (escaped). */
export function whatHtml(x: QueueItem): string {
  if (x.kind === 'escalation')
    return `${esc(REASONS[x.detail] ?? x.detail)}${x.trigger ? `<br><span class="muted">“${esc(x.trigger.slice(0, 140))}”</span>` : ''}`;
  const f = formatter('en', x.timeZone);
  if (x.detail === 'buy_credits')
    return `Buy ${esc(f.credits(x.credits ?? 0))} · ${esc(f.money(x.priceAmount ?? 0, x.priceCurrency ?? 'EUR'))}`;
  return `Plan ${esc(x.currentPlan ?? '?')} → ${esc(x.targetPlan ?? '?')}${x.effective ? ` (${x.effective === 'immediate' ? 'on approval' : 'next top-up'})` : ''}`;
}

export function statusHtml(x: QueueItem): string {
  if (x.kind === 'request') {
    if (x.status === 'pending') return 'pending';
    return `${esc(x.status)}${x.doneBy ? ` by ${esc(x.doneBy)}` : ''}${x.doneNote ? `<br><span class="muted">${esc(x.doneNote.slice(0, 140))}</span>` : ''}`;
  }
  if (x.status === 'open') return 'waiting for a person';
  if (x.status === 'claimed') return `held by ${esc(x.assigneeName ?? 'someone')}`;
  return `${esc(OUTCOMES[x.doneNote ?? ''] ?? 'closed')}${x.doneBy && x.doneNote !== 'customer_left' ? ` by ${esc(x.doneBy)}` : ''}`;
}

/** Age, and the SLA: due in, overdue by, or met. */
export function slaHtml(x: QueueItem, now: Date): string {
  const age = `age ${duration(now.getTime() - x.createdAt.getTime())}`;
  const due = x.slaDueAt.getTime() - now.getTime();
  const deadline = `<span class="muted">${x.kind === 'request' ? 'decide' : 'pick up'} by ${esc(when(x.slaDueAt, x.timeZone))}</span>`;
  if (x.open && !x.pickedAt) {
    return x.overdue
      ? `<span class="overdue">${age} · overdue by ${duration(-due)}</span><br>${deadline}`
      : `${age} · due in ${duration(due)}<br>${deadline}`;
  }
  const met = x.pickedAt
    ? x.pickedAt.getTime() <= x.slaDueAt.getTime()
      ? ' · SLA met'
      : ` · SLA missed by ${duration(x.pickedAt.getTime() - x.slaDueAt.getTime())}`
    : '';
  return `${age}${met}<br>${deadline}`;
}

export interface RowContext {
  session: ConsoleSession;
  now: Date;
  people: Person[];
  /** the hidden `back` field of the current page */
  back: string;
}

/** Claim, reassign and the decision forms of an open item. */
function actionsHtml(x: QueueItem, c: RowContext): string {
  const csrf = csrfField(c.session) + c.back;
  const base = x.kind === 'request' ? `/console/requests/${esc(x.id)}` : `/console/escalations/${esc(x.id)}`;
  if (!x.open) return `<a href="${base}/trail">Audit trail</a>`;
  const mine = x.assigneeId === c.session.operator.email;
  const claim =
    mine || (x.kind === 'escalation' && x.status === 'claimed')
      ? ''
      : `<form method="post" action="${base}/claim">${csrf}<button type="submit">Claim</button></form>`;
  const reassign = `<form method="post" action="${base}/${x.kind === 'request' ? 'assign' : 'reassign'}">${csrf}${personSelect(
    c.people,
    x.assigneeId,
    { allowNone: x.kind === 'request' },
  )}<button type="submit">${x.kind === 'request' || x.status === 'open' ? 'Assign' : 'Reassign'}</button></form>`;
  const decide =
    x.kind === 'request'
      ? `<form method="post" action="${base}/approve">${csrf}<button class="primary" type="submit">Approve</button></form>
         <form method="post" action="${base}/reject">${csrf}<input name="reason" placeholder="Reason for the customer" required maxlength="500" aria-label="Reason"><button class="danger" type="submit">Reject</button></form>`
      : `<a href="${base}">Reply to ${esc(x.customerName)}</a>`;
  return `<div class="row-forms">${decide}${claim}${reassign}<a href="${base}/trail">Audit trail</a></div>`;
}

function rowHtml(x: QueueItem, c: RowContext): string {
  const first =
    x.kind === 'request'
      ? `<tr data-request="${esc(x.id)}"><td><strong>${esc(x.reference)}</strong> <span class="badge${x.open ? '' : ' done'}">request</span>`
      : `<tr data-escalation="${esc(x.id)}"><td><a href="/console/escalations/${esc(x.id)}"><strong>${esc(x.reference)}</strong></a> <span class="badge escalation${x.open ? '' : ' done'}">escalation</span>`;
  const conversation = x.conversationId
    ? `<br><a class="muted" href="/console/conversations/${encodeURIComponent(x.conversationId)}">conversation</a>`
    : '';
  return `${first}<br><span class="muted">${esc(when(x.createdAt, x.timeZone))}</span></td>
    <td>${esc(x.customerName)}${conversation}<br><a href="/console/accounts/${encodeURIComponent(x.accountId)}">${esc(x.accountName)}</a> <span class="muted">${esc(x.accountId)}${x.managerName ? ` · ${esc(x.managerName)}` : ''}</span></td>
    <td>${whatHtml(x)}</td>
    <td data-status="${esc(x.status)}">${statusHtml(x)}</td>
    <td class="${x.overdue ? 'overdue' : ''}">${slaHtml(x, c.now)}</td>
    <td data-assignee="${esc(x.assigneeId ?? '')}">${x.assigneeName ? esc(x.assigneeName) : '<span class="muted">nobody</span>'}</td>
    <td>${actionsHtml(x, c)}</td></tr>`;
}

export function queueTable(items: QueueItem[], c: RowContext, empty: string): string {
  return items.length
    ? `<table class="queue"><thead><tr><th>Item</th><th>Customer · account</th><th>What</th><th>Status</th><th>Age · SLA</th><th>Assignee</th><th></th></tr></thead><tbody>${items
        .map((x) => rowHtml(x, c))
        .join('')}</tbody></table>`
    : `<p class="muted">${esc(empty)}</p>`;
}

/** The managers the filter offers (Slack user id and name). */
export async function managers(db: Db): Promise<Array<{ id: string; name: string }>> {
  const { rows } = await db.sql<{ id: string; name: string | null }>(
    `SELECT DISTINCT manager_slack_user_id AS id, manager_name AS name FROM account
      WHERE manager_slack_user_id IS NOT NULL ORDER BY 2, 1 LIMIT 300`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name ?? r.id }));
}

export function filterForm(f: QueueFilter, opts: { managers: Array<{ id: string; name: string }>; people: Person[] }) {
  const option = (value: string, label: string, current: string | null) =>
    `<option value="${esc(value)}"${value === (current ?? '') ? ' selected' : ''}>${esc(label)}</option>`;
  return `<form class="filters" method="get" action="/console" role="search">
    <label>Search<input type="search" name="q" value="${esc(f.q ?? '')}" placeholder="Customer, account or reference" aria-label="Search"></label>
    <label>Status<select name="status">${Object.entries(STATUSES)
      .map(([v, l]) => option(v, l, f.status))
      .join('')}</select></label>
    <label>Kind<select name="kind">${option('', 'Requests and escalations', f.kind)}${option('request', 'Requests', f.kind)}${option('escalation', 'Escalations', f.kind)}</select></label>
    <label>Account<input name="account" value="${esc(f.account ?? '')}" placeholder="Account id" size="14"></label>
    <label>Manager<select name="manager">${option('', 'Any', f.manager)}${opts.managers
      .map((m) => option(m.id, m.name, f.manager))
      .join('')}${option('none', 'No manager', f.manager)}</select></label>
    <label>Assignee<select name="assignee">${option('', 'Anyone', f.assignee)}${option('me', 'Me', f.assignee)}${option('none', 'Nobody', f.assignee)}${opts.people
      .map((p) => option(p.id, p.name, f.assignee))
      .join('')}</select></label>
    <label class="inline"><input type="checkbox" name="overdue" value="1"${f.overdue ? ' checked' : ''}> Overdue only</label>
    <button class="primary" type="submit">Filter</button> <a href="/console">Reset</a>
  </form>`;
}

/**
 * The audit trail of a request or an escalation, derived from the rows the product already writes (no event log
 * of its own): the chat turns (`dl_activity`), the request or escalation row, its jobs (`outbox`: written, relayed
 * to BullMQ, and the job's state there now), the decision (`request_decision`) and its Slack message, the ledger
 * change (`credit_grant`, `plan_assignment`), the keyed side effects (`side_effect`: the Slack posts, the customer
 * notice, the platform webhook), and for escalations every message both ways. In time order, each entry linking
 * to where it lives. What should be there and is not (a webhook not sent yet) is said.
 */
import type { Router } from 'express';
import type { EscalationView } from '../escalations/service.ts';
import { chatLines } from '../escalations/transcript.ts';
import { type JobName, jobCatalog } from '../jobs/catalog.ts';
import { formatter } from '../locale/format.ts';
import { type RequestView, referenceOf } from '../requests/request-service.ts';
import { esc, page } from './html.ts';
import { flash, type PageDeps, when } from './pages.ts';
import { REASONS } from './queue.ts';

/** What an entry is about; also its `data-trail` attribute, which tests and people can filter on. */
export type TrailKind =
  | 'chat'
  | 'request'
  | 'escalation'
  | 'message'
  | 'assignment'
  | 'job'
  | 'slack'
  | 'decision'
  | 'ledger'
  | 'notice'
  | 'webhook'
  | 'sla';

export interface TrailEntry {
  at: Date | null;
  kind: TrailKind;
  title: string;
  /** escaped HTML */
  detail: string;
  href?: string;
  /** something that should have happened and has not (yet) */
  missing?: boolean;
  /** jobs: the job's name, its state in BullMQ and what it returned */
  job?: { name: string; state: string | null; result: unknown };
}

interface OutboxRow {
  id: string;
  job_name: string;
  job_id: string;
  run_at: Date | null;
  created_at: Date;
  relayed_at: Date | null;
  attempts: number;
  last_error: string | null;
}

interface SideEffectRow {
  key: string;
  result: unknown;
  created_at: Date;
}

const json = (v: unknown) => esc(JSON.stringify(v ?? null).slice(0, 300));

/** The outbox rows of an item (by payload id or by job key) and, for each, the job's state in BullMQ now. */
async function jobEntries(
  deps: PageDeps,
  id: string,
  payloadKey: 'requestId' | 'escalationId',
  tz: string,
): Promise<TrailEntry[]> {
  const { rows } = await deps.db.sql<OutboxRow>(
    `SELECT id, job_name, job_id, run_at, created_at, relayed_at, attempts, last_error FROM outbox
      WHERE payload->>'${payloadKey}' = $1 OR job_id LIKE $2 ORDER BY id`,
    [id, `%${id}%`],
  );
  return Promise.all(
    rows.map(async (o): Promise<TrailEntry> => {
      const def = jobCatalog[o.job_name as JobName];
      const queue = def ? deps.queues[def.queue] : undefined;
      const job = queue && o.relayed_at ? await queue.getJob(o.job_id).catch(() => undefined) : undefined;
      const state = job ? await job.getState().catch(() => 'unknown') : null;
      const relay = o.relayed_at
        ? `relayed to BullMQ ${esc(when(o.relayed_at, tz))}`
        : `<strong>waiting in the outbox</strong>${o.attempts ? ` (${o.attempts} failed relays: ${esc(o.last_error ?? '')})` : ''}`;
      const bull = !o.relayed_at
        ? ''
        : job
          ? ` · BullMQ: <strong data-job-state="${esc(state)}">${esc(state)}</strong>, attempts ${job.attemptsMade}/${job.opts.attempts ?? 1}${
              job.failedReason ? ` · <span class="overdue">${esc(job.failedReason.slice(0, 200))}</span>` : ''
            }${job.finishedOn ? ` · finished ${esc(when(new Date(job.finishedOn), tz))}` : ''}${
              job.returnvalue && typeof job.returnvalue === 'object' && 'skipped' in job.returnvalue
                ? ` · skipped: ${esc(String((job.returnvalue as { skipped: unknown }).skipped))}`
                : ''
            }${
              state === 'failed' && def
                ? ` · <a href="/console/jobs?queue=${esc(def.queue)}#job-${esc(o.job_id)}">retry in Failed jobs</a>`
                : ''
            }`
          : ' · BullMQ: <span data-job-state="gone">no longer kept</span> (completed jobs are kept 7 days)';
      return {
        at: o.created_at,
        kind: 'job',
        title: o.job_name,
        detail: `<code>${esc(o.job_id)}</code>${o.run_at ? ` · due ${esc(when(o.run_at, tz))}` : ''} · ${relay}${bull}`,
        href: def ? `/console/queues/queue/${encodeURIComponent(def.queue)}` : undefined,
        missing: state === 'failed',
        job: { name: o.job_name, state, result: job?.returnvalue ?? null },
      };
    }),
  );
}

async function sideEffects(deps: PageDeps, keys: string[]): Promise<Map<string, SideEffectRow>> {
  const { rows } = await deps.db.sql<SideEffectRow>(
    'SELECT key, result, created_at FROM side_effect WHERE key = ANY($1::text[])',
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r]));
}

function render(title: string, intro: string, entries: TrailEntry[], tz: string): string {
  const sorted = [...entries].sort(
    (a, b) => (a.at?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.at?.getTime() ?? Number.MAX_SAFE_INTEGER),
  );
  return `<div class="card"><h2>${esc(title)}</h2>${intro}</div>
    <div class="card"><h3>Audit trail</h3><p class="muted">Everything recorded about it, oldest first, times in the account's time zone (${esc(tz)}).</p>
    <ol class="trail">${sorted
      .map(
        (e) =>
          `<li data-trail="${e.kind}"${e.missing ? ' class="missing"' : ''}><div class="meta">${e.at ? esc(when(e.at, tz)) : 'not yet'} · ${esc(e.kind)}</div><strong>${
            e.href ? `<a href="${esc(e.href)}">${esc(e.title)}</a>` : esc(e.title)
          }</strong><div>${e.detail}</div></li>`,
      )
      .join('')}</ol></div>`;
}

/** The chat turns that led to `at` in a conversation (the last `count`), and later bot messages matching `also`. */
async function chatEntries(
  deps: PageDeps,
  conversationId: string,
  at: Date,
  opts: { count: number; dedupeKeys?: string[]; mentions?: string },
): Promise<TrailEntry[]> {
  const { rows } = await deps.db.sql<{
    seq: number;
    role: string | null;
    name: string | null;
    text: string | null;
    ts: string | null;
    created_at: Date;
    key: string | null;
    agent: string | null;
  }>(
    `(SELECT seq, activity->'from'->>'role' AS role, activity->'from'->>'name' AS name, activity->>'text' AS text,
             activity->>'timestamp' AS ts, created_at, activity->'channelData'->>'dedupeKey' AS key,
             activity->'channelData'->'agent'->>'name' AS agent
        FROM dl_activity WHERE conversation_id = $1 AND activity->>'type' = 'message' AND created_at <= $2
       ORDER BY seq DESC LIMIT $3)
     UNION
     (SELECT seq, activity->'from'->>'role', activity->'from'->>'name', activity->>'text', activity->>'timestamp',
             created_at, activity->'channelData'->>'dedupeKey', activity->'channelData'->'agent'->>'name'
        FROM dl_activity WHERE conversation_id = $1 AND activity->>'type' = 'message' AND created_at > $2
         AND (activity->'channelData'->>'dedupeKey' = ANY($4::text[]) OR ($5::text <> '' AND activity->>'text' LIKE '%' || $5 || '%'))
       ORDER BY seq LIMIT 20)
     ORDER BY seq`,
    [conversationId, at, opts.count, opts.dedupeKeys ?? [], opts.mentions ?? ''],
  );
  return rows.map((r) => ({
    at: r.ts ? new Date(r.ts) : r.created_at,
    kind: r.key?.startsWith('customer-notified:') ? 'notice' : 'chat',
    title: r.role === 'user' ? 'The customer said' : r.agent ? `${r.agent} said (through the bot)` : 'The bot said',
    detail: esc((r.text ?? '').slice(0, 400)),
    href: `/console/conversations/${encodeURIComponent(conversationId)}#seq-${r.seq}`,
  }));
}

export async function requestTrail(deps: PageDeps, r: RequestView, tz: string): Promise<TrailEntry[]> {
  const id = r.id;
  const keys = {
    posted: `slack-approval-attempt:${id}`,
    notice: `customer-notified:${id}`,
    webhook: `webhook:${id}`,
    slaManager: `slack-sla-manager:${id}`,
    slaSupport: `slack-sla-support:${id}`,
  };
  const f = formatter('en', tz);
  const [jobs, effects, grants, plans, row, chat] = await Promise.all([
    jobEntries(deps, id, 'requestId', tz),
    sideEffects(deps, Object.values(keys)),
    deps.db.prisma.creditGrant.findMany({ where: { requestId: id }, orderBy: { createdAt: 'asc' } }),
    deps.db.prisma.planAssignment.findMany({ where: { requestId: id }, orderBy: { createdAt: 'asc' } }),
    deps.db.prisma.changeRequest.findUnique({ where: { id }, select: { idempotencyKey: true } }),
    r.conversationId
      ? chatEntries(deps, r.conversationId, new Date(r.createdAt), {
          count: 6,
          dedupeKeys: [keys.notice],
          mentions: r.reference,
        })
      : Promise.resolve([]),
  ]);
  const entries: TrailEntry[] = [...chat, ...jobs];
  entries.push({
    at: new Date(r.createdAt),
    kind: 'request',
    title: `${r.reference} created`,
    detail: `${r.kind === 'buy_credits' ? `Buy ${esc(f.credits(r.credits))}` : `Change plan ${esc(r.currentPlan.name)} → ${esc(r.targetPlanName ?? '?')}`} for ${esc(
      f.money(r.price.amount, r.price.currency),
    )} · requested by ${esc(r.requesterName ?? r.requesterUserId)}${r.conversationId ? ' in the chat' : ''} · decide by ${esc(when(r.slaDueAt, tz))}${
      row?.idempotencyKey ? ` · idempotency key <code>${esc(row.idempotencyKey)}</code>` : ''
    }`,
    href: `/console/accounts/${encodeURIComponent(r.accountId)}`,
  });
  const posted = effects.get(keys.posted);
  entries.push(
    r.slackTs || posted
      ? {
          at: posted?.created_at ?? null,
          kind: 'slack',
          title: 'Approval message posted in Slack',
          detail: `channel <code>${esc(r.slackChannel ?? '?')}</code>, message <code>${esc(r.slackTs ?? '?')}</code>${
            r.managerName ? ` · to ${esc(r.managerName)}` : ''
          }`,
        }
      : {
          at: null,
          kind: 'slack',
          title: 'No approval message in Slack',
          detail: 'Slack is not configured, the account has no manager, or the job has not run yet (see its job).',
          missing: r.status === 'pending',
        },
  );
  if (r.assignedAt)
    entries.push({
      at: new Date(r.assignedAt),
      kind: 'assignment',
      title: r.assigneeName ? `Assigned to ${r.assigneeName}` : 'Unassigned',
      detail: `by ${esc(r.assignedBy ?? 'someone')} (the latest assignment)`,
    });
  if (r.slaRemindedAt)
    entries.push({
      at: new Date(r.slaRemindedAt),
      kind: 'sla',
      title: 'Past its SLA: the manager reminded and the support channel told',
      detail: [keys.slaManager, keys.slaSupport]
        .map((k) =>
          effects.has(k)
            ? `<code>${esc(k)}</code> ${json(effects.get(k)!.result)}`
            : `<code>${esc(k)}</code> not posted`,
        )
        .join(' · '),
    });
  if (r.decidedAt && r.status !== 'cancelled')
    entries.push({
      at: new Date(r.decidedAt),
      kind: 'decision',
      title: `${r.status === 'approved' ? 'Approved' : 'Rejected'} by ${r.decidedBy ?? 'someone'} ${r.decidedVia === 'slack' ? 'in Slack' : 'in the console'}`,
      detail: `${r.decidedVia === 'slack' ? `Slack user <code>${esc(r.deciderId ?? '')}</code>` : esc(r.deciderId ?? '')}${
        r.reason ? ` · reason: ${esc(r.reason)}` : ''
      }`,
    });
  if (r.status === 'cancelled')
    entries.push({
      at: r.decidedAt ? new Date(r.decidedAt) : null,
      kind: 'decision',
      title: 'Cancelled by the customer',
      detail: '',
    });
  for (const g of grants)
    entries.push({
      at: g.createdAt,
      kind: 'ledger',
      title: `Grant ${g.id}: ${f.n(g.credits)} ${g.kind} credits`,
      detail: `effective ${esc(when(g.effectiveAt, tz))}, expires ${esc(when(g.expiresAt, tz))}${g.reason ? ` · ${esc(g.reason)}` : ''}`,
      href: `/console/accounts/${encodeURIComponent(r.accountId)}`,
    });
  for (const p of plans)
    entries.push({
      at: p.createdAt,
      kind: 'ledger',
      title: `Plan ${p.name} from ${when(p.effectiveFrom, tz)}`,
      detail: `${esc(f.n(p.monthlyCredits))} credits, ${esc(f.money(p.priceAmount, p.priceCurrency))}/month · plan assignment #${esc(p.id)}`,
      href: `/console/accounts/${encodeURIComponent(r.accountId)}`,
    });
  if (r.status === 'approved' && grants.length + plans.length === 0)
    entries.push({ at: null, kind: 'ledger', title: 'No ledger change found', detail: '', missing: true });
  if (r.status !== 'pending') {
    const notice = effects.get(keys.notice);
    entries.push(
      notice
        ? { at: notice.created_at, kind: 'notice', title: 'The customer was told', detail: json(notice.result) }
        : {
            at: null,
            kind: 'notice',
            title: 'The customer has not been told yet',
            detail: 'see the notify-customer job',
            missing: true,
          },
    );
  }
  if (r.status === 'approved') {
    const hook = effects.get(keys.webhook);
    const hookJob = jobs.find((j) => j.job?.name === 'v1.platform.request-approved')?.job;
    const skipped =
      hookJob?.state === 'completed' &&
      hookJob.result &&
      typeof hookJob.result === 'object' &&
      'skipped' in hookJob.result
        ? String((hookJob.result as { skipped: unknown }).skipped)
        : null;
    entries.push(
      !hook && skipped
        ? { at: null, kind: 'webhook', title: 'Platform webhook not sent', detail: esc(skipped) }
        : hook
          ? {
              at: hook.created_at,
              kind: 'webhook',
              title: 'Platform webhook delivered (request.approved)',
              detail: `the platform answered ${esc((hook.result as { status?: unknown } | null)?.status ?? '?')} · idempotency key <code>request-approved-${esc(id)}</code>`,
            }
          : {
              at: null,
              kind: 'webhook',
              title: 'Platform webhook not delivered',
              detail: 'not sent yet, failed, or PLATFORM_WEBHOOK_URL is not set (see the request-approved job)',
              missing: true,
            },
    );
  }
  return entries;
}

export async function escalationTrail(deps: PageDeps, e: EscalationView, tz: string): Promise<TrailEntry[]> {
  const [jobs, messages, chat, requests] = await Promise.all([
    jobEntries(deps, e.id, 'escalationId', tz),
    deps.escalations.messages(e.id),
    chatLines(deps.db, e.conversationId, 200),
    deps.db.prisma.changeRequest.findMany({
      where: { accountId: e.accountId, requesterUserId: e.userId, createdAt: { gte: new Date(e.createdAt) } },
      select: { id: true, status: true, createdAt: true },
      take: 20,
    }),
  ]);
  const effects = await sideEffects(deps, [
    `slack-escalation-root-attempt:${e.id}`,
    `slack-escalation-support:${e.id}`,
    ...messages.map((m) => `slack-mirror-attempt:${m.id}`),
  ]);
  const entries: TrailEntry[] = [...jobs];
  for (const l of chat.filter((x) => !x.at || x.at <= e.createdAt).slice(-6))
    entries.push({
      at: l.at ? new Date(l.at) : null,
      kind: 'chat',
      title: l.from === 'customer' ? 'The customer said' : 'The bot said',
      detail: esc(l.text.slice(0, 400)),
      href: `/console/conversations/${encodeURIComponent(e.conversationId)}`,
    });
  entries.push({
    at: new Date(e.createdAt),
    kind: 'escalation',
    title: `${e.reference} opened: ${REASONS[e.reason] ?? e.reason}`,
    detail: `${esc(e.customerName)}${e.trigger ? ` · “${esc(e.trigger.slice(0, 300))}”` : ''} · pick up by ${esc(when(e.slaDueAt, tz))}`,
    href: `/console/escalations/${e.id}`,
  });
  const root = effects.get(`slack-escalation-root-attempt:${e.id}`);
  if (e.slackThreadTs || root)
    entries.push({
      at: root?.created_at ?? null,
      kind: 'slack',
      title: 'Slack thread opened',
      detail: `channel <code>${esc(e.slackChannel ?? '?')}</code>, thread <code>${esc(e.slackThreadTs ?? '?')}</code>`,
    });
  for (const m of messages) {
    const who = m.authorName ?? (m.direction === 'customer' ? e.customerName : 'Someone');
    const state = [
      m.mirroredAt ? `in the Slack thread ${esc(when(m.mirroredAt, tz))}` : '',
      m.deliveredAt ? `in the customer's chat ${esc(when(m.deliveredAt, tz))}` : '',
      m.direction === 'customer' && !m.mirroredAt && e.slackThreadTs
        ? '<strong>not in the Slack thread yet</strong>'
        : '',
      m.direction === 'agent' && !m.deliveredAt && !m.deletedAt ? '<strong>not delivered yet</strong>' : '',
      effects.has(`slack-mirror-attempt:${m.id}`) ? 'posted by the mirror job' : '',
      m.editedAt ? 'edited' : '',
      m.deletedAt ? 'deleted' : '',
    ].filter(Boolean);
    entries.push({
      at: new Date(m.createdAt),
      kind:
        m.direction === 'system'
          ? m.event === 'sla_breached'
            ? 'sla'
            : m.event === 'reassigned'
              ? 'assignment'
              : 'escalation'
          : 'message',
      title:
        m.direction === 'system'
          ? `${m.event === 'customer_left' || m.event === 'sla_breached' ? '' : `${who} `}${
              m.event === 'claimed'
                ? 'claimed it'
                : m.event === 'reassigned'
                  ? `gave it to ${m.text}`
                  : m.event === 'resolved'
                    ? 'resolved it'
                    : m.event === 'handed_back'
                      ? 'handed it back to the bot'
                      : m.event === 'customer_left'
                        ? 'The customer went back to the bot'
                        : 'Nobody claimed it in time'
            }`
          : `${who}${m.direction === 'note' ? ' (internal note)' : m.direction === 'customer' ? ' (customer)' : ''} via ${m.source}`,
      detail: `${m.direction === 'system' ? '' : esc(m.text.slice(0, 400))}${state.length ? ` <span class="muted">· ${state.join(' · ')}</span>` : ''}`,
      href: `/console/conversations/${encodeURIComponent(e.conversationId)}`,
      missing: m.direction === 'agent' && !m.deliveredAt && !m.deletedAt,
    });
  }
  const support = effects.get(`slack-escalation-support:${e.id}`);
  if (support)
    entries.push({
      at: support.created_at,
      kind: 'slack',
      title: 'Support channel told (not claimed in time)',
      detail: json(support.result),
    });
  for (const x of requests)
    entries.push({
      at: x.createdAt,
      kind: 'request',
      title: `Request created meanwhile: ${referenceOf(x.id)} (${x.status})`,
      detail: '',
      href: `/console/requests/${x.id}/trail`,
    });
  return entries;
}

export function registerTrailPages(r: Router, deps: PageDeps) {
  r.get('/console/requests/:id/trail', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const x = await deps.requests.get(String(req.params.id));
    const tz = (await deps.credits.profile(x.accountId)).timeZone;
    const entries = await requestTrail(deps, x, tz);
    const intro = `<p><strong>${esc(x.status)}</strong> · <a href="/console/accounts/${encodeURIComponent(x.accountId)}">${esc(x.accountName)}</a> · ${esc(
      x.requesterName ?? x.requesterUserId,
    )}${x.conversationId ? ` · <a href="/console/conversations/${encodeURIComponent(x.conversationId)}">the conversation</a>` : ''}${
      x.assigneeName ? ` · assigned to ${esc(x.assigneeName)}` : ''
    } · <a href="/console?q=${esc(x.reference)}&amp;status=all">in the queue</a></p>`;
    res.type('html').send(
      page(`${x.reference} · audit trail`, `${flash(req)}${render(`Request ${x.reference}`, intro, entries, tz)}`, {
        operator: s.operator.email,
        csrf: s.csrfToken,
      }),
    );
  });

  r.get('/console/escalations/:id/trail', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const e = await deps.escalations.get(String(req.params.id));
    const tz = (await deps.credits.profile(e.accountId)).timeZone;
    const entries = await escalationTrail(deps, e, tz);
    const intro = `<p><strong>${esc(e.status)}</strong>${e.assigneeName ? ` · held by ${esc(e.assigneeName)}` : ''} · <a href="/console/escalations/${esc(e.id)}">reply and history</a> · <a href="/console/accounts/${encodeURIComponent(
      e.accountId,
    )}">${esc(e.accountName)}</a> · <a href="/console/conversations/${encodeURIComponent(e.conversationId)}">the conversation</a></p>`;
    res
      .type('html')
      .send(
        page(
          `${e.reference} · audit trail`,
          `${flash(req)}${render(`Escalation ${e.reference}: ${e.customerName}`, intro, entries, tz)}`,
          { operator: s.operator.email, csrf: s.csrfToken },
        ),
      );
  });
}

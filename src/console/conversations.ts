/**
 * A conversation's page: the transcript as the self-hosted Direct Line stored it (`dl_activity`: the customer,
 * the bot, and people speaking through it), with what was said around it in escalations and never reached the
 * chat (internal notes, status changes, replies delivered elsewhere or not yet) in time order, and the requests
 * and escalations that started here. Escaped by construction.
 */
import type { Router } from 'express';
import { escalationReference } from '../escalations/service.ts';
import { referenceOf } from '../requests/request-service.ts';
import { notFound } from '../shared/errors.ts';
import { isStorable } from '../shared/text.ts';
import { esc, page } from './html.ts';
import { flash, type PageDeps, when } from './pages.ts';

/** Activities shown (the latest). */
const MAX_ACTIVITIES = 500;

interface Activity {
  type?: string;
  name?: string;
  text?: string;
  timestamp?: string;
  value?: unknown;
  from?: { id?: string; name?: string; role?: string };
  attachments?: Array<{ contentType?: string; name?: string }>;
  suggestedActions?: { actions?: Array<{ title?: string }> };
  channelData?: { dedupeKey?: string; agent?: { name?: string } };
}

interface Line {
  at: string;
  order: number;
  html: string;
}

const EVENT_LABELS: Record<string, string> = {
  claimed: 'claimed the conversation',
  reassigned: 'gave the conversation to',
  resolved: 'resolved it',
  handed_back: 'handed it back to the bot',
  customer_left: 'The customer went back to the bot',
  sla_breached: 'Nobody claimed it in time',
};

const paragraphs = (text: string) => esc(text).replaceAll('\n', '<br>');

export function registerConversationPages(r: Router, deps: PageDeps) {
  r.get('/console/conversations/:id', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const id = String(req.params.id);
    if (!isStorable(id) || id.length > 300) throw notFound('No such page.');
    const conv = await deps.db.prisma.chatConversation.findUnique({
      where: { id },
      select: {
        id: true,
        channelId: true,
        accountId: true,
        userId: true,
        locale: true,
        origin: true,
        mode: true,
        createdAt: true,
        lastActivityAt: true,
        account: { select: { name: true, timeZone: true } },
      },
    });
    if (!conv) throw notFound(`Unknown conversation '${id}'.`);
    const tz = conv.account.timeZone;
    const [user, activities, escalations, requests] = await Promise.all([
      deps.db.prisma.platformUser.findUnique({ where: { id: conv.userId }, select: { name: true } }),
      deps.db.sql<{ seq: number; activity: Activity; created_at: Date }>(
        `SELECT seq, activity, created_at FROM (
           SELECT seq, activity, created_at FROM dl_activity WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
         ) t ORDER BY seq`,
        [id, MAX_ACTIVITIES],
      ),
      deps.db.prisma.escalation.findMany({
        where: { OR: [{ conversationId: id }, { messages: { some: { deliveredTo: id } } }] },
        select: { id: true, status: true, createdAt: true, conversationId: true },
        orderBy: { createdAt: 'asc' },
        take: 50,
      }),
      deps.db.prisma.changeRequest.findMany({
        where: { conversationId: id },
        select: { id: true, status: true, kind: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
        take: 100,
      }),
    ]);
    const customer = user?.name ?? conv.userId;
    const escalationIds = escalations.map((e) => e.id);
    const messages = escalationIds.length
      ? await deps.db.prisma.escalationMessage.findMany({
          where: {
            escalationId: { in: escalationIds },
            OR: [{ deliveredTo: id }, { deliveredTo: null }, { escalation: { conversationId: id } }],
          },
          orderBy: { id: 'asc' },
          take: 2_000,
        })
      : [];

    // What the chat shows already (by the keys of proactive messages and the ids of the customer's activities).
    const inChat = new Set<string>();
    for (const a of activities.rows) {
      if (a.activity.channelData?.dedupeKey) inChat.add(a.activity.channelData.dedupeKey);
    }
    const activityIds = new Set(activities.rows.map((a) => `${id}|${String(a.seq).padStart(7, '0')}`));
    const escalationOf = new Map<string, string>();
    for (const m of messages) escalationOf.set(`escalation-message:${m.id}`, escalationReference(m.escalationId));

    const lines: Line[] = [];
    for (const { seq, activity: a, created_at } of activities.rows) {
      const at = a.timestamp ?? created_at.toISOString();
      const time = esc(when(at, tz));
      if (a.type !== 'message') {
        if (a.type === 'event' && a.name)
          lines.push({
            at,
            order: seq,
            html: `<div class="msg system" id="seq-${seq}" data-seq="${seq}"><span class="muted">${time} · event <code>${esc(a.name)}</code>${
              a.name === 'webchat/join' && a.value && typeof a.value === 'object'
                ? ` (${esc(String((a.value as { origin?: unknown }).origin ?? ''))})`
                : ''
            }</span></div>`,
          });
        continue;
      }
      const agent = a.channelData?.agent?.name;
      const fromCustomer = a.from?.role === 'user';
      const who = fromCustomer ? customer : (agent ?? 'Assistant');
      const cls = fromCustomer ? 'customer' : agent ? 'agent' : 'bot';
      const key = a.channelData?.dedupeKey;
      const tag =
        key && escalationOf.has(key)
          ? ` · <span class="muted">${esc(escalationOf.get(key)!)}</span>`
          : key?.startsWith('customer-notified:')
            ? ` · <span class="muted">decision of ${esc(referenceOf(key.slice('customer-notified:'.length)))}</span>`
            : '';
      const files = (a.attachments ?? [])
        .map((x) => `<div class="muted">📎 ${esc(x.name ?? x.contentType ?? 'attachment')}</div>`)
        .join('');
      const buttons = a.suggestedActions?.actions?.length
        ? `<div class="muted">Buttons: ${a.suggestedActions.actions.map((b) => esc(b.title ?? '')).join(' · ')}</div>`
        : '';
      lines.push({
        at,
        order: seq,
        html: `<div class="msg ${cls}" id="seq-${seq}" data-seq="${seq}"><div class="meta"><strong>${esc(who)}</strong> · ${time}${tag}</div><div class="text">${paragraphs(a.text ?? '')}</div>${files}${buttons}</div>`,
      });
    }
    for (const m of messages) {
      if (inChat.has(`escalation-message:${m.id}`)) continue;
      if (m.direction === 'customer' && activityIds.has(m.sourceId)) continue;
      const ref = escalationReference(m.escalationId);
      const at = m.createdAt.toISOString();
      const time = esc(when(at, tz));
      const label =
        m.direction === 'system'
          ? `${m.event === 'customer_left' || m.event === 'sla_breached' ? '' : `${m.authorName ?? 'Someone'} `}${EVENT_LABELS[m.event ?? ''] ?? m.event ?? ''}${m.event === 'reassigned' ? ` ${m.text}` : ''}`
          : null;
      const html =
        label !== null
          ? `<div class="msg system" data-escalation-message="${m.id}"><span class="muted">${time} · ${esc(ref)} · ${esc(label)}</span></div>`
          : `<div class="msg ${m.direction === 'note' ? 'note' : m.direction === 'agent' ? 'agent' : 'customer'}" data-escalation-message="${m.id}"><div class="meta"><strong>${esc(
              m.authorName ?? (m.direction === 'customer' ? customer : 'Someone'),
            )}${m.direction === 'note' ? ' (internal note)' : ''}</strong> · ${time} · <span class="muted">${esc(ref)}${
              m.direction === 'agent'
                ? m.deletedAt
                  ? ', withdrawn'
                  : m.deliveredAt
                    ? m.deliveredTo && m.deliveredTo !== id
                      ? ', delivered in another conversation'
                      : ', delivered'
                    : ', not delivered yet'
                : ''
            }</span></div><div class="text">${paragraphs(m.text)}</div></div>`;
      lines.push({ at, order: Number.MAX_SAFE_INTEGER, html });
    }
    lines.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);

    const links = [
      ...requests.map(
        (x) =>
          `<a href="/console/requests/${esc(x.id)}/trail">${esc(referenceOf(x.id))}</a> <span class="muted">${esc(x.kind === 'buy_credits' ? 'Buy More' : 'Change Plan')}, ${esc(x.status)}</span>`,
      ),
      ...escalations.map(
        (e) =>
          `<a href="/console/escalations/${esc(e.id)}">${esc(escalationReference(e.id))}</a> <span class="muted">escalation, ${esc(e.status)}</span> · <a href="/console/escalations/${esc(e.id)}/trail">audit trail</a>`,
      ),
    ];
    res.type('html').send(
      page(
        `Conversation with ${customer}`,
        `${flash(req)}<div class="card"><h2>Conversation with ${esc(customer)} <span class="muted">(<a href="/console/accounts/${encodeURIComponent(conv.accountId)}">${esc(conv.account.name)}</a>)</span></h2>
          <p class="muted">${esc(conv.id)} · ${esc(conv.channelId)}${conv.origin ? ` · opened from ${esc(conv.origin)}` : ''}${conv.locale ? ` · ${esc(conv.locale)}` : ''} · started ${esc(when(conv.createdAt, tz))} · last activity ${esc(when(conv.lastActivityAt, tz))}${conv.mode === 'human' ? ' · <strong>a person holds it</strong>' : ''}</p>
          ${links.length ? `<p>${links.join('<br>')}</p>` : ''}</div>
        <div class="card transcript"><h3>Transcript</h3>${
          conv.channelId === 'directline'
            ? activities.rows.length >= MAX_ACTIVITIES
              ? `<p class="muted">The latest ${MAX_ACTIVITIES} activities.</p>`
              : ''
            : '<p class="muted">This channel keeps no transcript here; only escalation messages are shown.</p>'
        }${lines.map((l) => l.html).join('') || '<p class="muted">Nothing said yet.</p>'}</div>`,
        { operator: s.operator.email, csrf: s.csrfToken },
      ),
    );
  });
}

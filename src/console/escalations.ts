/**
 * The console's side of escalations (they are listed in the one queue, src/console/queue.ts): a page per
 * escalation with the chat that led to it, everything said since, and a reply form (support answers the customer
 * from here, with or without Slack). Claim, reassign, hand back and resolve as in Slack. Escaped by construction,
 * CSRF on every form; dates in the account's time zone.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import type { EscalationMessageView, EscalationView } from '../escalations/service.ts';
import { chatLines, type TranscriptLine } from '../escalations/transcript.ts';
import { AppError } from '../shared/errors.ts';
import type { ConsoleSession } from './auth.ts';
import { esc, page } from './html.ts';
import { backTo, csrfField, type PageDeps, people, personSelect, when } from './pages.ts';

const REASONS: Record<string, string> = {
  asked_for_person: 'Asked for a person',
  refund_or_dispute: 'Refund or disputed charge',
  invoice: 'Invoice or billing',
  carryover_exception: 'Carry-over exception',
  custom_offer: 'Custom offer',
  misunderstood: 'Not understood twice',
  frustration: 'Frustrated',
};

export function statusLabel(e: EscalationView): string {
  if (e.status === 'claimed') return `held by ${e.assigneeName ?? 'someone'}`;
  if (e.status === 'closed')
    return e.outcome === 'resolved'
      ? 'resolved'
      : e.outcome === 'handed_back'
        ? 'handed back to the bot'
        : 'customer went back to the bot';
  return 'waiting for a person';
}

function line(tz: string, who: string, cls: string, at: string, text: string, extra = ''): string {
  return `<div class="msg ${cls}"><div class="meta"><strong>${esc(who)}</strong> · ${esc(when(at, tz))}${extra}</div><div class="text">${esc(text).replaceAll('\n', '<br>')}</div></div>`;
}

function messageHtml(m: EscalationMessageView, e: EscalationView, tz: string): string {
  const files = m.files.map((f) => `<div class="muted">📎 ${esc(f.name)}</div>`).join('');
  const state = [
    m.deliveredAt ? 'delivered' : m.direction === 'agent' ? 'sending…' : '',
    m.editedAt ? 'edited' : '',
    m.deletedAt ? 'deleted' : '',
    m.source === 'slack' ? 'from Slack' : m.source === 'console' ? 'from the console' : '',
  ].filter(Boolean);
  const meta = state.length ? ` · <span class="muted">${esc(state.join(', '))}</span>` : '';
  switch (m.direction) {
    case 'customer':
      return line(
        tz,
        m.authorName ?? e.customerName,
        'customer',
        m.createdAt,
        m.text,
        m.mirroredAt ? ' · <span class="muted">in the Slack thread</span>' : '',
      );
    case 'note':
      return line(tz, `${m.authorName ?? 'Someone'} (internal note)`, 'note', m.createdAt, m.text, meta);
    case 'system':
      return `<div class="msg system"><span class="muted">${esc(when(m.createdAt, tz))} · ${esc(
        m.event === 'claimed'
          ? `${m.authorName ?? 'Someone'} claimed the conversation`
          : m.event === 'reassigned'
            ? `${m.authorName ?? 'Someone'} gave the conversation to ${m.text}`
            : m.event === 'resolved'
              ? `${m.authorName ?? 'Someone'} resolved it`
              : m.event === 'handed_back'
                ? `${m.authorName ?? 'Someone'} handed it back to the bot`
                : m.event === 'customer_left'
                  ? 'The customer went back to the bot'
                  : m.event === 'sla_breached'
                    ? 'Nobody claimed it in time: the customer and the support channel were told'
                    : (m.event ?? ''),
      )}</span></div>`;
    default:
      return `${line(tz, m.authorName ?? 'Agent', 'agent', m.createdAt, m.event === 'withdrawn' ? '(withdrew a message)' : m.text, meta)}${files}`;
  }
}

function transcriptHtml(
  before: TranscriptLine[],
  messages: EscalationMessageView[],
  e: EscalationView,
  tz: string,
): string {
  const chat = before.map((l) =>
    line(
      tz,
      l.from === 'customer' ? e.customerName : 'Assistant',
      l.from === 'customer' ? 'customer' : 'bot',
      l.at,
      l.text,
    ),
  );
  return `<h3>Before the hand-over</h3>${chat.length ? chat.join('') : '<p class="muted">No chat transcript on this channel.</p>'}
    <h3>Since the hand-over</h3>${messages.map((m) => messageHtml(m, e, tz)).join('') || '<p class="muted">Nothing yet.</p>'}`;
}

export function registerEscalationPages(r: Router, deps: PageDeps) {
  const { escalations } = deps;

  r.get('/console/escalations/:id', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const e = await escalations.get(String(req.params.id));
    const [messages, lines, profile, everyone] = await Promise.all([
      escalations.messages(e.id),
      chatLines(deps.db, e.conversationId, 200),
      deps.credits.profile(e.accountId),
      people(deps.db),
    ]);
    const tz = profile.timeZone;
    const before = lines.filter((l) => !l.at || l.at <= e.createdAt);
    const csrf = csrfField(s);
    const act = (path: string, label: string, cls = '') =>
      `<form method="post" action="/console/escalations/${esc(e.id)}/${path}">${csrf}<button class="${cls}" type="submit">${esc(label)}</button></form>`;
    const reassign = `<form method="post" action="/console/escalations/${esc(e.id)}/reassign">${csrf}${personSelect(everyone, e.assigneeId)}<button type="submit">${e.status === 'open' ? 'Assign' : 'Reassign'}</button></form>`;
    const actions =
      e.status === 'closed'
        ? ''
        : `<div class="actions">${e.status === 'open' ? act('claim', 'Claim', 'primary') : ''}${act('hand-back', 'Hand back to the bot')}${act('resolve', 'Resolve')}${reassign}</div>`;
    const reply =
      e.status === 'closed'
        ? '<p class="muted">This conversation is back with the bot: replies no longer reach the customer.</p>'
        : `<form method="post" action="/console/escalations/${esc(e.id)}/reply" class="reply">${csrf}
            <input type="hidden" name="nonce" value="${randomUUID()}">
            <label for="reply-text">Reply to ${esc(e.customerName)}</label>
            <textarea id="reply-text" name="text" rows="4" maxlength="4000" required placeholder="The customer reads this in their chat. Start with note: to keep it internal."></textarea>
            <label class="inline"><input type="checkbox" name="internal" value="1"> Internal note (not sent to the customer)</label>
            <p><button class="primary" type="submit">Send</button></p></form>`;
    const msg = typeof req.query.msg === 'string' ? `<div class="flash">${esc(req.query.msg.slice(0, 300))}</div>` : '';
    res.type('html').send(
      page(
        `${e.reference} · ${e.customerName}`,
        `${msg}<div class="card"><h2>${esc(e.reference)}: ${esc(e.customerName)} <span class="muted">(<a href="/console/accounts/${encodeURIComponent(e.accountId)}">${esc(e.accountName)}</a>)</span></h2>
          <p><strong>Why:</strong> ${esc(REASONS[e.reason] ?? e.reason)}${e.trigger ? ` · “${esc(e.trigger)}”` : ''}</p>
          <p><strong>Status:</strong> <span data-status="${esc(e.status)}">${esc(statusLabel(e))}</span> · <strong>Pick up by:</strong> ${esc(when(e.slaDueAt, tz))}${e.slackThreadTs ? ' · <span class="muted">also in a Slack thread</span>' : ''}</p>
          <p><a href="/console/conversations/${encodeURIComponent(e.conversationId)}">The whole conversation</a> · <a href="/console/escalations/${esc(e.id)}/trail">Audit trail</a> · <a href="/console">Back to the queue</a></p>
          ${actions}</div>
        <div class="card transcript">${transcriptHtml(before, messages, e, tz)}</div>
        <div class="card">${reply}</div>`,
        { operator: s.operator.email, csrf: s.csrfToken },
      ),
    );
  });

  /** Back to the escalation's page, or to where the form came from (the queue with its filters). */
  const back = (req: Request, res: Response, id: string, msg: string) =>
    res.redirect(303, backTo(req, `/console/escalations/${encodeURIComponent(id)}`, msg));

  r.post('/console/escalations/:id/reply', deps.form, async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const id = String(req.params.id);
    const raw = typeof req.body?.text === 'string' ? req.body.text.trim() : '';
    const nonce = typeof req.body?.nonce === 'string' && /^[0-9a-f-]{36}$/.test(req.body.nonce) ? req.body.nonce : null;
    if (!raw || !nonce) throw new AppError('bad_request', 'Write a reply first.');
    const text = req.body?.internal === '1' && !/^\s*note\s*:/i.test(raw) ? `note: ${raw}` : raw;
    const out = await escalations.agentMessage(id, {
      source: 'console',
      sourceId: nonce,
      agent: { id: s.operator.email, name: s.operator.name, via: 'console' },
      text: text.slice(0, 4_000),
    });
    back(
      req,
      res,
      id,
      out.closed
        ? 'The conversation is back with the bot: your reply was kept as a note.'
        : out.note
          ? 'Internal note saved.'
          : 'Sent to the customer.',
    );
  });

  const transition = (path: string, run: (id: string, s: ConsoleSession, req: Request) => Promise<string>) =>
    r.post(`/console/escalations/:id/${path}`, deps.form, async (req, res) => {
      const s = await deps.requireSession(req, res);
      if (!s) return;
      const id = String(req.params.id);
      back(req, res, id, await run(id, s, req));
    });
  const agent = (s: ConsoleSession) => ({ id: s.operator.email, name: s.operator.name, via: 'console' as const });
  transition('claim', async (id, s) =>
    (await escalations.claim(id, agent(s))).outcome === 'claimed'
      ? 'You have the conversation.'
      : 'Someone else already has it.',
  );
  transition('hand-back', async (id, s) =>
    (await escalations.close(id, 'handed_back', agent(s))).outcome === 'closed'
      ? 'Handed back to the bot.'
      : 'It was already closed.',
  );
  transition('resolve', async (id, s) =>
    (await escalations.close(id, 'resolved', agent(s))).outcome === 'closed' ? 'Resolved.' : 'It was already closed.',
  );
  transition('reassign', async (id, s, req) => {
    const wanted = typeof req.body?.assignee === 'string' ? req.body.assignee : '';
    const to = (await people(deps.db)).find((p) => p.id === wanted);
    if (!to) return 'Pick someone to give it to.';
    const out = await escalations.reassign(id, to, agent(s));
    return out.outcome === 'reassigned'
      ? `${out.escalation.reference} is now with ${to.name}.`
      : out.outcome === 'unchanged'
        ? `${to.name} already has it.`
        : `${out.escalation.reference} is closed.`;
  });
}

/**
 * The console's side of escalations: the open ones on the console's home, and a page per escalation with the
 * chat that led to it, everything said since, and a reply form (support answers the customer from here, with or
 * without Slack). Claim, hand back and resolve as in Slack. Escaped by construction, CSRF on every form.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { EscalationMessageView, EscalationService, EscalationView } from '../escalations/service.ts';
import { chatLines, type TranscriptLine } from '../escalations/transcript.ts';
import type { Db } from '../infra/db.ts';
import { AppError } from '../shared/errors.ts';
import type { ConsoleSession } from './auth.ts';
import { esc, page } from './html.ts';

export interface EscalationPagesDeps {
  db: Db;
  escalations: EscalationService;
  now(): Date;
  form: RequestHandler;
  requireSession(req: Request, res: Response): Promise<ConsoleSession | null>;
}

const REASONS: Record<string, string> = {
  asked_for_person: 'Asked for a person',
  refund_or_dispute: 'Refund or disputed charge',
  invoice: 'Invoice or billing',
  carryover_exception: 'Carry-over exception',
  custom_offer: 'Custom offer',
  misunderstood: 'Not understood twice',
  frustration: 'Frustrated',
};

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

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

/** One row of the console's escalation list. */
export function escalationRow(e: EscalationView, now: number): string {
  const overdue = e.status === 'open' && Date.parse(e.slaDueAt) < now;
  return `<tr data-escalation="${esc(e.id)}"><td><a href="/console/escalations/${esc(e.id)}"><strong>${esc(e.reference)}</strong></a><br><span class="muted">${esc(utc(e.createdAt))}</span></td>
    <td>${esc(e.customerName)}<br><span class="muted">${esc(e.accountName)} · ${esc(e.accountId)}</span></td>
    <td>${esc(REASONS[e.reason] ?? e.reason)}${e.trigger ? `<br><span class="muted">“${esc(e.trigger.slice(0, 140))}”</span>` : ''}</td>
    <td>${esc(statusLabel(e))}</td>
    <td class="${overdue ? 'overdue' : ''}">${esc(utc(e.slaDueAt))}${overdue ? ' · overdue' : ''}</td></tr>`;
}

export function escalationTable(rows: EscalationView[], now: number, empty: string): string {
  return rows.length
    ? `<table><thead><tr><th>Escalation</th><th>Customer</th><th>Why</th><th>Status</th><th>Pick up by</th></tr></thead><tbody>${rows.map((e) => escalationRow(e, now)).join('')}</tbody></table>`
    : `<p class="muted">${empty}</p>`;
}

function line(who: string, cls: string, at: string, text: string, extra = ''): string {
  return `<div class="msg ${cls}"><div class="meta"><strong>${esc(who)}</strong> · ${esc(utc(at))}${extra}</div><div class="text">${esc(text).replaceAll('\n', '<br>')}</div></div>`;
}

function messageHtml(m: EscalationMessageView, e: EscalationView): string {
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
        m.authorName ?? e.customerName,
        'customer',
        m.createdAt,
        m.text,
        m.mirroredAt ? ' · <span class="muted">in the Slack thread</span>' : '',
      );
    case 'note':
      return line(`${m.authorName ?? 'Someone'} (internal note)`, 'note', m.createdAt, m.text, meta);
    case 'system':
      return `<div class="msg system"><span class="muted">${esc(utc(m.createdAt))} · ${esc(
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
      return `${line(m.authorName ?? 'Agent', 'agent', m.createdAt, m.event === 'withdrawn' ? '(withdrew a message)' : m.text, meta)}${files}`;
  }
}

function transcriptHtml(before: TranscriptLine[], messages: EscalationMessageView[], e: EscalationView): string {
  const chat = before.map((l) =>
    line(
      l.from === 'customer' ? e.customerName : 'Assistant',
      l.from === 'customer' ? 'customer' : 'bot',
      l.at,
      l.text,
    ),
  );
  return `<h3>Before the hand-over</h3>${chat.length ? chat.join('') : '<p class="muted">No chat transcript on this channel.</p>'}
    <h3>Since the hand-over</h3>${messages.map((m) => messageHtml(m, e)).join('') || '<p class="muted">Nothing yet.</p>'}`;
}

export function registerEscalationPages(r: Router, deps: EscalationPagesDeps) {
  const { escalations } = deps;

  r.get('/console/escalations/:id', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const e = await escalations.get(String(req.params.id));
    const [messages, lines] = await Promise.all([
      escalations.messages(e.id),
      chatLines(deps.db, e.conversationId, 200),
    ]);
    const before = lines.filter((l) => !l.at || l.at <= e.createdAt);
    const csrf = `<input type="hidden" name="csrf" value="${esc(s.csrfToken)}">`;
    const act = (path: string, label: string, cls = '') =>
      `<form method="post" action="/console/escalations/${esc(e.id)}/${path}">${csrf}<button class="${cls}" type="submit">${esc(label)}</button></form>`;
    const actions =
      e.status === 'closed'
        ? ''
        : `<div class="actions">${e.status === 'open' ? act('claim', 'Claim', 'primary') : ''}${act('hand-back', 'Hand back to the bot')}${act('resolve', 'Resolve')}</div>`;
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
        `${msg}<div class="card"><h2>${esc(e.reference)}: ${esc(e.customerName)} <span class="muted">(${esc(e.accountName)})</span></h2>
          <p><strong>Why:</strong> ${esc(REASONS[e.reason] ?? e.reason)}${e.trigger ? ` · “${esc(e.trigger)}”` : ''}</p>
          <p><strong>Status:</strong> <span data-status="${esc(e.status)}">${esc(statusLabel(e))}</span> · <strong>Pick up by:</strong> ${esc(utc(e.slaDueAt))}${e.slackThreadTs ? ' · <span class="muted">also in a Slack thread</span>' : ''}</p>
          ${actions}</div>
        <div class="card transcript">${transcriptHtml(before, messages, e)}</div>
        <div class="card">${reply}</div>`,
        { operator: s.operator.email, csrf: s.csrfToken },
      ),
    );
  });

  const back = (res: Response, id: string, msg: string) =>
    res.redirect(303, `/console/escalations/${encodeURIComponent(id)}?msg=${encodeURIComponent(msg)}`);

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
      res,
      id,
      out.closed
        ? 'The conversation is back with the bot: your reply was kept as a note.'
        : out.note
          ? 'Internal note saved.'
          : 'Sent to the customer.',
    );
  });

  const transition = (path: string, run: (id: string, s: ConsoleSession) => Promise<string>) =>
    r.post(`/console/escalations/:id/${path}`, deps.form, async (req, res) => {
      const s = await deps.requireSession(req, res);
      if (!s) return;
      const id = String(req.params.id);
      back(res, id, await run(id, s));
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
}

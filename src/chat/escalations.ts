/**
 * The customer's side of an escalation: what a person says (from Slack or the console) and what happens to the
 * conversation (claimed, handed back, resolved, nobody available yet) reaches the customer's chat under the
 * person's name, in order, once each, or on their next visit. A job of the catalog (v1.escalations.deliver).
 */
import { drainLane } from '../escalations/lanes.ts';
import type { EscalationMessageView, EscalationService, EscalationView } from '../escalations/service.ts';
import type { Db } from '../infra/db.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import { formatter, type Lang } from '../locale/format.ts';
import { escapeMd } from './markdown.ts';
import { customerLang } from './notices.ts';
import type { Proactive } from './proactive.ts';

export interface EscalationDeliveryDeps {
  db: Db;
  escalations: EscalationService;
  proactive: Proactive;
  /** the account's time zone, for "by 11:45" */
  timeZoneOf(accountId: string): Promise<string>;
}

const tr = (lang: Lang, en: string, es: string) => (lang === 'es' ? es : en);

/** How long a reply waits for any earlier one still on its way before it is delivered (ms). */
export const SETTLE_MS = 500;
const first = (name: string | null | undefined) => (name ?? '').trim().split(/\s+/)[0] || null;

/** What the customer reads for one message of the escalation. */
export function renderForCustomer(m: EscalationMessageView, e: EscalationView, lang: Lang, timeZone: string): string {
  const person = escapeMd(
    m.authorName ?? e.assigneeName ?? e.managerName ?? tr(lang, 'Your account manager', 'Tu gestor'),
  );
  const short = escapeMd(
    first(m.authorName ?? e.assigneeName ?? e.managerName) ?? tr(lang, 'your account manager', 'tu gestor'),
  );
  if (m.direction === 'agent') {
    if (m.event === 'withdrawn')
      return tr(lang, `_${person} withdrew a message._`, `_${person} ha retirado un mensaje._`);
    const files = m.files.map((f) => `📎 [${escapeMd(f.name)}](${encodeURI(f.url)})`);
    // Every line escaped on its own, the person's line breaks kept (a hard break between lines).
    const text = m.text
      .split(/\r?\n/)
      .map((line) => escapeMd(line))
      .join('  \n');
    const body = [text, ...files].filter(Boolean).join('\n\n');
    return m.event === 'edit'
      ? tr(lang, `**${person}** (correction): ${body}`, `**${person}** (corrección): ${body}`)
      : `**${person}:** ${body}`;
  }
  const f = formatter(lang, timeZone);
  switch (m.event) {
    case 'claimed':
      return tr(
        lang,
        `**${person}** has joined the conversation: your messages now go to them.`,
        `**${person}** se ha unido a la conversación: tus mensajes le llegan directamente.`,
      );
    case 'handed_back':
      return tr(
        lang,
        `${short} handed the conversation back to me, the credits assistant. Ask me anything about your credits, or ask for ${short} again any time.`,
        `${short} me ha devuelto la conversación: vuelvo a ser el asistente de créditos. Pregúntame lo que quieras sobre tus créditos, o pide hablar con ${short} cuando quieras.`,
      );
    case 'resolved':
      return tr(
        lang,
        `${short} marked this as resolved. I'm the credits assistant again: ask me anything, or ask for a person any time.`,
        `${short} ha dado esto por resuelto. Vuelvo a ser el asistente de créditos: pregúntame lo que quieras, o pide hablar con una persona cuando quieras.`,
      );
    case 'sla_breached':
      return tr(
        lang,
        `Nobody has been able to pick this up yet, sorry for the wait. I've alerted our support team as well; whoever is free first will answer here (it's been waiting since ${f.dateTime(e.createdAt)}). You can keep writing: everything you send reaches them.`,
        `Todavía nadie ha podido atender esto, perdona la espera. He avisado también al equipo de soporte; quien quede libre primero te responderá aquí (está esperando desde el ${f.dateTime(e.createdAt)}). Puedes seguir escribiendo: todo lo que envíes les llega.`,
      );
    default:
      return '';
  }
}

/** Bot Framework's handoff protocol: the status a channel that understands handoff gets for an event. */
const handoffStatus = (m: EscalationMessageView) =>
  m.event === 'claimed'
    ? { state: 'accepted' }
    : m.event === 'handed_back' || m.event === 'resolved'
      ? { state: 'completed' }
      : null;

export function escalationDeliveryHandlers(deps: EscalationDeliveryDeps): Pick<JobHandlers, 'v1.escalations.deliver'> {
  const { escalations, proactive } = deps;
  return {
    async 'v1.escalations.deliver'({ escalationId }, { later }) {
      // One deliverer per conversation at a time (see escalations/lanes.ts), so replies arrive in order.
      return drainLane({
        lease: (ms) => escalations.lease(escalationId, 'deliver', ms),
        hasPending: async () => (await escalations.pending(escalationId, 'deliver')).length > 0,
        later,
        work: async (keep) => {
          const all = await escalations.pending(escalationId, 'deliver');
          // Replies go in their author's order (Slack's ts). One that arrived a moment ago may still have an
          // earlier one on its way (a burst, a retry): deliver up to the first reply younger than the settle
          // time, and come back for the rest.
          const settledBefore = Date.now() - SETTLE_MS;
          const firstFresh = all.findIndex((m) => Date.parse(m.createdAt) > settledBefore);
          const due = firstFresh < 0 ? all : all.slice(0, firstFresh);
          const wait = firstFresh < 0 ? {} : { waitMs: SETTLE_MS };
          if (due.length === 0) return { done: 0, ...wait };
          const e = await escalations.get(escalationId);
          const [lang, timeZone] = await Promise.all([
            customerLang(deps.db, { conversationId: e.conversationId, userId: e.userId, accountId: e.accountId }),
            deps.timeZoneOf(e.accountId),
          ]);
          let done = 0;
          for (const m of due) {
            const text = m.deletedAt ? '' : renderForCustomer(m, e, lang, timeZone);
            if (text) {
              const status = handoffStatus(m);
              await proactive.deliver({
                // Missed replies are shown again when the customer comes back (engine: join), not kept twice.
                keepForNextVisit: false,
                conversationId: e.conversationId,
                userId: e.userId,
                accountId: e.accountId,
                text,
                dedupeKey: `escalation-message:${m.id}`,
                ...(m.direction === 'agent' && m.authorName
                  ? { from: { id: `agent:${m.authorId ?? 'person'}`, name: m.authorName } }
                  : {}),
                ...(status ? { event: { name: 'handoff.status', value: status } } : {}),
              });
              done++;
            }
            await escalations.markDelivered(m.id, e.conversationId);
            await keep();
          }
          return { done, ...wait };
        },
      });
    },
  };
}

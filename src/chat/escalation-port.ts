/** The chat's view of escalations, over the escalation service. */
import type { EscalationService, EscalationView } from '../escalations/service.ts';
import type { SlaPolicy } from '../requests/sla.ts';
import { renderForCustomer } from './escalations.ts';
import type { EscalationPort, HandoffPromise } from './ports.ts';

export function createEscalationPort(
  escalations: EscalationService,
  sla: SlaPolicy,
  /** when the customer last had a conversation open (Direct Line presence) */
  lastSeen: (conversationId: string) => Promise<Date | null>,
): EscalationPort {
  const promise = (e: EscalationView): HandoffPromise => ({
    id: e.id,
    reference: e.reference,
    person: e.assigneeName ?? e.managerName,
    status: e.status,
    dueAt: e.slaDueAt,
    hours: {
      start: sla.businessStart,
      end: sla.businessEnd,
      days: sla.businessDays ?? [1, 2, 3, 4, 5],
      timeZone: sla.timeZone,
    },
  });
  return {
    async open(who, input) {
      const { escalation, created } = await escalations.open(who, input);
      return { ...promise(escalation), created };
    },
    async active(who) {
      const e = await escalations.activeFor(who.userId);
      if (!e) return null;
      if (e.conversationId !== who.conversationId) await escalations.rebind(e.id, who.conversationId);
      return promise(e);
    },
    status: (id) => escalations.status(id),
    async say(id, who, message) {
      await escalations.customerMessage(id, {
        activityId: message.activityId,
        authorId: who.userId,
        authorName: who.userName,
        text: message.text,
      });
    },
    async leave(id) {
      await escalations.close(id, 'customer_left', null);
    },
    async missed(who, lang, timeZone) {
      const found = await escalations.missed(who.userId, who.conversationId, lastSeen);
      return found
        .map(({ message, escalation }) => renderForCustomer(message, escalation, lang, timeZone))
        .filter(Boolean);
    },
  };
}

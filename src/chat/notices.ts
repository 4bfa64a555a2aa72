/**
 * What the bot tells a customer on its own when something happens to them elsewhere (a request decided):
 * in their conversation if it is still there, else on their next visit. Jobs of the job catalog.
 */
import type { CreditService } from '../credits/credit-service.ts';
import type { Db } from '../infra/db.ts';
import type { SideEffects } from '../jobs/side-effects.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import { toLang } from '../locale/format.ts';
import type { RequestService } from '../requests/request-service.ts';
import { decisionMessage } from './answers/decisions.ts';
import type { Proactive } from './proactive.ts';

export interface NoticeDeps {
  db: Db;
  requests: RequestService;
  credits: CreditService;
  proactive: Proactive;
  sideEffects: SideEffects;
}

/** The language to tell a customer something in: their conversation's, else their own, else their account's. */
export async function customerLang(db: Db, who: { conversationId: string | null; userId: string; accountId: string }) {
  const [conversation, user, account] = await Promise.all([
    who.conversationId
      ? db.prisma.chatConversation.findUnique({ where: { id: who.conversationId }, select: { locale: true } })
      : null,
    db.prisma.platformUser.findUnique({ where: { id: who.userId }, select: { locale: true } }),
    db.prisma.account.findUnique({ where: { id: who.accountId }, select: { locale: true } }),
  ]);
  return toLang(conversation?.locale ?? user?.locale ?? account?.locale) ?? 'en';
}

export function noticeJobHandlers(deps: NoticeDeps): Pick<JobHandlers, 'v1.requests.notify-customer'> {
  const { requests, credits, sideEffects } = deps;
  return {
    async 'v1.requests.notify-customer'({ requestId }) {
      const key = `customer-notified:${requestId}`;
      if (await sideEffects.done(key)) return { already: true };
      const r = await requests.get(requestId);
      if (r.status === 'pending') return { skipped: 'not decided' };
      const lang = await customerLang(deps.db, {
        conversationId: r.conversationId,
        userId: r.requesterUserId,
        accountId: r.accountId,
      });
      const state = await credits.getState(r.accountId);
      // The customer knows their manager by name, not by Slack user id.
      const view =
        r.deciderId && r.deciderId === r.managerSlackUserId && r.managerName ? { ...r, decidedBy: r.managerName } : r;
      const delivery = await deps.proactive.deliver({
        conversationId: r.conversationId,
        userId: r.requesterUserId,
        accountId: r.accountId,
        text: decisionMessage(view, state, lang),
        dedupeKey: key,
      });
      await sideEffects.record(key, delivery);
      return delivery;
    },
  };
}

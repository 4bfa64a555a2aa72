/**
 * Low-credit alerts in the customer's chat (src/credits/alerts.ts decides them): the customer reads how many
 * credits are left and what share of the plan that is, the forecast when it says they run out before the
 * top-up, and the next step with Buy More and Change Plan buttons. In their open conversation, else on their next
 * visit (until the period ends). One job per user; a rerun finds the message it already sent.
 */

import { RUNOUT } from '../credits/alert-rules.ts';
import { type CreditAlert, getAlert } from '../credits/alerts.ts';
import type { Db } from '../infra/db.ts';
import type { SideEffects } from '../jobs/side-effects.ts';
import type { JobHandlers } from '../jobs/worker.ts';
import { formatter, type Lang } from '../locale/format.ts';
import { buyButton, changePlanButton } from './answers/context.ts';
import { customerLang } from './notices.ts';
import type { Proactive } from './proactive.ts';
import type { Reply } from './types.ts';

export interface ChatAlertDeps {
  db: Db;
  proactive: Proactive;
  sideEffects: SideEffects;
  /** told about every alert delivered (metrics) */
  onSent?: (trigger: string, recipient: 'customer') => void;
}

/** What the customer reads, in their language, with the account's time zone (figures of the evaluation). */
export function creditAlertMessage(a: CreditAlert, timeZone: string, lang: Lang): Reply {
  const f = formatter(lang, timeZone);
  const es = lang === 'es';
  const balance = `**${f.credits(a.balance)}**`;
  const rate = f.n(Math.round(a.burnRatePerDay));
  const asOf = f.dateTime(a.evaluatedAt);
  const topUp = f.date(a.periodEnd);
  const forecast =
    a.runsOutBeforeTopUp && a.runsOutAt
      ? es
        ? `Al ritmo de los últimos 7 días (unos ${rate} al día) se acabarían hacia el **${f.date(a.runsOutAt)}**, antes de tu recarga del ${topUp}.`
        : `At the pace of the last 7 days (about ${rate} a day) they would run out around **${f.date(a.runsOutAt)}**, before your top-up on ${topUp}.`
      : es
        ? `Tus créditos se renuevan en la recarga del ${topUp}.`
        : `Your credits renew at the top-up on ${topUp}.`;
  const next = es
    ? 'Para seguir sin interrupciones, puedes comprar más créditos o cambiar de plan.'
    : 'To keep going without a pause, you can buy more credits or change your plan.';
  const head =
    a.trigger === RUNOUT || a.threshold === null
      ? es
        ? `⚠️ Te quedan ${balance} (${asOf}).`
        : `⚠️ You have ${balance} left (${asOf}).`
      : es
        ? `⚠️ Tu saldo está por debajo del **${f.percent(a.threshold, 2)}** de tu plan: te quedan ${balance} de ${f.n(a.planCredits)} (${asOf}).`
        : `⚠️ Your balance is below **${f.percent(a.threshold, 2)}** of your plan: ${balance} left of ${f.n(a.planCredits)} (${asOf}).`;
  return { text: `${head} ${forecast} ${next}`, suggestions: [buyButton(lang), changePlanButton(lang)] };
}

export function chatAlertJobHandlers(deps: ChatAlertDeps): Pick<JobHandlers, 'v1.chat.credit-alert'> {
  const { db, sideEffects } = deps;
  return {
    async 'v1.chat.credit-alert'({ alertId, userId }) {
      const key = `credit-alert:${alertId}:${userId}`;
      if (await sideEffects.done(key)) return { already: true };
      const alert = await getAlert(db, alertId);
      if (!alert.notified) return { skipped: 'another alert of the evaluation carried the message' };
      const [user, account, conversation] = await Promise.all([
        db.prisma.platformUser.findUnique({ where: { id: userId }, select: { accountId: true } }),
        db.prisma.account.findUnique({ where: { id: alert.accountId }, select: { timeZone: true } }),
        db.prisma.chatConversation.findFirst({
          where: { userId, accountId: alert.accountId },
          orderBy: { lastActivityAt: 'desc' },
          select: { id: true },
        }),
      ]);
      if (!user || user.accountId !== alert.accountId || !account) return { skipped: 'no such user of the account' };
      const lang = await customerLang(db, {
        conversationId: conversation?.id ?? null,
        userId,
        accountId: alert.accountId,
      });
      const reply = creditAlertMessage(alert, account.timeZone, lang);
      const delivery = await deps.proactive.deliver({
        conversationId: conversation?.id ?? null,
        userId,
        accountId: alert.accountId,
        text: reply.text,
        suggestions: reply.suggestions ?? [],
        locale: lang === 'es' ? 'es-ES' : 'en-US',
        dedupeKey: key,
        // A kept copy is stale once the period it speaks of has ended.
        expiresAt: alert.periodEnd,
      });
      await sideEffects.record(key, delivery);
      deps.onSent?.(alert.trigger, 'customer');
      return delivery;
    },
  };
}

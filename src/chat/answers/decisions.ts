/** What the customer reads when their request is decided, in their conversation's language. */
import type { CreditState } from '../../credits/types.ts';
import { formatter, type Lang } from '../../locale/format.ts';
import type { RequestView } from '../../requests/request-service.ts';
import { escapeMd } from '../markdown.ts';

export function decisionMessage(r: RequestView, s: CreditState, lang: Lang): string {
  const f = formatter(lang, s.timeZone);
  const es = lang === 'es';
  const who = r.decidedBy ? escapeMd(r.decidedBy) : es ? 'tu gestor de cuenta' : 'your account manager';
  if (r.status === 'approved') {
    if (r.kind === 'buy_credits') {
      return es
        ? `✅ Tu solicitud **${r.reference}** ha sido aprobada por ${who}: se han añadido ${f.credits(r.credits)}. Tu saldo ahora es de **${f.credits(s.credits.balance)}**, válidos hasta la recarga del ${f.date(s.nextTopUpAt)}.`
        : `✅ Your request **${r.reference}** was approved by ${who}: ${f.credits(r.credits)} were added. Your balance is now **${f.credits(s.credits.balance)}**, valid until the top-up on ${f.date(s.nextTopUpAt)}.`;
    }
    const plan = escapeMd(r.targetPlanName);
    return r.effective === 'immediate'
      ? es
        ? `✅ Tu cambio al plan **${plan}** (${r.reference}) ha sido aprobado por ${who} y ya está activo. Tu saldo ahora es de **${f.credits(s.credits.balance)}**; desde la recarga del ${f.date(s.nextTopUpAt)} recibirás ${f.credits(r.targetPlan?.monthlyCredits ?? 0)} al mes.`
        : `✅ Your change to the **${plan}** plan (${r.reference}) was approved by ${who} and is active now. Your balance is **${f.credits(s.credits.balance)}**; from the top-up on ${f.date(s.nextTopUpAt)} you'll get ${f.credits(r.targetPlan?.monthlyCredits ?? 0)} a month.`
      : es
        ? `✅ Tu cambio al plan **${plan}** (${r.reference}) ha sido aprobado por ${who}. Se aplicará en la recarga del ${f.date(s.nextTopUpAt)}; hasta entonces mantienes tu plan actual y tus ${f.credits(s.credits.balance)}.`
        : `✅ Your change to the **${plan}** plan (${r.reference}) was approved by ${who}. It takes effect at the top-up on ${f.date(s.nextTopUpAt)}; until then you keep your current plan and your ${f.credits(s.credits.balance)}.`;
  }
  if (r.status === 'rejected') {
    return es
      ? `❌ Tu solicitud **${r.reference}** no ha sido aprobada por ${who}${r.reason ? `: _${escapeMd(r.reason)}_` : '.'} No ha cambiado nada en tu cuenta; puedes escribirme si quieres otra opción.`
      : `❌ Your request **${r.reference}** was not approved by ${who}${r.reason ? `: _${escapeMd(r.reason)}_` : '.'} Nothing changed on your account; write to me if you'd like another option.`;
  }
  return es ? `Tu solicitud **${r.reference}** está ${r.status}.` : `Your request **${r.reference}** is ${r.status}.`;
}

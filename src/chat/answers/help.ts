/** Greetings, the opening for each origin, people, disputes, and what to do when unsure. */
import { bold, escapeMd } from '../markdown.ts';
import type { Intent } from '../nlu/types.ts';
import type { Origin, Reply } from '../types.ts';
import { type AnswerCtx, type AskIntent, ask, buyButton, changePlanButton, isAskIntent, tr } from './context.ts';

const firstName = (name: string) => escapeMd(name.split(/\s+/)[0] ?? name);

/** The first message when the chat opens from a button: the account's state and the next step for that origin. */
export async function opening(c: AnswerCtx, origin: Origin): Promise<Reply> {
  const s = await c.state();
  const { f, lang } = c;
  const hello = tr(lang, `Hi ${firstName(c.who.userName)}!`, `¡Hola, ${firstName(c.who.userName)}!`);
  const status = tr(
    lang,
    `You have **${f.credits(s.credits.balance)}** available${s.credits.accumulated > 0 ? ` (${f.n(s.credits.accumulated)} accumulated)` : ''} on your ${escapeMd(s.plan.name)} plan, and it tops up with ${f.n(s.credits.plan)} on ${f.date(s.nextTopUpAt)} (${f.relative(s.nextTopUpAt, c.now)}).`,
    `Tienes **${f.credits(s.credits.balance)}** disponibles${s.credits.accumulated > 0 ? ` (${f.n(s.credits.accumulated)} acumulados)` : ''} en tu plan ${escapeMd(s.plan.name)}, que se recarga con ${f.n(s.credits.plan)} el ${f.date(s.nextTopUpAt)} (${f.relative(s.nextTopUpAt, c.now)}).`,
  );
  if (origin === 'buy_more' || origin === 'change_plan') {
    // The flow for that origin follows as the next message.
    return { text: `${hello} ${status}` };
  }
  return {
    text: `${hello} ${status} ${tr(lang, 'What can I help you with?', '¿En qué te puedo ayudar?')}`,
    suggestions: [ask(lang, 'usage_by_type'), ask(lang, 'forecast_runout'), buyButton(lang), changePlanButton(lang)],
  };
}

export function greeting(c: AnswerCtx): Reply {
  return {
    text: tr(
      c.lang,
      `Hi ${firstName(c.who.userName)}! I can tell you your balance, where your credits went, when they renew, and pass a plan change or a credit purchase to your account manager.`,
      `¡Hola, ${firstName(c.who.userName)}! Puedo decirte tu saldo, en qué se han ido tus créditos y cuándo se renuevan, y pasar a tu gestor un cambio de plan o una compra de créditos.`,
    ),
    suggestions: [ask(c.lang, 'balance'), ask(c.lang, 'usage_by_type'), buyButton(c.lang), changePlanButton(c.lang)],
  };
}

export function thanks(c: AnswerCtx): Reply {
  return {
    text: tr(c.lang, "You're welcome! Anything else?", '¡De nada! ¿Algo más?'),
    suggestions: [ask(c.lang, 'balance'), ask(c.lang, 'usage_by_type')],
  };
}

function managerLine(c: AnswerCtx): string {
  const m = c.account.manager;
  if (!m) {
    return tr(
      c.lang,
      'Your account has no account manager assigned yet; our support team will pick this up.',
      'Tu cuenta aún no tiene gestor asignado; nuestro equipo de soporte se encargará.',
    );
  }
  return tr(
    c.lang,
    `Your account manager is ${bold(m.name)}${m.email ? ` (${escapeMd(m.email)})` : ''}.`,
    `Tu gestor de cuenta es ${bold(m.name)}${m.email ? ` (${escapeMd(m.email)})` : ''}.`,
  );
}

export function talkToHuman(c: AnswerCtx): Reply {
  return {
    text: [
      managerLine(c),
      tr(
        c.lang,
        'You can write to them directly. If it is about buying credits or changing your plan, I can send them the request from here right now, with your figures, and tell you here when they decide.',
        'Puedes escribirle directamente. Si es para comprar créditos o cambiar de plan, puedo enviarle la solicitud desde aquí ahora mismo, con tus cifras, y avisarte aquí cuando decida.',
      ),
    ].join(' '),
    suggestions: [buyButton(c.lang), changePlanButton(c.lang), ask(c.lang, 'request_status')],
  };
}

export async function refundOrDispute(c: AnswerCtx): Promise<Reply> {
  const s = await c.state();
  return {
    text: [
      tr(
        c.lang,
        `I can't restore or refund credits myself: credits are charged when an action runs, and refunds or corrections are reviewed by your account manager. This period ${c.f.n(s.credits.usedThisPeriod)} credits have been used and your balance is ${c.f.n(s.credits.balance)}.`,
        `No puedo devolver ni restaurar créditos yo mismo: los créditos se cobran al ejecutarse cada acción, y las devoluciones o correcciones las revisa tu gestor de cuenta. Este periodo se han usado ${c.f.n(s.credits.usedThisPeriod)} créditos y tu saldo es de ${c.f.n(s.credits.balance)}.`,
      ),
      managerLine(c),
      tr(
        c.lang,
        'Tell them what happened (the date and the action); the breakdown below can help.',
        'Cuéntale qué pasó (la fecha y la acción); el desglose te puede ayudar.',
      ),
    ].join(' '),
    suggestions: [ask(c.lang, 'usage_spike'), ask(c.lang, 'usage_by_type'), ask(c.lang, 'talk_to_human')],
  };
}

/** Invoices and billing documents are not in the ledger the bot reads: a person handles them. */
export function invoices(c: AnswerCtx): string {
  return tr(
    c.lang,
    "I can't send or change invoices myself: I only see your credits and their usage.",
    'No puedo enviar ni modificar facturas: solo veo tus créditos y su consumo.',
  );
}

/** Prices beyond the catalog are negotiated, not quoted by the bot. */
export function customOffer(c: AnswerCtx): string {
  return tr(
    c.lang,
    'I can only quote the catalog: your plan, the other plans and the credit packs.',
    'Solo puedo darte los precios del catálogo: tu plan, los otros planes y los packs de créditos.',
  );
}

export function outOfScope(c: AnswerCtx): Reply {
  return {
    text: tr(
      c.lang,
      "I can only help with your account's credits, usage, plan and purchases, so I can't help with that here. Here's what I can do:",
      'Solo puedo ayudarte con los créditos, el consumo, el plan y las compras de tu cuenta, así que con eso no puedo ayudarte aquí. Esto es lo que sí puedo hacer:',
    ),
    suggestions: [
      ask(c.lang, 'balance'),
      ask(c.lang, 'usage_by_type'),
      ask(c.lang, 'renewal_date'),
      ask(c.lang, 'talk_to_human'),
    ],
  };
}

/** When unsure: offer the likeliest readings as choices, never a bare "I don't understand". */
export function clarify(c: AnswerCtx, candidates: Intent[]): Reply {
  const asks = candidates.filter((i): i is AskIntent => isAskIntent(i)).slice(0, 3);
  const fallback: AskIntent[] = ['balance', 'usage_by_type', 'renewal_date'];
  const picks = asks.length ? asks : fallback;
  const suggestions = picks.map((i) => ask(c.lang, i));
  if (candidates.includes('buy_credits')) suggestions.push(buyButton(c.lang));
  if (candidates.includes('change_plan')) suggestions.push(changePlanButton(c.lang));
  if (suggestions.length < 4) suggestions.push(ask(c.lang, 'talk_to_human'));
  return {
    text: tr(
      c.lang,
      'I want to get this right. Did you mean one of these?',
      'Quiero acertar. ¿Te refieres a alguna de estas?',
    ),
    suggestions: suggestions.slice(0, 5),
  };
}

export function emptyMessage(c: AnswerCtx): Reply {
  return {
    text: tr(
      c.lang,
      "I didn't get any text. What would you like to know?",
      'No me ha llegado ningún texto. ¿Qué te gustaría saber?',
    ),
    suggestions: [ask(c.lang, 'balance'), ask(c.lang, 'usage_by_type'), buyButton(c.lang)],
  };
}

/**
 * Handing the customer to a person: the offer (a button, where that is kinder than forcing it), the honest
 * promise of who answers and by when, the one line while a person holds the conversation, and the way back.
 */
import type { EscalationReason } from '../../escalations/service.ts';
import { escapeMd } from '../markdown.ts';
import type { HandoffPromise } from '../ports.ts';
import type { Reply, Suggestion } from '../types.ts';
import { type AnswerCtx, tr } from './context.ts';

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** The person the customer would get: their account manager by name, or the support team. */
export function personFor(c: AnswerCtx): { name: string | null; label: string } {
  const m = c.account.manager;
  if (m) return { name: m.name, label: escapeMd(firstName(m.name)) };
  return { name: null, label: tr(c.lang, 'our support team', 'nuestro equipo de soporte') };
}

export function handoffButton(c: AnswerCtx, reason: EscalationReason): Suggestion {
  const p = personFor(c);
  return {
    title: p.name
      ? tr(c.lang, `Talk to ${firstName(p.name)}`, `Hablar con ${firstName(p.name)}`)
      : tr(c.lang, 'Talk to a person', 'Hablar con una persona'),
    value: { action: 'handoff.start', reason },
  };
}

export const leaveButton = (c: AnswerCtx): Suggestion => ({
  title: tr(c.lang, 'Back to the assistant', 'Volver al asistente'),
  value: { action: 'handoff.leave' },
});

/** Offers a person for this reason: a sentence and the button. */
export function offer(c: AnswerCtx, reason: EscalationReason): { line: string; button: Suggestion } {
  const p = personFor(c);
  const who = p.name ? tr(c.lang, `${p.label}, your account manager`, `${p.label}, tu gestor de cuenta`) : p.label;
  const lines: Record<EscalationReason, [string, string]> = {
    asked_for_person: [`I can bring in ${who} right here.`, `Puedo avisar a ${who} para que siga aquí contigo.`],
    refund_or_dispute: [
      `${who} can review the charge and correct it: I can hand this conversation over now.`,
      `${who} puede revisar el cargo y corregirlo: puedo pasarle esta conversación ahora.`,
    ],
    invoice: [
      `Invoices and billing details are handled by ${who}: I can hand this conversation over now.`,
      `Las facturas y los datos de facturación los lleva ${who}: puedo pasarle esta conversación ahora.`,
    ],
    carryover_exception: [
      `As a rule unused credits don't carry over, but ${who} can grant an exception: I can hand this over now.`,
      `Por norma los créditos no usados no se acumulan, pero ${who} puede hacer una excepción: puedo pasarle esto ahora.`,
    ],
    custom_offer: [
      `Prices beyond the catalog are agreed with ${who}, who can put together a customised offer: I can hand this conversation over now.`,
      `Los precios fuera del catálogo se acuerdan con ${who}, que puede prepararte una oferta a medida: puedo pasarle esta conversación ahora.`,
    ],
    misunderstood: [
      `I'm not getting this right, sorry. Would you like ${who} to take over?`,
      `No estoy acertando, perdona. ¿Quieres que se encargue ${who}?`,
    ],
    frustration: [
      `Sorry this is frustrating. ${who[0]!.toUpperCase()}${who.slice(1)} can take over right here if you prefer.`,
      `Siento que esto esté siendo frustrante. Si lo prefieres, ${who} puede seguir contigo aquí mismo.`,
    ],
  };
  const [en, es] = lines[reason];
  return { line: tr(c.lang, en, es), button: handoffButton(c, reason) };
}

const DAY_NAMES = {
  en: ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  es: ['', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
};

/** "Monday to Friday, 09:00–18:00 (Madrid time)" */
function workingHours(c: AnswerCtx, h: HandoffPromise['hours']): string {
  const names = DAY_NAMES[c.lang];
  const days = [...h.days].sort();
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const dayText =
    contiguous && days.length > 1
      ? tr(c.lang, `${names[days[0]!]} to ${names[days.at(-1)!]}`, `de ${names[days[0]!]} a ${names[days.at(-1)!]}`)
      : c.f.list(days.map((d) => names[d]!));
  const city = (h.timeZone.split('/').pop() ?? h.timeZone).replaceAll('_', ' ');
  return tr(
    c.lang,
    `${dayText}, ${h.start}–${h.end} (${city} time)`,
    `${dayText}, de ${h.start} a ${h.end} (hora de ${city})`,
  );
}

/** After opening: who will answer, by when (honestly: working hours), and that everything written goes to them. */
export function handedOver(c: AnswerCtx, p: HandoffPromise & { created: boolean }): Reply {
  const m = c.account.manager;
  const email = m && m.name === p.person && m.email ? ` (${escapeMd(m.email)})` : '';
  const person = p.person
    ? tr(
        c.lang,
        `**${escapeMd(p.person)}**${email}, your account manager,`,
        `**${escapeMd(p.person)}**${email}, tu gestor de cuenta,`,
      )
    : tr(c.lang, 'our support team', 'nuestro equipo de soporte');
  const due = new Date(p.dueAt);
  const sameDay = c.f.dayKey(due) === c.f.dayKey(c.now);
  const when = sameDay
    ? tr(c.lang, `by ${c.f.dateTime(due)}`, `antes de las ${c.f.dateTime(due)}`)
    : tr(
        c.lang,
        `by ${c.f.dateTime(due)}, the next working time`,
        `antes del ${c.f.dateTime(due)}, en el próximo horario laboral`,
      );
  const first = p.created
    ? tr(
        c.lang,
        `I've asked ${person} to take over; they'll answer right here (ref. ${p.reference}).`,
        `He pedido a ${person} que siga contigo; te responderá aquí mismo (ref. ${p.reference}).`,
      )
    : tr(
        c.lang,
        `${person[0]!.toUpperCase()}${person.slice(1)} already has your conversation (ref. ${p.reference}); they'll answer right here.`,
        `${person[0]!.toUpperCase()}${person.slice(1)} ya tiene tu conversación (ref. ${p.reference}); te responderá aquí mismo.`,
      );
  const hours = tr(
    c.lang,
    `Our people work ${workingHours(c, p.hours)}: expect an answer ${when}.`,
    `Nuestro equipo trabaja ${workingHours(c, p.hours)}: cuenta con una respuesta ${when}.`,
  );
  const until = tr(
    c.lang,
    'Until then, everything you write here goes to them, and I stay quiet.',
    'Mientras tanto, todo lo que escribas aquí les llega a ellos, y yo no intervengo.',
  );
  return {
    text: [first, p.status === 'open' ? hours : '', until].filter(Boolean).join(' '),
    suggestions: [leaveButton(c)],
  };
}

/** The one line while a person holds the conversation. */
export function relayed(c: AnswerCtx, p: { person: string | null; status: string }): Reply {
  const who = p.person ? `**${escapeMd(p.person)}**` : tr(c.lang, 'our support team', 'nuestro equipo de soporte');
  return {
    text:
      p.status === 'claimed'
        ? tr(
            c.lang,
            `${who} has the conversation: your messages go straight to them.`,
            `${who} tiene la conversación: tus mensajes le llegan directamente.`,
          )
        : tr(
            c.lang,
            `Your message is waiting for ${who}, who will answer here. I'll stay quiet meanwhile.`,
            `Tu mensaje está esperando a ${who}, que te responderá aquí. Yo no intervengo mientras tanto.`,
          ),
    suggestions: [leaveButton(c)],
  };
}

/** Opening the chat again while a person holds the conversation. */
export function stillWithPerson(c: AnswerCtx, p: HandoffPromise): Reply {
  const who = p.person ? `**${escapeMd(p.person)}**` : tr(c.lang, 'our support team', 'nuestro equipo de soporte');
  return {
    text: tr(
      c.lang,
      `Welcome back! You're still talking with ${who} (ref. ${p.reference}): write here and it reaches them.`,
      `¡Hola de nuevo! Sigues hablando con ${who} (ref. ${p.reference}): escribe aquí y les llega.`,
    ),
    suggestions: [leaveButton(c)],
  };
}

export function backWithBot(c: AnswerCtx): Reply {
  return {
    text: tr(
      c.lang,
      "OK, you're back with me, the credits assistant. What can I help you with?",
      'De acuerdo, vuelves a hablar conmigo, el asistente de créditos. ¿En qué te ayudo?',
    ),
  };
}

/** What a person said while the customer was away, as one message (none when there is nothing). */
export function whileAway(c: AnswerCtx, texts: string[]): Reply[] {
  if (texts.length === 0) return [];
  return [{ text: [tr(c.lang, 'While you were away:', 'Mientras no estabas:'), ...texts].join('\n\n') }];
}

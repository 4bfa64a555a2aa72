/**
 * The model's words as the customer sees them: another party's text, so every line goes through the product's
 * one Markdown escaper (no link, image, HTML, heading or code it could inject) and the reply is assembled by the
 * one reply builder. Only two pieces of formatting survive, rebuilt from escaped text: bullet lists ("- " or
 * "1. " at the start of a line) and **bold**. Pure.
 */
import { type AnswerCtx, ask, tr } from '../answers/context.ts';
import { escapeMd, md } from '../markdown.ts';
import type { Reply } from '../types.ts';

/** Longest reply kept from the model (characters, before escaping); the rest is cut at a sentence. */
export const MAX_MODEL_REPLY = 1_200;

const LIST_ITEM = /^\s*(?:[-*•]|\d{1,2}[.)])\s+/;

/** Escaped text with **bold** put back (its inside stays escaped, so it can only be bold text). */
function inline(line: string): string {
  return escapeMd(line).replace(/\\\*\\\*((?:(?!\\\*).){1,200}?)\\\*\\\*/g, '**$1**');
}

function cut(text: string): string {
  if (text.length <= MAX_MODEL_REPLY) return text;
  const head = text.slice(0, MAX_MODEL_REPLY);
  const stop = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'), head.lastIndexOf('\n'));
  return stop > MAX_MODEL_REPLY / 2 ? head.slice(0, stop + 1) : `${head.trimEnd()}…`;
}

/** The model's reply as safe Markdown for the chat. */
export function modelReplyMarkdown(text: string): string {
  const blocks: Array<string | string[]> = [];
  for (const raw of cut(text.replace(/\r\n?/g, '\n')).split('\n')) {
    const line = raw.trim();
    const last = blocks.at(-1);
    if (!line) {
      if (last !== undefined && last !== '') blocks.push('');
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const item = inline(line.replace(LIST_ITEM, ''));
      if (Array.isArray(last)) last.push(item);
      else blocks.push([item]);
      continue;
    }
    const para = inline(line.replace(/^#{1,6}\s+/, ''));
    if (typeof last === 'string' && last !== '') blocks[blocks.length - 1] = `${last} ${para}`;
    else blocks.push(para);
  }
  return md(...blocks.filter((b) => b !== ''));
}

/** The reply when a customer sent more messages to the assistant than the limit allows (deterministic). */
export function slowDown(c: AnswerCtx, retryAfterSeconds: number): Reply {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return {
    text: tr(
      c.lang,
      `You've sent me a lot of open questions in a short time, so for the next ${minutes === 1 ? 'minute' : `${minutes} minutes`} I can only answer the usual ones (your balance, usage, plan, purchases). Pick one below or ask it directly.`,
      `Me has enviado muchas preguntas abiertas en poco tiempo, así que durante ${minutes === 1 ? 'el próximo minuto' : `los próximos ${minutes} minutos`} solo puedo responder las habituales (saldo, consumo, plan, compras). Elige una abajo o pregúntala directamente.`,
    ),
    suggestions: [
      ask(c.lang, 'balance'),
      ask(c.lang, 'usage_by_type'),
      ask(c.lang, 'renewal_date'),
      ask(c.lang, 'talk_to_human'),
    ],
  };
}

/**
 * What else a message says beyond its intent, for deciding when a person should take over: the customer
 * explicitly asks for one, sounds frustrated, wants a custom offer or an exception, or asks about invoices.
 * Deterministic, on the folded text (lowercase, no accents), English and Spanish.
 */
import type { Signals } from './types.ts';

const PERSON =
  /\b(person|persons|people|human|humans|someone|somebody|real (agent|person)|agent|representative|rep|manager|account manager|sales|support team|persona|personas|humano|humana|alguien|agente|gestor|gestora|comercial|responsable|asesor|asesora|operador|operadora)\b/;
const FRUSTRATED =
  /\b(useless|ridiculous|terrible|awful|horrible|stupid|dumb|wtf|fed up|sick of|annoying|annoyed|frustrat\w*|waste of (my )?time|not helping|doesnt help|does not help|pointless|hopeless|garbage|rubbish|inutil|inutiles|ridiculo|ridicula|desastre|harto|harta|hartos|no sirves|no sirve de nada|no entiendes|que mal|estupido|estupida|tonto|tonta|perdiendo el tiempo|frustra\w*|cabread\w*|enfadad\w*|indignad\w*|verguenza)\b/;
const CUSTOM_OFFER =
  /\b((better|special|custom|lower|cheaper|best|good|personal(ised|ized)?) (price|prices|deal|offer|rate|rates|pricing|conditions)|discount\w*|negotiat\w*|descuento\w*|rebaja\w*|mejor precio|precio especial|precios especiales|oferta (personalizada|especial|a medida)|negociar|condiciones especiales|precio a medida)\b/;
const EXCEPTION =
  /\b(exception|this time|just this once|one off|extend|extension|keep (my|the|them|those|these)|carry (them )?over for|excepcion|esta vez|por esta vez|solo esta vez|conservar|guardar|guardarme|mantener|extender|ampliar|prorrogar|que no se pierdan|no perder)\b/;
const INVOICE =
  /\b(invoice|invoices|invoicing|receipt|receipts|billing|billed|bill|vat|tax|factura|facturas|facturacion|facturar|recibo|recibos|iva)\b/;

export function signalsOf(folded: string, raw: string): Signals {
  const words = raw.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const shouting =
    words.length >= 3 && words.filter((w) => w.length > 1 && w === w.toUpperCase() && /\p{Lu}/u.test(w)).length >= 3;
  const out: Signals = {};
  if (PERSON.test(folded)) out.asksForPerson = true;
  if (FRUSTRATED.test(folded) || shouting || /[!?]{3,}/.test(raw)) out.frustrated = true;
  if (CUSTOM_OFFER.test(folded)) out.customOffer = true;
  if (EXCEPTION.test(folded)) out.exception = true;
  if (INVOICE.test(folded)) out.invoice = true;
  return out;
}

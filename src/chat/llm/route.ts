/**
 * Which messages the LLM assistant sees. The deterministic engine answers what it recognises confidently, at
 * zero tokens: a compound frame, or an intent at or above CONFIDENT_AT. The model gets messages in a language
 * other than English or Spanish, free-form requests ("explain…", "summarise…", "what changed… and why?"),
 * several questions the compound reader did not frame, and what the engine is unsure of. Pure.
 */
import type { NluResult } from '../nlu/types.ts';

/** At or above this confidence the deterministic engine answers (below it, the model is asked first). */
export const CONFIDENT_AT = 0.4;

export type Topic = 'account' | 'usage' | 'plans' | 'people';

export type Route =
  | { to: 'engine' }
  | { to: 'model'; why: 'other_language' | 'free_form' | 'compound' | 'unsure'; topic: Topic; language?: string };

// ── Languages other than English and Spanish ────────────────────────────────────────────────────────────────

/**
 * Function words and frequent words of each language, left out where they are also English or Spanish words
 * ("me", "mes", "les", "die", "per", "we", "do", "da", "con"...), so an English or Spanish message never votes
 * for another language.
 */
const WORDS: Record<string, string> = {
  en: `the is are am do does did have has how many much what when why where which my i you we our your left can
    will with this that for of to and it be please been there was were would could should about any`,
  es: `el la los las que qué cuántos cuántas cuánto cuanto cuantos mis tengo tenemos hay por para es está están
    cómo como cuándo cuando del al y o se no lo quiero puedo gracias hola este esta mes créditos saldo nuestro
    nuestra cuál cual también pero muy ya sí eso hemos he me mi tu`,
  fr: `je j il nous vous ils elles est sont avons avez combien quand pourquoi comment mon mes ma des du au aux et
    où pas ne pour avec dans sur reste restent crédits ce cette ces mois merci bonjour salut qu c quel quelle
    quels quelles depuis utilisé utilisés peux puis veux voudrais suis être avoir facture abonnement forfait
    votre vos notre nos encore déjà aussi mais très`,
  de: `ich du er wir ihr habe hast haben bin ist sind wie viele viel noch mein meine meinen meiner unser unsere
    der das dem und oder nicht kein keine wann warum wo bitte danke hallo für von zu auf bei diesen dieser
    diese monat guthaben verbraucht verbrauch kann können möchte werden wird schon auch aber tarif wieviel
    wieviele übrig`,
  pt: `eu você vocês nós meu minha meus minhas tenho temos não quantos quantas ainda estou são isso isto também
    obrigado obrigada olá oi mês até ao aos pelo pela uma fatura quero posso preciso gastei gastamos restam
    sobrou sobram nosso nossa seu sua qual quais é mais meses você`,
  it: `io noi voi ho hai abbiamo è sono quanti quante quanto quando perché mio mia miei il gli di della dei che
    crediti ancora restano rimangono rimasti grazie ciao buongiorno questo questa mese vorrei abbonamento
    fattura utilizzato usato nostro nostra anche ma molto già`,
  nl: `ik jij wij hoeveel heb hebben heeft nog mijn onze het een niet wanneer waarom wat waar hoe zijn deze dit
    maand bedankt dank tegoed verbruikt kunnen wil graag ook voor over`,
};

const ENGLISH_OR_SPANISH = new Set([...WORDS.en!.split(/\s+/), ...WORDS.es!.split(/\s+/)]);
const VOTES = new Map<string, string[]>();
for (const [lang, list] of Object.entries(WORDS)) {
  for (const w of list.split(/\s+/).filter(Boolean)) {
    if (lang !== 'en' && lang !== 'es' && ENGLISH_OR_SPANISH.has(w)) continue;
    VOTES.set(w, [...(VOTES.get(w) ?? []), lang]);
  }
}

/** Letters only English and Spanish do not use, and the languages they hint at. */
const MARKS: Array<[RegExp, string]> = [
  [/[ãõ]|(?<!\p{L})é(?!\p{L})/gu, 'pt'],
  [/[ßäö]/gu, 'de'],
  [/[èìòùœêâîôûëï]/gu, 'fr'],
  [/[ç]/gu, 'fr'],
];

const SCRIPTS: Array<[RegExp, string]> = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Thai}/u, 'th'],
];

/**
 * The language of a message when it is neither English nor Spanish (an ISO 639-1 guess: 'de', 'fr', 'pt', 'it',
 * 'nl', or by script 'ru', 'zh', 'ja'...), else null. Non-Latin letters in the majority decide by script; Latin
 * text by votes of function words that are not English or Spanish words, against English and Spanish ones.
 */
export function otherLanguage(text: string): string | null {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return null;
  const latin = letters.filter((l) => /\p{Script=Latin}/u.test(l)).length;
  if (latin / letters.length < 0.5) {
    for (const [re, lang] of SCRIPTS) if (re.test(text)) return lang;
    return 'und';
  }
  const words = text
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  const votes: Record<string, number> = {};
  for (const w of words) for (const lang of VOTES.get(w) ?? []) votes[lang] = (votes[lang] ?? 0) + 1;
  for (const [re, lang] of MARKS) {
    const n = text.toLowerCase().match(re)?.length ?? 0;
    if (n > 0) votes[lang] = (votes[lang] ?? 0) + Math.min(n, 2);
  }
  const ours = Math.max(votes.en ?? 0, votes.es ?? 0);
  let best: string | null = null;
  let bestVotes = 0;
  for (const [lang, n] of Object.entries(votes)) {
    if (lang === 'en' || lang === 'es') continue;
    if (n > bestVotes) {
      best = lang;
      bestVotes = n;
    }
  }
  if (!best) return null;
  if (bestVotes >= 2 && bestVotes > ours) return best;
  // A word or two ("Danke!", "Merci beaucoup") with nothing English or Spanish in it.
  if (words.length <= 3 && bestVotes >= 1 && ours === 0) return best;
  return null;
}

// ── Free-form requests ──────────────────────────────────────────────────────────────────────────────────────

/** Asking for an explanation, a summary, an assessment or the reasons of a change (English and Spanish). */
const FREE_FORM = new RegExp(
  [
    String.raw`\bexplain`,
    String.raw`\bsummar(?:y|ise|ize|ising|izing)\b`,
    String.raw`\boverview\b`,
    String.raw`\bin (?:one|two|three|a few|\d) (?:sentences?|lines?|words)\b`,
    String.raw`\b(?:should|do) (?:i|we) (?:be )?(?:worr|concern)`,
    String.raw`\bworried\b`,
    String.raw`\bwhat (?:has |have )?changed\b`,
    String.raw`\bhow (?:are|is) (?:my|our) (?:credits?|account|usage|plan) doing\b`,
    String.raw`\bhelp me understand\b`,
    String.raw`\bin plain (?:words|english)\b`,
    String.raw`\bexpl[ií]ca(?:me|nos|s|r)?\b`,
    String.raw`\bres[uú]me(?:me|nos|n)\b`,
    String.raw`\bres[uú]me (?:mi|mis|nuestr|el|la|los|las)\b`,
    String.raw`\bresumir\b`,
    String.raw`\ben (?:una|dos|tres|pocas|\d) (?:frases?|l[ií]neas?|palabras)\b`,
    String.raw`\bpreocupar`,
    String.raw`\bpreocupad[oa]s?\b`,
    String.raw`\bqu[eé] (?:ha )?cambiad?o\b`,
    String.raw`\bqu[eé] cambi[oó]\b`,
    String.raw`\bc[oó]mo (?:van|va) (?:(?:mis|nuestros|los) cr[eé]ditos|(?:mi|nuestra|la) cuenta|(?:mi|nuestro|el) consumo)\b`,
    String.raw`\bay[uú]dame a entender\b`,
  ].join('|'),
  'iu',
);

export const isFreeForm = (text: string): boolean => FREE_FORM.test(text);

// ── Topics (which guidance and tools the prompt carries) ────────────────────────────────────────────────────

const TOPIC_BY_INTENT: Partial<Record<NluResult['intent'], Topic>> = {
  usage_by_type: 'usage',
  usage_by_user: 'usage',
  usage_by_period: 'usage',
  usage_spike: 'usage',
  conversations_by_identity: 'usage',
  conversations_limit: 'usage',
  plan_details: 'plans',
  price: 'plans',
  change_plan: 'plans',
  buy_credits: 'plans',
  request_status: 'plans',
  cancel_request: 'plans',
  talk_to_human: 'people',
  refund_or_dispute: 'people',
};

const TOPIC_WORDS: Array<[Topic, RegExp]> = [
  [
    'people',
    /\b(?:person|human|someone|manager|gestor|agent|refund|reembols|devoluci|dispute|disputa|charge|cobr|invoice|factur|fattur|fatura|rechnung|erstatt|rembours|rimbors|mensch|personne|persona|pessoa|berater|conseiller)/iu,
  ],
  [
    'plans',
    /\b(?:plan|plans|planes|plano|piano|tarif|forfait|abo|abonnement|pack|packs|buy|purchase|compr|kauf|achet|koop|upgrade|downgrade|price|precio|preis|prix|prezzo|preço|request|solicitud)/iu,
  ],
  [
    'usage',
    /\b(?:used|usage|use|spent|spend|consum|gast|verbrauch|utilis|usat|uso|usage|changed|change|cambi|chang|conversation|conversaci|identity|identit|campaign|campa|user|usuario|benutzer)/iu,
  ],
];

export function topicOf(text: string, nlu: NluResult, other: boolean): Topic {
  if (!other) {
    const t = TOPIC_BY_INTENT[nlu.intent];
    if (t && nlu.confidence >= 0.25) return t;
  }
  for (const [topic, re] of TOPIC_WORDS) if (re.test(text)) return topic;
  return 'account';
}

/** Where a typed message goes: the deterministic engine, or the model first. */
export function routeMessage(text: string, nlu: NluResult): Route {
  const language = otherLanguage(text);
  if (language) return { to: 'model', why: 'other_language', topic: topicOf(text, nlu, true), language };
  if (nlu.frame) return { to: 'engine' };
  const s = nlu.signals ?? {};
  // A person asked for, frustration, invoices, custom offers, exceptions: the engine offers the person itself.
  if (s.asksForPerson || s.frustrated || s.invoice || s.customOffer || s.exception) return { to: 'engine' };
  if (isFreeForm(text)) return { to: 'model', why: 'free_form', topic: topicOf(text, nlu, false) };
  if (nlu.intent === 'greeting' || nlu.intent === 'thanks') return { to: 'engine' };
  if (nlu.confidence < CONFIDENT_AT || nlu.intent === 'other_out_of_scope') {
    return { to: 'model', why: 'unsure', topic: topicOf(text, nlu, false) };
  }
  if ((text.match(/\?+/g) ?? []).length >= 2) return { to: 'model', why: 'compound', topic: topicOf(text, nlu, false) };
  return { to: 'engine' };
}

/**
 * Yes/no for confirmations typed instead of pressing a button.
 *
 * The answer is what the message starts with ("yes, go ahead", "no thanks, not now", "sí, confírmalo"), or,
 * for a short message (up to four words), the only polarity found in it ("that's fine", "ok then").
 * Phrases that start with "no" but mean yes ("no problem", "no hay problema") are matched as wholes.
 * A bare "si" without an accent is also the Spanish "if", so it only counts as yes when it stands alone or is
 * followed by a yes-word ("si, claro", "si por favor"); "sí" with the accent is always yes.
 */
import { normalize } from './normalize.ts';

const YES = [
  'yes',
  'y',
  'yeah',
  'yea',
  'yep',
  'yup',
  'yass',
  'sure',
  'sure thing',
  'ok',
  'okay',
  'okey',
  'k',
  'kk',
  'confirm',
  'confirmed',
  'correct',
  'right',
  'absolutely',
  'definitely',
  'of course',
  'go ahead',
  'go for it',
  'do it',
  'please do',
  'sounds good',
  'yes please',
  'thats right',
  'thats fine',
  'fine',
  'lets do it',
  'proceed',
  'approve',
  'approved',
  'agreed',
  'no problem',
  'no worries',
  'why not',
  'claro',
  'claro que si',
  'vale',
  'dale',
  'de acuerdo',
  'adelante',
  'por supuesto',
  'exacto',
  'perfecto',
  'hazlo',
  'venga',
  'afirmativo',
  'confirmo',
  'confirmado',
  'correcto',
  'procede',
  'no hay problema',
  'sin problema',
  'por que no',
  'esta bien',
  'me parece bien',
  'sip',
  'sep',
  'simon',
  'ya lo creo',
];

const NO = [
  'no',
  'nope',
  'nah',
  'nop',
  'not now',
  'not yet',
  'not really',
  'no thanks',
  'no thank you',
  'cancel',
  'cancel it',
  'dont',
  'do not',
  'i dont',
  'i dont want',
  'i dont think so',
  'negative',
  'never mind',
  'nevermind',
  'stop',
  'wait',
  'hold on',
  'mejor no',
  'para nada',
  'de ninguna manera',
  'ni hablar',
  'todavia no',
  'aun no',
  'ahora no',
  'no gracias',
  'no quiero',
  'cancelar',
  'cancela',
  'cancelalo',
  'olvidalo',
  'dejalo',
  'espera',
  'tampoco',
  'nel',
];

const PHRASES = new Map<string, 'yes' | 'no'>();
for (const p of YES) PHRASES.set(p, 'yes');
for (const p of NO) PHRASES.set(p, 'no');
const MAX_WORDS = 4;

/** Words that confirm a bare "si" as "yes" rather than "if". */
const SI_CONFIRMERS = new Set([
  'por',
  'porfa',
  'porfavor',
  'claro',
  'gracias',
  'adelante',
  'confirmo',
  'dale',
  'vale',
  'hazlo',
  'perfecto',
  'correcto',
  'ok',
  'venga',
  'exacto',
  'si',
  'quiero',
  'confirmalo',
  'procede',
]);
const ACCENTED_SI = /(^|[^\p{L}])sí($|[^\p{L}])/iu;
const THUMBS_UP = /\u{1F44D}|\u2705|\u{1F44C}/u;
const THUMBS_DOWN = /\u{1F44E}|\u274C/u;

function phraseAt(words: readonly string[], i: number): { polarity: 'yes' | 'no'; length: number } | undefined {
  for (let n = Math.min(MAX_WORDS, words.length - i); n >= 1; n--) {
    const polarity = PHRASES.get(words.slice(i, i + n).join(' '));
    if (polarity) return { polarity, length: n };
  }
  return undefined;
}

export function parseYesNo(text: string): 'yes' | 'no' | undefined {
  const norm = normalize(text);
  const tokens = norm.tokens;
  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.text);
  if (words.length === 0) {
    if (THUMBS_UP.test(text)) return 'yes';
    if (THUMBS_DOWN.test(text)) return 'no';
    return undefined;
  }
  const first = tokens[0];
  if (first?.kind === 'word' && first.text === 'si') {
    if (ACCENTED_SI.test(text)) return 'yes';
    const next = tokens[1];
    if (next === undefined || next.kind === 'sep' || SI_CONFIRMERS.has(next.text)) return 'yes';
    return undefined;
  }
  if (first?.kind === 'word') {
    const lead = phraseAt(words, 0);
    if (lead) return lead.polarity;
  }
  if (words.length > MAX_WORDS) return undefined;
  let found: 'yes' | 'no' | undefined;
  for (let i = 0; i < words.length; i++) {
    const hit = phraseAt(words, i);
    if (!hit) continue;
    if (found && found !== hit.polarity) return undefined;
    found = hit.polarity;
    i += hit.length - 1;
  }
  if (!found && ACCENTED_SI.test(text)) return 'yes';
  return found;
}

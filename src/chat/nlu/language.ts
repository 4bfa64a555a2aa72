/**
 * Language detection from the lexical analysis: every lexicon surface and function word that belongs to only
 * one language is a vote; Spanish orthography (á é í ó ú ñ ü ¿ ¡) in the raw text counts double for Spanish.
 * With no evidence either way (an "ok", a number) the caller's hint decides, then English.
 */
import { analyze } from './lexicon.ts';
import { normalize } from './normalize.ts';
import type { Lang } from './types.ts';

export function languageFromVotes(enVotes: number, esVotes: number, spanishMarks: number, hint?: Lang): Lang {
  const es = esVotes + 2 * Math.min(spanishMarks, 3);
  if (es > enVotes) return 'es';
  if (enVotes > es) return 'en';
  return hint ?? 'en';
}

export function detectLanguage(text: string, hint?: Lang): Lang {
  const norm = normalize(text);
  const analysis = analyze(norm.tokens, new Set());
  return languageFromVotes(analysis.enVotes, analysis.esVotes, norm.spanishMarks, hint);
}

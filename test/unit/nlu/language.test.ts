import { describe, expect, it } from 'vitest';
import { detectLanguage, languageOf, parseYesNo, readText, understand } from '../../../src/chat/nlu/index.ts';
import { DEMO_ENTITIES, loadPhrasings } from './labelled-sets.ts';

describe('detectLanguage', () => {
  it.each([
    ['how many credits do i have left?', 'en'],
    ['wheres my credit balance', 'en'],
    ['can u tell me my remaining credits pls', 'en'],
    ['cuantos creditos me quedan', 'es'],
    ['¿Cuántos créditos me quedan?', 'es'],
    ['quiero hablar con una persona, no con un bot', 'es'],
    ['hola', 'es'],
    ['hi', 'en'],
    ['me pasas el gasto de creditos de los ultimos 7 dias', 'es'],
    ['upgrade pls', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('uses the hint when there is no evidence either way', () => {
    expect(detectLanguage('ok', 'es')).toBe('es');
    expect(detectLanguage('ok', 'en')).toBe('en');
    expect(detectLanguage('500')).toBe('en');
    expect(detectLanguage('¿?')).toBe('es');
  });

  it('understand() reports the same language, honouring langHint', () => {
    expect(understand('¿cuántos créditos tengo?').lang).toBe('es');
    expect(understand('ok', { langHint: 'es' }).lang).toBe('es');
  });
});

describe('parseYesNo', () => {
  it.each([
    'yes',
    'Yes please',
    'yep',
    'sure',
    'ok',
    'Okay, go ahead',
    'do it',
    'sounds good',
    'sí',
    'Sí, confírmalo',
    'si',
    'si, claro',
    'claro',
    'vale',
    'dale',
    'de acuerdo',
    'no problem',
    'no hay problema',
    '👍',
  ])('%s → yes', (text) => {
    expect(parseYesNo(text)).toBe('yes');
  });

  it.each([
    'no',
    'No thanks',
    'nope',
    'not now',
    'cancel',
    'never mind',
    'mejor no',
    'no gracias',
    'todavía no',
    'No, how many credits do I have left?',
    '👎',
  ])('%s → no', (text) => {
    expect(parseYesNo(text)).toBe('no');
  });

  it.each([
    '',
    'si subo de plan me cambia la fecha de renovacion?',
    'how many credits do I have left?',
    'maybe later, let me check with my boss first',
    'what does that include?',
  ])('"%s" → undefined', (text) => {
    expect(parseYesNo(text)).toBeUndefined();
  });
});

describe('one reading serves language and understanding', () => {
  const sets = ['../../fixtures/questions.dev.jsonl', './extra-phrasings.jsonl', './holdout-phrasings.jsonl'];
  const texts = sets.flatMap((f) => loadPhrasings(new URL(f, import.meta.url)).map((r) => r.text));

  it('languageOf(readText) is detectLanguage, with and without a hint', () => {
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      const reading = readText(text);
      expect(languageOf(reading), text).toBe(detectLanguage(text));
      expect(languageOf(reading, 'es'), text).toBe(detectLanguage(text, 'es'));
    }
  });

  it('understand with the reading gives exactly what it gives without (names in the message or not)', () => {
    for (const text of texts) {
      for (const entities of [DEMO_ENTITIES, undefined]) {
        const plain = understand(text, { ...(entities ? { entities } : {}), langHint: 'en' });
        const reused = understand(text, { ...(entities ? { entities } : {}), langHint: 'en', reading: readText(text) });
        expect(reused, text).toEqual(plain);
      }
    }
  });

  it('ignores a reading of another text', () => {
    const other = readText('cuántos créditos me quedan');
    expect(understand('how many credits do I have left', { reading: other })).toEqual(
      understand('how many credits do I have left'),
    );
  });
});

/**
 * Routing: what the deterministic engine recognises confidently never reaches the model (zero tokens); free-form
 * requests, other languages and unsure readings do. Over every labelled set, other-language detection never fires
 * on an English or Spanish phrasing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { otherLanguage, routeMessage } from '../../../src/chat/llm/route.ts';
import { understand } from '../../../src/chat/nlu/index.ts';
import { DEMO_ENTITIES } from '../nlu/labelled-sets.ts';

const SETS = [
  '../nlu/extra-phrasings.jsonl',
  '../nlu/holdout-phrasings.jsonl',
  '../nlu/round2-phrasings.jsonl',
  '../../fixtures/compound/questions.jsonl',
  '../../fixtures/compound/holdout.jsonl',
  '../../fixtures/questions.dev.jsonl',
];
const labelled = SETS.flatMap((f) =>
  readFileSync(new URL(f, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; text: string }),
);

const route = (text: string) => routeMessage(text, understand(text, { entities: DEMO_ENTITIES }));

describe('routeMessage', () => {
  it('sends the free-form requests of the issue to the model', () => {
    for (const t of [
      'explain how my credits are doing and whether I should worry',
      'summarise my account in two sentences',
      'what changed since last month and why?',
      'explícame cómo van mis créditos y si debería preocuparme',
      'resume mi cuenta en dos frases',
      '¿qué ha cambiado desde el mes pasado y por qué?',
    ]) {
      expect(route(t), t).toMatchObject({ to: 'model', why: 'free_form' });
    }
  });

  it('sends other languages to the model', () => {
    const cases: Array<[string, string]> = [
      ['Wie viele Credits habe ich noch?', 'de'],
      ['Wann werden meine Credits erneuert?', 'de'],
      ['combien de crédits me reste-t-il ?', 'fr'],
      ['Pourquoi ma consommation a-t-elle augmenté ?', 'fr'],
      ['quantos créditos eu ainda tenho?', 'pt'],
      ['Qual é o meu saldo de créditos?', 'pt'],
      ['Quanti crediti mi restano?', 'it'],
      ['Hoeveel tegoed heb ik nog?', 'nl'],
      ['Сколько у меня кредитов?', 'ru'],
      ['我还有多少积分？', 'zh'],
      ['私のクレジットはいくつ残っていますか', 'ja'],
    ];
    for (const [t, lang] of cases)
      expect(route(t), t).toMatchObject({ to: 'model', why: 'other_language', language: lang });
  });

  it('keeps confident intents and compound frames with the engine', () => {
    for (const t of [
      'how many credits do i have left?',
      '¿cuántos créditos me quedan?',
      'when do my credits renew?',
      'enrichment vs workflows this month',
      'top 3 users this month',
      "what's my balance and when do credits renew?",
      'i want to buy 2000 credits',
      'talk to a person',
      'thanks!',
    ]) {
      expect(route(t), t).toEqual({ to: 'engine' });
    }
  });

  it('never takes an English or Spanish labelled phrasing for another language', () => {
    const misread = labelled.filter((r) => otherLanguage(r.text)).map((r) => `${r.id}: ${r.text}`);
    expect(misread).toEqual([]);
  });

  it('leaves at least 90 % of the labelled sets to the engine (zero tokens)', () => {
    const engine = labelled.filter((r) => route(r.text).to === 'engine').length;
    expect(engine / labelled.length).toBeGreaterThan(0.9);
  });
});

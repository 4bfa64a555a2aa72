/**
 * The compound set's held-out batch (test/fixtures/compound/holdout.jsonl): fresh phrasings in the same format,
 * written before the engine was ever run on them. Checked for soundness like the main set (pure).
 */
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../fixtures/compound/fixture.ts';
import { HOLDOUT_URL, KINDS, loadQuestions, problemsOf } from '../fixtures/compound/questions.ts';

describe('the compound held-out batch', () => {
  const data = buildScenario();
  const holdout = loadQuestions(HOLDOUT_URL);
  const main = loadQuestions();

  it('has at least 60 sound questions, none repeating a phrasing of the main set', () => {
    expect(holdout.length).toBeGreaterThanOrEqual(60);
    expect(new Set(holdout.map((q) => q.id)).size).toBe(holdout.length);
    const seen = new Set(main.map((q) => q.text.toLowerCase()));
    expect(holdout.filter((q) => seen.has(q.text.toLowerCase())).map((q) => q.id)).toEqual([]);
    expect(holdout.filter((q) => main.some((m) => m.id === q.id)).map((q) => q.id)).toEqual([]);
    const problems = holdout.flatMap((q) => problemsOf(q, data).map((p) => `${q.id}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('covers every kind in both languages', () => {
    for (const kind of KINDS) {
      const of = holdout.filter((q) => q.kind === kind);
      expect(of.some((q) => q.lang === 'en') && of.some((q) => q.lang === 'es'), kind).toBe(true);
    }
  });
});

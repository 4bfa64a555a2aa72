import { describe, expect, it } from 'vitest';
import { evaluate, formatReport, loadPhrasings } from './labelled-sets.ts';

// A copy of ../shared/eval/questions.dev.jsonl, so the tests run wherever the repository is cloned.
const DEV = new URL('../../fixtures/questions.dev.jsonl', import.meta.url);
const EXTRA = new URL('./extra-phrasings.jsonl', import.meta.url);

describe('labelled phrasings', () => {
  it('dev sample: intent accuracy >= 95%', () => {
    const report = evaluate(loadPhrasings(DEV));
    expect(report.total).toBeGreaterThan(0);
    expect(report.intentAccuracy, formatReport(report)).toBeGreaterThanOrEqual(0.95);
  });

  it('dev sample: language and slots', () => {
    const report = evaluate(loadPhrasings(DEV));
    expect(report.langAccuracy, formatReport(report)).toBeGreaterThanOrEqual(0.95);
    expect(report.slotAccuracy, formatReport(report)).toBeGreaterThanOrEqual(0.9);
  });

  it('own extra phrasings: at least 150, intent accuracy >= 90%', () => {
    const rows = loadPhrasings(EXTRA);
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.lang))).toEqual(new Set(['en', 'es']));
    const report = evaluate(rows);
    expect(report.intentAccuracy, formatReport(report)).toBeGreaterThanOrEqual(0.9);
  });

  it('own extra phrasings: every intent covered, language and slots', () => {
    const rows = loadPhrasings(EXTRA);
    const report = evaluate(rows);
    expect(Object.keys(report.perIntent).length).toBe(21);
    expect(report.langAccuracy, formatReport(report)).toBeGreaterThanOrEqual(0.95);
    expect(report.slotAccuracy, formatReport(report)).toBeGreaterThanOrEqual(0.9);
  });
});

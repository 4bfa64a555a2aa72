/**
 * `npx tsx test/unit/nlu/measure.ts [file.jsonl ...]`: intent accuracy per intent and language of labelled
 * phrasing files, with and without the demo account's entity dictionary, and the misses.
 */
import { pathToFileURL } from 'node:url';
import { understand } from '../../../src/chat/nlu/index.ts';
import { DEMO_ENTITIES, evaluate, type LabelledPhrasing, loadPhrasings } from './labelled-sets.ts';

function table(rows: LabelledPhrasing[]): string {
  const cells: Record<string, Record<string, [number, number]>> = {};
  for (const row of rows) {
    const ok = understand(row.text, { entities: DEMO_ENTITIES }).intent === row.intent ? 1 : 0;
    const byLang = cells[row.intent] ?? {};
    cells[row.intent] = byLang;
    for (const key of [row.lang, 'all']) {
      const c = byLang[key] ?? [0, 0];
      byLang[key] = c;
      c[0] += ok;
      c[1]++;
    }
  }
  const fmt = (c?: [number, number]) => (c ? `${c[0]}/${c[1]}` : '-').padStart(7);
  const lines = Object.keys(cells)
    .sort()
    .map(
      (intent) => `  ${intent.padEnd(26)}${fmt(cells[intent]?.en)}${fmt(cells[intent]?.es)}${fmt(cells[intent]?.all)}`,
    );
  const byLang = (lang: string) => {
    const sub = rows.filter((r) => r.lang === lang);
    return `${lang} ${(evaluate(sub, DEMO_ENTITIES).intentAccuracy * 100).toFixed(1)}% of ${sub.length}`;
  };
  return [
    `  ${'intent'.padEnd(26)}${'en'.padStart(7)}${'es'.padStart(7)}${'all'.padStart(7)}`,
    ...lines,
    `  ${byLang('en')}, ${byLang('es')}`,
  ].join('\n');
}

for (const file of process.argv.slice(2)) {
  const rows = loadPhrasings(pathToFileURL(file));
  const withEntities = evaluate(rows, DEMO_ENTITIES);
  const without = evaluate(rows);
  console.log(`== ${file}: ${rows.length} rows`);
  console.log(
    `intent accuracy with entities ${(withEntities.intentAccuracy * 100).toFixed(1)}%, without ${(without.intentAccuracy * 100).toFixed(1)}%; slots ${(withEntities.slotAccuracy * 100).toFixed(1)}%; lang ${(withEntities.langAccuracy * 100).toFixed(1)}%`,
  );
  console.log(table(rows));
  for (const m of withEntities.intentMisses) console.log(`  MISS ${m}`);
  if (process.env.SLOTS) for (const m of withEntities.slotMisses) console.log(`  SLOT ${m}`);
  if (process.env.SLOTS) for (const m of withEntities.langMisses) console.log(`  LANG ${m}`);
}

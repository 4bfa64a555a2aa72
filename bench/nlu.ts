/**
 * `npm run bench:nlu`: the deterministic understanding's cost per message (it runs on every typed chat turn),
 * over the labelled sets, against a baseline of tokenising alone (normalize) in the same run: median, p99,
 * messages per second, and the ratio. Was a timed unit test; timings belong here (a busy machine made it flaky).
 */
import { readFileSync } from 'node:fs';
import { understand } from '../src/chat/nlu/index.ts';
import { normalize } from '../src/chat/nlu/normalize.ts';
import { fmtInt, fmtMs, summarize, table } from './lib/stats.ts';

const sets = ['extra-phrasings', 'holdout-phrasings', 'round2-phrasings'];
const texts = sets.flatMap((s) =>
  readFileSync(new URL(`../test/unit/nlu/${s}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text),
);

function time(fn: (t: string) => unknown, rounds: number): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      const t0 = performance.now();
      fn(t);
      samples.push(performance.now() - t0);
    }
  }
  return samples;
}

time(understand, 2); // warm up the JIT
time(normalize, 2);
const u = summarize('understand', time(understand, 5));
const n = summarize('normalize only', time(normalize, 5));
console.log(`\nbench:nlu: ${texts.length} labelled phrasings × 5 rounds, one at a time\n`);
console.log(
  table(
    ['step', 'median ms', 'p99 ms', 'messages/s (mean)', 'ratio to normalize'],
    [u, n].map((s) => [
      s.name,
      fmtMs(s.median),
      fmtMs(s.p99),
      fmtInt(1_000 / s.mean),
      `${(s.mean / n.mean).toFixed(1)}x`,
    ]),
  ),
);

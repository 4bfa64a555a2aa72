/**
 * Typo tolerance: the optimal-string-alignment variant of the Damerau-Levenshtein distance (insertions,
 * deletions, substitutions and transpositions of adjacent letters), bounded so that a hopeless comparison
 * stops early.
 *
 * Tolerance grows with the word: short words (under 4 letters) must match exactly, 4–7 letters allow one edit
 * ("balnce", "credtis"), 8 or more allow two ("renovasion", "escalte"→"escalate" is one).
 */

export function maxEditsFor(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

// Reused rows: the engine is single-threaded and the function is not re-entrant.
let prevPrev = new Int32Array(64);
let prev = new Int32Array(64);
let curr = new Int32Array(64);

/** Distance between a and b, or max + 1 as soon as it is certain to exceed max. */
export function boundedDamerau(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  if (lb + 1 > prev.length) {
    prevPrev = new Int32Array(lb + 1);
    prev = new Int32Array(lb + 1);
    curr = new Int32Array(lb + 1);
  }
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    curr[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prevPrev[j - 2]! + 1);
      }
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prevPrev;
    prevPrev = prev;
    prev = curr;
    curr = t;
  }
  return prev[lb]!;
}

/** True when `token` is within the length-dependent tolerance of `target`. */
export function fuzzyEquals(token: string, target: string): boolean {
  if (token === target) return true;
  const max = maxEditsFor(Math.min(token.length, target.length));
  if (max === 0) return false;
  return boundedDamerau(token, target, max) <= max;
}

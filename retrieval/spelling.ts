/**
 * Typo repair against the index's own vocabulary. Staff type fast ("requisiton", "expirey"); a misspelt word matches
 * nothing in full-text search and, worse, looks like a word the SOPs do not contain, which pushes confidence towards
 * refusal. A query lexeme the index has never seen is replaced by the most frequent indexed lexeme within a small
 * edit distance (1 for short words, 2 for long ones), if there is one.
 */

/** Optimal-string-alignment distance with an early exit once every cell exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

export interface Vocabulary {
  /** Lexemes grouped by length, each with its document frequency. */
  byLength: Map<number, [string, number][]>;
}

export function buildVocabulary(df: Map<string, number>): Vocabulary {
  const byLength = new Map<number, [string, number][]>();
  for (const [w, n] of df) {
    if (!/^\p{L}+$/u.test(w) || w.length < 4) continue;
    let list = byLength.get(w.length);
    if (!list) byLength.set(w.length, (list = []));
    list.push([w, n]);
  }
  return { byLength };
}

/** The correction for an unknown lexeme, or undefined when nothing is close enough. */
export function correct(lexeme: string, vocab: Vocabulary): string | undefined {
  if (lexeme.length < 5 || !/^\p{L}+$/u.test(lexeme)) return undefined;
  const max = lexeme.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestKey = [Infinity, 0];
  for (let len = lexeme.length - max; len <= lexeme.length + max; len++) {
    for (const [w, n] of vocab.byLength.get(len) ?? []) {
      if (w[0] !== lexeme[0]) continue; // first letters are rarely mistyped; keeps the scan small
      const d = editDistance(lexeme, w, max);
      if (d > max) continue;
      if (d < bestKey[0]! || (d === bestKey[0] && n > bestKey[1]!)) {
        best = w;
        bestKey = [d, n];
      }
    }
  }
  return best;
}

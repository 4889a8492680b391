/**
 * Stand-in lexical hashing embedder used by the tuning script only until `ingestion/embedders` is available:
 * signed feature hashing of word stems, stem bigrams and character trigrams, sublinear tf, L2-normalised.
 */
import { contentStems, words } from '../../retrieval/text.js';

function fnv(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function createProvisionalEmbedder(dimensions = 384) {
  const embed = (text: string): number[] => {
    const counts = new Map<string, number>();
    const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
    const stems = contentStems(text);
    stems.forEach((s, i) => {
      add(`w:${s}`, 1);
      if (i > 0) add(`b:${stems[i - 1]} ${s}`, 0.5);
    });
    for (const w of words(text)) {
      const p = `^${w}$`;
      for (let i = 0; i + 3 <= p.length; i++) add(`c:${p.slice(i, i + 3)}`, 0.25);
    }
    const v = new Array<number>(dimensions).fill(0);
    for (const [f, c] of counts) {
      const h = fnv(f);
      v[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(c));
    }
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  };
  return {
    id: `provisional-hash-${dimensions}`,
    dimensions,
    embedQuery: async (t: string) => embed(t),
    embedDocuments: async (ts: string[]) => ts.map(embed),
  };
}

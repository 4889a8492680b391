/**
 * A fake of our own QueryEmbedder port for tests of the core: a hashed bag of word stems, L2-normalised. The core is
 * real; the model is not the point of those tests.
 */
import { contentStems } from '../../retrieval/text.js';

export const BAG_DIMENSIONS = 64;

export function bagEmbed(text: string): number[] {
  const v = new Array<number>(BAG_DIMENSIONS).fill(0);
  for (const s of contentStems(text)) {
    let h = 2166136261;
    for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[Math.abs(h) % BAG_DIMENSIONS]! += 1;
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

export const bagEmbedder = {
  id: 'test-bag-64',
  dimensions: BAG_DIMENSIONS,
  embedQuery: async (text: string) => bagEmbed(text),
};

/**
 * Word tokenisation shared by the local embedders: Unicode letters and digits, lower-cased, accents folded
 * ("Réception" → "reception"), with inner apostrophes and hyphens kept inside a word ("three-step", "don't") so the
 * word-vector vocabulary can be looked up as written. The stop-word list belongs to the embedders' definition
 * (changing it changes every vector, which is why it is code versioned with the embedder ids, not a data file).
 */

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return (folded.match(WORD) ?? []).map((w) => w.replace(/’/g, "'"));
}

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'him his how i if in into is it its itself just me more most my no nor not of off on once only or other our ours ' +
    'out over own same she should so some such than that the their theirs them then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with would you ' +
    'your yours also may must shall via per e g i.e eg etc'
  ).split(' '),
);

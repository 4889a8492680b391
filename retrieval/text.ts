/**
 * Small text helpers shared by query analysis, rerank and the extractive composer. Postgres does the real stemming
 * for search (the `english` text-search configuration); these only need to agree with themselves, so a light suffix
 * stripper is enough to tell whether a sentence mentions a query word ("receiving" ~ "receive" ~ "receipts").
 */

/** Words that carry no topic in a staff question. Kept short on purpose: domain words must survive. */
const STOPWORDS = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto over under about as is are was were be ' +
    'been being am do does did doing done have has had having i me my we our us you your he she it its they them their ' +
    'this that these those there here what which who whom whose when where why how can could should would will shall ' +
    'may might must not no yes so than too very just also any some all each every both either neither more most much ' +
    'many such only own same other another up down out off again further once please thanks thank hi hello hey ok okay ' +
    'need needs want wants get gets got let lets way ways thing things something anything someone somebody anyone ' +
    'go going know tell show find make makes made use using used able via per etc one'
  ).split(/\s+/),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Unicode-normalises, folds typographic quotes and dashes, collapses whitespace. Keeps case. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201f]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower-case word tokens (letters/digits, inner hyphens and apostrophes dropped). */
export function words(text: string): string[] {
  return (
    normalizeText(text)
      .toLowerCase()
      .replace(/'s\b/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Light, deterministic suffix stripping so "receiving", "received" and "receipts" meet near "receiv"/"receipt". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  for (const [suffix, repl] of [
    ['ational', 'ate'],
    ['ization', 'ize'],
    ['fulness', 'ful'],
    ['iveness', 'ive'],
    ['ements', ''],
    ['ement', ''],
    ['ments', ''],
    ['ment', ''],
    ['ings', ''],
    ['ing', ''],
    ['ies', 'y'],
    ['ied', 'y'],
    ['edly', ''],
    ['ed', ''],
    ['ers', ''],
    ['er', ''],
    ['es', ''],
    ['ly', ''],
    ['s', ''],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, w.length - suffix.length) + repl;
      break;
    }
  }
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Content-word stems of a text, stopwords removed, in order of appearance (duplicates kept). */
export function contentStems(text: string): string[] {
  return words(text)
    .filter((w) => !isStopword(w))
    .map(stem);
}

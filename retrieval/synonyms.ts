/**
 * Abbreviations and synonyms that hospital supply-chain staff use and SOPs spell out ("PO" ↔ "purchase order",
 * "GRN" ↔ "goods receipt", "biomed" ↔ "biomedical"). They live in a data file (`data/synonyms.yml`) that a deployment
 * can extend with its own file; this module validates them and expands a question with the other members of every
 * group it mentions, so both the full-text and the vector arm see the words the SOP actually uses.
 *
 * File shape (both sections optional):
 *   abbreviations: { PO: "purchase order", GRN: ["goods receipt note", "goods receipt"] }
 *   synonyms: [["requisition", "purchase request"], ["vendor", "supplier"]]
 * A `synonyms` entry may also be written as `{ terms: [...] }` or `{ term: "x", synonyms: [...] }`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { isStopword, normalizeText, words } from './text.js';

const phrase = z.string().trim().min(1);
const group = z.union([
  z.array(phrase).min(2),
  z.object({ terms: z.array(phrase).min(2) }).transform((g) => g.terms),
  z.object({ term: phrase, synonyms: z.array(phrase).min(1) }).transform((g) => [g.term, ...g.synonyms]),
]);

export const synonymFileSchema = z
  .object({
    version: z.number().int().optional(),
    abbreviations: z.record(phrase, z.union([phrase, z.array(phrase).min(1)])).default({}),
    synonyms: z.array(group).default([]),
  })
  .passthrough();

export type SynonymFile = z.infer<typeof synonymFileSchema>;

/** One expansion group: an optional abbreviation plus interchangeable phrases. */
export interface SynonymGroup {
  /** Upper-case abbreviation as written in the file ("PO"), when the group came from `abbreviations`. */
  abbreviation?: string;
  phrases: string[];
}

export interface SynonymTable {
  groups: SynonymGroup[];
}

export class SynonymFileError extends Error {
  override readonly name = 'SynonymFileError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export function synonymTableFromData(data: unknown, file = 'synonyms'): SynonymTable {
  const parsed = synonymFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SynonymFileError(file, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const groups: SynonymGroup[] = [];
  for (const [abbr, expansion] of Object.entries(parsed.data.abbreviations)) {
    const phrases = (Array.isArray(expansion) ? expansion : [expansion]).map(normalizeText);
    groups.push({ abbreviation: normalizeText(abbr), phrases });
  }
  for (const g of parsed.data.synonyms) groups.push({ phrases: g.map(normalizeText) });
  return { groups };
}

/** Loads and merges synonym files in order; later files add groups (a deployment's own list extends the shipped one). */
export function loadSynonyms(files: string[]): SynonymTable {
  const groups: SynonymGroup[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new SynonymFileError(file, err instanceof Error ? err.message : String(err));
    }
    groups.push(...synonymTableFromData(data, file).groups);
  }
  return { groups };
}

/** Finds `needle` (a word sequence) inside `haystack` (a word sequence), allowing a plural "s" on the last word. */
function containsPhrase(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      const h = haystack[i + j]!;
      const n = needle[j]!;
      const last = j === needle.length - 1;
      if (h !== n && !(last && (h === `${n}s` || h === `${n}es`))) continue outer;
    }
    return true;
  }
  return false;
}

/** Short abbreviations that are also everyday words or units ("oh", "pm", "ot") count only when written in capitals. */
const AMBIGUOUS = new Set([
  'oh',
  'pm',
  'am',
  'ot',
  'ld',
  'cm',
  'cd',
  'cc',
  'pr',
  'ar',
  'iv',
  'est',
  'gin',
  'ber',
]);

function abbreviationPattern(abbr: string): RegExp {
  const escaped = abbr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const caseSensitive = isStopword(abbr.toLowerCase()) || AMBIGUOUS.has(abbr.toLowerCase());
  const pattern = caseSensitive ? escaped.toUpperCase() : escaped;
  return new RegExp(`(^|[^\\p{L}\\p{N}])${pattern}(?:'?s)?(?=$|[^\\p{L}\\p{N}])`, caseSensitive ? 'u' : 'iu');
}

export interface Expansion {
  /** Phrases to add to the query (not already present in it). */
  added: string[];
  /** The groups that matched, for the audit/debug trail. */
  matched: string[];
}

interface CompiledGroup {
  group: SynonymGroup;
  abbreviation?: RegExp;
  phrases: { text: string; words: string[] }[];
}

const compiled = new WeakMap<SynonymTable, CompiledGroup[]>();

/** Regexes and word lists built once per table, not once per question. */
function compile(table: SynonymTable): CompiledGroup[] {
  let c = compiled.get(table);
  if (!c) {
    c = table.groups.map((g) => ({
      group: g,
      ...(g.abbreviation ? { abbreviation: abbreviationPattern(g.abbreviation) } : {}),
      phrases: g.phrases.map((p) => ({ text: p, words: words(p) })),
    }));
    compiled.set(table, c);
  }
  return c;
}

export function expandQuery(question: string, table: SynonymTable): Expansion {
  const q = normalizeText(question);
  const qWords = words(q);
  const added = new Set<string>();
  const matched: string[] = [];
  for (const { group: g, abbreviation, phrases } of compile(table)) {
    const hitAbbr = abbreviation !== undefined && abbreviation.test(q);
    // In an abbreviation group only multi-word expansions point back at it: "high" must not summon "P2".
    const present = phrases.map((p) => containsPhrase(qWords, p.words));
    const hitPhrase = phrases.some(
      (p, i) => (g.abbreviation === undefined || p.words.length > 1) && present[i],
    );
    if (!hitAbbr && !hitPhrase) continue;
    matched.push(g.abbreviation ?? g.phrases[0]!);
    phrases.forEach((p, i) => {
      if (!present[i]) added.add(p.text);
    });
    // The SOP may use the abbreviation itself ("PO"); add it when only the long form was asked.
    if (g.abbreviation && !hitAbbr) added.add(g.abbreviation);
  }
  return { added: [...added], matched };
}

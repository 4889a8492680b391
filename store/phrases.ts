/**
 * Where the question's word pairs occur as phrases ("print checks", "new department"), for retrieval's refusal
 * signals. A pair of words that sits together only in documents the asker cannot read says the question is about
 * one of those documents, even when each word alone is common in what they can read ("print", "check", "batch").
 *
 * The lookup deliberately spans the whole index (any access) and returns only the distinct ACLs per phrase: it can
 * only ever withhold an answer, never add a passage, so the access rule of the retrieval SQL is untouched.
 */
import type { Db } from './db.js';
import { quoteLexeme } from './search.js';

/** Two indexed lexemes expected next to each other, in this order (one word may sit between: "print the checks"). */
export type LexemePair = readonly [string, string];

/**
 * For each pair (same order as given): the distinct ACLs of the chunks holding it as a phrase; an empty list when the
 * library never uses the phrase. Served by the GIN index on `tsv`, then a position check per matching chunk.
 */
export async function phraseAcls(db: Db, pairs: readonly LexemePair[]): Promise<string[][][]> {
  if (pairs.length === 0) return [];
  const queries = pairs.map(([a, b]) => {
    const [qa, qb] = [quoteLexeme(a), quoteLexeme(b)];
    return `${qa} <-> ${qb} | ${qa} <2> ${qb}`;
  });
  const r = await db.query<{ i: string | number; acl: string[] }>(
    `select p.i, c.acl
       from unnest($1::text[]) with ordinality as p(q, i)
       join chunks c on c.tsv @@ p.q::tsquery
      group by p.i, c.acl`,
    [queries],
  );
  const out = pairs.map(() => [] as string[][]);
  for (const row of r.rows) out[Number(row.i) - 1]?.push(row.acl);
  return out;
}

/**
 * Which of the question's words the asker can read anywhere, and whether the question is better covered by a
 * document they can NOT read — two strong refusal signals ("the answer exists only where you may not look").
 *
 * Built once per index signature from a per-document lexeme listing (`documentLexemes` in store/search.ts), so the
 * per-question cost is a few map look-ups. These statistics only ever *withhold* an answer: no text, title or source of
 * an unreadable document reaches the reply; the retrieval SQL keeps enforcing access on everything that is returned.
 */
import type { DocumentLexemes } from '../store/search.js';

export interface TermAccess {
  /** Per document (index into postings): its ACL. */
  acls: string[][];
  /** lexeme → documents holding it. */
  postings: Map<string, Uint32Array>;
  /** Per principal sets (keyed by the sets, sorted), which documents they may read; filled on first use. */
  readableDocs: Map<string, Uint8Array>;
}

/** Distinct principal sets remembered per index (people, roles and shared channels asking); beyond it, start over. */
const READABLE_CACHE_SIZE = 512;

export function buildTermAccess(docs: DocumentLexemes[]): TermAccess {
  const lists = new Map<string, number[]>();
  docs.forEach((d, i) => {
    for (const l of d.lexemes) {
      const p = lists.get(l);
      if (p) p.push(i);
      else lists.set(l, [i]);
    }
  });
  // Typed postings: on a 50 000-chunk index a common word is held by thousands of documents, and walking plain
  // arrays into Maps cost ~3 ms a question.
  const postings = new Map([...lists].map(([l, p]) => [l, Uint32Array.from(p)]));
  return { acls: docs.map((d) => d.acl), postings, readableDocs: new Map() };
}

/** Same rule as the retrieval SQL: readable when the ACL overlaps every principal set (one set for one person). */
function aclReader(principalSets: readonly (readonly string[])[]): (acl: readonly string[]) => boolean {
  const sets = principalSets.map((s) => new Set(s));
  return (acl) => sets.length > 0 && sets.every((p) => acl.some((a) => p.has(a)));
}

function readableBy(access: TermAccess, principalSets: readonly (readonly string[])[]): Uint8Array {
  const key = JSON.stringify(principalSets.map((s) => [...s].sort()).sort());
  let readable = access.readableDocs.get(key);
  if (readable) return readable;
  const reads = aclReader(principalSets);
  readable = Uint8Array.from(access.acls, (acl) => (reads(acl) ? 1 : 0));
  if (access.readableDocs.size >= READABLE_CACHE_SIZE) access.readableDocs.clear();
  access.readableDocs.set(key, readable);
  return readable;
}

/**
 * Share of the question's library phrases (word pairs the index uses together somewhere, see store/phrases.ts) that
 * occur only in documents the principals cannot read: "print checks" asked by a stores role whose documents say
 * "print" and "check" apart but never together. 0 when the question has no library phrase.
 * @param acls per pair, the distinct ACLs of the chunks holding it
 */
export function phraseUnreadable(
  acls: readonly (readonly (readonly string[])[])[],
  principalSets: readonly (readonly string[])[],
): number {
  const readable = aclReader(principalSets);
  const used = acls.filter((a) => a.length > 0);
  if (used.length === 0) return 0;
  return used.filter((a) => !a.some(readable)).length / used.length;
}

export interface AccessSignals {
  /** Lexemes (of those asked about) found in at least one document the principals may read. */
  readable: Set<string>;
  /**
   * Best IDF-weighted share of the question held by one unreadable document minus the best held by one readable
   * document, floored at 0: near 1 when only a forbidden document talks about this.
   */
  elsewhereGap: number;
}

export function accessSignals(
  access: TermAccess,
  weights: ReadonlyMap<string, number>,
  principalSets: readonly (readonly string[])[],
): AccessSignals {
  const canRead = readableBy(access, principalSets);
  const readable = new Set<string>();
  const readableCover = new Float64Array(access.acls.length);
  const otherCover = new Float64Array(access.acls.length);
  let total = 0;
  for (const [l, w] of weights) {
    total += w;
    for (const d of access.postings.get(l) ?? []) {
      if (canRead[d]) {
        readable.add(l);
        readableCover[d]! += w;
      } else otherCover[d]! += w;
    }
  }
  if (total <= 0) return { readable, elsewhereGap: 0 };
  const best = (cover: Float64Array) => cover.reduce((a, b) => Math.max(a, b), 0) / total;
  return { readable, elsewhereGap: Math.max(0, best(otherCover) - best(readableCover)) };
}

/**
 * The retrieval SQL. One statement runs both arms of hybrid search — pgvector nearest neighbours and Postgres
 * full-text search — each limited to its own top N, fuses them, and returns the fused candidates with the features
 * the reranker needs. The access filter `acl && $principals` sits inside the WHERE of BOTH arms, so a chunk the asker
 * may not read never enters ranking, fusion, rerank or the answer; nothing is filtered afterwards.
 *
 * Vector arm: an exact scan (the ORDER BY expression is written so no ANN index can serve it) for small indexes, and
 * the HNSW index with pgvector's iterative index scan for large ones — a filtered HNSW scan without iteration returns
 * too few rows when the role can read only a slice of the library. `exactScanMaxChunks` picks the mode.
 *
 * Full-text arm: an OR of the query's lexemes (staff questions are long; `websearch_to_tsquery` ANDs every word and
 * so matches nothing) ranked with `ts_rank_cd`, title/heading matches (weight A) counting more than body (B).
 */
import type { Db } from './db.js';

export type FusionMethod = 'rrf' | 'weighted';

export interface SearchChunksParams {
  queryEmbedding: number[];
  /** Lexemes already normalised by Postgres (see `queryLexemes`); OR-ed for the full-text arm. */
  queryLexemes: string[];
  /** Lexemes for which the candidates' matches are reported (usually all of the query's, before pruning). */
  reportLexemes?: string[];
  principals: string[];
  /**
   * Shared channels: one principal list per member. When given, a chunk is kept only if its ACL overlaps EVERY
   * member's list (the exact "everyone may read it" rule), inside both arms' WHERE. An empty list of sets, or an
   * empty set, reads nothing (default-deny).
   */
  principalSets?: string[][];
  /** Fused candidates returned. */
  limit: number;
  /** Top N of each arm before fusion (default 40). */
  armLimit?: number;
  fusion?: FusionMethod;
  /** RRF constant (default 60). */
  rrfK?: number;
  /** Weight of the vector arm in fusion; the text arm gets 1 - this (default 0.5). */
  vectorWeight?: number;
  /** 'exact' or 'hnsw'; default decided by the caller from the index size. */
  vectorMode?: 'exact' | 'hnsw';
  /**
   * HNSW mode: index tuples the iterative scan may visit (`hnsw.max_scan_tuples`, default 20 000). An asker who reads
   * a small slice of the library can otherwise walk a large part of the graph for the arm's last few rows.
   */
  maxScanTuples?: number;
}

export interface SearchResult {
  candidates: ChunkCandidate[];
  /** Query lexemes found in the candidates (all readable by the principals). */
  readableLexemes: string[];
  /**
   * Cosine similarity of the vector arm's last row (null when it returned none). An approximate (HNSW) scan can miss
   * a chunk whose similarity clears it; an exact scan of the same rows would have returned that chunk.
   */
  vectorFloor: number | null;
}

export interface ChunkCandidate {
  chunkId: string;
  documentId: string;
  ordinal: number;
  headingPath: string[];
  text: string;
  source: string;
  path: string;
  title: string;
  url: string | null;
  version: string;
  /** 1-based rank in the vector arm, null when the chunk was not in its top N. */
  vectorRank: number | null;
  /** Cosine similarity to the query (1 - cosine distance), null when not in the vector top N. */
  vectorScore: number | null;
  /**
   * Cosine similarity to the query for every candidate, also those only the full-text arm found (null only for a
   * chunk without an embedding): rerank compares like with like instead of scoring a text-only candidate as 0.
   */
  similarity: number | null;
  textRank: number | null;
  textScore: number | null;
  fused: number;
  /** Query lexemes present anywhere in the chunk (title, headings or text). */
  matchedLexemes: string[];
  /** Query lexemes present in the title or heading path (weight A). */
  matchedHeadingLexemes: string[];
  /** Query lexemes present in the document's own title (`documents.title`, not the chunk's heading path). */
  matchedTitleLexemes: string[];
  /** Number of distinct lexemes in the chunk (its length, for length normalisation). */
  lexemeCount: number;
}

interface Row {
  chunk_id: string | number;
  document_id: string | number;
  ordinal: number;
  heading_path: string[] | null;
  text: string;
  source: string;
  path: string;
  title: string | null;
  url: string | null;
  version: string | null;
  vrank: string | number | null;
  vscore: number | null;
  frank: string | number | null;
  fscore: number | null;
  fused: number;
  similarity: number | null;
  matched: string[] | null;
  matched_heading: string[] | null;
  matched_title: string[] | null;
  lexeme_count: number;
  vfloor: number | null;
}

export function vectorLiteral(v: number[]): string {
  return `[${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;
}

/** Quotes a lexeme for tsquery input syntax ('it''s' style), so it is taken verbatim without re-normalising. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function orTsquery(lexemes: string[]): string {
  return [...new Set(lexemes)].map(quoteLexeme).join(' | ');
}

function num(v: string | number | null): number | null {
  return v === null ? null : Number(v);
}

/**
 * "Every member may read it": no member set whose principals miss the chunk's ACL. $10 is a JSON array of principal
 * arrays; each set is turned into a text[] once per chunk tested, which is cheap next to ranking (a handful of
 * members, a few principals each).
 */
const ALL_MEMBERS_FILTER = `not exists (select 1 from jsonb_array_elements($10::jsonb) s(p)
  where not (c.acl && array(select jsonb_array_elements_text(s.p))))`;

/** The hybrid statement (exported for EXPLAIN in benchmarks). Parameters: see `searchChunks`. */
export function searchSql(hnsw: boolean, opts: { allMembers?: boolean } = {}): string {
  const members = opts.allMembers ? ` and ${ALL_MEMBERS_FILTER}` : '';
  const distance = hnsw ? 'c.embedding <=> $1::vector' : '(c.embedding <=> $1::vector) + 0';
  // Same filter either way. In HNSW mode it is written so the ACL's GIN index cannot serve it: otherwise the planner
  // prefers "every chunk of the role, then sort", which is the exact scan again.
  const aclFilter = hnsw ? '(c.acl && $3::text[]) is true' : 'c.acl && $3::text[]';
  return `
    with vec as materialized (
      select c.id, ${distance} as dist
      from chunks c
      where ${aclFilter}${members} and c.embedding is not null
      order by ${distance}
      limit $4
    ),
    vec_ranked as (
      select id, row_number() over (order by dist, id) as rnk, 1 - dist as score from vec
    ),
    fts as (
      select c.id, ts_rank_cd('{0.1,0.2,0.4,1.0}'::float4[], c.tsv, q.tsq, 1) as score
      from chunks c, (select $2::tsquery as tsq) q
      where c.acl && $3::text[]${members} and numnode(q.tsq) > 0 and c.tsv @@ q.tsq
      order by score desc, c.id
      limit $4
    ),
    fts_ranked as (
      select id, row_number() over (order by score desc, id) as rnk, score, max(score) over () as top from fts
    ),
    fused as (
      select coalesce(v.id, f.id) as id, v.rnk as vrank, v.score as vscore, f.rnk as frank, f.score as fscore,
        case when $6 = 'rrf'
          then $7::float8 * coalesce(1.0 / ($5 + v.rnk), 0) + (1 - $7::float8) * coalesce(1.0 / ($5 + f.rnk), 0)
          else $7::float8 * coalesce(greatest(v.score, 0), 0)
             + (1 - $7::float8) * coalesce(f.score / nullif(f.top, 0), 0)
        end as fused
      from vec_ranked v full outer join fts_ranked f on f.id = v.id
      order by fused desc, id
      limit $8
    ),
    hits as (
      select f.id as chunk_id, c.document_id, c.ordinal, c.heading_path, c.text, d.source, d.path, d.title, d.url,
      coalesce(d.version, d.checksum) as version, f.vrank, f.vscore, f.frank, f.fscore, f.fused,
      -- One distance per returned candidate (~30): cheap next to either arm.
      1 - (c.embedding <=> $1::vector) as similarity,
      -- tsvector_to_array/ts_filter stay in C; unnest(tsv) builds a (lexeme, positions, weights) row per lexeme and
      -- cost ~10 ms over 30 hits at 50 000 chunks (same lexemes, same order).
      array(select x from unnest(tsvector_to_array(c.tsv)) x where x = any($9::text[])) as matched,
      array(select x from unnest(tsvector_to_array(ts_filter(c.tsv, '{a}'))) x where x = any($9::text[]))
        as matched_heading,
      array(select x from unnest(tsvector_to_array(to_tsvector('english', coalesce(d.title, '')))) x
        where x = any($9::text[])) as matched_title,
      length(c.tsv) as lexeme_count,
      (select min(score) from vec_ranked) as vfloor
    from fused f join chunks c on c.id = f.id join documents d on d.id = c.document_id
    )
    select h.* from hits h
    order by h.fused desc, h.chunk_id`;
}

export async function searchChunks(db: Db, p: SearchChunksParams): Promise<SearchResult> {
  // Default-deny: no principals can read nothing; a shared channel where some member can read nothing, likewise.
  const sets = p.principalSets;
  if (sets && (sets.length === 0 || sets.some((s) => s.length === 0)))
    return { candidates: [], readableLexemes: [], vectorFloor: null };
  // With member sets, any chunk passing the all-members rule overlaps each set, so the union is a sound (GIN-usable)
  // first filter; a single set is just the ordinary overlap.
  const principals = sets ? [...new Set(sets.flat())].sort() : p.principals;
  const allMembers = sets !== undefined && sets.length > 1;
  if (principals.length === 0) return { candidates: [], readableLexemes: [], vectorFloor: null };
  const armLimit = p.armLimit ?? 40;
  const tsq = orTsquery(p.queryLexemes);
  const report = p.reportLexemes ?? p.queryLexemes;
  const vectorWeight = p.vectorWeight ?? 0.5;
  const hnsw = p.vectorMode === 'hnsw';
  // `+ 0` keeps an ANN index from serving the ORDER BY: the exact scan is then the plan, with perfect recall.
  const sql = searchSql(hnsw, { allMembers });
  const params: unknown[] = [
    vectorLiteral(p.queryEmbedding),
    tsq,
    principals,
    armLimit,
    p.rrfK ?? 60,
    p.fusion ?? 'rrf',
    vectorWeight,
    p.limit,
    report,
  ];
  if (allMembers) params.push(JSON.stringify(sets));
  const run = async (tx: Db): Promise<Row[]> => {
    if (hnsw) {
      // Iterative scan keeps reading the graph until enough rows pass the ACL filter (pgvector ≥ 0.8).
      // One round trip for the settings. Without statistics (ingestion and rebuildVectorIndex now ANALYZE) the
      // planner under-estimates how many chunks a role reads and falls back to a full scan + sort; in HNSW mode that
      // is never what we want, so seqscan stays off either way.
      await tx.query(
        `select set_config('hnsw.iterative_scan', 'relaxed_order', true),
                set_config('hnsw.ef_search', $1, true),
                set_config('enable_seqscan', 'off', true),
                set_config('hnsw.max_scan_tuples', $2, true)`,
        [String(Math.max(40, armLimit)), String(p.maxScanTuples ?? 20000)],
      );
    }
    return (await tx.query<Row>(sql, params)).rows;
  };
  const rows = hnsw ? await db.transaction(run) : await run(db);
  const candidates = rows.map((r) => ({
    chunkId: String(r.chunk_id),
    documentId: String(r.document_id),
    ordinal: r.ordinal,
    headingPath: r.heading_path ?? [],
    text: r.text,
    source: r.source,
    path: r.path,
    title: r.title ?? r.path,
    url: r.url,
    version: r.version ?? '',
    vectorRank: num(r.vrank),
    vectorScore: r.vscore === null ? null : Number(r.vscore),
    similarity: r.similarity === null ? null : Number(r.similarity),
    textRank: num(r.frank),
    textScore: r.fscore === null ? null : Number(r.fscore),
    fused: Number(r.fused),
    matchedLexemes: r.matched ?? [],
    matchedHeadingLexemes: r.matched_heading ?? [],
    matchedTitleLexemes: r.matched_title ?? [],
    lexemeCount: Number(r.lexeme_count),
  }));
  // Every candidate is readable by the asker, so the lexemes they match are words the asker's SOPs contain.
  const readableLexemes = [...new Set(candidates.flatMap((c) => c.matchedLexemes))].sort();
  const floor = rows[0]?.vfloor;
  return {
    candidates,
    readableLexemes,
    vectorFloor: floor === null || floor === undefined ? null : Number(floor),
  };
}

/** Lexemes of each text under the index's text-search configuration (stemmed, stopwords removed), in order. */
export async function queryLexemes(db: Db, texts: string[]): Promise<string[][]> {
  if (texts.length === 0) return [];
  const r = await db.query<{ i: string | number; lexemes: string[] | null }>(
    `select i, tsvector_to_array(to_tsvector('english', t)) as lexemes
     from unnest($1::text[]) with ordinality as u(t, i) order by i`,
    [texts],
  );
  return r.rows.map((row) => row.lexemes ?? []);
}

export interface TermStatistics {
  /** Number of chunks in the index. */
  chunks: number;
  /** Chunks containing each lexeme. */
  df: Map<string, number>;
}

/**
 * Document frequencies of every lexeme, for IDF weighting in query pruning and rerank. Computed over all chunks
 * (not per role): it shapes scores only and never returns text. Callers cache it by `indexSignature`.
 */
export async function termStatistics(db: Db): Promise<TermStatistics> {
  const [count, stats] = await Promise.all([
    db.query<{ n: string | number }>(`select count(*) as n from chunks`),
    db.query<{ word: string; ndoc: number }>(`select word, ndoc from ts_stat('select tsv from chunks')`),
  ]);
  const df = new Map<string, number>();
  for (const r of stats.rows) df.set(r.word, Number(r.ndoc));
  return { chunks: Number(count.rows[0]?.n ?? 0), df };
}

/** Cheap fingerprint of the index: changes whenever documents are added, re-indexed or removed. */
export async function indexSignature(db: Db): Promise<string> {
  const r = await db.query<{
    n: string | number;
    latest: string | Date | null;
    maxid: string | number | null;
  }>(`select count(*) as n, max(indexed_at) as latest, max(id) as maxid from documents`);
  const row = r.rows[0];
  const latest = row?.latest instanceof Date ? row.latest.toISOString() : String(row?.latest ?? '');
  return `${row?.n ?? 0}:${row?.maxid ?? 0}:${latest}`;
}

/** Number of chunks with an embedding, to choose exact scan vs HNSW. */
export async function countEmbeddedChunks(db: Db): Promise<number> {
  const r = await db.query<{ n: string | number }>(
    `select count(*) as n from chunks where embedding is not null`,
  );
  return Number(r.rows[0]?.n ?? 0);
}

export interface DocumentLexemes {
  acl: string[];
  lexemes: string[];
}

/**
 * Every document's distinct lexemes with its ACL, for retrieval's refusal signals (which question words an asker can
 * read anywhere; whether only an unreadable document covers the question). Read once per index signature and cached
 * by the caller; it decides refusals only and never returns text.
 */
export async function documentLexemes(db: Db): Promise<DocumentLexemes[]> {
  // Per-chunk arrays merged here: 3-4x faster in PGlite than `array_agg(distinct …) group by document`.
  const r = await db.query<{ document_id: string | number; acl: string[]; lexemes: string[] | null }>(
    `select document_id, acl, tsvector_to_array(tsv) as lexemes from chunks`,
  );
  const docs = new Map<string, { acl: string[]; lexemes: Set<string> }>();
  for (const row of r.rows) {
    const id = String(row.document_id);
    let d = docs.get(id);
    if (!d) docs.set(id, (d = { acl: row.acl, lexemes: new Set() }));
    for (const l of row.lexemes ?? []) d.lexemes.add(l);
  }
  return [...docs.values()].map((d) => ({ acl: d.acl, lexemes: [...d.lexemes] }));
}

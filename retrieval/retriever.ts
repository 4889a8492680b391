/**
 * Role-scoped hybrid retrieval: analyse the question, embed it with the embedder that built the index, run the one
 * hybrid SQL statement (both arms access-filtered inside the SQL), rerank the fused candidates and calibrate a
 * confidence. Index-wide statistics (document frequencies, index size) are cached and refreshed only when the
 * index's signature changes, so the per-question path is: one signature check, one lexeme query, one search.
 */
import type { Db } from '../store/db.js';
import type { ChunkCandidate, TermStatistics } from '../store/search.js';
import {
  countEmbeddedChunks,
  indexSignature,
  queryLexemes,
  searchChunks,
  termStatistics,
} from '../store/search.js';
import { calibrate, confidenceInputs } from './confidence.js';
import type { ConfidenceInputs } from './confidence.js';
import { sectionOf } from './composer.js';
import type { Passage } from './composer.js';
import type { AnalyzedQuery } from './query.js';
import { analyzeQuery } from './query.js';
import { looksLikeInjection } from './guard.js';
import { idf, rerank } from './rerank.js';
import { isStopword, stem, words } from './text.js';
import type { QueryTerms, RankedCandidate } from './rerank.js';
import { buildVocabulary, correct } from './spelling.js';
import type { Vocabulary } from './spelling.js';
import type { SynonymTable } from './synonyms.js';
import type { RetrievalTuning } from './tuning.js';

/** What retrieval needs from an embedder (a `SopEmbeddings` satisfies it). */
export interface QueryEmbedder {
  readonly id: string;
  embedQuery(text: string): Promise<number[]>;
}

export interface RetrieverDeps {
  db: Db;
  embedder: QueryEmbedder;
  synonyms: SynonymTable;
  tuning: RetrievalTuning;
}

export interface RetrieveOptions {
  previousQuestions?: string[];
  /** Shared channels: each member's principals; only chunks every member may read are searched (store/search.ts). */
  principalSets?: string[][];
  /** Overrides for experiments (fusion method, weights); production uses the tuning file. */
  tuning?: Partial<RetrievalTuning>;
}

export interface RetrievalResult {
  query: AnalyzedQuery;
  terms: QueryTerms;
  /** Reranked candidates, best first — every one readable by the principals that asked. */
  ranked: RankedCandidate[];
  passages: Passage[];
  confidence: number;
  confidenceInputs: ConfidenceInputs;
  vectorMode: 'exact' | 'hnsw';
  /** Set when the question was refused before answering (it tries to override the assistant's rules). */
  blocked?: 'injection';
}

export interface Retriever {
  retrieve(question: string, principals: string[], opts?: RetrieveOptions): Promise<RetrievalResult>;
}

interface IndexState {
  signature: string;
  stats: TermStatistics;
  vocabulary: Vocabulary;
  embeddedChunks: number;
}

/**
 * Keeps the discriminative lexemes for the OR query: very common ones (in > ratio of chunks) only add noise, and
 * ranking cost grows with the rows the query matches, so lexemes are taken rarest first until their document
 * frequencies add up to `rowBudget` (on a small library every useful lexeme fits; on a large one the rare ones win).
 */
export function pruneLexemes(
  lexemes: string[],
  stats: TermStatistics,
  ratio: number,
  rowBudget = Infinity,
): string[] {
  const limit = Math.max(1, stats.chunks * ratio);
  const df = (l: string) => stats.df.get(l) ?? 0;
  const kept = [...new Set(lexemes)]
    .filter((l) => df(l) <= limit)
    .sort((a, b) => df(a) - df(b) || a.localeCompare(b));
  const out: string[] = [];
  let rows = 0;
  for (const l of kept) {
    if (out.length > 0 && rows + df(l) > rowBudget) break;
    out.push(l);
    rows += df(l);
  }
  return out.length ? out : lexemes;
}

export function toPassage(c: RankedCandidate | ChunkCandidate, score: number): Passage {
  return {
    chunkId: c.chunkId,
    documentId: c.documentId,
    source: c.path,
    title: c.title,
    section: sectionOf(c.headingPath, c.title),
    headingPath: c.headingPath,
    text: c.text,
    url: c.url,
    version: c.version,
    score,
  };
}

const SIGNATURE_RECHECK_MS = 5000;

export function createRetriever(deps: RetrieverDeps): Retriever {
  let state: IndexState | undefined;
  let loading: Promise<IndexState> | undefined;

  let checkedAt = -Infinity;
  async function indexState(): Promise<IndexState> {
    // The statistics only shape scores (never access), so re-checking the index every few seconds is enough.
    const now = performance.now();
    if (state && now - checkedAt < SIGNATURE_RECHECK_MS) return state;
    const signature = await indexSignature(deps.db);
    checkedAt = now;
    if (state?.signature === signature) return state;
    // One refresh at a time; concurrent questions wait for it.
    loading ??= (async () => {
      const [stats, embeddedChunks] = await Promise.all([
        termStatistics(deps.db),
        countEmbeddedChunks(deps.db),
      ]);
      return { signature, stats, vocabulary: buildVocabulary(stats.df), embeddedChunks };
    })().finally(() => {
      loading = undefined;
    });
    state = await loading;
    return state;
  }

  return {
    async retrieve(question, principals, opts = {}) {
      const t = { ...deps.tuning, ...opts.tuning };
      const query = analyzeQuery(question, {
        synonyms: deps.synonyms,
        previousQuestions: opts.previousQuestions,
      });
      const contentWords = [...new Set(words(query.contextText).filter((w) => !isStopword(w)))];
      const [idx, lexemes, embedding] = await Promise.all([
        indexState(),
        queryLexemes(deps.db, [query.contextText, query.expansions.join(' '), ...contentWords]),
        deps.embedder.embedQuery(query.searchText),
      ]);
      // Typos: a lexeme the index has never seen is replaced by its nearest indexed neighbour, if any.
      const questionLex = [
        ...new Set(
          (lexemes[0] ?? []).map((l) => (idx.stats.df.has(l) ? l : (correct(l, idx.vocabulary) ?? l))),
        ),
      ];
      const expansionLex = [...new Set(lexemes[1] ?? [])].filter((l) => !questionLex.includes(l));
      const terms: QueryTerms = { question: questionLex, expansion: expansionLex };
      const vectorMode = idx.embeddedChunks > t.exactScanMaxChunks ? 'hnsw' : 'exact';
      const all = [...questionLex, ...expansionLex];
      const { candidates, readableLexemes } = await searchChunks(deps.db, {
        queryEmbedding: embedding,
        // On a small index ranking every match is cheap; the row budget only bounds large ones.
        queryLexemes: pruneLexemes(
          all,
          idx.stats,
          t.pruneDfRatio,
          idx.stats.chunks > t.ftsRowBudget * 5 ? t.ftsRowBudget : Infinity,
        ),
        reportLexemes: all,
        principals,
        ...(opts.principalSets ? { principalSets: opts.principalSets } : {}),
        limit: t.candidates,
        armLimit: t.armLimit,
        fusion: t.fusion,
        rrfK: t.rrfK,
        vectorWeight: t.vectorWeight,
        vectorMode,
      });
      const ranked = rerank(candidates, terms, idx.stats, query.intent, t.rerank);
      // Per content word: its light stem (to find it in a sentence) and the IDF of its indexed lexeme.
      const wordWeights = new Map<string, number>();
      contentWords.forEach((w, i) => {
        const lex = lexemes[i + 2]?.[0];
        if (!lex) return;
        const fixed = idx.stats.df.has(lex) ? lex : (correct(lex, idx.vocabulary) ?? lex);
        wordWeights.set(stem(w), idf(idx.stats, fixed));
      });
      const inputs = confidenceInputs(
        ranked,
        terms,
        idx.stats,
        new Set(readableLexemes),
        wordWeights,
        query.contextText,
      );
      const injection = looksLikeInjection(question);
      const confidence = injection ? 0 : calibrate(inputs, t.confidence);
      return {
        query,
        terms,
        ranked,
        passages: ranked.map((c) => toPassage(c, c.score)),
        confidence,
        confidenceInputs: inputs,
        vectorMode,
        ...(injection ? { blocked: 'injection' as const } : {}),
      };
    },
  };
}

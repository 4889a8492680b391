/**
 * The assistant core's public face: `createAssistant(deps)` → `{ ask, feedback }`. The composition root passes the
 * store's `Db` and the embedder that built the index; synonyms and retrieval tuning are read from their data files
 * once, here, never per question.
 */
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import type { Composer } from '../retrieval/composer.js';
import { createExtractiveComposer } from '../retrieval/extractive.js';
import { createRetriever } from '../retrieval/retriever.js';
import type { QueryEmbedder, Retriever } from '../retrieval/retriever.js';
import { loadSynonyms } from '../retrieval/synonyms.js';
import { loadTuning } from '../retrieval/tuning.js';
import type { RetrievalTuning } from '../retrieval/tuning.js';
import { createAssistantCore } from './ask.js';
import type { Assistant } from './ask.js';

export type { Assistant, AskOptions } from './ask.js';
export { FeedbackError, pseudonymize } from './ask.js';
export { redactPhi } from './redact.js';

export const DEFAULT_SYNONYMS_FILE = fileURLToPath(new URL('../data/synonyms.yml', import.meta.url));
export const DEFAULT_TUNING_FILE = fileURLToPath(new URL('../data/retrieval.yml', import.meta.url));

export interface CreateAssistantDeps {
  db: Db;
  embedder: QueryEmbedder;
  logger?: Logger;
  /** ANSWER_MIN_CONFIDENCE; defaults to the tuned threshold in data/retrieval.yml. */
  minConfidence?: number;
  /** Extra synonym files a deployment adds after the shipped list. */
  extraSynonymFiles?: string[];
  synonymFiles?: string[];
  tuningFile?: string;
  tuning?: RetrievalTuning;
  /** Defaults to the extractive composer; an LLM composer plugs in here. */
  composer?: Composer;
}

export interface AssistantWithRetriever extends Assistant {
  /** The retriever behind `ask`, for evals and benchmarks that score rankings directly. */
  readonly retriever: Retriever;
  readonly tuning: RetrievalTuning;
}

export function createAssistant(deps: CreateAssistantDeps): AssistantWithRetriever {
  const synonyms = loadSynonyms([
    ...(deps.synonymFiles ?? [DEFAULT_SYNONYMS_FILE]),
    ...(deps.extraSynonymFiles ?? []),
  ]);
  const tuning = deps.tuning ?? loadTuning(deps.tuningFile ?? DEFAULT_TUNING_FILE);
  const retriever = createRetriever({ db: deps.db, embedder: deps.embedder, synonyms, tuning });
  const core = createAssistantCore({
    db: deps.db,
    retriever,
    composer:
      deps.composer ??
      createExtractiveComposer({
        maxCitations: tuning.maxCitations,
        citationRelativeScore: tuning.citationRelativeScore,
      }),
    minConfidence: deps.minConfidence ?? tuning.threshold,
    embedderId: deps.embedder.id,
    logger: deps.logger,
  });
  return { ...core, retriever, tuning };
}

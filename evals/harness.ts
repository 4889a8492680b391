/**
 * The real thing, in-process: ingests a suite's corpus (folder + access.yml) into an embedded store with the real
 * pipeline, builds the real assistant core over it and exposes it as the runner's `ask` function. Each answer's audit
 * record is read back so the evals also see every chunk the core *considered* — a leak into the candidate set counts
 * even when it never reaches a citation.
 *
 * The store is in memory unless a data directory is given (then the ingest is incremental and re-runs are fast). The
 * embedder is built by the caller from configuration, so evals never read the environment themselves.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import { createAssistant, type AssistantWithRetriever } from '../assistant/index.js';
import { principalsForRoles } from '../assistant/identity.js';
import type { Asker } from '../assistant/reply.js';
import {
  FolderSource,
  loadAccessFile,
  runIngest,
  type DocumentEmbedder,
  type IngestReport,
} from '../ingestion/index.js';
import type { Composer } from '../retrieval/composer.js';
import type { QueryEmbedder } from '../retrieval/retriever.js';
import { getAskAudit } from '../store/ask-audit.js';
import { listChunks, listDocuments, openStore, type Store } from '../store/index.js';
import type { AskFn, AskResult } from './runner.js';

export type EvalEmbedder = DocumentEmbedder & QueryEmbedder;

export interface CorpusRef {
  folder: string;
  access: string;
}

export interface OpenCorpusOptions {
  corpus: CorpusRef;
  embedder: EvalEmbedder;
  /** Where the embedded store lives; default `memory://` (nothing left behind). */
  dataDir?: string;
  logger?: Logger;
  maxBytes?: number;
}

/** An ingested corpus; several assistants (real or deliberately degraded) can be built over it. */
export interface EvalCorpus {
  readonly store: Store;
  readonly embedder: EvalEmbedder;
  readonly ingest: IngestReport;
  /** Source paths of every indexed document (to catch typos in a dataset's expected sources). */
  readonly sources: string[];
  close(): Promise<void>;
}

export async function openEvalCorpus(options: OpenCorpusOptions): Promise<EvalCorpus> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const access = await loadAccessFile(options.corpus.access);
  const store = await openStore({ dataDir: options.dataDir ?? 'memory://' });
  try {
    const source = new FolderSource({
      root: options.corpus.folder,
      access,
      maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
    });
    const ingest = await runIngest({ store, embedder: options.embedder, source, logger });
    const sources = (await listDocuments(store.db)).map((d) => d.path);
    return { store, embedder: options.embedder, ingest, sources, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export interface EvalAssistantOptions {
  logger?: Logger;
  /** ANSWER_MIN_CONFIDENCE; default: the tuned threshold. */
  minConfidence?: number;
  /** Replaces the extractive composer (an LLM composer, or a deliberately degraded one in the gate test). */
  composer?: Composer;
  /** Also return the text of the passages the answer was composed from (for the LLM judge). */
  withPassages?: boolean;
}

/** A person holding exactly `role`, resolved to principals the way every surface does. */
export function evalAsker(role: string): Asker {
  return { id: `eval:${role}`, principals: principalsForRoles([role]), roles: [role], surface: 'eval' };
}

/** The runner's `ask`, backed by the real core over an ingested corpus. */
export function createEvalAsk(
  corpus: EvalCorpus,
  options: EvalAssistantOptions = {},
): {
  ask: AskFn;
  assistant: AssistantWithRetriever;
} {
  const db = corpus.store.db;
  const assistantWith = (minConfidence: number | undefined) =>
    createAssistant({
      db,
      embedder: corpus.embedder,
      logger: options.logger,
      ...(minConfidence !== undefined ? { minConfidence } : {}),
      ...(options.composer ? { composer: options.composer } : {}),
    });
  const assistant = assistantWith(options.minConfidence);
  // Same core with the confidence gate off: what a refused question would have cited (the `ranking_*` metrics).
  const ungated = assistantWith(0);
  const chunkText = new Map<string, string>();

  async function passagesOf(refs: { chunkId: string; documentId: string }[]): Promise<string[]> {
    const texts: string[] = [];
    for (const ref of refs) {
      if (!chunkText.has(ref.chunkId)) {
        for (const chunk of await listChunks(db, Number(ref.documentId)))
          chunkText.set(String(chunk.id), chunk.text);
      }
      const text = chunkText.get(ref.chunkId);
      if (text) texts.push(text);
    }
    return texts;
  }

  const ask: AskFn = async (question, role) => {
    const reply = await assistant.ask(question, evalAsker(role));
    const audit = reply.auditId ? await getAskAudit(db, reply.auditId) : undefined;
    const result: AskResult = {
      reply,
      ungated: async () => (await ungated.ask(question, evalAsker(role))).citations,
    };
    if (audit) {
      result.considered = [...new Set([...audit.considered, ...audit.returned].map((r) => r.source))];
      if (options.withPassages && reply.answered) result.passages = await passagesOf(audit.returned);
    }
    return result;
  };
  return { ask, assistant };
}

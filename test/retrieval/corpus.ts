/**
 * Test/measurement helper: index a folder of SOPs (with its access.yml) into a fresh store through the real
 * pipeline — real parsers, chunker, embedder and PGlite — and turn eval-dataset roles into principals.
 */
import { join } from 'node:path';
import { silentLogger } from '../../app/logger.js';
import { loadAccessFile } from '../../ingestion/access.js';
import type { DocumentEmbedder } from '../../ingestion/index-document.js';
import { runIngest } from '../../ingestion/pipeline.js';
import { FolderSource } from '../../ingestion/sources/folder.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/index.js';

export const ODOO_DOCS = new URL('../../../shared/corpus/odoo-docs/', import.meta.url).pathname;
export const DEMO_HOSPITAL = new URL('../../data/demo-hospital/', import.meta.url).pathname;
export const DATASETS = new URL('../../evals/datasets/', import.meta.url).pathname;

export interface IndexedCorpus {
  store: Store;
  documents: number;
  chunks: number;
  failed: number;
}

export async function indexCorpus(
  folder: string,
  embedder: DocumentEmbedder,
  dataDir = 'memory://',
): Promise<IndexedCorpus> {
  const store = await openStore({ dataDir });
  const access = await loadAccessFile(join(folder, 'access.yml'));
  const source = new FolderSource({ root: folder, access, maxBytes: 50 * 1024 * 1024 });
  const report = await runIngest({ store, embedder, source, logger: silentLogger() });
  return { store, documents: report.documents, chunks: report.chunks, failed: report.failed };
}

export function principalsForRole(role: string): string[] {
  return [`role:${role}`];
}

/**
 * /readyz for the composition root: ready when the store answers and the index holds at least one chunk — an empty
 * index would refuse every question, which a load balancer should not route to.
 */
import { countIndex, type Db } from '../store/index.js';
import type { ReadinessReport } from './server.js';

export function storeReadiness(db: Db): () => Promise<ReadinessReport> {
  return async (): Promise<ReadinessReport> => {
    try {
      const counts = await countIndex(db);
      const indexOk = counts.chunks > 0;
      return {
        ready: indexOk,
        checks: {
          store: { ok: true },
          index: { ok: indexOk, detail: `${counts.indexedDocuments} documents, ${counts.chunks} chunks` },
        },
      };
    } catch (err) {
      return { ready: false, checks: { store: { ok: false, detail: (err as Error).message } } };
    }
  };
}

/**
 * The shared body of the end-to-end retrieval suites (one test file per corpus, so each ingests once):
 * - leak tests: every role × every question of the eval set, plus generated attacks that quote each unreadable
 *   document's title and its most distinctive words — no chunk the role may not read is ever among the candidates
 *   retrieval considered (so none can be cited), checked against an independent access oracle (evals/access.ts);
 * - quality: hit@5 and refusal figures of the real assistant over the eval set, against floors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../assistant/index.js';
import type { AssistantWithRetriever } from '../../assistant/index.js';
import type { Asker } from '../../assistant/reply.js';
import { loadAccessOracle } from '../../evals/access.js';
import type { AccessOracle } from '../../evals/access.js';
import { loadDataset } from '../../evals/dataset.js';
import type { EvalCase } from '../../evals/dataset.js';
import { contentStems } from '../../retrieval/text.js';
import { getAskAudit } from '../../store/ask-audit.js';
import type { Db, Store } from '../../store/index.js';
import { DATASETS, indexCorpus, principalsForRole } from './corpus.js';
import { makeEmbedder } from './embedders.js';

/** Every role × every question is thousands of searches; generous on a shared 2-core machine. */
const SLOW = 600_000;

export interface QualityFloors {
  hit5: number;
  refusal: number;
  maxFalseRefusal: number;
}

interface DocRow {
  path: string;
  title: string;
  text: string;
}

/** Questions that name an unreadable document by title and quote its rarest words. */
function attacksFor(docs: DocRow[]): { path: string; question: string }[] {
  const df = new Map<string, number>();
  const stemsByDoc = docs.map((d) => new Set(contentStems(d.text)));
  for (const s of stemsByDoc) for (const w of s) df.set(w, (df.get(w) ?? 0) + 1);
  return docs.map((d, i) => {
    const words = d.text.toLowerCase().match(/[a-z]{5,}/g) ?? [];
    const rare = [...new Set(words)]
      .filter((w) => contentStems(w)[0] !== undefined && stemsByDoc[i]!.has(contentStems(w)[0]!))
      .sort(
        (a, b) =>
          (df.get(contentStems(a)[0]!) ?? 0) - (df.get(contentStems(b)[0]!) ?? 0) || a.localeCompare(b),
      )
      .slice(0, 6);
    return { path: d.path, question: `What does "${d.title}" say about ${rare.join(' ')}?` };
  });
}

export function retrievalSuite(name: string, folder: string, floors: QualityFloors): void {
  let store: Store;
  let assistant: AssistantWithRetriever;
  let access: AccessOracle;
  let cases: EvalCase[];
  let docs: DocRow[];

  let embedder: Awaited<ReturnType<typeof makeEmbedder>>;

  beforeAll(async () => {
    embedder = await makeEmbedder('hash');
    store = (await indexCorpus(folder, embedder)).store;
    assistant = createAssistant({ db: store.db, embedder });
    access = await loadAccessOracle(join(folder, 'access.yml'));
    cases = await loadDataset(join(DATASETS, `${name}.jsonl`));
    docs = (
      await store.db.query<DocRow>(
        `select d.path, d.title, string_agg(c.text, ' ' order by c.ordinal) as text
         from documents d join chunks c on c.document_id = d.id group by d.path, d.title order by d.path`,
      )
    ).rows;
  });
  afterAll(async () => {
    await store?.close();
  });

  describe(`${name}: access`, () => {
    it(
      'never considers a chunk the role may not read, for any role and any question of the set',
      async () => {
        const leaks: string[] = [];
        let checked = 0;
        for (const role of access.roles) {
          for (const c of cases) {
            const r = await assistant.retriever.retrieve(c.question, principalsForRole(role));
            for (const p of r.passages) {
              checked++;
              if (!access.canRead(role, p.source)) leaks.push(`${role} ← ${p.source} (${c.id})`);
            }
          }
        }
        expect(checked).toBeGreaterThan(0);
        expect(leaks).toEqual([]);
      },
      SLOW,
    );

    it(
      'never answers from an unreadable document named by its title and its own rare words',
      async () => {
        const leaks: string[] = [];
        let attacks = 0;
        for (const role of access.roles) {
          for (const a of attacksFor(docs).filter((x) => !access.canRead(role, x.path))) {
            attacks++;
            const asker: Asker = {
              id: `leak-${role}`,
              principals: principalsForRole(role),
              roles: [role],
              surface: 'cli',
            };
            const reply = await assistant.ask(a.question, asker);
            const considered = (await getAskAudit(store.db, reply.auditId))?.considered ?? [];
            for (const s of [
              ...reply.citations.map((x) => x.source),
              ...reply.related.map((x) => x.source),
              ...considered.map((p) => p.source),
            ]) {
              if (!access.canRead(role, s)) leaks.push(`${role} ← ${s} via "${a.question}"`);
            }
          }
        }
        expect(attacks).toBeGreaterThan(0);
        expect(leaks).toEqual([]);
      },
      SLOW,
    );

    it('an asker with no principals gets nothing at all', async () => {
      const r = await assistant.retriever.retrieve(cases[0]!.question, []);
      expect(r.passages).toEqual([]);
    });
  });

  describe(`${name}: quality`, () => {
    it(
      'looks phrases up only when they could change the decision, and every decision stays the same',
      async () => {
        let phraseLookups = 0;
        const counting: Db = {
          ...store.db,
          query: (sql, params) => {
            if (sql.includes('with ordinality as p(q, i)')) phraseLookups++;
            return store.db.query(sql, params);
          },
        };
        const lean = createAssistant({ db: counting, embedder });
        const threshold = lean.tuning.threshold;
        const changed: string[] = [];
        for (const c of cases) {
          const full = await assistant.retriever.retrieve(c.question, principalsForRole(c.role));
          const r = await lean.retriever.retrieve(c.question, principalsForRole(c.role), {
            decisionThreshold: threshold,
          });
          const answers = (confidence: number) => confidence >= threshold;
          if (answers(full.confidence) !== answers(r.confidence)) changed.push(c.id);
        }
        expect(changed).toEqual([]);
        expect(phraseLookups).toBeGreaterThan(0);
        expect(phraseLookups).toBeLessThan(cases.length / 2);
      },
      SLOW,
    );

    it(
      `hit@5 ≥ ${floors.hit5}, refusal ≥ ${floors.refusal}, false refusals ≤ ${floors.maxFalseRefusal}`,
      async () => {
        let hit5 = 0;
        let answerable = 0;
        let falseRefusals = 0;
        let refused = 0;
        let refusable = 0;
        for (const c of cases) {
          const asker: Asker = {
            id: 'quality',
            principals: principalsForRole(c.role),
            roles: [c.role],
            surface: 'cli',
          };
          const reply = await assistant.ask(c.question, asker);
          if (c.expect === 'answer') {
            answerable++;
            if (!reply.answered) falseRefusals++;
            const sources = [...new Set(reply.citations.map((x) => x.source))].slice(0, 5);
            if (reply.answered && sources.some((s) => c.expected_sources.includes(s))) hit5++;
          } else {
            refusable++;
            if (!reply.answered) refused++;
          }
        }
        const figures = {
          hit5: hit5 / answerable,
          refusal: refused / refusable,
          falseRefusal: falseRefusals / answerable,
        };
        expect(figures.hit5).toBeGreaterThanOrEqual(floors.hit5);
        expect(figures.refusal).toBeGreaterThanOrEqual(floors.refusal);
        expect(figures.falseRefusal).toBeLessThanOrEqual(floors.maxFalseRefusal);
      },
      SLOW,
    );
  });
}

/**
 * The access filter of the hybrid statement, on a real embedded database: both arms, exact and HNSW vector modes, the
 * ordinary per-asker overlap and the shared-channel "every member may read it" rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindIndex, openStore, rebuildVectorIndex, upsertDocumentWithChunks } from './index.js';
import type { Store } from './index.js';
import { queryLexemes, searchChunks } from './search.js';

const D = 8;
function unit(seed: number): number[] {
  const v = Array.from({ length: D }, (_, i) => Math.sin(seed * 31 + i * 7) + 0.01);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const docs = [
  { path: 'either.md', acl: ['role:a', 'role:b'] },
  { path: 'only-a.md', acl: ['role:a'] },
  { path: 'only-b.md', acl: ['role:b'] },
  { path: 'public.md', acl: ['public'] },
];

describe.each(['exact', 'hnsw'] as const)('searchChunks access filter (%s vector arm)', (vectorMode) => {
  let store: Store;
  let lexemes: string[];

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
    await bindIndex(store.db, { id: 'test-8', dimensions: D });
    for (const [i, d] of docs.entries()) {
      await upsertDocumentWithChunks(
        store.db,
        {
          source: 'folder',
          externalId: d.path,
          path: d.path,
          title: 'Receipts',
          checksum: `c${i}`,
          acl: d.acl,
        },
        [0, 1].map((ordinal) => ({
          ordinal,
          headingPath: ['Receipts'],
          text: `Receive the partial delivery against the purchase order (${d.path} part ${ordinal}).`,
          embedding: unit(i * 2 + ordinal),
        })),
      );
    }
    if (vectorMode === 'hnsw') await rebuildVectorIndex(store.db);
    lexemes = (await queryLexemes(store.db, ['receive partial delivery']))[0] ?? [];
  });
  afterAll(async () => {
    await store.close();
  });

  async function paths(access: { principals: string[]; principalSets?: string[][] }): Promise<string[]> {
    const { candidates } = await searchChunks(store.db, {
      queryEmbedding: unit(3),
      queryLexemes: lexemes,
      ...access,
      limit: 50,
      vectorMode,
    });
    return [...new Set(candidates.map((c) => c.path))].sort();
  }

  it('keeps only chunks whose ACL overlaps the asker', async () => {
    expect(await paths({ principals: ['role:a'] })).toEqual(['either.md', 'only-a.md']);
    expect(await paths({ principals: [] })).toEqual([]);
  });

  it('shared channel: a document readable by A and by B is visible to one A member and one B member', async () => {
    // The members share no principal, so the narrowed asker alone would read nothing.
    const visible = await paths({ principals: [], principalSets: [['role:a'], ['role:b']] });
    expect(visible).toEqual(['either.md']);
    expect(visible).not.toContain('only-a.md');
    expect(visible).not.toContain('only-b.md');
  });

  it('shared channel: every member must be able to read it, whatever else one of them holds', async () => {
    expect(
      await paths({
        principals: [],
        principalSets: [
          ['role:a', 'public'],
          ['role:b', 'public'],
        ],
      }),
    ).toEqual(['either.md', 'public.md']);
    expect(
      await paths({ principals: ['role:a'], principalSets: [['role:a'], ['role:a', 'role:b']] }),
    ).toEqual(['either.md', 'only-a.md']);
  });

  it("reports the cosine of every candidate, the vector arm's last cosine and the query words found in the document title", async () => {
    const { candidates, vectorFloor } = await searchChunks(store.db, {
      queryEmbedding: unit(3),
      queryLexemes: lexemes,
      reportLexemes: [...lexemes, 'receipt'],
      principals: ['role:a'],
      limit: 50,
      armLimit: 2,
      vectorMode,
    });
    expect(candidates.length).toBeGreaterThan(0);
    const armScores = candidates.flatMap((c) => (c.vectorScore === null ? [] : [c.vectorScore]));
    expect(armScores).toHaveLength(2);
    expect(vectorFloor).toBeCloseTo(Math.min(...armScores), 6);
    const q = unit(3);
    for (const c of candidates) {
      const v = unit(docs.findIndex((d) => d.path === c.path) * 2 + c.ordinal);
      expect(c.similarity).toBeCloseTo(
        v.reduce((sum, x, i) => sum + x * (q[i] ?? 0), 0),
        4,
      );
      // The title is "Receipts"; the question's other words are in the text and headings only.
      expect(c.matchedTitleLexemes).toEqual(['receipt']);
    }
  });

  it('shared channel: a member who can read nothing, or no member list at all, reads nothing', async () => {
    expect(await paths({ principals: ['role:a'], principalSets: [['role:a'], []] })).toEqual([]);
    expect(await paths({ principals: ['role:a'], principalSets: [] })).toEqual([]);
  });
});

describe('searchChunks HNSW scan budget', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
    await bindIndex(store.db, { id: 'test-8', dimensions: D });
    // 3 000 chunks the asker may not read and 60 (2 %) they may.
    for (const [i, d] of [
      { path: 'others.md', acl: ['role:others'], chunks: 3000 },
      { path: 'mine.md', acl: ['role:me'], chunks: 60 },
    ].entries()) {
      await upsertDocumentWithChunks(
        store.db,
        { source: 'folder', externalId: d.path, path: d.path, title: d.path, checksum: `c${i}`, acl: d.acl },
        Array.from({ length: d.chunks }, (_, ordinal) => ({
          ordinal,
          headingPath: [],
          text: `chunk ${ordinal}`,
          embedding: unit(i * 10_000 + ordinal),
        })),
      );
    }
    await rebuildVectorIndex(store.db);
  });
  afterAll(async () => {
    await store.close();
  });

  async function vectorRows(maxScanTuples?: number): Promise<number> {
    const { candidates } = await searchChunks(store.db, {
      queryEmbedding: unit(7),
      queryLexemes: [],
      principals: ['role:me'],
      limit: 100,
      armLimit: 40,
      vectorMode: 'hnsw',
      ...(maxScanTuples ? { maxScanTuples } : {}),
    });
    expect(candidates.every((c) => c.path === 'mine.md')).toBe(true);
    return candidates.filter((c) => c.vectorRank !== null).length;
  }

  it('walks the graph until the arm is full, or stops after the tuples it was allowed', async () => {
    expect(await vectorRows()).toBe(40);
    expect(await vectorRows(1000)).toBeLessThan(40);
  });
});

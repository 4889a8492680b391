import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindIndex, openStore, upsertDocumentWithChunks } from './index.js';
import type { Store } from './index.js';
import { phraseAcls } from './phrases.js';
import { queryLexemes } from './search.js';

describe('phraseAcls', () => {
  let store: Store;
  const lex = async (...words: string[]) => (await queryLexemes(store.db, words)).map((l) => l[0]!);

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
    await bindIndex(store.db, { id: 'test-2', dimensions: 2 });
    const docs = [
      { path: 'checks.md', acl: ['role:ap'], text: 'Print checks in a batch from the vendor payments list.' },
      { path: 'lots.md', acl: ['role:stores'], text: 'Check each batch and print the lot labels.' },
      { path: 'both.md', acl: ['role:ap', 'role:stores'], text: 'Print the checks register at month end.' },
    ];
    for (const [i, d] of docs.entries()) {
      await upsertDocumentWithChunks(
        store.db,
        { source: 'folder', externalId: d.path, path: d.path, title: 'T', checksum: `c${i}`, acl: d.acl },
        [{ ordinal: 0, headingPath: ['T'], text: d.text, embedding: [1, 0] }],
      );
    }
  });
  afterAll(async () => {
    await store.close();
  });

  it('returns the ACLs of the chunks holding each pair as a phrase, in order, whatever the access', async () => {
    const [print, check, batch, month] = await lex('print', 'checks', 'batch', 'month');
    const acls = await phraseAcls(store.db, [
      [print!, check!],
      [check!, print!],
      [check!, batch!],
      [batch!, month!],
    ]);
    expect(acls[0]!.map((a) => a.join('+')).sort()).toEqual(['role:ap', 'role:ap+role:stores']);
    expect(acls[1]).toEqual([]); // "check … print" is not "print checks"
    expect(acls[2]).toEqual([['role:stores']]); // "Check each batch": one word between still counts
    expect(acls[3]).toEqual([]);
  });

  it('takes lexemes verbatim, so quotes cannot break out of the query', async () => {
    await expect(phraseAcls(store.db, [["o'brien", 'x\\y']])).resolves.toEqual([[]]);
    await expect(phraseAcls(store.db, [])).resolves.toEqual([]);
  });
});

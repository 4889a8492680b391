import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POSTED_ANSWER_KEEP_DAYS,
  findPostedAnswer,
  getChannelMode,
  openStore,
  rememberPostedAnswer,
  setChannelMode,
  type PostedAnswerKey,
  type StateSurface,
  type Store,
} from './index.js';
import { loadMigrations, migrate } from './migrate.js';
import { createPglite, pgliteDb } from './pglite.js';

const CHAT_A = 'a:1chat-a';
const CHAT_B = 'a:1chat-b';
const at = (surface: StateSurface, conversation: string, messageId: string): PostedAnswerKey => ({
  surface,
  conversation,
  messageId,
});

describe('surface state (PGlite in memory)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('has no mode for a channel nobody has set, then the last one set', async () => {
    expect(await getChannelMode(store.db, 'slack', 'C1')).toBeUndefined();
    await setChannelMode(store.db, 'slack', 'C1', 'private');
    expect(await getChannelMode(store.db, 'slack', 'C1')).toBe('private');
    await setChannelMode(store.db, 'slack', 'C1', 'shared');
    expect(await getChannelMode(store.db, 'slack', 'C1')).toBe('shared');
  });

  it('keeps each surface’s channels apart', async () => {
    await setChannelMode(store.db, 'teams', 'same-id', 'private');
    expect(await getChannelMode(store.db, 'slack', 'same-id')).toBeUndefined();
    expect(await getChannelMode(store.db, 'teams', 'same-id')).toBe('private');
  });

  it('refuses a mode the surfaces do not know, in the repository and in the table', async () => {
    await expect(setChannelMode(store.db, 'slack', 'C2', 'public' as never)).rejects.toThrow();
    await expect(
      store.db.query(`INSERT INTO channel_modes (surface, channel, mode) VALUES ('slack', 'C2', 'public')`),
    ).rejects.toThrow(/check constraint/);
    expect(await getChannelMode(store.db, 'slack', 'C2')).toBeUndefined();
  });

  it('finds a posted answer’s audit id by surface, conversation and message id; a re-post points at the newer audit', async () => {
    await rememberPostedAnswer(store.db, { ...at('teams', CHAT_A, '1767225600001'), auditId: 'audit-a' });
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, '1767225600001'))).toEqual({
      auditId: 'audit-a',
    });
    expect(await findPostedAnswer(store.db, at('slack', CHAT_A, '1767225600001'))).toBeUndefined();
    expect(await findPostedAnswer(store.db, at('teams', CHAT_B, '1767225600001'))).toBeUndefined();
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, 'never-posted'))).toBeUndefined();
    await rememberPostedAnswer(store.db, { ...at('teams', CHAT_A, '1767225600001'), auditId: 'audit-b' });
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, '1767225600001'))).toEqual({
      auditId: 'audit-b',
    });
  });

  it('keeps two answers posted in the same millisecond in two conversations apart', async () => {
    // Teams channel message ids are epoch milliseconds: unique within a conversation, not across them.
    await rememberPostedAnswer(store.db, { ...at('teams', CHAT_A, '1767225600777'), auditId: 'audit-in-a' });
    await rememberPostedAnswer(store.db, { ...at('teams', CHAT_B, '1767225600777'), auditId: 'audit-in-b' });
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, '1767225600777'))).toEqual({
      auditId: 'audit-in-a',
    });
    expect(await findPostedAnswer(store.db, at('teams', CHAT_B, '1767225600777'))).toEqual({
      auditId: 'audit-in-b',
    });
  });

  it('refuses to remember an answer without its conversation', async () => {
    await expect(
      rememberPostedAnswer(store.db, { ...at('teams', '', 'm-nowhere'), auditId: 'audit-x' }),
    ).rejects.toThrow();
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, 'm-nowhere'))).toBeUndefined();
  });

  it('forgets answers older than the retention window when a new one is remembered', async () => {
    // Rows posted in the past, written directly: the repository always stamps now().
    await store.db.query(
      `INSERT INTO posted_answers (surface, conversation, message_id, audit_id, posted_at) VALUES
         ('teams', $2, 'stale', 'audit-old', now() - ($1::int + 1) * interval '1 day'),
         ('teams', $2, 'recent', 'audit-recent', now() - ($1::int - 1) * interval '1 day')`,
      [POSTED_ANSWER_KEEP_DAYS, CHAT_A],
    );
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, 'stale'))).toEqual({ auditId: 'audit-old' });
    await rememberPostedAnswer(store.db, { ...at('teams', CHAT_A, 'fresh'), auditId: 'audit-new' });
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, 'stale'))).toBeUndefined();
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, 'recent'))).toEqual({
      auditId: 'audit-recent',
    });
    expect(await findPostedAnswer(store.db, at('teams', CHAT_A, 'fresh'))).toEqual({ auditId: 'audit-new' });
  });
});

describe('posted answers written before migration 060 (PGlite in memory)', () => {
  it("keep conversation '' and are found from any conversation until that conversation has its own row", async () => {
    const db = pgliteDb(await createPglite('memory://'));
    try {
      const all = await loadMigrations();
      await migrate(db, { advisoryLock: false, migrations: all.filter((m) => m.version < 60) });
      await db.query(
        `INSERT INTO posted_answers (surface, message_id, audit_id) VALUES ('teams', '1767225600123', 'audit-legacy')`,
      );
      expect(await migrate(db, { advisoryLock: false, migrations: all })).toContain(60);

      const { rows } = await db.query<{ conversation: string }>(`SELECT conversation FROM posted_answers`);
      expect(rows).toEqual([{ conversation: '' }]);
      // Before the upgrade this row answered every lookup by its message id; it still does, for as long as it is kept.
      expect(await findPostedAnswer(db, at('teams', CHAT_A, '1767225600123'))).toEqual({
        auditId: 'audit-legacy',
      });
      await rememberPostedAnswer(db, { ...at('teams', CHAT_B, '1767225600123'), auditId: 'audit-b' });
      expect(await findPostedAnswer(db, at('teams', CHAT_B, '1767225600123'))).toEqual({
        auditId: 'audit-b',
      });
      expect(await findPostedAnswer(db, at('teams', CHAT_A, '1767225600123'))).toEqual({
        auditId: 'audit-legacy',
      });
    } finally {
      await db.close();
    }
  });
});

describe('surface state across a reopen (PGlite on disk)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sop-surface-state-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps modes and posted answers after the store is closed and opened again', async () => {
    const first = await openStore({ dataDir: dir });
    await setChannelMode(first.db, 'teams', '19:chan@thread.tacv2', 'private');
    await setChannelMode(first.db, 'slack', 'CPRIV', 'shared');
    await rememberPostedAnswer(first.db, { ...at('teams', CHAT_A, 'm1'), auditId: 'audit-1' });
    await first.close();

    const second = await openStore({ dataDir: dir });
    try {
      expect(await getChannelMode(second.db, 'teams', '19:chan@thread.tacv2')).toBe('private');
      expect(await getChannelMode(second.db, 'slack', 'CPRIV')).toBe('shared');
      expect(await findPostedAnswer(second.db, at('teams', CHAT_A, 'm1'))).toEqual({
        auditId: 'audit-1',
      });
    } finally {
      await second.close();
    }
  });
});

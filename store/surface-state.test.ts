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
  type Store,
} from './index.js';

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

  it('finds a posted answer’s audit id by surface and message id; a re-post points at the newer audit', async () => {
    await rememberPostedAnswer(store.db, { surface: 'teams', messageId: '1767225600001', auditId: 'audit-a' });
    expect(await findPostedAnswer(store.db, 'teams', '1767225600001')).toEqual({ auditId: 'audit-a' });
    expect(await findPostedAnswer(store.db, 'slack', '1767225600001')).toBeUndefined();
    expect(await findPostedAnswer(store.db, 'teams', 'never-posted')).toBeUndefined();
    await rememberPostedAnswer(store.db, { surface: 'teams', messageId: '1767225600001', auditId: 'audit-b' });
    expect(await findPostedAnswer(store.db, 'teams', '1767225600001')).toEqual({ auditId: 'audit-b' });
  });

  it('forgets answers older than the retention window when a new one is remembered', async () => {
    // Rows posted in the past, written directly: the repository always stamps now().
    await store.db.query(
      `INSERT INTO posted_answers (surface, message_id, audit_id, posted_at) VALUES
         ('teams', 'stale', 'audit-old', now() - ($1::int + 1) * interval '1 day'),
         ('teams', 'recent', 'audit-recent', now() - ($1::int - 1) * interval '1 day')`,
      [POSTED_ANSWER_KEEP_DAYS],
    );
    expect(await findPostedAnswer(store.db, 'teams', 'stale')).toEqual({ auditId: 'audit-old' });
    await rememberPostedAnswer(store.db, { surface: 'teams', messageId: 'fresh', auditId: 'audit-new' });
    expect(await findPostedAnswer(store.db, 'teams', 'stale')).toBeUndefined();
    expect(await findPostedAnswer(store.db, 'teams', 'recent')).toEqual({ auditId: 'audit-recent' });
    expect(await findPostedAnswer(store.db, 'teams', 'fresh')).toEqual({ auditId: 'audit-new' });
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
    await rememberPostedAnswer(first.db, { surface: 'teams', messageId: 'm1', auditId: 'audit-1' });
    await first.close();

    const second = await openStore({ dataDir: dir });
    try {
      expect(await getChannelMode(second.db, 'teams', '19:chan@thread.tacv2')).toBe('private');
      expect(await getChannelMode(second.db, 'slack', 'CPRIV')).toBe('shared');
      expect(await findPostedAnswer(second.db, 'teams', 'm1')).toEqual({ auditId: 'audit-1' });
    } finally {
      await second.close();
    }
  });
});

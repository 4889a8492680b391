/**
 * Chat-surface state that people set at run time and that must outlive a restart (tables `channel_modes` and
 * `posted_answers`, migrations 050 and 060): each channel's answer mode, and which audit record a posted answer belongs to.
 * Rows are read back through zod so a hand-edited row cannot turn into a mode the surfaces do not know.
 */
import { z } from 'zod';
import type { Db } from './db.js';

/** The surfaces that keep state here; the web chat has no channels and carries its audit ids in the page. */
export type StateSurface = 'slack' | 'teams';

export const StoredChannelMode = z.enum(['shared', 'private']);
export type StoredChannelMode = z.infer<typeof StoredChannelMode>;

/**
 * How long a posted answer can still take feedback through its message id. Feedback comes minutes or days after an
 * answer is read; three months covers someone coming back to an old thread, while one row per answer would otherwise
 * grow forever. Older clicks are logged and dropped, as they were after a restart before this table existed.
 */
export const POSTED_ANSWER_KEEP_DAYS = 90;

/** The channel's stored mode, or undefined when nobody has set one (the surface's configured default applies). */
export async function getChannelMode(
  db: Db,
  surface: StateSurface,
  channel: string,
): Promise<StoredChannelMode | undefined> {
  const { rows } = await db.query<{ mode: unknown }>(
    'SELECT mode FROM channel_modes WHERE surface = $1 AND channel = $2',
    [surface, channel],
  );
  if (!rows[0]) return undefined;
  return StoredChannelMode.parse(rows[0].mode);
}

export async function setChannelMode(
  db: Db,
  surface: StateSurface,
  channel: string,
  mode: StoredChannelMode,
): Promise<void> {
  await db.query(
    `INSERT INTO channel_modes (surface, channel, mode, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (surface, channel) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()`,
    [surface, channel, StoredChannelMode.parse(mode)],
  );
}

/**
 * Where an answer was posted. A message id alone is not enough: Teams channel message ids are epoch milliseconds,
 * unique only within a conversation, so two answers posted at the same moment in two conversations share one.
 */
export interface PostedAnswerKey {
  surface: StateSurface;
  /** The surface's conversation id; '' only on rows written before migration 060 recorded it. */
  conversation: string;
  messageId: string;
}

export interface PostedAnswer extends PostedAnswerKey {
  auditId: string;
}

const NewConversation = z.string().min(1);

/**
 * Records a posted answer and drops those older than `keepDays`. Pruning on write (an indexed range delete) keeps the
 * table bounded without a scheduler; with a few hundred answers a day it removes a handful of rows each time.
 */
export async function rememberPostedAnswer(
  db: Db,
  answer: PostedAnswer,
  keepDays = POSTED_ANSWER_KEEP_DAYS,
): Promise<void> {
  // '' marks the rows from before the conversation was recorded; a new row written with it would be found from any
  // conversation, which is the very mix-up the key exists to prevent.
  NewConversation.parse(answer.conversation);
  // No transaction: the prune and the insert need not be atomic, and holding both in one would serialise answers
  // posted at the same moment by other server processes on the prune's row locks.
  await db.query(`DELETE FROM posted_answers WHERE posted_at < now() - $1::int * interval '1 day'`, [
    keepDays,
  ]);
  await db.query(
    `INSERT INTO posted_answers (surface, conversation, message_id, audit_id, posted_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (surface, conversation, message_id) DO UPDATE SET audit_id = EXCLUDED.audit_id, posted_at = now()`,
    [answer.surface, answer.conversation, answer.messageId, answer.auditId],
  );
}

const PostedAnswerRow = z.object({ audit_id: z.string().min(1) });

/**
 * The audit id of the answer posted as `key.messageId` in `key.conversation`, if it is still remembered. A row from
 * before migration 060 (conversation '') is the fallback, so feedback on answers posted before the upgrade still
 * lands where it did then; the conversation's own row always wins.
 */
export async function findPostedAnswer(
  db: Db,
  key: PostedAnswerKey,
): Promise<{ auditId: string } | undefined> {
  const { rows } = await db.query(
    `SELECT audit_id FROM posted_answers
     WHERE surface = $1 AND message_id = $3 AND conversation IN ($2, '')
     ORDER BY conversation = $2 DESC LIMIT 1`,
    [key.surface, key.conversation, key.messageId],
  );
  if (!rows[0]) return undefined;
  return { auditId: PostedAnswerRow.parse(rows[0]).audit_id };
}

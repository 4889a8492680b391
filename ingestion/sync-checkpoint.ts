/**
 * Persisted sync checkpoints (table `sync_checkpoints`, migration 040). The cursor is written after every document,
 * so a sync stopped anywhere (Odoo down, process killed) resumes after the last document it finished.
 */
import { z } from 'zod';
import type { Db } from '../store/db.js';

export const odooCursorSchema = z.object({
  /** write_date of the last document finished ("YYYY-MM-DD HH:MM:SS", UTC), or null before the first. */
  writeDate: z.string().nullable(),
  /** id of the last document finished within that write_date second. */
  lastId: z.number().int().nonnegative(),
});
export type OdooCursor = z.infer<typeof odooCursorSchema>;

export const START_CURSOR: OdooCursor = { writeDate: null, lastId: 0 };

export async function loadCheckpoint(db: Db, source: string): Promise<OdooCursor> {
  const { rows } = await db.query<{ cursor: unknown }>('SELECT cursor FROM sync_checkpoints WHERE source = $1', [source]);
  const raw = rows[0]?.cursor;
  if (raw === undefined) return START_CURSOR;
  const parsed = odooCursorSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
  // An unreadable checkpoint costs a full listing, never a lost document.
  return parsed.success ? parsed.data : START_CURSOR;
}

export async function saveCheckpoint(db: Db, source: string, cursor: OdooCursor): Promise<void> {
  await db.query(
    `INSERT INTO sync_checkpoints (source, cursor, updated_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
    [source, JSON.stringify(cursor)],
  );
}

export async function clearCheckpoint(db: Db, source: string): Promise<void> {
  await db.query('DELETE FROM sync_checkpoints WHERE source = $1', [source]);
}

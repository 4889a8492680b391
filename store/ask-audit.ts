/**
 * Repository of the ask audit trail (table `ask_audit`, migration 020). Rows are written by the assistant core after
 * every answer; everything stored here is already pseudonymous and PHI-redacted by the caller.
 */
import type { Db } from './db.js';

export interface AuditChunkRef {
  chunkId: string;
  documentId: string;
  source: string;
  version: string;
  score: number;
}

export interface AskAuditRecord {
  id: string;
  askerId: string;
  surface: string;
  principals: string[];
  threadId: string | null;
  question: string;
  decision: 'answered' | 'refused';
  confidence: number;
  latencyMs: number;
  embedder: string | null;
  composer: string | null;
  considered: AuditChunkRef[];
  returned: AuditChunkRef[];
}

export interface StoredAskAudit extends AskAuditRecord {
  askedAt: Date;
  feedbackHelpful: boolean | null;
  feedbackComment: string | null;
}

export async function insertAskAudit(db: Db, r: AskAuditRecord): Promise<void> {
  await db.query(
    `insert into ask_audit (id, asker_id, surface, principals, thread_id, question, decision, confidence, latency_ms,
       embedder, composer, considered, returned)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb)`,
    [
      r.id,
      r.askerId,
      r.surface,
      r.principals,
      r.threadId,
      r.question,
      r.decision,
      r.confidence,
      Math.round(r.latencyMs),
      r.embedder,
      r.composer,
      JSON.stringify(r.considered),
      JSON.stringify(r.returned),
    ],
  );
}

/** Records feedback on an audit row asked by `askerId`; returns false when no such row exists for that asker. */
export async function recordAskFeedback(
  db: Db,
  id: string,
  askerId: string,
  helpful: boolean,
  comment: string | null,
): Promise<boolean> {
  const r = await db.query<{ id: string }>(
    `update ask_audit set feedback_helpful = $3, feedback_comment = $4, feedback_at = now()
     where id = $1 and asker_id = $2 returning id`,
    [id, askerId, helpful, comment],
  );
  return r.rows.length > 0;
}

interface Row {
  id: string;
  asked_at: Date | string;
  asker_id: string;
  surface: string;
  principals: string[];
  thread_id: string | null;
  question: string;
  decision: 'answered' | 'refused';
  confidence: number;
  latency_ms: number;
  embedder: string | null;
  composer: string | null;
  considered: AuditChunkRef[] | string;
  returned: AuditChunkRef[] | string;
  feedback_helpful: boolean | null;
  feedback_comment: string | null;
}

export async function getAskAudit(db: Db, id: string): Promise<StoredAskAudit | undefined> {
  const r = await db.query<Row>(`select * from ask_audit where id = $1`, [id]);
  const row = r.rows[0];
  if (!row) return undefined;
  const json = (v: AuditChunkRef[] | string): AuditChunkRef[] => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    id: row.id,
    askedAt: new Date(row.asked_at),
    askerId: row.asker_id,
    surface: row.surface,
    principals: row.principals,
    threadId: row.thread_id,
    question: row.question,
    decision: row.decision,
    confidence: Number(row.confidence),
    latencyMs: Number(row.latency_ms),
    embedder: row.embedder,
    composer: row.composer,
    considered: json(row.considered),
    returned: json(row.returned),
    feedbackHelpful: row.feedback_helpful,
    feedbackComment: row.feedback_comment,
  };
}

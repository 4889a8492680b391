-- The audit record of every answer (owned by the assistant core): who asked (pseudonymous id), the principals used,
-- the chunks considered and returned with their document versions, the decision and the latency. The question is
-- stored PHI-redacted. Feedback (helpful / not, optional comment) is kept on the same row.
CREATE TABLE ask_audit (
  id text PRIMARY KEY,
  asked_at timestamptz NOT NULL DEFAULT now(),
  asker_id text NOT NULL,
  surface text NOT NULL,
  principals text[] NOT NULL,
  thread_id text,
  question text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('answered', 'refused')),
  confidence real NOT NULL,
  latency_ms int NOT NULL,
  embedder text,
  composer text,
  considered jsonb NOT NULL DEFAULT '[]',
  returned jsonb NOT NULL DEFAULT '[]',
  feedback_helpful boolean,
  feedback_comment text,
  feedback_at timestamptz
);

CREATE INDEX ask_audit_asked_at ON ask_audit (asked_at);
CREATE INDEX ask_audit_decision ON ask_audit (decision, asked_at);

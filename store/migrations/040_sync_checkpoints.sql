-- Checkpoints of incremental syncs (the Odoo Documents sync): where the last run got to, so an interrupted run
-- resumes there. `cursor` is the source's own position, e.g. {"writeDate": "2026-11-16 07:00:00", "lastId": 42}.
CREATE TABLE sync_checkpoints (
  source text PRIMARY KEY,
  cursor jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

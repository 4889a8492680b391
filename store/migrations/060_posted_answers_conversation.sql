-- posted_answers was keyed by message id alone, but Teams channel message ids are epoch-millisecond timestamps that
-- are unique only within one conversation: two answers posted in the same millisecond in two conversations shared a
-- row, and feedback on one was recorded against the other's audit record. The conversation joins the key.
-- Rows written before this keep conversation '' (it was never stored); a lookup falls back to them only when its own
-- conversation has no row, as before, and they age out with the retention window (POSTED_ANSWER_KEEP_DAYS).
ALTER TABLE posted_answers ADD COLUMN conversation text NOT NULL DEFAULT '';
ALTER TABLE posted_answers DROP CONSTRAINT posted_answers_pkey;
ALTER TABLE posted_answers ADD PRIMARY KEY (surface, conversation, message_id);

-- What people set in the chat surfaces at run time, so a restart (or a second server process) keeps it.
-- channel_modes: `@SOP Assistant private on|off` (Teams) and `/sop private on|off` (Slack). A row is a choice someone
-- made; no row means the surface's configured default (e.g. SLACK_PRIVATE_CHANNELS). `shared` is stored too, so
-- switching a configured-private channel off survives a restart.
CREATE TABLE channel_modes (
  surface text NOT NULL,
  channel text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('shared', 'private')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (surface, channel)
);

-- posted_answers: a posted answer's message id → its ask_audit id, for feedback that arrives with only the message id
-- (Teams' own 👍/👎, message/submitAction). No foreign key: the audit trail is kept and pruned on its own terms, and
-- feedback on a vanished audit row is simply not recorded. No question text here: the audit row holds it, redacted.
CREATE TABLE posted_answers (
  surface text NOT NULL,
  message_id text NOT NULL,
  audit_id text NOT NULL,
  posted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (surface, message_id)
);

CREATE INDEX posted_answers_posted_at ON posted_answers (posted_at);

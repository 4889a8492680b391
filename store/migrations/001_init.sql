-- Documents, chunks and index metadata. The embedding column starts without a dimension: the dimension belongs to
-- the embedder, and the first embedder bound to the index fixes it (store/index-meta.ts turns it into vector(D)).
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  external_id text NOT NULL,
  path text NOT NULL,
  title text NOT NULL DEFAULT '',
  mimetype text,
  checksum text,
  version text,
  url text,
  acl text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'indexed' CHECK (status IN ('indexed', 'failed')),
  last_error text,
  pages int,
  indexed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, external_id)
);

-- Generated columns need immutable expressions; array_to_string is only stable, so wrap it (the wrapper is
-- immutable in practice: text[] → text never depends on settings).
CREATE FUNCTION sop_join_headings(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$;

CREATE TABLE chunks (
  id bigserial PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  ordinal int NOT NULL,
  -- [document title, section, subsection]
  heading_path text[] NOT NULL DEFAULT '{}',
  text text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', sop_join_headings(heading_path)), 'A') ||
    setweight(to_tsvector('english', text), 'B')
  ) STORED,
  embedding vector,
  -- copied from the document so retrieval filters in one table: acl && $principals
  acl text[] NOT NULL,
  UNIQUE (document_id, ordinal)
);

CREATE INDEX chunks_acl_gin ON chunks USING gin (acl);
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);
CREATE INDEX documents_source ON documents (source, status);

CREATE TABLE index_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

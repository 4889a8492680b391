/**
 * The composer seam. Retrieval hands a composer the passages it may use (already access-filtered, reranked, best
 * first) and gets back the answer's lead, body, steps and citations. The default composer is extractive
 * (extractive.ts): it quotes the passages and invents nothing. An LLM composer (a later piece of work) implements the
 * same interface and receives exactly the same passages, so access control and citations do not depend on which
 * composer runs.
 */
import type { QueryIntent } from './query.js';

/** A passage the answer came from, best first. `source` is the folder-relative path or `odoo:documents.document/<id>`. */
export interface Citation {
  source: string;
  title: string;
  /** Heading path inside the document, joined with " › " (empty when the passage sits under the title). */
  section: string;
  url: string | null;
}

export interface Passage {
  chunkId: string;
  documentId: string;
  /** Citation source: folder-relative path or `odoo:documents.document/<id>`. */
  source: string;
  title: string;
  /** Heading path below the title, joined with " › " (empty under the title itself). */
  section: string;
  headingPath: string[];
  text: string;
  url: string | null;
  version: string;
  /** Rerank score; passages arrive sorted by it, best first. */
  score: number;
}

export interface ComposeInput {
  question: string;
  /** The question with follow-up context and expansions — what was searched. */
  searchText: string;
  intent: QueryIntent;
  /** Content-word stems of the search text (see retrieval/text.ts). */
  stems: string[];
  passages: Passage[];
  confidence: number;
}

export interface Composition {
  lead: string;
  body: string;
  steps: string[];
  citations: Citation[];
}

export interface Composer {
  readonly name: string;
  /** Returns null when the composer finds nothing it can ground an answer on (the assistant then refuses). */
  compose(input: ComposeInput): Promise<Composition | null>;
}

/** Section label of a heading path `[title, section, subsection]`: everything below the title. */
export function sectionOf(headingPath: string[], title: string): string {
  const rest = headingPath[0] === title ? headingPath.slice(1) : headingPath.filter((h) => h !== title);
  return rest.join(' › ');
}

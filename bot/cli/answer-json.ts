/**
 * The `ask --json` answer object of DESIGN.md, exactly:
 * {"question", "roles", "answered", "answer", "citations": [{"source", "title", "section", "url"}], "confidence",
 *  "latency_ms"} — citations best first. Scripts and the eval runner depend on these keys.
 */
import type { Reply } from '../../assistant/reply.js';
import { replyToMarkdown } from '../../assistant/reply.js';

export interface AnswerJson {
  question: string;
  roles: string[];
  answered: boolean;
  answer: string;
  citations: { source: string; title: string; section: string; url: string | null }[];
  confidence: number;
  latency_ms: number;
}

export function answerJson(reply: Reply, roles: string[]): AnswerJson {
  return {
    question: reply.question,
    roles,
    answered: reply.answered,
    answer: replyToMarkdown(reply),
    citations: reply.citations.map((c) => ({
      source: c.source,
      title: c.title,
      section: c.section,
      url: c.url,
    })),
    confidence: reply.confidence,
    latency_ms: reply.latencyMs,
  };
}

/**
 * The one reply model. The core returns this plain object; each surface (Slack, Teams, web, CLI) has a single
 * render module that turns it into Block Kit, an Adaptive Card, HTML or terminal text. Nothing here knows a platform.
 */

import type { Citation } from '../retrieval/composer.js';

// Citations are made where passages are (retrieval); the reply model carries them as they are.
export type { Citation };

export type SuggestedActionKind = 'ask-super-user' | 'file-incident' | 'open-sop' | 'rephrase';

export interface SuggestedAction {
  kind: SuggestedActionKind;
  label: string;
  url?: string;
}

/** Where the answer's access came from: the asker alone, or the intersection of a shared channel's members. */
export interface ReplyScope {
  kind: 'personal' | 'shared-channel';
  /** Human sentence surfaces show when the scope narrows what was searched ("Answer limited to …"). */
  note?: string;
}

export interface Reply {
  question: string;
  answered: boolean;
  /** One line naming the SOP and section, or the refusal sentence. */
  lead: string;
  /** Verbatim passage text (Markdown), trimmed to a chat message. Empty when refused. */
  body: string;
  /** Numbered steps quoted verbatim when the passage is a procedure. */
  steps: string[];
  citations: Citation[];
  /**
   * On a refusal: the closest SOPs the asker can read (one entry per document, best first, at most 3), offered as
   * places to look — not an answer, so surfaces show title › section and a link or path, never passage text. Taken
   * from the same access-filtered passages as an answer would be. Empty when answered, when nothing readable was
   * retrieved, for the injection refusal and for the empty-question prompt.
   */
  related: Citation[];
  /** 0..1, calibrated so that answers below the configured threshold are refused. */
  confidence: number;
  actions: SuggestedAction[];
  scope: ReplyScope;
  /** Id of the audit record; feedback buttons carry it back. */
  auditId: string;
  latencyMs: number;
}

/** The person asking, already resolved to principals (see the access model in DESIGN.md). */
export interface Asker {
  /** Stable pseudonymous id for the audit log (never an e-mail or a name). */
  id: string;
  principals: string[];
  roles: string[];
  email?: string;
  displayName?: string;
  /** Which surface asked: 'cli' | 'web' | 'slack' | 'teams'. */
  surface: string;
}

/** Context for follow-ups in the same thread. */
export interface Conversation {
  threadId?: string;
  previousQuestions?: string[];
}

/** Label surfaces put over `Reply.related`; says plainly that the list is not an answer. */
export const RELATED_LABEL = 'Closest SOPs you can read';

/** Markdown form of a reply, used by the CLI's `--json` `answer` field and by plain-text surfaces. */
export function replyToMarkdown(reply: Reply): string {
  const parts = [reply.lead];
  if (reply.body) parts.push(reply.body);
  if (reply.steps.length && !reply.body) parts.push(reply.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'));
  // The refusal's lead points to this list, so the Markdown carries it too (titles and paths only, no passage text).
  if (!reply.answered && reply.related.length) parts.push(`${RELATED_LABEL}:\n${reply.related.map(relatedLine).join('\n')}`);
  return parts.join('\n\n');
}

function relatedLine(c: Citation): string {
  const where = [c.title, c.section].filter(Boolean).join(' › ');
  return `- ${where} — ${c.url ?? c.source}`;
}

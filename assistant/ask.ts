/**
 * The `ask` and `feedback` use cases. `ask` retrieves only what the asker's principals may read (the filter is in the
 * retrieval SQL), answers when the calibrated confidence clears the threshold and refuses otherwise ("grounded or
 * silent"), and writes one audit record per answer: pseudonymous asker, principals, chunks considered and returned
 * with document versions, decision, latency. Questions are PHI-redacted before anything is logged or stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import type { AuditChunkRef } from '../store/ask-audit.js';
import { getAskAudit, insertAskAudit, recordAskFeedback } from '../store/ask-audit.js';
import type { Citation, Composer, Passage } from '../retrieval/composer.js';
import { citationsFor } from '../retrieval/extractive.js';
import type { RetrievalResult, Retriever } from '../retrieval/retriever.js';
import { isEmptyQuestion } from '../retrieval/query.js';
import { redactPhi } from './redact.js';
import type { Asker, Conversation, Reply, ReplyScope, SuggestedAction } from './reply.js';

export interface AskOptions {
  /** Set by surfaces when a shared-channel policy narrowed the principals (see channel-policy.ts). */
  scope?: ReplyScope;
  /**
   * Shared channels: each member's principals (`ChannelAccess.principalSets`). Retrieval then keeps a chunk only when
   * every member may read it — exact, where the asker's narrowed principals alone are stricter than needed.
   */
  principalSets?: string[][];
}

export interface Assistant {
  ask(question: string, asker: Asker, conversation?: Conversation, options?: AskOptions): Promise<Reply>;
  feedback(auditId: string, helpful: boolean, asker: Asker, comment?: string): Promise<void>;
}

export interface AssistantDeps {
  db: Db;
  retriever: Retriever;
  composer: Composer;
  /** Answers below this confidence are refused. */
  minConfidence: number;
  /** Recorded in the audit trail (which embedder built the answer). */
  embedderId?: string;
  logger?: Logger;
  /** Monotonic clock in ms (tests pass a fake). */
  now?: () => number;
}

export class FeedbackError extends Error {
  override readonly name = 'FeedbackError';
}

/** Stable pseudonym for the audit log: the surface's asker id, hashed, so even an e-mail-like id is never stored. */
export function pseudonymize(askerId: string): string {
  return createHash('sha256').update(`sop-assistant:${askerId}`).digest('hex').slice(0, 24);
}

function roleLabel(asker: Asker): string {
  if (asker.roles.length === 0) return 'you';
  return `your role${asker.roles.length > 1 ? 's' : ''} (${asker.roles.join(', ')})`;
}

export function refusalActions(): SuggestedAction[] {
  return [
    { kind: 'ask-super-user', label: 'Ask a super user' },
    { kind: 'file-incident', label: 'File a Helpdesk incident' },
  ];
}

/** Documents a refusal points to: at most this many, so the list reads as "look here", not as search results. */
export const MAX_RELATED = 3;

/**
 * The best passage of each of the first `max` distinct documents, best first. The passages are the retrieval result,
 * already limited to what the asker (or every member of a shared channel) may read, so nothing else can be named.
 */
export function relatedPassages(passages: readonly Passage[], max = MAX_RELATED): Passage[] {
  const seen = new Set<string>();
  const out: Passage[] = [];
  for (const p of passages) {
    if (out.length >= max) break;
    if (seen.has(p.documentId)) continue;
    seen.add(p.documentId);
    out.push(p);
  }
  return out;
}

/** Citations as answers build them, one passage at a time: no relative-score cut, since every entry is its own document. */
function relatedCitations(passages: readonly Passage[]): Citation[] {
  return passages.flatMap((p) => citationsFor([p], 1, 0));
}

function refusalLead(asker: Asker, related: number): string {
  // "Couldn't find", not "don't cover": on questions worded unlike the SOPs the right page is often among the closest.
  const closest = related > 0 ? ' The closest SOPs you can read are listed below; they may not answer it.' : '';
  return `I couldn't find this in the SOPs ${roleLabel(asker)} can read.${closest} A super user can help, or you can file an incident.`;
}

function refs(passages: Passage[]): AuditChunkRef[] {
  return passages.map((p) => ({
    chunkId: p.chunkId,
    documentId: p.documentId,
    source: p.source,
    version: p.version,
    score: Math.round(p.score * 1000) / 1000,
  }));
}

export function createAssistantCore(deps: AssistantDeps): Assistant {
  const now = deps.now ?? (() => performance.now());
  const log = deps.logger;

  async function audit(
    reply: Omit<Reply, 'auditId' | 'latencyMs'>,
    asker: Asker,
    conversation: Conversation | undefined,
    result: RetrievalResult | undefined,
    returned: Passage[],
    latencyMs: number,
  ): Promise<string> {
    const id = randomUUID();
    await insertAskAudit(deps.db, {
      id,
      askerId: pseudonymize(asker.id),
      surface: asker.surface,
      principals: asker.principals,
      threadId: conversation?.threadId ?? null,
      question: redactPhi(reply.question),
      decision: reply.answered ? 'answered' : 'refused',
      confidence: reply.confidence,
      latencyMs,
      embedder: deps.embedderId ?? null,
      composer: reply.answered ? deps.composer.name : null,
      considered: refs(result?.passages ?? []),
      returned: refs(returned),
    });
    return id;
  }

  return {
    async ask(question, asker, conversation, options = {}) {
      const started = now();
      const scope: ReplyScope = options.scope ?? { kind: 'personal' };
      const base = { question, scope, confidence: 0, steps: [] as string[], citations: [], related: [], body: '' };
      let result: RetrievalResult | undefined;
      let reply: Omit<Reply, 'auditId' | 'latencyMs'>;
      let returned: Passage[] = [];

      if (isEmptyQuestion(question)) {
        reply = {
          ...base,
          answered: false,
          lead: 'Ask me a workflow question, for example "how do I receive a partial delivery against a PO?"',
          actions: [{ kind: 'rephrase', label: 'Rephrase the question' }],
        };
      } else {
        result = await deps.retriever.retrieve(question, asker.principals, {
          previousQuestions: conversation?.previousQuestions,
          decisionThreshold: deps.minConfidence,
          ...(options.principalSets ? { principalSets: options.principalSets } : {}),
        });
        const composition =
          result.confidence >= deps.minConfidence && result.passages.length > 0
            ? await deps.composer.compose({
                question: result.query.question,
                searchText: result.query.searchText,
                intent: result.query.intent,
                stems: result.query.stems,
                passages: result.passages,
                confidence: result.confidence,
              })
            : null;
        if (composition) {
          const cited = new Set(composition.citations.map((c) => c.source));
          returned = result.passages.filter((p) => cited.has(p.source)).slice(0, 10);
          reply = {
            ...base,
            answered: true,
            lead: composition.lead,
            body: composition.body,
            steps: composition.steps,
            citations: composition.citations,
            confidence: result.confidence,
            actions: [],
          };
        } else if (result.blocked === 'injection') {
          reply = {
            ...base,
            answered: false,
            lead: "I answer workflow questions from the SOPs you can read, and I can't change who may read what.",
            confidence: result.confidence,
            actions: refusalActions(),
          };
        } else {
          // Not an answer, but often the right SOP is among the closest readable ones; they are shown (titles and
          // links only), so the audit records them as returned, with their versions.
          returned = relatedPassages(result.passages);
          const related = relatedCitations(returned);
          reply = {
            ...base,
            answered: false,
            lead: refusalLead(asker, related.length),
            related,
            confidence: result.confidence,
            actions: refusalActions(),
          };
        }
      }

      const latencyMs = Math.round((now() - started) * 10) / 10;
      const auditId = await audit(reply, asker, conversation, result, returned, latencyMs);
      log?.info(
        {
          auditId,
          decision: reply.answered ? 'answered' : 'refused',
          confidence: reply.confidence,
          latencyMs,
          principals: asker.principals.length,
          surface: asker.surface,
          followUp: result?.query.followUp ?? false,
        },
        'ask',
      );
      return { ...reply, auditId, latencyMs };
    },

    async feedback(auditId, helpful, asker, comment) {
      const clean = comment?.trim() ? redactPhi(comment.trim()).slice(0, 2000) : null;
      const ok = await recordAskFeedback(deps.db, auditId, pseudonymize(asker.id), helpful, clean);
      if (!ok) {
        // Either no such answer or it was asked by someone else; do not tell which.
        const exists = await getAskAudit(deps.db, auditId);
        log?.warn({ auditId, exists: Boolean(exists) }, 'feedback for an unknown answer');
        throw new FeedbackError('That answer could not be found for you; feedback was not recorded.');
      }
      log?.info({ auditId, helpful }, 'feedback');
    },
  };
}

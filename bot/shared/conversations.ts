/**
 * Thread memory for follow-ups: the questions already asked in a thread, so "and for a partial delivery?" is asked
 * with its context. Kept from the events the bot already receives (no history API calls, which need extra scopes and
 * are rate-limited), bounded in size and age.
 */
import type { Conversation } from '../../assistant/reply.js';

export interface ConversationMemory {
  get(threadId: string): Conversation;
  remember(threadId: string, question: string): void;
}

export function createConversationMemory(
  opts: { maxQuestions?: number; maxThreads?: number; ttlMs?: number; now?: () => number } = {},
): ConversationMemory {
  const maxQuestions = opts.maxQuestions ?? 5;
  const maxThreads = opts.maxThreads ?? 5_000;
  const ttlMs = opts.ttlMs ?? 24 * 3_600_000;
  const now = opts.now ?? Date.now;
  const threads = new Map<string, { questions: string[]; touched: number }>();
  return {
    get(threadId) {
      const entry = threads.get(threadId);
      if (!entry || now() - entry.touched > ttlMs) return { threadId, previousQuestions: [] };
      return { threadId, previousQuestions: [...entry.questions] };
    },
    remember(threadId, question) {
      const entry = threads.get(threadId);
      const questions = entry && now() - entry.touched <= ttlMs ? entry.questions : [];
      questions.push(question);
      threads.delete(threadId); // re-insert so Map order stays least-recently-used first
      threads.set(threadId, { questions: questions.slice(-maxQuestions), touched: now() });
      while (threads.size > maxThreads) {
        const oldest = threads.keys().next().value;
        if (oldest === undefined) break;
        threads.delete(oldest);
      }
    },
  };
}

/**
 * Turns a staff question into what search needs: normalised text, synonym/abbreviation expansions, the kind of
 * question (a "how do I…" question wants numbered steps), and — for a follow-up in the same thread — the previous
 * question folded in as context, because "and for sterile items?" means nothing on its own.
 */
import type { SynonymTable } from './synonyms.js';
import { expandQuery } from './synonyms.js';
import { contentStems, normalizeText, words } from './text.js';

export type QueryIntent = 'how-to' | 'definition' | 'other';

export interface AnalyzedQuery {
  /** The question as asked, normalised. */
  question: string;
  /** The question, with the previous one in front for a follow-up (no expansions). */
  contextText: string;
  /** What is searched: `contextText` plus expansions. */
  searchText: string;
  /** Expansion phrases added from the synonym table. */
  expansions: string[];
  intent: QueryIntent;
  /** True when the previous question in the thread was folded in. */
  followUp: boolean;
  /** Content-word stems of question + expansions (for sentence selection and coverage). */
  stems: string[];
}

const HOW_TO =
  /\b(how (do|can|should|would|to|does)|steps? (to|for)|procedure (to|for)|process (to|for)|what do i do|where do i|way to|walk me through|instructions? (to|for))\b/i;
const DEFINITION = /^(what('s| is| are| does)|define|meaning of|difference between)\b/i;
/** Words that point back at the previous question ("it", "that one", "what about …"). */
const ANAPHORA =
  /^(and|also|what about|how about|same|then|but|or)\b|\b(it|that|this|those|them|there|one|ones|instead|too)\b[?.!]*$/i;

export function detectIntent(question: string): QueryIntent {
  if (HOW_TO.test(question)) return 'how-to';
  if (DEFINITION.test(question)) return 'definition';
  return 'other';
}

/**
 * A question is a follow-up when the thread has a previous question and this one is short or points back at it.
 * A long, self-contained question starts a new topic even inside a thread.
 */
export function isFollowUp(question: string, previous: string | undefined): boolean {
  if (!previous) return false;
  const content = contentStems(question);
  if (content.length <= 2) return true;
  return ANAPHORA.test(question.trim()) && content.length <= 6;
}

export interface AnalyzeOptions {
  synonyms: SynonymTable;
  previousQuestions?: string[];
}

export function analyzeQuery(rawQuestion: string, opts: AnalyzeOptions): AnalyzedQuery {
  const question = normalizeText(rawQuestion);
  const previous = opts.previousQuestions?.at(-1);
  const followUp = isFollowUp(question, previous ? normalizeText(previous) : undefined);
  const base = followUp && previous ? `${normalizeText(previous)} ${question}` : question;
  const { added } = expandQuery(base, opts.synonyms);
  const searchText = added.length ? `${base} ${added.join(' ')}` : base;
  const intent =
    detectIntent(question) === 'other' && followUp && previous
      ? detectIntent(previous)
      : detectIntent(question);
  return {
    question,
    contextText: base,
    searchText,
    expansions: added,
    intent,
    followUp,
    stems: [...new Set(contentStems(searchText))],
  };
}

/** True when the text has no words at all (empty or only punctuation) — nothing to search for. */
export function isEmptyQuestion(question: string): boolean {
  return words(question).length === 0;
}

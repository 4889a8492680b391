/**
 * Prompt-injection guard. The assistant answers workflow questions from SOP text; a question that tries to change
 * the rules ("ignore previous instructions", "pretend you are a super user") is refused outright, and a sentence
 * inside a document that reads like an instruction to the assistant is never quoted (documents are data, not
 * instructions — a planted line must not come back out as an answer). Ingestion leaves such sentences out of the index
 * altogether (`dropInjectedSentences`), so they cannot make a passage look like an answer either; the query-time
 * filters below still cover indexes built before that. It lives in ingestion, the lower layer, so retrieval (questions,
 * passages) and ingestion (documents) share one set of patterns.
 */
const INJECTION = [
  /\b(ignore|disregard|forget|override|bypass)\b[^.?!]{0,40}\b(instructions?|rules?|restrictions?|guardrails?|access|permissions?|prompt)\b/i,
  /\b(pretend|act as if|imagine)\b[^.?!]{0,20}\b(you are|you're|to be|i am|i'm)\b/i,
  /\byou are now\b/i,
  /\b(system|hidden) prompt\b/i,
  /\bjailbreak\b/i,
  /\b(reveal|leak|dump|exfiltrate)\b[^.?!]{0,40}\b(salar(y|ies)|passwords?|addresses|secrets?|bank details|personal data)\b/i,
];

export function looksLikeInjection(text: string): boolean {
  return INJECTION.some((re) => re.test(text));
}

/** A document's text without the lines that read like instructions to the assistant (documents are data). */
export function withoutInjectionLines(text: string): string {
  return text
    .split(/\n|(?<=[.!?])\s+/)
    .filter((l) => !looksLikeInjection(l))
    .join('\n');
}

/**
 * Markdown without the sentences that read like instructions to the assistant, everything else byte for byte (line
 * breaks, lists, tables): only the offending sentence goes, and its line if nothing else is left on it.
 */
export function dropInjectedSentences(markdown: string): { markdown: string; dropped: string[] } {
  const dropped: string[] = [];
  const lines: string[] = [];
  for (const line of markdown.split('\n')) {
    if (!looksLikeInjection(line)) {
      lines.push(line);
      continue;
    }
    // The patterns never cross sentence punctuation, so one of these sentences is the planted one.
    const kept = line.split(/(?<=[.!?])\s+/).filter((sentence) => {
      const planted = looksLikeInjection(sentence);
      if (planted) dropped.push(sentence.trim());
      return !planted;
    });
    if (kept.join('').trim() !== '') lines.push(kept.join(' '));
  }
  return { markdown: lines.join('\n'), dropped };
}

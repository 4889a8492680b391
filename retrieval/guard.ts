/**
 * Prompt-injection guard. The assistant answers workflow questions from SOP text; a question that tries to change
 * the rules ("ignore previous instructions", "pretend you are a super user") is refused outright, and a sentence
 * inside a document that reads like an instruction to the assistant is never quoted (documents are data, not
 * instructions — a planted line must not come back out as an answer).
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

/**
 * Turns what each surface shows (Block Kit mrkdwn, Adaptive Card Markdown, HTML, the CLI's Markdown) into the words a
 * reader sees, so the parity test can compare answers across formats: links become their labels, markup and list
 * numbers disappear, entities are decoded, everything is lower-cased and split into words.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', mdash: '—', ndash: '–' };

export function readableWords(text: string): string[] {
  const plain = text
    .replace(/<a [^>]*>(.*?)<\/a>/gs, '$1') // HTML links → label
    .replace(/<[a-z/][^>]*>/gi, ' ') // other HTML tags
    .replace(/<(?:https?:\/\/|mailto:)[^|>]+\|([^>]+)>/g, '$1') // Slack <url|label> (before entities: labels are escaped)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // Markdown [label](url), ![alt](src)
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    });
  return (plain.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !/^\d+$/.test(w));
}

/** True when `needle` occurs in `haystack` as one contiguous run of words. */
export function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (!needle.length) return true;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

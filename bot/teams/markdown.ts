/**
 * Markdown (what the core writes) → the small Markdown subset an Adaptive Card TextBlock renders in Teams: `**bold**`,
 * `_italic_`, `- ` / `1. ` lists and `[label](url)` links. No headings, tables, images, code or quotes — those are
 * turned into bold lines, readable rows and plain text rather than shown as raw symbols.
 */

/** Shortens to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;

function inline(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/__(.+?)__/g, '**$1**')
    .replace(/<\/?at>/g, '');
}

function convertLine(line: string): string | null {
  if (/^\s*```/.test(line)) return null;
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line)) return null; // table separator row
  const heading = /^\s*#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
  if (heading) return `**${inline(heading[1]!).replace(/\*\*/g, '')}**`;
  let out = line.replace(/^\s*>\s?/, '');
  if (/^\s*\|.*\|\s*$/.test(out)) {
    out = out
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim())
      .filter(Boolean)
      .join(' · ');
  }
  out = out.replace(/^(\s*)[*+]\s+/, '$1- ');
  return inline(out);
}

/**
 * Splits Markdown into card paragraphs (one TextBlock each). Inside a list, items are joined with `\r`, the line break
 * Teams honours in card lists; other lines of a paragraph become separate lines.
 */
export function toCardParagraphs(markdown: string): string[] {
  const paragraphs: string[] = [];
  for (const block of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = block
      .split('\n')
      .map(convertLine)
      .filter((l): l is string => l !== null && l.trim() !== '');
    if (!lines.length) continue;
    const isList = lines.every((l) => LIST_ITEM.test(l));
    paragraphs.push(isList ? lines.map((l) => l.trim()).join('\r') : lines.map((l) => l.trim()).join('\n\n'));
  }
  return paragraphs;
}

/** One line of card Markdown (a lead, a label): no paragraph breaks. */
export function toCardLine(markdown: string): string {
  return toCardParagraphs(markdown).join(' ').replace(/[\r\n]+/g, ' ');
}

/** Link labels must not contain the brackets that end them. */
export function linkLabel(text: string): string {
  return text.replace(/[[\]]/g, (c) => (c === '[' ? '(' : ')'));
}

/**
 * Reads normalised Markdown (what the parsers produce) into sections and blocks, the units the chunker packs.
 *
 * A section is the text under one heading, with its heading path. A block is a unit that should not be cut when it
 * fits in a chunk: a paragraph, a whole list (a numbered list is a procedure), a table, or a code fence. A paragraph
 * that introduces a list or table ("…complete the following:") is glued to it, so a procedure keeps its lead-in.
 */

export type BlockKind = 'paragraph' | 'procedure' | 'list' | 'table' | 'code';

export interface Block {
  kind: BlockKind;
  text: string;
  /** The paragraph that introduces a list or table; it travels with the block's first piece. */
  leadIn?: string;
}

export function blockText(block: Block): string {
  return block.leadIn ? `${block.leadIn}\n\n${block.text}` : block.text;
}

export interface Section {
  /** Heading texts from the top-level section down (the document title is not included). */
  headings: string[];
  /** The Markdown heading line of this section (`## Configuration`), or '' for text before the first heading. */
  headingLine: string;
  blocks: Block[];
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,3}[.)])\s+/;
const ORDERED_ITEM = /^\s*\d{1,3}[.)]\s+/;
const FENCE = /^\s*(```|~~~)/;

function stripInline(text: string): string {
  return text.replace(/\*\*|__|`/g, '').trim();
}

/** Splits Markdown into sections by ATX headings (outside code fences). */
export function splitSections(markdown: string, title: string): Section[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let body: string[] = [];
  let headingLine = '';
  let inFence = false;
  const normTitle = title.trim().toLowerCase();

  const close = (): void => {
    const blocks = readBlocks(body);
    const headings = stack.map((h) => h.text);
    if (blocks.length > 0 || sections.length === 0) sections.push({ headings, headingLine, blocks });
    body = [];
  };

  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (!match) {
      body.push(line);
      continue;
    }
    close();
    const level = match[1]!.length;
    const text = stripInline(match[2]!);
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    // The document's own `# Title` is already the first element of every heading path.
    if (!(level === 1 && stack.length === 0 && text.toLowerCase() === normTitle)) stack.push({ level, text });
    headingLine = line.trim();
  }
  close();
  return sections.filter((s) => s.blocks.length > 0);
}

/** Reads the body lines of one section into blocks. */
export function readBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  const at = (k: number): string => lines[k] ?? '';
  const blank = (k: number): boolean => at(k).trim() === '';

  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      const start = i++;
      while (i < lines.length && !FENCE.test(at(i))) i++;
      i++;
      blocks.push({ kind: 'code', text: lines.slice(start, i).join('\n') });
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const start = i;
      while (i < lines.length && at(i).trimStart().startsWith('|')) i++;
      blocks.push({ kind: 'table', text: lines.slice(start, i).join('\n') });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const start = i;
      const ordered = ORDERED_ITEM.test(line);
      i++;
      while (i < lines.length) {
        if (!blank(i)) {
          const l = at(i);
          // Items, indented continuations and lazy continuation lines belong to the list.
          if (LIST_ITEM.test(l) || /^\s{2,}\S/.test(l) || !blank(i - 1)) {
            if (
              !LIST_ITEM.test(l) &&
              !/^\s{2,}\S/.test(l) &&
              (l.trimStart().startsWith('|') || FENCE.test(l))
            )
              break;
            i++;
            continue;
          }
          break;
        }
        // A blank line continues the list only if an item or an indented line follows.
        let k = i;
        while (k < lines.length && blank(k)) k++;
        if (k < lines.length && (LIST_ITEM.test(at(k)) || /^\s{2,}\S/.test(at(k)))) {
          i = k;
          continue;
        }
        break;
      }
      const text = lines
        .slice(start, i)
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd();
      blocks.push({ kind: ordered ? 'procedure' : 'list', text });
      continue;
    }
    const start = i;
    while (
      i < lines.length &&
      !blank(i) &&
      (i === start || (!LIST_ITEM.test(at(i)) && !at(i).trimStart().startsWith('|') && !FENCE.test(at(i))))
    ) {
      i++;
    }
    blocks.push({ kind: 'paragraph', text: lines.slice(start, i).join('\n').trim() });
  }
  return glueLeadIns(blocks);
}

/** "To do X, complete the following:" belongs with the list or table it introduces. */
function glueLeadIns(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (
      block.kind === 'paragraph' &&
      next &&
      (next.kind === 'procedure' || next.kind === 'list' || next.kind === 'table') &&
      /:\**\s*$/.test(block.text)
    ) {
      out.push({ kind: next.kind, text: next.text, leadIn: block.text });
      i++;
      continue;
    }
    out.push(block);
  }
  return out;
}

/**
 * Structure-aware chunking of normalised Markdown.
 *
 * Why not a plain fixed-size splitter: answers quote SOP steps verbatim and cite "title › section", so a chunk must
 * (a) never start in the middle of a procedure it could have held whole, (b) know which heading it sits under, and
 * (c) keep a table with the heading that explains it. So:
 * 1. The document is cut into sections at headings; every section knows its heading path.
 * 2. Each section is read into blocks (paragraph, procedure = numbered list, bulleted list, table, code); a lead-in
 *    sentence ending in ":" travels with the list or table it introduces.
 * 3. Blocks are packed greedily into chunks of at most `maxTokens`. A block that fits is never split; a block that
 *    does not fit starts a new chunk. Only a block larger than a whole chunk is split: lists between items, tables
 *    between rows (repeating the header row), prose between sentences.
 * 4. Tiny neighbouring chunks of the same top-level section are merged (their sub-headings kept in the text), so
 *    chunks land in the ~`minTokens`–`maxTokens` range where the text allows.
 * 5. Consecutive prose chunks of one section overlap by their last sentence(s) (≤ `overlapTokens`), so a sentence
 *    that refers back still has its antecedent. Procedures are never used as overlap: a copied tail of steps would
 *    read as a second, partial procedure.
 *
 * LangChain's text splitters were the first choice for step 3's fallback, but their API is asynchronous and the
 * chunker's contract (`chunkMarkdown → Chunk[]`) is synchronous; the one piece we need from them — packing sentences
 * up to a size — is a few lines here.
 *
 * Token counts are estimated as characters / 4 (the usual rule of thumb for English with BPE tokenizers), which is
 * all a size target needs and costs nothing.
 */
import { z } from 'zod';
import { type Block, blockText, splitSections } from './blocks.js';

export interface Chunk {
  ordinal: number;
  /** `[title, section, subsection, …]`: the document title, then the headings above this chunk. */
  headingPath: string[];
  text: string;
  tokens: number;
}

const OptionsSchema = z
  .object({
    minTokens: z.number().int().positive().default(200),
    maxTokens: z.number().int().positive().default(500),
    overlapTokens: z.number().int().nonnegative().default(40),
  })
  .refine((o) => o.minTokens <= o.maxTokens && o.overlapTokens < o.maxTokens / 2, {
    message: 'need minTokens ≤ maxTokens and overlapTokens < maxTokens / 2',
  });
export type ChunkOptions = z.input<typeof OptionsSchema>;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Draft {
  headings: string[];
  parts: string[];
  /** Kind of the last block, to decide whether its tail may overlap into the next chunk. */
  lastKind: Block['kind'] | undefined;
}

/** Sentence boundaries: end punctuation followed by white space ("0.00" and "WH/Stock.Shelf" are not boundaries). */
function sentences(text: string): string[] {
  const parts = text
    .split(/(?<=[.!?]["')\]]?)\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return parts.length > 0 ? parts : [text];
}

/** Packs pieces (joined by `sep`) into groups of at most `limit` tokens; a single oversized piece is cut by words. */
function pack(pieces: string[], limit: number, sep: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (estimateTokens(piece) > limit) {
      if (current !== '') out.push(current);
      current = '';
      const words = piece.split(/\s+/);
      let run = '';
      for (const w of words) {
        if (run !== '' && estimateTokens(`${run} ${w}`) > limit) {
          out.push(run);
          run = w;
        } else run = run === '' ? w : `${run} ${w}`;
      }
      if (run !== '') current = run;
      continue;
    }
    const candidate = current === '' ? piece : `${current}${sep}${piece}`;
    if (estimateTokens(candidate) > limit && current !== '') {
      out.push(current);
      current = piece;
    } else current = candidate;
  }
  if (current !== '') out.push(current);
  return out;
}

/** Splits a block too large for one chunk at its natural joints. */
function splitOversized(block: Block, limit: number): string[] {
  const lead = block.leadIn ? [block.leadIn] : [];
  switch (block.kind) {
    case 'procedure':
    case 'list': {
      // Top-level items with their nested lines; pieces keep their original numbers.
      const items = block.text.split(/\n(?=(?:[-*+]|\d{1,3}[.)])\s)/);
      return pack([...lead, ...items], limit, '\n');
    }
    case 'table': {
      const [header, rule, ...rows] = block.text.split('\n');
      const head = [header, rule].filter((l): l is string => l !== undefined).join('\n');
      const groups = pack(rows, limit - estimateTokens(head), '\n').map((g) => `${head}\n${g}`);
      if (lead.length > 0 && groups.length > 0) groups[0] = `${lead[0]}\n\n${groups[0]}`;
      return groups;
    }
    case 'code':
      return pack(block.text.split('\n'), limit, '\n');
    case 'paragraph':
      return pack(sentences(block.text), limit, ' ');
  }
}

function overlapTail(text: string, budget: number): string {
  const s = sentences(text.split('\n\n').pop() ?? '');
  let tail = '';
  for (let i = s.length - 1; i >= 0; i--) {
    const next = tail === '' ? s[i]! : `${s[i]} ${tail}`;
    if (estimateTokens(next) > budget) break;
    tail = next;
  }
  return tail;
}

/**
 * One chunk's path is what all its parts share; headings below that are written into the text (at their depth) where
 * the part under them begins, so nothing a reader needs is lost by merging.
 */
function render(m: { parts: { headings: string[]; text: string }[] }): { headings: string[]; text: string } {
  const shared = m.parts.map((p) => p.headings).reduce((a, b) => commonPrefix(a, b));
  const out: string[] = [];
  let above: string[] = shared;
  for (const part of m.parts) {
    const same = commonPrefix(above, part.headings).length;
    for (let level = Math.max(same, shared.length); level < part.headings.length; level++) {
      out.push(`${'#'.repeat(Math.min(6, level + 2))} ${part.headings[level]}`);
    }
    out.push(part.text);
    above = part.headings;
  }
  return { headings: shared, text: out.join('\n\n') };
}

function commonPrefix(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) out.push(a[i]!);
  return out;
}

export function chunkMarkdown(doc: { title: string; markdown: string }, options: ChunkOptions = {}): Chunk[] {
  const { minTokens, maxTokens, overlapTokens } = OptionsSchema.parse(options);
  const title = doc.title.trim() || 'Untitled';
  // Leave room for the overlap that may be prepended to a chunk.
  const budget = maxTokens - overlapTokens;

  // Steps 1–3: sections → blocks → drafts.
  const drafts: Draft[] = [];
  for (const section of splitSections(doc.markdown, title)) {
    let draft: Draft | undefined;
    const start = (): Draft => {
      draft = { headings: section.headings, parts: [], lastKind: undefined };
      drafts.push(draft);
      return draft;
    };
    for (const block of section.blocks) {
      const text = blockText(block);
      const size = estimateTokens(text);
      if (size > budget) {
        for (const piece of splitOversized(block, budget)) {
          const d = start();
          d.parts.push(piece);
          d.lastKind = block.kind;
        }
        draft = undefined;
        continue;
      }
      let d = draft ?? start();
      if (d.parts.length > 0 && estimateTokens([...d.parts, text].join('\n\n')) > budget) d = start();
      d.parts.push(text);
      d.lastKind = block.kind;
    }
  }

  // Step 4: merge small neighbours inside one top-level section.
  interface Merged {
    parts: { headings: string[]; text: string }[];
    lastKind: Block['kind'] | undefined;
  }
  const size = (m: Merged): number => estimateTokens(render(m).text);
  const merged: Merged[] = [];
  for (const d of drafts) {
    const next: Merged = {
      parts: [{ headings: d.headings, text: d.parts.join('\n\n') }],
      lastKind: d.lastKind,
    };
    const prev = merged[merged.length - 1];
    if (prev) {
      const sameSection = d.headings[0] !== undefined && prev.parts[0]!.headings[0] === d.headings[0];
      const small = size(prev) < minTokens || size(next) < minTokens;
      const joined: Merged = { parts: [...prev.parts, ...next.parts], lastKind: next.lastKind };
      if (sameSection && small && size(joined) <= budget) {
        merged[merged.length - 1] = joined;
        continue;
      }
    }
    merged.push(next);
  }

  // Step 5: overlap between consecutive prose chunks of the same section.
  const rendered = merged.map(render);
  return rendered.map((r, ordinal) => {
    let text = r.text;
    const prev = ordinal > 0 ? rendered[ordinal - 1] : undefined;
    const prevKind = ordinal > 0 ? merged[ordinal - 1]!.lastKind : undefined;
    if (
      overlapTokens > 0 &&
      prev &&
      prevKind === 'paragraph' &&
      prev.headings.join('\u0000') === r.headings.join('\u0000')
    ) {
      const tail = overlapTail(prev.text, overlapTokens);
      if (tail !== '' && !text.startsWith(tail)) text = `${tail}\n\n${text}`;
    }
    return { ordinal, headingPath: [title, ...r.headings], text, tokens: estimateTokens(text) };
  });
}

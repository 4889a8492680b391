/**
 * PDF → Markdown with `pdf-parse` v2 (pdf.js underneath).
 *
 * A PDF has no headings or paragraphs, only positioned lines of text, so structure is recovered:
 * 1. Headings come from the PDF's outline (bookmarks) when it has one: exporters such as Word and LibreOffice write
 *    one entry per heading, with its nesting depth, so a line whose text equals the next outline entry becomes a
 *    heading of that depth. Without an outline, a heuristic marks short, unpunctuated, capitalised lines that stand
 *    between finished sentences as section headings, and the first line as the title.
 * 2. Hard-wrapped lines are joined back into paragraphs: a line continues the previous one unless the previous one
 *    ended a sentence short of the usual line width, or the next line's first word would have fitted on it (so the
 *    break was not a wrap).
 * 3. Bullets (`•`, `▪`, `–`, …) become `- ` items and numbered steps (`1.`, `2)`) stay one per line, so procedures
 *    keep their shape; tab-separated cells become table rows. Bare page numbers are dropped.
 */
import { PDFParse } from 'pdf-parse';
import { ParseError } from '../errors.js';
import { tidyMarkdown, titleFromFilename } from './title.js';

export interface OutlineEntry {
  title: string;
  level: number;
}

interface OutlineNodeLike {
  title: string;
  items?: OutlineNodeLike[];
}

const BULLET = /^[•●▪◦·‣∙○■□➢►\-–—*]\s+/;
const NUMBERED = /^(\d{1,3})[.)]\s+\S/;
const PAGE_NUMBER = /^(page\s*)?\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i;

function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function flattenOutline(
  nodes: OutlineNodeLike[] | null | undefined,
  depth = 0,
  out: OutlineEntry[] = [],
): OutlineEntry[] {
  for (const node of nodes ?? []) {
    if (node.title.trim() !== '') out.push({ title: node.title.trim(), level: depth });
    flattenOutline(node.items, depth + 1, out);
  }
  return out;
}

function classifyError(cause: unknown, filename: string): ParseError {
  const name = cause instanceof Error ? cause.name : '';
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (name === 'PasswordException') {
    return new ParseError(
      'encrypted',
      `${filename}: the PDF is password-protected; save an unprotected copy to index it`,
      { filename, cause },
    );
  }
  if (name === 'InvalidPDFException' || name === 'FormatError') {
    return new ParseError('corrupt', `${filename}: the PDF is damaged and cannot be read (${detail})`, {
      filename,
      cause,
    });
  }
  return new ParseError('unreadable', `${filename}: the PDF could not be read (${detail})`, {
    filename,
    cause,
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function endsSentence(line: string): boolean {
  return /[.!?:;]["')\]]?$/.test(line);
}

function looksLikeHeading(
  line: string,
  prev: string | undefined,
  next: string | undefined,
  width: number,
): boolean {
  if (line.length > 70 || line.length > width * 0.75) return false;
  if (/[.,;:!?]$/.test(line) || BULLET.test(line) || NUMBERED.test(line)) return false;
  // Admonition labels ("See also: Vendor pricelist", "Note: …") are not sections.
  if (/^(see also|note|tip|important|warning|caution|example|danger)\b/i.test(line)) return false;
  if (!/^[A-Z0-9]/.test(line)) return false;
  if (line.split(/\s+/).length > 10) return false;
  // What comes before a heading is a finished sentence or a short line (such as a list item) — never a line that
  // wrapped into this one.
  if (prev !== undefined && !endsSentence(prev) && prev.length > width * 0.7) return false;
  // The tail of a wrapped parenthesis ("Not Started column)").
  if (/\)$/.test(line) && !line.includes('(')) return false;
  return next === undefined || /^[A-Z0-9•●▪◦\-–]/.test(next);
}

/** Turns the lines of a PDF into Markdown blocks. Exported for tests of the layout heuristics. */
export function pdfLinesToMarkdown(
  rawLines: string[],
  outline: OutlineEntry[],
): { markdown: string; title?: string } {
  const lines = rawLines.map((l) => l.replace(/\s+$/, '')).filter((l) => !PAGE_NUMBER.test(l.trim()));
  const trimmed = lines.map((l) => l.replace(/[ \u00a0]+/g, ' ').trim()).filter((l) => l !== '');
  const width = percentile(
    trimmed.map((l) => l.length),
    0.9,
  );

  // Outline levels: a single root is the document title (`#`); several roots are sections (`##`).
  const roots = outline.filter((o) => o.level === 0).length;
  const shift = roots === 1 ? 1 : 2;
  let outlineAt = 0;
  const outlineMatch = (i: number): { level: number; consumed: number; text: string } | undefined => {
    // Look a few entries ahead so an entry whose heading is missing from the text does not block the rest.
    for (let k = outlineAt; k < Math.min(outline.length, outlineAt + 4); k++) {
      const want = norm(outline[k]!.title);
      const one = norm(trimmed[i]!);
      const two = i + 1 < trimmed.length ? norm(`${trimmed[i]} ${trimmed[i + 1]}`) : undefined;
      if (one === want || two === want) {
        outlineAt = k + 1;
        return {
          level: Math.min(6, outline[k]!.level + shift),
          consumed: one === want ? 1 : 2,
          text: outline[k]!.title,
        };
      }
    }
    return undefined;
  };

  const blocks: string[] = [];
  let current: string[] = [];
  let currentKind: 'para' | 'item' | 'table' | undefined;
  let title: string | undefined;
  const flush = (): void => {
    if (current.length > 0) {
      if (currentKind === 'table') {
        const [head, ...rest] = current;
        const cols = head!.split('|').length - 2;
        blocks.push([head, `|${' --- |'.repeat(Math.max(1, cols))}`, ...rest].join('\n'));
      } else {
        blocks.push(current.join(currentKind === 'item' ? '\n' : ' '));
      }
    }
    current = [];
    currentKind = undefined;
  };

  let prevLine: string | undefined;
  let lastStep = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const line = trimmed[i]!;
    const next = trimmed[i + 1];
    const fromOutline = outline.length > 0 ? outlineMatch(i) : undefined;
    if (fromOutline) {
      flush();
      blocks.push(`${'#'.repeat(fromOutline.level)} ${fromOutline.text}`);
      if (fromOutline.level === 1) title ??= fromOutline.text;
      i += fromOutline.consumed - 1;
      prevLine = '.';
      continue;
    }
    if (outline.length === 0) {
      if (i === 0 && line.length <= 100 && !endsSentence(line)) {
        flush();
        blocks.push(`# ${line}`);
        title = line;
        prevLine = '.';
        continue;
      }
      if (looksLikeHeading(line, prevLine, next, width)) {
        flush();
        blocks.push(`## ${line}`);
        prevLine = '.';
        continue;
      }
    }
    if (line.includes('\t')) {
      const row = `| ${line
        .split(/\t+/)
        .map((c) => c.trim().replace(/\|/g, '\\|'))
        .join(' | ')} |`;
      if (currentKind !== 'table') flush();
      currentKind = 'table';
      current.push(row);
      prevLine = line;
      continue;
    }
    // "32. But 32 is not…" after a wrapped line is prose, not step 32: a number starts a step only if it is 1 or
    // follows the previous step's number.
    const number = NUMBERED.exec(line)?.[1];
    const isStep = number !== undefined && (number === '1' || Number(number) === lastStep + 1);
    if (BULLET.test(line) || isStep) {
      lastStep = isStep ? Number(number) : lastStep;
      if (currentKind !== 'item') flush();
      currentKind = 'item';
      current.push(
        BULLET.test(line) ? line.replace(BULLET, '- ') : line.replace(/^(\d{1,3})[.)]\s+/, '$1. '),
      );
      prevLine = line;
      continue;
    }
    // The previous line ended on purpose (not wrapped) when it finished a sentence short of the usual width, or when
    // the next line's first word would clearly have fitted on it.
    const firstWord = line.split(' ')[0]!.length;
    const paragraphBreak =
      prevLine === undefined ||
      (endsSentence(prevLine) && prevLine.length < width * 0.85) ||
      prevLine.length + 1 + firstWord < width * 0.8;
    if (currentKind === 'item' && !paragraphBreak) {
      // Wrapped continuation of the last list item.
      const last = current.length - 1;
      current[last] = joinWrapped(current[last]!, line);
    } else if (currentKind === 'para' && !paragraphBreak) {
      const last = current.length - 1;
      current[last] = joinWrapped(current[last]!, line);
    } else {
      flush();
      currentKind = 'para';
      current.push(line);
    }
    prevLine = line;
  }
  flush();
  return { markdown: blocks.join('\n\n'), ...(title === undefined ? {} : { title }) };
}

function joinWrapped(left: string, right: string): string {
  // A line ending in a hyphen was broken inside a hyphenated word ("upper-" + "left"): keep the hyphen, drop the
  // space. Soft hyphenation is rare in exported SOPs and guessing which hyphens were soft corrupts real compounds.
  if (/\w-$/.test(left) && /^\w/.test(right)) return left + right;
  return `${left} ${right}`;
}

/** The raw material of a PDF: its text lines (all pages), its outline, page count and metadata title. */
export async function readPdf(
  bytes: Uint8Array,
  filename: string,
): Promise<{ lines: string[]; outline: OutlineEntry[]; pages: number; metaTitle: string }> {
  // pdf.js may transfer (detach) the buffer it is given, so hand it a copy and keep the caller's bytes intact.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const info = await parser.getInfo();
    const text = await parser.getText();
    const meta: unknown = info.info;
    const rawTitle =
      meta && typeof meta === 'object' && 'Title' in meta ? (meta as { Title: unknown }).Title : undefined;
    return {
      lines: text.pages.flatMap((p) => p.text.split('\n')),
      outline: flattenOutline(info.outline as OutlineNodeLike[] | null | undefined),
      pages: text.total,
      metaTitle: typeof rawTitle === 'string' ? rawTitle.trim() : '',
    };
  } catch (cause) {
    throw classifyError(cause, filename);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

export async function parsePdf(
  bytes: Uint8Array,
  filename: string,
): Promise<{ title: string; markdown: string; pages: number }> {
  const { lines, outline, pages, metaTitle } = await readPdf(bytes, filename);
  const { markdown, title: recovered } = pdfLinesToMarkdown(lines, outline);
  const tidy = tidyMarkdown(markdown);
  if (tidy === '') {
    throw new ParseError(
      'empty',
      `${filename}: the PDF has no extractable text (a scanned image needs OCR before it can be indexed)`,
      { filename },
    );
  }
  return {
    title: recovered ?? (metaTitle !== '' ? metaTitle : titleFromFilename(filename)),
    markdown: tidy,
    pages,
  };
}

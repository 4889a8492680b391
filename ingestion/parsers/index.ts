/**
 * Public face of the parsers: any supported file (Markdown, text, HTML, PDF, DOCX) → normalised Markdown.
 * The type is recognised from the bytes as well as the name (see `detect.ts`); every failure is a `ParseError` whose
 * `reason` the ingest summary reports.
 */
import { z } from 'zod';
import { ParseError } from '../errors.js';
import { MIME_BY_KIND, detectKind } from './detect.js';
import { parseDocx } from './docx.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parsePdf } from './pdf.js';
import { parseText } from './text.js';

export interface ParsedDocument {
  title: string;
  /** Normalised Markdown: `#` headings, numbered/bulleted lists, pipe tables. */
  markdown: string;
  /** The canonical MIME type of what was parsed (from the bytes, not the name). */
  mimetype: string;
  pages?: number;
}

export interface ParseInput {
  bytes: Uint8Array;
  filename: string;
  mimetype?: string;
}

const OptionsSchema = z.object({ maxBytes: z.number().int().positive() });
export type ParseOptions = z.infer<typeof OptionsSchema>;

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 3 : 1)} MB`;
}

export async function parseDocument(input: ParseInput, options: ParseOptions): Promise<ParsedDocument> {
  const { maxBytes } = OptionsSchema.parse(options);
  const { bytes, filename, mimetype } = input;
  if (bytes.byteLength > maxBytes) {
    throw new ParseError(
      'oversized',
      `${filename}: ${megabytes(bytes.byteLength)} is over the ${megabytes(maxBytes)} limit (raise MAX_FILE_MB to index it)`,
      { filename },
    );
  }
  if (bytes.byteLength === 0) throw new ParseError('empty', `${filename}: the file is empty`, { filename });

  const detected = await detectKind(bytes, filename, mimetype);
  let parsed: { title: string; markdown: string; pages?: number };
  switch (detected.kind) {
    case 'markdown':
      parsed = parseMarkdown(detected.text ?? '', filename);
      break;
    case 'text':
      parsed = parseText(detected.text ?? '', filename);
      break;
    case 'html':
      parsed = parseHtml(detected.text ?? '', filename);
      break;
    case 'pdf':
      parsed = await parsePdf(bytes, filename);
      break;
    case 'docx':
      parsed = await parseDocx(bytes, filename);
      break;
  }
  // Documents with no words (whitespace, empty headings, an empty Word file) have nothing to index.
  if (!/[\p{L}\p{N}]/u.test(parsed.markdown)) {
    throw new ParseError('empty', `${filename}: the document contains no text`, { filename });
  }
  return { ...parsed, mimetype: MIME_BY_KIND[detected.kind] };
}

/**
 * Decides which parser a file needs from its bytes first and its name second.
 *
 * File names lie (a random blob renamed `.docx`, a PDF exported as `.doc`), so binary formats are recognised by their
 * magic numbers (`file-type`). When the bytes are a supported binary format we trust the bytes; when they are some
 * other binary format we refuse with `unknown-type`; when they carry no signature at all we check whether they are
 * text (valid UTF-8 without control characters) and only then use the extension or a quick look at the content
 * (`<html`) to choose between Markdown, HTML and plain text. A file named like a binary format whose bytes are
 * neither that format nor anything else we know is `corrupt`.
 */
import { fileTypeFromBuffer } from 'file-type';
import { ParseError } from '../errors.js';

export type DocumentKind = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

export const MIME_BY_KIND: Readonly<Record<DocumentKind, string>> = {
  markdown: 'text/markdown',
  text: 'text/plain',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const KIND_BY_EXTENSION: Readonly<Record<string, DocumentKind>> = {
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
};

const KIND_BY_MIME: Readonly<Record<string, DocumentKind>> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  [MIME_BY_KIND.docx]: 'docx',
};

/** Signatures `file-type` reports for text-based formats; those are handled by the text sniffing below. */
const TEXTUAL_MIMES = new Set(['application/xml', 'text/xml', 'image/svg+xml', 'text/html']);

export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? filename;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Decodes UTF-8 (BOM stripped), or returns undefined when the bytes are not text. */
export function decodeText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
  // NUL or a high share of C0 control characters (other than tab/newline/carriage return/form feed) means binary.
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return undefined;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) controls++;
  }
  if (controls > Math.max(2, text.length / 200)) return undefined;
  return text;
}

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(html|body|head)[\s>]/.test(head);
}

export interface Detected {
  kind: DocumentKind;
  /** Decoded text for the text kinds, so it is decoded once. */
  text?: string;
}

export async function detectKind(bytes: Uint8Array, filename: string, mimetype?: string): Promise<Detected> {
  const ext = extensionOf(filename);
  const claimed: DocumentKind | undefined =
    KIND_BY_EXTENSION[ext] ??
    (mimetype ? KIND_BY_MIME[mimetype.split(';')[0]!.trim().toLowerCase()] : undefined);

  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed && !TEXTUAL_MIMES.has(sniffed.mime)) {
    if (sniffed.mime === 'application/pdf') return { kind: 'pdf' };
    if (sniffed.ext === 'docx') return { kind: 'docx' };
    if (claimed === 'docx' && sniffed.ext === 'zip') {
      // A zip without the Word parts file-type looks for: let mammoth decide, it names what is missing.
      return { kind: 'docx' };
    }
    throw new ParseError(
      'unknown-type',
      `${filename}: the file's content is ${sniffed.mime} (.${sniffed.ext})${claimed ? `, not ${ext.toUpperCase()} as its name says` : ''}; supported types are Markdown, text, HTML, PDF and DOCX`,
      { filename },
    );
  }

  const text = decodeText(bytes);
  if (text === undefined) {
    if (claimed === 'pdf' || claimed === 'docx') {
      throw new ParseError(
        'corrupt',
        `${filename}: named .${ext} but its bytes are not a ${claimed === 'pdf' ? 'PDF' : 'DOCX (Word)'} file; the file is damaged or misnamed`,
        { filename },
      );
    }
    throw new ParseError(
      'unknown-type',
      `${filename}: binary content of an unrecognised type; supported types are Markdown, text, HTML, PDF and DOCX`,
      { filename },
    );
  }
  if (claimed === 'pdf' || claimed === 'docx') {
    throw new ParseError(
      'corrupt',
      `${filename}: named .${ext} but it contains plain text, not a ${claimed === 'pdf' ? 'PDF' : 'DOCX (Word)'} file`,
      { filename },
    );
  }
  if (claimed === 'html' || looksLikeHtml(text)) return { kind: 'html', text };
  if (claimed === 'markdown') return { kind: 'markdown', text };
  if (claimed === 'text') return { kind: 'text', text };
  if (ext === '') return { kind: /^#{1,6} \S/m.test(text) ? 'markdown' : 'text', text };
  throw new ParseError(
    'unknown-type',
    `${filename}: .${ext} files are not supported; supported types are Markdown, text, HTML, PDF and DOCX`,
    { filename },
  );
}

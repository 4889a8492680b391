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

// Node's TextDecoder treats 'windows-1252' as ISO-8859-1; these are the 0x80–0x9F code points that differ
// (smart quotes, dashes, €, …). Undefined positions stay C1 controls.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) =>
      b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b,
    );
    out += String.fromCharCode(...codes);
  }
  return out;
}

function isMostlyText(text: string): boolean {
  // NUL or a high share of C0 control characters (other than tab/newline/carriage return/form feed) means binary.
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) controls++;
  }
  return controls <= Math.max(2, text.length / 200);
}

/**
 * Decodes text files: UTF-8 (the norm), UTF-16 with a byte-order mark (Windows "Unicode" exports), and as a last
 * resort Windows-1252, which older SOPs saved on Windows use. Returns undefined when the bytes are not text.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  const attempts: (() => string)[] = [];
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    attempts.push(() => new TextDecoder('utf-16le', { fatal: true }).decode(bytes));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    attempts.push(() => new TextDecoder('utf-16be', { fatal: true }).decode(bytes));
  else {
    attempts.push(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    attempts.push(() => decodeWindows1252(bytes));
  }
  for (const attempt of attempts) {
    let text: string;
    try {
      text = attempt();
    } catch {
      continue;
    }
    return isMostlyText(text) ? text : undefined;
  }
  return undefined;
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

  // A byte-order mark means text; file-type would read UTF-16's FF FE as an MPEG audio frame.
  const bom =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  const sniffed = bom ? undefined : await fileTypeFromBuffer(bytes);
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

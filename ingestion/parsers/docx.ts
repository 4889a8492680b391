/**
 * DOCX → Markdown through mammoth: mammoth maps Word's paragraph styles to semantic HTML (Heading 1 → `<h1>`, Word
 * numbering → `<ol>`/`<ul>`, tables → `<table>`), and the shared HTML converter turns that into Markdown. Word's
 * `Title` style is mapped to `<h1>` as well, since SOP templates often use it for the document name.
 */
import mammoth from 'mammoth';
import { ParseError } from '../errors.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { firstH1, tidyMarkdown, titleFromFilename } from './title.js';

const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

export async function parseDocx(
  bytes: Uint8Array,
  filename: string,
): Promise<{ title: string; markdown: string }> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        // Images are dropped from the Markdown anyway; skip base64-encoding them (large scans cost memory and time).
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      },
    );
    html = result.value;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ParseError('corrupt', `${filename}: not a readable DOCX (Word) document (${detail})`, {
      filename,
      cause,
    });
  }
  const markdown = tidyMarkdown(htmlToMarkdown(html).markdown);
  return { title: firstH1(markdown) ?? titleFromFilename(filename), markdown };
}

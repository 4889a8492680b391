/**
 * Renders the demo hospital SOPs that ship as PDF or DOCX.
 *
 * Why: the demo library must exercise every parser (Markdown, PDF, DOCX), but each SOP must exist exactly once in
 * `data/demo-hospital/` or retrieval would see duplicates. So the Markdown sources of the rendered SOPs live in
 * `data/demo-hospital-src/<Folder>/<name>.md` (outside the ingested folder), and this script writes the PDF/DOCX into
 * the library. The outputs are committed, so the demo needs no build step; re-run this after editing a source:
 *
 *   npx tsx scripts/render-demo-docs.ts
 *
 * The Markdown subset understood here is the one the SOPs use: `#`/`##`/`###` headings, paragraphs, numbered and
 * bulleted lists (with indented continuation lines), pipe tables, and inline `**bold**` / `` `code` ``.
 * PDFs are written with a fixed creation date so re-rendering an unchanged source gives the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import PDFDocument from 'pdfkit';

/** Which source becomes which file in the library (paths relative to the source and library folders). */
const RENDER_PLAN: ReadonlyArray<{ source: string; format: 'pdf' | 'docx' }> = [
  { source: 'Inventory/cycle-counts.md', format: 'pdf' },
  { source: 'Finance/vendor-bill-exceptions.md', format: 'pdf' },
  { source: 'General/downtime-procedures.md', format: 'pdf' },
  { source: 'Inventory/stock-returns-scrap.md', format: 'docx' },
  { source: 'Pharmacy/cold-chain-excursions.md', format: 'docx' },
  { source: 'Helpdesk/hypercare-escalation.md', format: 'docx' },
];

const FIXED_DATE = new Date('2026-11-02T09:00:00Z');

type Inline = { text: string; bold: boolean; code: boolean };
type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] };

/** Splits Markdown into the block kinds above. */
export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const cells = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      i++;
    } else if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3, text: heading[2]!.trim() });
      i++;
    } else if (line.trimStart().startsWith('|')) {
      const tableLines: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trimStart().startsWith('|')) tableLines.push(lines[i++]!);
      const [head, ...rest] = tableLines.filter((l) => !/^\s*\|[\s:|-]+\|\s*$/.test(l));
      blocks.push({ kind: 'table', header: cells(head ?? ''), rows: rest.map(cells) });
    } else if (/^(\d+\.|-)\s+/.test(line)) {
      const ordered = /^\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i] ?? '';
        const item = /^(\d+\.|-)\s+(.*)$/.exec(current);
        if (item && /^\d+\./.test(current) === ordered) {
          items.push(item[2]!.trim());
        } else if (/^\s+\S/.test(current) && items.length > 0) {
          // Continuation line (or a nested bullet, flattened into its parent item with a separator).
          const nested = /^\s+-\s+(.*)$/.exec(current);
          items[items.length - 1] += nested ? `; ${nested[1]!.trim()}` : ` ${current.trim()}`;
        } else {
          break;
        }
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
    } else {
      const para: string[] = [];
      while (
        i < lines.length &&
        (lines[i] ?? '').trim() !== '' &&
        !/^(#|\||\d+\.\s|-\s)/.test(lines[i] ?? '')
      ) {
        para.push(lines[i++]!.trim());
      }
      blocks.push({ kind: 'paragraph', text: para.join(' ') });
    }
  }
  return blocks;
}

/** Splits `**bold**` and `` `code` `` runs; everything else is plain text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pattern = /\*\*(.+?)\*\*|`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) out.push({ text: text.slice(last, match.index), bold: false, code: false });
    if (match[1] !== undefined) out.push({ text: match[1], bold: true, code: false });
    else out.push({ text: match[2] ?? '', bold: false, code: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), bold: false, code: false });
  return out;
}

const plain = (text: string): string =>
  parseInline(text)
    .map((r) => r.text)
    .join('');

function titleOf(blocks: Block[], fallback: string): string {
  const h1 = blocks.find((b) => b.kind === 'heading' && b.level === 1);
  return h1 && h1.kind === 'heading' ? h1.text : fallback;
}

async function renderPdf(blocks: Block[], title: string, outFile: string): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: title, Author: "St. Aldhelm's Hospital", CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
  });
  const done = new Promise<void>((resolve, reject) => {
    const stream = createWriteStream(outFile);
    stream.on('finish', resolve);
    stream.on('error', reject);
    doc.pipe(stream);
  });
  const writeInline = (text: string, options: PDFKit.Mixins.TextOptions = {}): void => {
    const runs = parseInline(text);
    runs.forEach((run, index) => {
      doc.font(run.code ? 'Courier' : run.bold ? 'Helvetica-Bold' : 'Helvetica');
      doc.text(run.text, { ...options, continued: index < runs.length - 1 });
    });
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      const size = block.level === 1 ? 18 : block.level === 2 ? 14 : 12;
      doc.moveDown(block.level === 1 ? 0 : 0.8);
      doc.font('Helvetica-Bold').fontSize(size).text(block.text);
      doc.fontSize(10.5).moveDown(0.3);
    } else if (block.kind === 'paragraph') {
      doc.fontSize(10.5);
      writeInline(block.text);
      doc.moveDown(0.5);
    } else if (block.kind === 'list') {
      doc.fontSize(10.5);
      block.items.forEach((item, index) => {
        writeInline(`${block.ordered ? `${index + 1}.` : '•'} ${item}`, { indent: 12 });
        doc.moveDown(0.2);
      });
      doc.moveDown(0.4);
    } else {
      doc.fontSize(9.5);
      doc.x = doc.page.margins.left;
      doc.table({
        data: [
          block.header.map((h) => ({ text: plain(h), font: { src: 'Helvetica-Bold' }, type: 'TH' as const })),
          ...block.rows.map((row) => row.map((cell) => ({ text: plain(cell), font: { src: 'Helvetica' } }))),
        ],
      });
      doc.x = doc.page.margins.left;
      doc.fontSize(10.5).moveDown(0.6);
    }
  }
  doc.end();
  await done;
}

function docxRuns(text: string): TextRun[] {
  return parseInline(text).map(
    (run) => new TextRun({ text: run.text, bold: run.bold, font: run.code ? 'Consolas' : undefined }),
  );
}

async function renderDocx(blocks: Block[], title: string, outFile: string): Promise<void> {
  const children: Array<Paragraph | Table> = [];
  let listInstance = 0;
  for (const block of blocks) {
    if (block.kind === 'heading') {
      const heading =
        block.level === 1
          ? HeadingLevel.HEADING_1
          : block.level === 2
            ? HeadingLevel.HEADING_2
            : HeadingLevel.HEADING_3;
      children.push(new Paragraph({ heading, children: docxRuns(block.text) }));
    } else if (block.kind === 'paragraph') {
      children.push(new Paragraph({ children: docxRuns(block.text) }));
    } else if (block.kind === 'list') {
      listInstance++;
      for (const item of block.items) {
        children.push(
          new Paragraph({
            children: docxRuns(item),
            ...(block.ordered
              ? { numbering: { reference: 'sop-steps', level: 0, instance: listInstance } }
              : { bullet: { level: 0 } }),
          }),
        );
      }
    } else {
      const row = (cells: string[], header: boolean): TableRow =>
        new TableRow({
          // Only the first row is a header; mammoth reads any tblHeader element (even val=false) as a header row.
          ...(header ? { tableHeader: true } : {}),
          children: cells.map(
            (cell) =>
              new TableCell({
                children: [
                  new Paragraph({
                    children: header ? [new TextRun({ text: plain(cell), bold: true })] : docxRuns(cell),
                  }),
                ],
              }),
          ),
        });
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [row(block.header, true), ...block.rows.map((r) => row(r, false))],
        }),
      );
      children.push(new Paragraph({ children: [] }));
    }
  }
  const document = new Document({
    title,
    creator: "St. Aldhelm's Hospital",
    numbering: {
      config: [
        {
          reference: 'sop-steps',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
        },
      ],
    },
    sections: [{ children }],
  });
  await writeFile(outFile, await Packer.toBuffer(document));
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const sourceDir = path.join(root, 'data', 'demo-hospital-src');
  const libraryDir = path.join(root, 'data', 'demo-hospital');
  for (const { source, format } of RENDER_PLAN) {
    const markdown = await readFile(path.join(sourceDir, source), 'utf8');
    const blocks = parseBlocks(markdown);
    const outFile = path.join(libraryDir, source.replace(/\.md$/, `.${format}`));
    await mkdir(path.dirname(outFile), { recursive: true });
    const title = titleOf(blocks, path.basename(source, '.md'));
    if (format === 'pdf') await renderPdf(blocks, title, outFile);
    else await renderDocx(blocks, title, outFile);
    process.stdout.write(`rendered ${path.relative(root, outFile)}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}

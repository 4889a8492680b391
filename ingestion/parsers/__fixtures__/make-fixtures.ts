/**
 * Generated test files, good and broken, built in memory by real writers (pdfkit, docx) so no binary fixture lives in
 * the repo. Randomness is seeded, so every run produces the same bytes. `writeBrokenFixtures(dir)` drops the broken
 * set into a folder for end-to-end ingest tests ("a corrupt PDF, an empty DOCX and random bytes named .docx").
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
} from 'docx';
import PDFDocument from 'pdfkit';
import type { ParseFailureReason } from '../../errors.js';

/** Deterministic pseudo-random bytes (mulberry32), so fixtures are the same on every run. */
export function seededBytes(length: number, seed = 42): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

export function makePdf(
  write: (doc: PDFKit.PDFDocument) => void,
  options: PDFKit.PDFDocumentOptions = {},
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ compress: false, ...options });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    doc.on('error', reject);
    write(doc);
    doc.end();
  });
}

/** A small SOP as a PDF without an outline, to exercise the heading heuristics. */
export function makeProcedurePdf(): Promise<Uint8Array> {
  return makePdf((doc) => {
    doc.fontSize(20).text('Receiving a partial delivery');
    doc.moveDown();
    doc
      .fontSize(11)
      .text(
        'This procedure explains how the ward supply coordinator receives a delivery that contains only part of the ordered quantity and keeps the rest of the purchase order open.',
      );
    doc.moveDown();
    doc.fontSize(14).text('Steps');
    doc.moveDown(0.5);
    doc.fontSize(11);
    doc.text('1. Open the Inventory app and select the receipt.');
    doc.text('2. Enter the quantity actually received on each line.');
    doc.text('3. Click Validate and choose Create Backorder.');
    doc.moveDown();
    doc.fontSize(14).text('Notes');
    doc.moveDown(0.5);
    doc.fontSize(11).text('• The backorder keeps the remaining quantity open.');
    doc.text('• Report damaged goods to the procurement officer.');
  });
}

/** A Word SOP with a title, headings, a numbered procedure and a table. */
export async function makeProcedureDocx(): Promise<Uint8Array> {
  const doc = new Document({
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Cycle count on the ward', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Count the stock of one location without freezing the whole store.' }),
          new Paragraph({ text: 'Procedure', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({
            text: 'Open Inventory › Physical Inventory.',
            numbering: { reference: 'steps', level: 0 },
          }),
          new Paragraph({
            text: 'Filter by the ward location.',
            numbering: { reference: 'steps', level: 0 },
          }),
          new Paragraph({
            children: [
              new TextRun('Enter the counted quantity and click '),
              new TextRun({ text: 'Apply', bold: true }),
            ],
            numbering: { reference: 'steps', level: 0 },
          }),
          new Paragraph({ text: 'Count frequency', heading: HeadingLevel.HEADING_2 }),
          new Table({
            rows: [
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Location')] }),
                  new TableCell({ children: [new Paragraph('Frequency (days)')] }),
                ],
              }),
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('ICU store')] }),
                  new TableCell({ children: [new Paragraph('7')] }),
                ],
              }),
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Theatre sterile store')] }),
                  new TableCell({ children: [new Paragraph('14')] }),
                ],
              }),
            ],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A valid DOCX with no text at all. */
export async function makeEmptyDocx(): Promise<Uint8Array> {
  const doc = new Document({ sections: [{ children: [new Paragraph({ text: '' })] }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export interface BrokenFixture {
  filename: string;
  bytes: Uint8Array;
  reason: ParseFailureReason;
}

/** Broken inputs and the failure reason each must produce. */
export async function brokenFixtures(): Promise<BrokenFixture[]> {
  const pdfHeader = new TextEncoder().encode('%PDF-1.7\n');
  const corruptPdf = new Uint8Array(pdfHeader.length + 4000);
  corruptPdf.set(pdfHeader);
  corruptPdf.set(seededBytes(4000, 7), pdfHeader.length);
  const goodPdf = await makeProcedurePdf();
  return [
    { filename: 'corrupt.pdf', bytes: corruptPdf, reason: 'corrupt' },
    { filename: 'truncated.pdf', bytes: goodPdf.slice(0, Math.floor(goodPdf.length / 3)), reason: 'corrupt' },
    {
      filename: 'encrypted.pdf',
      bytes: await makePdf((doc) => doc.text('Restricted procedure'), {
        userPassword: 'open-sesame',
        ownerPassword: 'owner',
        pdfVersion: '1.7',
      }),
      reason: 'encrypted',
    },
    { filename: 'empty.docx', bytes: await makeEmptyDocx(), reason: 'empty' },
    { filename: 'random-bytes.docx', bytes: seededBytes(8192, 11), reason: 'corrupt' },
    { filename: 'zero-length.md', bytes: new Uint8Array(0), reason: 'empty' },
    { filename: 'blank.txt', bytes: new TextEncoder().encode('  \n\n \t\n'), reason: 'empty' },
    {
      filename: 'text-named.pdf',
      bytes: new TextEncoder().encode('just some notes, not a PDF'),
      reason: 'corrupt',
    },
    {
      filename: 'picture.pdf',
      // A PNG signature and header: a real image format, not a document.
      bytes: new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
      ]),
      reason: 'unknown-type',
    },
    { filename: 'data.bin', bytes: seededBytes(2048, 3), reason: 'unknown-type' },
  ];
}

/** Writes the broken set into `dir` (for end-to-end ingest tests); returns the file names. */
export async function writeBrokenFixtures(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const fixtures = await brokenFixtures();
  await Promise.all(fixtures.map((f) => writeFile(join(dir, f.filename), f.bytes)));
  return fixtures.map((f) => f.filename);
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParseError } from '../errors.js';
import { brokenFixtures, makeProcedureDocx, makeProcedurePdf } from './__fixtures__/make-fixtures.js';
import { parseDocument } from './index.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/odoo-docs');
const ManifestSchema = z.array(z.object({ file: z.string(), title: z.string(), format: z.string() }));
const LIMIT = { maxBytes: 50 * 1024 * 1024 };

async function corpusFile(file: string) {
  return parseDocument({ bytes: await readFile(join(CORPUS, file)), filename: file }, LIMIT);
}

function headings(markdown: string): string[] {
  return markdown.match(/^#{1,6} .+$/gm) ?? [];
}

describe('parseDocument on the real corpus', () => {
  it('parses every file in the manifest, with the manifest title and real structure', async () => {
    const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(CORPUS, 'manifest.json'), 'utf8')));
    const formats = new Set(manifest.map((m) => m.format));
    expect(formats).toEqual(new Set(['md', 'html', 'docx', 'pdf']));
    for (const entry of manifest) {
      const doc = await corpusFile(entry.file);
      expect(doc.title, entry.file).toBe(entry.title);
      expect(headings(doc.markdown).length, entry.file).toBeGreaterThanOrEqual(1);
      expect(doc.markdown.length, entry.file).toBeGreaterThan(500);
    }
  });

  it('Markdown: keeps headings and numbered steps, reports text/markdown', async () => {
    const doc = await corpusFile('Inventory/delivery-three-steps.md');
    expect(doc.mimetype).toBe('text/markdown');
    expect(doc.title).toBe('Process deliveries in three steps');
    expect(headings(doc.markdown).length).toBeGreaterThan(2);
  });

  it('HTML: drops the stylesheet, keeps headings, lists and bold, takes the title from the h1', async () => {
    const doc = await corpusFile('HR/request-time-off.html');
    expect(doc.mimetype).toBe('text/html');
    expect(doc.markdown.startsWith('# Request time off')).toBe(true);
    expect(doc.markdown).not.toMatch(/font-family|line-height/);
    expect(doc.markdown).toMatch(/^- \*\*Time Off Type\*\*: /m);
  });

  it('DOCX: headings from Word styles and Word numbering as a numbered list', async () => {
    const doc = await corpusFile('Inventory/putaway-rules.docx');
    expect(doc.mimetype).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(doc.markdown).toMatch(/^# Putaway rules$/m);
    expect(doc.markdown).toMatch(/^## /m);
    expect(doc.markdown).toMatch(/^1\. Package type and product\n2\. Package type and product category$/m);
  });

  it('PDF: recovers headings from the outline and rejoins wrapped lines into paragraphs', async () => {
    const doc = await corpusFile('Inventory/receipts-three-steps.pdf');
    expect(doc.mimetype).toBe('application/pdf');
    expect(doc.pages).toBe(2);
    expect(headings(doc.markdown)).toEqual(
      expect.arrayContaining(['# Three-step receipt', '## Configuration', '### Process a receipt']),
    );
    // "receiving goods\nfrom suppliers" was one sentence broken by the layout.
    expect(doc.markdown).toContain('quality control process before receiving goods from suppliers.');
    expect(doc.markdown).not.toMatch(/-- \d+ of \d+ --/);
  });

  it('PDF: numbered steps stay on their own lines and bullets become list items', async () => {
    const doc = await corpusFile('Inventory/reordering-rules.pdf');
    expect(doc.markdown).toMatch(
      /^1\. Product type configuration\n2\. Replenishment method\n3\. Create rule$/m,
    );
    const bullets = await corpusFile('HR/new-employees.pdf');
    expect(bullets.markdown).toMatch(
      /^- Employee's Name: Enter the employee's name\. This field is required\.$/m,
    );
  });
});

describe('parseDocument on generated documents', () => {
  it('PDF without an outline: title, section headings and steps by heuristics', async () => {
    const doc = await parseDocument({ bytes: await makeProcedurePdf(), filename: 'partial.pdf' }, LIMIT);
    expect(doc.title).toBe('Receiving a partial delivery');
    expect(headings(doc.markdown)).toEqual(['# Receiving a partial delivery', '## Steps', '## Notes']);
    expect(doc.markdown).toContain(
      '1. Open the Inventory app and select the receipt.\n2. Enter the quantity actually received on each line.\n3. Click Validate and choose Create Backorder.',
    );
    expect(doc.markdown).toContain('- The backorder keeps the remaining quantity open.');
  });

  it('DOCX: numbered procedure and table rows survive', async () => {
    const doc = await parseDocument({ bytes: await makeProcedureDocx(), filename: 'count.docx' }, LIMIT);
    expect(doc.title).toBe('Cycle count on the ward');
    expect(doc.markdown).toContain(
      '1. Open Inventory › Physical Inventory.\n2. Filter by the ward location.\n3. Enter the counted quantity and click **Apply**',
    );
    expect(doc.markdown).toMatch(
      /^\| Location \| Frequency \(days\) \|\n\|( --- \|){2}\n\| ICU store \| 7 \|$/m,
    );
  });

  it('Markdown: strips front matter and uses its title', async () => {
    const md = '---\ntitle: Par levels\nowner: supply\n---\nIntro line.\n\nSteps\n-----\n\n1. Count.\n';
    const doc = await parseDocument({ bytes: new TextEncoder().encode(md), filename: 'par.md' }, LIMIT);
    expect(doc.title).toBe('Par levels');
    expect(doc.markdown).toBe('Intro line.\n\n## Steps\n\n1. Count.');
  });

  it('plain text: title from an underlined first line, else from the file name', async () => {
    const text = 'Downtime procedure\n==================\n\n1. Use paper forms.\n2. Re-enter later.\n';
    const doc = await parseDocument({ bytes: new TextEncoder().encode(text), filename: 'x.txt' }, LIMIT);
    expect(doc).toMatchObject({ title: 'Downtime procedure', mimetype: 'text/plain' });
    expect(doc.markdown).toBe('# Downtime procedure\n\n1. Use paper forms.\n2. Re-enter later.');
    const untitled = await parseDocument(
      {
        bytes: new TextEncoder().encode('Use paper forms when Odoo is down.'),
        filename: 'downtime_forms.txt',
      },
      LIMIT,
    );
    expect(untitled.title).toBe('Downtime forms');
  });

  it('reads UTF-16 and Windows-1252 text files', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('# Stérile store\n\nKeep it closed.', 'utf16le'),
    ]);
    const doc = await parseDocument({ bytes: utf16, filename: 'store.md' }, LIMIT);
    expect(doc).toMatchObject({ title: 'Stérile store', markdown: '# Stérile store\n\nKeep it closed.' });
    const cp1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x6f, 0x70, 0x65, 0x6e]); // "Café – open"
    const legacy = await parseDocument({ bytes: cp1252, filename: 'menu.txt' }, LIMIT);
    expect(legacy.markdown).toBe('Café – open');
  });

  it('recognises HTML by its content when the name has no extension, and a PDF named .docx by its bytes', async () => {
    const html = '<!DOCTYPE html><html><body><h1>Badge access</h1><p>Ask the service desk.</p></body></html>';
    const doc = await parseDocument({ bytes: new TextEncoder().encode(html), filename: 'README' }, LIMIT);
    expect(doc).toMatchObject({ title: 'Badge access', mimetype: 'text/html' });
    const pdf = await parseDocument({ bytes: await makeProcedurePdf(), filename: 'misnamed.docx' }, LIMIT);
    expect(pdf.mimetype).toBe('application/pdf');
  });
});

describe('parseDocument failures', () => {
  it('reports every broken fixture with its reason and file name', async () => {
    for (const fixture of await brokenFixtures()) {
      const error = await parseDocument({ bytes: fixture.bytes, filename: fixture.filename }, LIMIT).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, fixture.filename).toBeInstanceOf(ParseError);
      expect((error as ParseError).reason, fixture.filename).toBe(fixture.reason);
      expect((error as ParseError).message, fixture.filename).toContain(fixture.filename);
    }
  });

  it('refuses a file over the limit before reading it', async () => {
    const bytes = await readFile(join(CORPUS, 'Inventory/receipts-three-steps.pdf'));
    await expect(
      parseDocument({ bytes, filename: 'big.pdf' }, { maxBytes: 10 * 1024 }),
    ).rejects.toMatchObject({
      name: 'ParseError',
      reason: 'oversized',
      message: expect.stringMatching(/big\.pdf: .* limit/),
    });
  });

  it('rejects an unsupported text extension with unknown-type', async () => {
    await expect(
      parseDocument({ bytes: new TextEncoder().encode('a,b\n1,2\n'), filename: 'sheet.csv' }, LIMIT),
    ).rejects.toMatchObject({ reason: 'unknown-type' });
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pdfLinesToMarkdown, readPdf } from './pdf.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/odoo-docs');

describe('PDF layout heuristics', () => {
  it('recover most headings of the corpus PDFs when their outline is withheld', async () => {
    const manifest = z
      .array(z.object({ file: z.string() }))
      .parse(JSON.parse(await readFile(join(CORPUS, 'manifest.json'), 'utf8')));
    let truePositives = 0;
    let found = 0;
    let expected = 0;
    for (const { file } of manifest.filter((m) => m.file.endsWith('.pdf'))) {
      const { lines, outline } = await readPdf(await readFile(join(CORPUS, file)), file);
      expect(outline.length, file).toBeGreaterThan(0);
      const want = new Set(outline.map((o) => o.title));
      const got = new Set(
        (pdfLinesToMarkdown(lines, []).markdown.match(/^#{1,6} .+$/gm) ?? []).map((h) =>
          h.replace(/^#+ /, ''),
        ),
      );
      truePositives += [...got].filter((h) => want.has(h)).length;
      found += got.size;
      expected += want.size;
    }
    // Measured at precision 0.90 / recall 0.97 on these 15 files; the outline, when present, is exact.
    expect(truePositives / found).toBeGreaterThanOrEqual(0.85);
    expect(truePositives / expected).toBeGreaterThanOrEqual(0.9);
  });

  it('joins wrapped lines, keeps steps and bullets, and drops page numbers', () => {
    const width = 'x'.repeat(70);
    const { markdown, title } = pdfLinesToMarkdown(
      [
        'Receiving sterile supplies',
        `Sterile supplies are received at the loading dock by the ward supply ${''}`,
        'coordinator on duty.',
        '12',
        'Steps',
        '1. Check the seal of every box before signing for the',
        'delivery.',
        '2. Scan the lot barcode.',
        '• Reject wet boxes.',
        width,
      ],
      [],
    );
    expect(title).toBe('Receiving sterile supplies');
    expect(markdown).toContain(
      'Sterile supplies are received at the loading dock by the ward supply coordinator on duty.',
    );
    expect(markdown).toContain(
      '## Steps\n\n1. Check the seal of every box before signing for the delivery.\n2. Scan the lot barcode.\n- Reject wet boxes.',
    );
    expect(markdown).not.toMatch(/^12$/m);
  });
});

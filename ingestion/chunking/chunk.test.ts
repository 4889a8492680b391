import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDocument, type ParsedDocument } from '../parsers/index.js';
import { blockText, splitSections } from './blocks.js';
import { chunkMarkdown, estimateTokens } from './index.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/odoo-docs');
const ManifestSchema = z.array(z.object({ file: z.string(), title: z.string() }));

/** Whitespace-insensitive containment: chunk text is re-joined, not re-worded. */
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

let corpus: { file: string; doc: ParsedDocument }[] = [];

beforeAll(async () => {
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(CORPUS, 'manifest.json'), 'utf8')));
  corpus = await Promise.all(
    manifest.map(async (m) => ({
      file: m.file,
      doc: await parseDocument(
        { bytes: await readFile(join(CORPUS, m.file)), filename: m.file },
        { maxBytes: 50 * 1024 * 1024 },
      ),
    })),
  );
});

describe('chunkMarkdown on the real corpus (md, html, docx, pdf)', () => {
  it('every chunk carries the title first, a heading path that exists in the document, and fits the size limit', () => {
    for (const { file, doc } of corpus) {
      const chunks = chunkMarkdown(doc);
      expect(chunks.length, file).toBeGreaterThan(0);
      const paths = new Set(
        splitSections(doc.markdown, doc.title).map((s) => [doc.title, ...s.headings].join(' › ')),
      );
      const prefixes = new Set(
        [...paths].flatMap((p) => p.split(' › ').map((_, i, a) => a.slice(0, i + 1).join(' › '))),
      );
      chunks.forEach((chunk, i) => {
        expect(chunk.ordinal, file).toBe(i);
        expect(chunk.headingPath[0], file).toBe(doc.title);
        expect(prefixes.has(chunk.headingPath.join(' › ')), `${file}: ${chunk.headingPath.join(' › ')}`).toBe(
          true,
        );
        expect(chunk.tokens, file).toBe(estimateTokens(chunk.text));
        expect(chunk.tokens, file).toBeLessThanOrEqual(500);
        expect(chunk.text.trim(), file).not.toBe('');
      });
    }
  });

  it('never cuts a numbered procedure that fits in one chunk', () => {
    let procedures = 0;
    const formats = new Set<string>();
    for (const { file, doc } of corpus) {
      const chunks = chunkMarkdown(doc).map((c) => squash(c.text));
      for (const section of splitSections(doc.markdown, doc.title)) {
        for (const block of section.blocks) {
          if (block.kind !== 'procedure' || estimateTokens(blockText(block)) > 460) continue;
          procedures++;
          formats.add(file.split('.').pop()!);
          const whole = squash(block.text);
          expect(
            chunks.some((c) => c.includes(whole)),
            `${file}: procedure starting "${whole.slice(0, 60)}" was split`,
          ).toBe(true);
        }
      }
    }
    // Make sure the property was actually exercised, on more than one format.
    expect(procedures).toBeGreaterThan(15);
    expect(formats.size).toBeGreaterThanOrEqual(3);
  });

  it('keeps each table whole and under the heading it sits under', () => {
    let tables = 0;
    for (const { file, doc } of corpus) {
      const chunks = chunkMarkdown(doc);
      for (const section of splitSections(doc.markdown, doc.title)) {
        for (const block of section.blocks) {
          if (block.kind !== 'table') continue;
          tables++;
          if (estimateTokens(blockText(block)) > 460) {
            // Too big for one chunk: every piece repeats the header row and stays under the same heading.
            const header = block.text.split('\n')[0]!;
            const pieces = chunks.filter((c) => c.text.includes(header));
            expect(pieces.length, file).toBeGreaterThan(1);
            for (const piece of pieces)
              expect(piece.headingPath, file).toEqual([doc.title, ...section.headings]);
            continue;
          }
          const holder = chunks.find((c) => squash(c.text).includes(squash(block.text)));
          expect(holder, `${file}: table split`).toBeDefined();
          // The chunk's path is the table's section path or a parent of it (merged small siblings).
          const path = [doc.title, ...section.headings];
          expect(path.slice(0, holder!.headingPath.length), file).toEqual(holder!.headingPath);
        }
      }
    }
    expect(tables).toBeGreaterThan(0);
  });

  it('gives the steps of a PDF subsection their full heading path', async () => {
    const doc = corpus.find((c) => c.file === 'Inventory/receipts-three-steps.pdf')!.doc;
    const chunk = chunkMarkdown(doc).find((c) => c.text.includes('Click Validate to validate the receipt'));
    expect(chunk).toBeDefined();
    const expected = [
      'Three-step receipt',
      'Receive in three steps (input + quality + stock)',
      'Process a receipt',
    ];
    expect(expected.slice(0, chunk!.headingPath.length)).toEqual(chunk!.headingPath);
    // Whatever part of the path the chunk does not name is written as a heading line inside its text.
    for (const missing of expected.slice(chunk!.headingPath.length))
      expect(chunk!.text).toContain(`# ${missing}`);
  });

  it('produces chunks mostly in the 200–500 token range on the corpus', () => {
    const sizes = corpus.flatMap(({ doc }) => chunkMarkdown(doc).map((c) => c.tokens));
    const median = [...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(200);
  });
});

describe('chunkMarkdown rules', () => {
  const para = (n: number, word: string): string =>
    Array.from(
      { length: n },
      (_, i) => `${word} sentence number ${i} explains one more detail of the process.`,
    ).join(' ');

  it('moves a procedure whole into the next chunk instead of splitting it', () => {
    const steps = Array.from(
      { length: 12 },
      (_, i) => `${i + 1}. Do step ${i + 1} of the receipt in the Inventory app.`,
    );
    const markdown = `# Receipts\n\n## Receive\n\n${para(20, 'Intro')}\n\nTo receive, follow these steps:\n\n${steps.join('\n')}`;
    const chunks = chunkMarkdown({ title: 'Receipts', markdown });
    const holder = chunks.filter((c) => c.text.includes('1. Do step 1 '));
    expect(holder).toHaveLength(1);
    expect(holder[0]!.text).toContain('To receive, follow these steps:\n\n1. Do step 1');
    expect(holder[0]!.text).toContain('12. Do step 12');
    expect(holder[0]!.headingPath).toEqual(['Receipts', 'Receive']);
  });

  it('splits a procedure longer than a chunk only between steps, keeping step numbers', () => {
    const steps = Array.from(
      { length: 60 },
      (_, i) =>
        `${i + 1}. Step ${i + 1}: scan the item barcode, check the lot number and confirm the quantity.`,
    );
    const chunks = chunkMarkdown({ title: 'Count', markdown: `## Counting\n\n${steps.join('\n')}` });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      for (const line of chunk.text.split('\n')) expect(line).toMatch(/^\d+\. Step \d+: .*quantity\.$/);
      expect(chunk.tokens).toBeLessThanOrEqual(500);
    }
    expect(chunks.map((c) => c.text).join('\n')).toBe(steps.join('\n'));
  });

  it('overlaps consecutive prose chunks of one section by a trailing sentence', () => {
    const markdown = `## Policy\n\n${para(30, 'First')}\n\n${para(30, 'Second')}\n\n${para(30, 'Third')}`;
    const chunks = chunkMarkdown({ title: 'Policy', markdown }, { overlapTokens: 40 });
    expect(chunks.length).toBeGreaterThan(1);
    for (let i = 1; i < chunks.length; i++) {
      const firstSentence = chunks[i]!.text.split(/(?<=\.)\s/)[0]!;
      expect(chunks[i - 1]!.text).toContain(firstSentence);
    }
  });

  it('merges tiny sibling subsections, naming them inside the text', () => {
    const markdown =
      '## Setup\n\n### Enable lots\n\nTick Lots.\n\n### Enable expiry\n\nTick Expiration Dates.';
    const chunks = chunkMarkdown({ title: 'Lots', markdown });
    expect(chunks).toEqual([
      {
        ordinal: 0,
        headingPath: ['Lots', 'Setup'],
        text: '### Enable lots\n\nTick Lots.\n\n### Enable expiry\n\nTick Expiration Dates.',
        tokens: estimateTokens(
          '### Enable lots\n\nTick Lots.\n\n### Enable expiry\n\nTick Expiration Dates.',
        ),
      },
    ]);
  });

  it('validates its options', () => {
    expect(() => chunkMarkdown({ title: 't', markdown: 'x' }, { minTokens: 600, maxTokens: 500 })).toThrow(
      /minTokens/,
    );
  });
});

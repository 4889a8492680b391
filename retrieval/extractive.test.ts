import { describe, expect, it } from 'vitest';
import type { Passage } from './composer.js';
import { createExtractiveComposer, unitsOf } from './extractive.js';
import { contentStems } from './text.js';

const sop = [
  '## Urgent requisitions',
  '',
  'Urgent requests need the nurse in charge. They are picked within 45 minutes.',
  '',
  '1. Raise the requisition as above and set the **Priority** star.',
  '2. Add the note `URGENT – patient care` and the name of the nurse in charge who agreed it.',
  '3. Phone Central Stores on extension 4410 so a picker starts straight away.',
  '',
  '| Status | Meaning |',
  '| --- | --- |',
  '| Draft | Saved but not yet sent |',
].join('\n');

function passage(over: Partial<Passage> = {}): Passage {
  return {
    chunkId: '1',
    documentId: '1',
    source: 'Inventory/ward-requisitions.md',
    title: 'Ward Supply Requisitions',
    section: 'Urgent requisitions',
    headingPath: ['Ward Supply Requisitions', 'Urgent requisitions'],
    text: sop,
    url: null,
    version: 'v1',
    score: 1,
    ...over,
  };
}

function input(question: string, intent: 'how-to' | 'other', passages: Passage[]) {
  return { question, searchText: question, intent, stems: contentStems(question), passages, confidence: 0.9 };
}

describe('extractive composer', () => {
  const composer = createExtractiveComposer();

  it('splits a passage into steps, rows and sentences', () => {
    const kinds = unitsOf(sop).map((u) => u.kind);
    expect(kinds).toEqual(['sentence', 'sentence', 'step', 'step', 'step', 'row', 'row']);
  });

  it('answers a how-to question with the numbered steps verbatim', async () => {
    const c = await composer.compose(input('how do I raise an urgent requisition', 'how-to', [passage()]));
    expect(c?.lead).toBe('From **Ward Supply Requisitions** › Urgent requisitions:');
    expect(c?.steps).toHaveLength(3);
    expect(c?.steps[2]).toBe('Phone Central Stores on extension 4410 so a picker starts straight away.');
  });

  it('quotes only words that are in the passage', async () => {
    const c = await composer.compose(input('how fast are urgent requests picked', 'other', [passage()]));
    const sourceWords = new Set(sop.toLowerCase().match(/[a-z0-9]+/g));
    for (const w of c!.body.toLowerCase().match(/[a-z0-9]+/g) ?? []) expect(sourceWords.has(w)).toBe(true);
    expect(c!.body).toContain('45 minutes');
  });

  it('cites best first, once per section, only passages close to the best', async () => {
    const passages = [
      passage(),
      passage({ chunkId: '2', score: 0.95 }),
      passage({ chunkId: '3', source: 'Inventory/par.md', title: 'Par levels', section: '', score: 0.9 }),
      passage({ chunkId: '4', source: 'HR/leave.md', title: 'Leave', section: '', score: 0.2 }),
    ];
    const c = await composer.compose(input('urgent requisition', 'other', passages));
    expect(c?.citations.map((x) => x.source)).toEqual(['Inventory/ward-requisitions.md', 'Inventory/par.md']);
  });

  it('returns null with no passages', async () => {
    expect(await composer.compose(input('anything', 'other', []))).toBeNull();
  });
});

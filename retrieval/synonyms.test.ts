import { describe, expect, it } from 'vitest';
import { expandQuery, synonymTableFromData, SynonymFileError } from './synonyms.js';

const table = synonymTableFromData({
  abbreviations: {
    PO: 'purchase order',
    GRN: ['goods receipt note', 'goods receipt'],
    IT: 'information technology',
  },
  synonyms: [['vendor', 'supplier'], { term: 'requisition', synonyms: ['internal request'] }],
});

describe('expandQuery', () => {
  it('expands an abbreviation, also in plural and lower case', () => {
    expect(expandQuery('how do I cancel a PO?', table).added).toEqual(['purchase order']);
    expect(expandQuery('where are my pos', table).added).toEqual(['purchase order']);
  });

  it('adds the abbreviation when only the long form was asked', () => {
    expect(expandQuery('who approves a purchase order', table).added).toEqual(['PO']);
  });

  it('adds the other members of a synonym group, not the ones already present', () => {
    expect(expandQuery('Which supplier delivers gloves?', table).added).toEqual(['vendor']);
    expect(expandQuery('raise a requisition', table).added).toEqual(['internal request']);
  });

  it('does not read ordinary words as abbreviations', () => {
    expect(expandQuery('is it on the shelf?', table).added).toEqual([]);
    expect(expandQuery('call IT about the scanner', table).added).toEqual(['information technology']);
  });

  it('rejects a malformed file with the path of the problem', () => {
    expect(() => synonymTableFromData({ synonyms: [['lonely']] }, 'x.yml')).toThrow(SynonymFileError);
  });
});

describe('shipped synonyms file', () => {
  it('loads and expands hospital abbreviations', async () => {
    const { loadSynonyms } = await import('./synonyms.js');
    const shipped = loadSynonyms([new URL('../data/synonyms.yml', import.meta.url).pathname]);
    expect(expandQuery('how do I match a GRN to the PO', shipped).added).toEqual(
      expect.arrayContaining(['purchase order', 'goods receipt']),
    );
    expect(expandQuery('shift ends at 8 pm', shipped).added).not.toContain('preventive maintenance');
    expect(expandQuery('a high priority ticket', shipped).added).not.toContain('p2');
  });
});

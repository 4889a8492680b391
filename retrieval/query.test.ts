import { describe, expect, it } from 'vitest';
import { analyzeQuery, detectIntent, isFollowUp } from './query.js';
import { synonymTableFromData } from './synonyms.js';

const synonyms = synonymTableFromData({ abbreviations: { GRN: 'goods receipt' } });

describe('analyzeQuery', () => {
  it('recognises how-to questions', () => {
    expect(detectIntent('How do I receive a partial delivery?')).toBe('how-to');
    expect(detectIntent('steps to return damaged stock')).toBe('how-to');
    expect(detectIntent('What is a par level?')).toBe('definition');
    expect(detectIntent('par level for ward 4B')).toBe('other');
  });

  it('folds the previous question in for a short follow-up', () => {
    const q = analyzeQuery('and for sterile items?', {
      synonyms,
      previousQuestions: ['How do I record a GRN for a partial delivery?'],
    });
    expect(q.followUp).toBe(true);
    expect(q.contextText).toContain('partial delivery');
    expect(q.intent).toBe('how-to');
    expect(q.expansions).toEqual(['goods receipt']);
  });

  it('treats a long self-contained question in a thread as a new topic', () => {
    expect(isFollowUp('How do I request annual leave for next month in Odoo?', 'What is a par level?')).toBe(
      false,
    );
  });

  it('normalises typography', () => {
    expect(analyzeQuery('what’s  the cut‑off?', { synonyms }).question).toBe("what's the cut-off?");
  });
});

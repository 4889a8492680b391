import { describe, expect, it } from 'vitest';
import { buildVocabulary, correct, editDistance } from './spelling.js';

describe('spelling', () => {
  it('measures edit distance with transpositions', () => {
    expect(editDistance('expiri', 'expiry', 2)).toBe(1);
    expect(editDistance('recieve', 'receive', 2)).toBe(1);
    expect(editDistance('abc', 'xyz123', 2)).toBe(3);
  });

  it('repairs an unknown lexeme to the most frequent close one', () => {
    const vocab = buildVocabulary(
      new Map([
        ['requisit', 40],
        ['acquisit', 2],
        ['deliveri', 30],
      ]),
    );
    expect(correct('requisiton', vocab)).toBe('requisit');
    expect(correct('delivari', vocab)).toBe('deliveri');
    expect(correct('zebra', vocab)).toBeUndefined();
  });
});

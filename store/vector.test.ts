import { describe, expect, it } from 'vitest';
import { toVectorLiteral } from './vector.js';

describe('toVectorLiteral', () => {
  it('writes a pgvector literal rounded to 1e-6', () => {
    expect(toVectorLiteral([0.123456789, -0.5, 0, 1e-9, 0.0000015])).toBe('[0.123457,-0.5,0,0,0.000002]');
    expect(toVectorLiteral(new Float32Array([0.25, -1]))).toBe('[0.25,-1]');
  });

  it('refuses NaN and infinities instead of storing garbage', () => {
    expect(() => toVectorLiteral([0.1, Number.NaN])).toThrow(/position 1/);
    expect(() => toVectorLiteral([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});

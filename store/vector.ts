/**
 * Vectors travel to Postgres as pgvector text literals (`[0.1,-0.2,…]`), the one format both PGlite and `pg` accept
 * as a parameter. Eight significant digits is beyond float4 precision (what pgvector stores) and keeps the text —
 * and its parsing, the cost of bulk loads — short.
 */
export function toVectorLiteral(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new Error(`Embedding has a non-finite value at position ${i}`);
    parts[i] = v === 0 ? '0' : v.toPrecision(8);
  }
  return `[${parts.join(',')}]`;
}

/** A printing benchmark: `bench/<name>.bench.ts` exports `benchmark`; `npm run bench [-- name…]` runs it. */
export interface Benchmark {
  name: string;
  description: string;
  run(context: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** Prints one line of results (stdout). */
  print(line: string): void;
  /** Absolute path of the repository root. */
  root: string;
}

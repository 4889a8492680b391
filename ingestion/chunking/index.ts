/** Public face of the chunker: normalised Markdown → chunks with heading paths (see `chunk.ts` for the method). */
export { chunkMarkdown, estimateTokens } from './chunk.js';
export type { Chunk, ChunkOptions } from './chunk.js';

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IngestReport } from '../../ingestion/pipeline-types.js';
import { formatIngestReport, printIngestReport } from './ingest-output.js';

const report: IngestReport = {
  added: 2,
  updated: 1,
  unchanged: 5,
  removed: 1,
  failed: 1,
  failures: [{ file: 'HR/empty.docx', reason: 'empty' }],
  documents: 8,
  chunks: 40,
  seconds: 1.25,
  aclUpdated: 2,
  noAccess: 1,
  failureMessages: ['HR/empty.docx: the document contains no text'],
  pagesParsed: 3,
  chunksWritten: 12,
  stageSeconds: { parse: 0.1, chunk: 0.1, embed: 0.1, write: 0.1 },
  vectorIndexBuilt: false,
};

function capture(stream: NodeJS.WriteStream): { text(): string } {
  let out = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ingest output', () => {
  it('prints exactly the DESIGN.md summary keys with --json', () => {
    const stdout = capture(process.stdout);
    const stderr = capture(process.stderr);
    printIngestReport(report, { json: true, what: 'ingest' });
    const printed = JSON.parse(stdout.text()) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual([
      'added',
      'updated',
      'unchanged',
      'removed',
      'failed',
      'failures',
      'documents',
      'chunks',
      'seconds',
    ]);
    expect(printed.failures).toEqual([{ file: 'HR/empty.docx', reason: 'empty' }]);
    expect(stderr.text()).toMatch(/1 documents match no role/);
  });

  it('summarises for people: counts, access updates, default-deny warning and each skipped file', () => {
    const text = formatIngestReport(report, 'ingest SOPs');
    expect(text).toMatch(/2 added, 1 updated, 5 unchanged, 1 removed, 1 failed/);
    expect(text).toMatch(/8 documents, 40 chunks/);
    expect(text).toMatch(/access updated without re-embedding: 2/);
    expect(text).toMatch(/ {2}HR\/empty\.docx — empty: the document contains no text\n/);
  });

  it('fails with NothingIndexedError when the index is empty', () => {
    capture(process.stdout);
    expect(() => printIngestReport({ ...report, documents: 0 }, { json: false, what: 'ingest' })).toThrow(
      expect.objectContaining({ name: 'NothingIndexedError' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from './config/index.js';
import { ExitCode, NothingIndexedError, UsageError, describeError } from './errors.js';
import { IndexMismatchError } from '../store/index.js';
import { ParseError } from '../ingestion/errors.js';

describe('describeError', () => {
  it('maps typed errors to their exit codes and keeps their message', () => {
    expect(describeError(new ConfigError('PORT: bad', 'PORT'))).toEqual({
      message: 'PORT: bad',
      exitCode: ExitCode.config,
      expected: true,
    });
    expect(describeError(new UsageError('no folder')).exitCode).toBe(ExitCode.config);
    expect(describeError(new NothingIndexedError('nothing')).exitCode).toBe(ExitCode.nothingIndexed);
    expect(describeError(new ParseError('corrupt', 'x.pdf: corrupt')).exitCode).toBe(ExitCode.parse);
    const mismatch = describeError(
      new IndexMismatchError({ embedder: 'hash-v1-512', dimensions: 512 }, { embedder: 'wink-sif-100', dimensions: 100 }),
    );
    expect(mismatch.exitCode).toBe(ExitCode.indexMismatch);
    expect(mismatch.message).toMatch(/sop-assistant reindex/);
  });

  it('treats anything else as an unexpected failure', () => {
    expect(describeError(new Error('boom'))).toEqual({ message: 'boom', exitCode: 1, expected: false });
    expect(describeError('text')).toEqual({ message: 'text', exitCode: 1, expected: false });
  });
});

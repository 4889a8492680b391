import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runAskBatch } from './batch.js';

describe('runAskBatch', () => {
  it('answers every line in order and keeps bad lines aligned as errors', async () => {
    const input = Readable.from(
      [
        '{"question":"first","role":"a"}',
        'not json',
        '',
        '{"question":"third","roles":["a","b"]}',
        '{"q":1}',
      ].join('\n'),
    );
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    // Answers resolve out of order; output must still follow the input.
    const result = await runAskBatch(input, output, async (line) => {
      await new Promise((r) => setTimeout(r, line.question === 'first' ? 20 : 0));
      return { question: line.question, roles: line.roles ?? [line.role] };
    });
    const lines = chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(result).toEqual({ lines: 4, errors: 2 });
    expect(lines[0]).toEqual({ question: 'first', roles: ['a'] });
    expect(lines[1].error).toMatch(/not JSON/);
    expect(lines[2]).toEqual({ question: 'third', roles: ['a', 'b'] });
    expect(lines[3].error).toMatch(/line 4/);
  });
});

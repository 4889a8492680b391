import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseKind, DatasetError, datasetName, loadDataset, parseDataset } from './dataset.js';

const good = JSON.stringify({
  id: 'r1',
  question: 'how do i recieve a partial delivery?',
  role: 'ward-supply-coordinator',
  expect: 'answer',
  expected_sources: ['Inventory/receipts.md'],
  forbidden_sources: [],
  must_include_any: ['backorder'],
});

describe('parseDataset', () => {
  it('parses lines, skipping blanks and // comments, and defaults the lists', () => {
    const text = `${good}\n\n// unanswerable\n{"id":"u1","question":"lunch menu?","role":"trainer","expect":"refuse"}\n`;
    const cases = parseDataset(text);
    expect(cases).toHaveLength(2);
    expect(cases[1]).toMatchObject({
      id: 'u1',
      expected_sources: [],
      forbidden_sources: [],
      must_include_any: [],
    });
    expect(caseKind(cases[0]!)).toBe('answerable');
    expect(caseKind(cases[1]!)).toBe('unanswerable');
  });

  it('names the line and the field of a bad case', () => {
    const bad = good.replace('"expected_sources"', '"expected_source"');
    expect(() => parseDataset(`${good.replace('r1', 'r0')}\n${bad}`, 'x.jsonl')).toThrow(
      /x\.jsonl:2: .*expected_source/,
    );
    expect(() => parseDataset(`${good}\n{"id": oops`, 'x.jsonl')).toThrow(/x\.jsonl:2: not valid JSON/);
    expect(() => parseDataset(good.replace('"answer"', '"maybe"'), 'x.jsonl')).toThrow(/x\.jsonl:1: expect/);
  });

  it('rejects duplicate ids, answer cases without sources and contradictory sources', () => {
    expect(() => parseDataset(`${good}\n${good}`, 'x.jsonl')).toThrow(
      /x\.jsonl:2: duplicate id "r1" \(first used on line 1\)/,
    );
    expect(() => parseDataset(good.replace('["Inventory/receipts.md"]', '[]'))).toThrow(
      /no expected_sources/,
    );
    expect(() =>
      parseDataset(good.replace('"forbidden_sources":[]', '"forbidden_sources":["Inventory/receipts.md"]')),
    ).toThrow(/both expected and forbidden/);
    expect(() => parseDataset('\n')).toThrow(DatasetError);
  });
});

describe('loadDataset', () => {
  it('reads a file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sop-evals-'));
    const file = join(dir, 'demo.jsonl');
    await writeFile(file, `${good}\n`);
    expect(await loadDataset(file)).toHaveLength(1);
    expect(datasetName(file)).toBe('demo');
    await expect(loadDataset(join(dir, 'missing.jsonl'))).rejects.toThrow(
      /missing\.jsonl: cannot read \(ENOENT\)/,
    );
  });
});

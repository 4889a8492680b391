import { describe, expect, it } from 'vitest';
import { findSuite, loadSuites, parseSuites, repoRoot, SuitesFileError } from './suites.js';
import { join, resolve } from 'node:path';

describe('suites', () => {
  it('maps the committed datasets to their corpus folders and access files', async () => {
    const suites = await loadSuites();
    expect(findSuite(suites, 'demo-hospital')).toEqual({
      name: 'demo-hospital',
      dataset: join(repoRoot, 'evals/datasets/demo-hospital.jsonl'),
      folder: join(repoRoot, 'data/demo-hospital'),
      access: join(repoRoot, 'data/demo-hospital/access.yml'),
    });
    expect(findSuite(suites, 'odoo-docs').folder).toBe(resolve(repoRoot, '../shared/corpus/odoo-docs'));
  });

  it('explains an unknown dataset and a malformed file', () => {
    const suites = parseSuites('suites:\n  a: { dataset: a.jsonl, folder: x, access: y/acl.yml }\n', '/r');
    expect(suites[0]?.access).toBe('/r/y/acl.yml');
    expect(() => findSuite(suites, 'b')).toThrow(/no suite named "b".*known: a/);
    expect(() => parseSuites('suites:\n  a: { folder: x }\n')).toThrow(SuitesFileError);
  });
});

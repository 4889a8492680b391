/**
 * `sop-assistant ask` through the real CLI, as DESIGN.md specifies: `--role` (repeatable) and `--json` print the
 * answer object; with no QUESTION, JSON lines on stdin get one answer line each, in order, from one process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../cli/run-cli.js';
import { DEMO_HOSPITAL } from './corpus.js';

const answerSchema = z
  .object({
    question: z.string(),
    roles: z.array(z.string()),
    answered: z.boolean(),
    answer: z.string(),
    citations: z.array(
      z
        .object({ source: z.string(), title: z.string(), section: z.string(), url: z.string().nullable() })
        .strict(),
    ),
    confidence: z.number().min(0).max(1),
    latency_ms: z.number().nonnegative(),
  })
  .strict();

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sop-ask-cli-'));
  const r = await runCli(['ingest', '--folder', DEMO_HOSPITAL, '--data-dir', dataDir, '--json']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('sop-assistant ask', () => {
  it('answers one question as a role with the DESIGN.md JSON object, citations best first', async () => {
    const r = await runCli([
      'ask',
      '--data-dir',
      dataDir,
      '--role',
      'ward-supply-coordinator',
      '--json',
      'how do I raise an urgent requisition from central stores?',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const answer = answerSchema.parse(JSON.parse(r.stdout));
    expect(answer.answered).toBe(true);
    expect(answer.roles).toEqual(['ward-supply-coordinator']);
    expect(answer.citations[0]?.source).toBe('Inventory/ward-requisitions.md');
    expect(answer.answer).toContain('4410');
  });

  it('reads JSON lines on stdin and writes one answer per line, in order', async () => {
    const lines = [
      { question: 'what is the cut-off for the afternoon stores round', role: 'ward-supply-coordinator' },
      { question: 'who approves a purchase request over 50k', roles: ['ap-clerk'] },
      { question: 'how do i page a floorwalker during go-live', roles: ['service-desk-agent', 'trainer'] },
    ];
    const r = await runCli(['ask', '--data-dir', dataDir], { input: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => answerSchema.parse(JSON.parse(l)));
    expect(out.map((o) => o.question)).toEqual(lines.map((l) => l.question));
    expect(out[1]?.roles).toEqual(['ap-clerk']);
    // The AP clerk cannot read the purchasing thresholds SOP: nothing from it may come back.
    expect(out[1]?.citations.map((c) => c.source)).not.toContain(
      'Purchasing/purchase-requests-approval-thresholds.md',
    );
    expect(out[2]?.roles).toEqual(['service-desk-agent', 'trainer']);
  });
});

import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeChatServer } from '../../evals/testing/fake-chat-server.js';
import { describeError } from '../errors.js';
import { registerEval } from './eval.js';

// Whole suites through the real core on a shared 2-core machine: slow is not a failure here (latency is measured,
// not asserted; performance lives in `npm run bench`).
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

let dir: string;

const cases = [
  {
    id: 'pay-1',
    question: 'how do I register a payment for a vendor bill',
    role: 'clerk',
    expect: 'answer',
    expected_sources: ['Finance/payments.md'],
  },
  {
    id: 'count-1',
    question: 'how do I run a cycle count of the ward stock room',
    role: 'nurse',
    expect: 'answer',
    expected_sources: ['Inventory/cycle-counts.md'],
  },
  {
    id: 'forb-1',
    question: 'how do I register a payment for a vendor bill',
    role: 'nurse',
    expect: 'refuse',
    forbidden_sources: ['Finance/payments.md'],
  },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sop-eval-cli-'));
  await mkdir(join(dir, 'corpus', 'Finance'), { recursive: true });
  await mkdir(join(dir, 'corpus', 'Inventory'), { recursive: true });
  await writeFile(
    join(dir, 'corpus', 'access.yml'),
    'roles:\n  clerk: ["Finance/**"]\n  nurse: ["Inventory/**"]\n',
  );
  await writeFile(
    join(dir, 'corpus', 'Finance', 'payments.md'),
    '# Vendor bill payments\n\n## Register a payment\n\n1. Open the vendor bill.\n2. Click Register Payment.\n' +
      '3. Choose the bank journal and confirm the payment date.\n',
  );
  await writeFile(
    join(dir, 'corpus', 'Inventory', 'cycle-counts.md'),
    '# Cycle counts\n\n## Run a cycle count\n\n1. Open Inventory › Physical Inventory.\n' +
      '2. Count each bin in the ward stock room.\n3. Apply the counted quantities.\n',
  );
  await writeFile(join(dir, 'mini.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n'));
  await writeFile(join(dir, 'lenient.yml'), 'datasets:\n  mini:\n    forbidden_citations: { max: 0 }\n');
  await writeFile(join(dir, 'strict.yml'), 'datasets:\n  mini:\n    cases: { min: 4 }\n');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

async function runEval(args: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const program = new Command().exitOverride();
  registerEval(program);
  await program.parseAsync(['node', 'sop-assistant', 'eval', ...args]);
  return { stdout, exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined };
}

describe('sop-assistant eval', () => {
  it('runs a dataset over a folder with the LLM judge, prints JSON, writes the report and the baseline', async () => {
    const llm = await startFakeChatServer(
      '{"claims":[{"claim":"Click Register Payment","supported":true}],"relevance":5}',
    );
    vi.stubEnv('LLM_MODEL', 'judge-model');
    vi.stubEnv('OPENAI_BASE_URL', llm.baseUrl);
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    const { stdout, exitCode } = await runEval([
      '--dataset',
      join(dir, 'mini.jsonl'),
      '--folder',
      join(dir, 'corpus'),
      '--thresholds',
      join(dir, 'lenient.yml'),
      '--baseline-dir',
      join(dir, 'baseline'),
      '--report',
      join(dir, 'mini.md'),
      '--update-baseline',
      '--json',
    ]).finally(() => llm.close());
    const result = JSON.parse(stdout) as {
      passed: boolean;
      suites: {
        dataset: string;
        metrics: { cases: number; forbidden_citations: number };
        cases: { answered: boolean }[];
        llmJudge: { status: string; judged: number; faithfulness: number | null; model: string };
      }[];
    };
    expect(exitCode).toBeUndefined();
    expect(result.passed).toBe(true);
    expect(result.suites[0]).toMatchObject({
      dataset: 'mini',
      metrics: { cases: 3, forbidden_citations: 0 },
    });
    expect(result.suites[0]?.cases).toHaveLength(3);
    // Every answered case was judged once, through the chat completions endpoint.
    const answered = result.suites[0]!.cases.filter((c) => c.answered).length;
    expect(answered).toBeGreaterThan(0);
    expect(result.suites[0]?.llmJudge).toMatchObject({
      status: 'ran',
      model: 'judge-model',
      judged: answered,
    });
    expect(llm.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(answered);
    expect(await readFile(join(dir, 'mini.md'), 'utf8')).toMatch(/^# Eval report: mini\n/);
    const baseline = JSON.parse(await readFile(join(dir, 'baseline', 'mini.json'), 'utf8'));
    expect(baseline).toMatchObject({ dataset: 'mini', metrics: { cases: 3 } });
  });

  it('exits 1 when a threshold is missed, shows the change against the baseline, skips the judge without an LLM', async () => {
    vi.stubEnv('LLM_MODEL', '');
    const { stdout, exitCode } = await runEval([
      '--dataset',
      join(dir, 'mini.jsonl'),
      '--folder',
      join(dir, 'corpus'),
      '--thresholds',
      join(dir, 'strict.yml'),
      '--baseline-dir',
      join(dir, 'baseline'),
      '--report',
      join(dir, 'strict.md'),
    ]);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/GATE FAILED: cases 3 \(needs ≥ 4\)/);
    expect(stdout).toContain('vs baseline: 0 newly failing');
    expect(stdout).toContain('LLM-judged metrics skipped: no LLM configured');
    expect(await readFile(join(dir, 'strict.md'), 'utf8')).toContain('LLM-judged metrics skipped');
  });

  it('reports a bad dataset line with its line number as a usage error', async () => {
    await writeFile(join(dir, 'broken.jsonl'), `${JSON.stringify(cases[0])}\n{"id": "x", "question": "q"}\n`);
    const error = await runEval([
      '--dataset',
      join(dir, 'broken.jsonl'),
      '--folder',
      join(dir, 'corpus'),
    ]).catch((e: unknown) => e);
    const friendly = describeError(error);
    expect(friendly.exitCode).toBe(2);
    expect(friendly.message).toMatch(/broken\.jsonl:2: role: /);
  });

  it('needs --dataset or --all', async () => {
    const error = await runEval([]).catch((e: unknown) => e);
    expect(describeError(error)).toMatchObject({
      exitCode: 2,
      message: 'give --dataset FILE.jsonl or --all',
    });
  });
});

/**
 * The eval dataset line format (DESIGN.md "Eval dataset line") and its loader. Every line is validated with zod so a
 * typo in a hand-written case (`expected_source`, a missing role) is reported with its line number instead of quietly
 * scoring as a miss.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

export const evalCaseSchema = z.strictObject({
  id: nonEmpty,
  question: nonEmpty,
  role: nonEmpty,
  expect: z.enum(['answer', 'refuse']),
  expected_sources: z.array(nonEmpty).default([]),
  forbidden_sources: z.array(nonEmpty).default([]),
  must_include_any: z.array(nonEmpty).default([]),
  // Optional labels a dataset author may add for slicing the report (e.g. "typo", "adversarial").
  tags: z.array(nonEmpty).optional(),
  note: z.string().optional(),
});

export type EvalCase = z.infer<typeof evalCaseSchema>;

/** A bad dataset: names the file and line so the author can fix it. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(line === null ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
  }
}

/** Kind of case, derived from the line: a refusal with forbidden sources is an access-control ("forbidden") case. */
export type CaseKind = 'answerable' | 'unanswerable' | 'forbidden';

export function caseKind(c: EvalCase): CaseKind {
  if (c.expect === 'answer') return 'answerable';
  return c.forbidden_sources.length > 0 ? 'forbidden' : 'unanswerable';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'line';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses JSONL text; blank lines and lines starting with `//` are skipped. */
export function parseDataset(text: string, file = 'dataset'): EvalCase[] {
  const cases: EvalCase[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new DatasetError(file, lineNo, `not valid JSON (${(err as Error).message})`);
    }
    const parsed = evalCaseSchema.safeParse(json);
    if (!parsed.success) throw new DatasetError(file, lineNo, describeIssues(parsed.error));
    const c = parsed.data;
    if (c.expect === 'answer' && c.expected_sources.length === 0) {
      throw new DatasetError(file, lineNo, `case "${c.id}" expects an answer but lists no expected_sources`);
    }
    const clash = c.expected_sources.find((s) => c.forbidden_sources.includes(s));
    if (clash)
      throw new DatasetError(file, lineNo, `case "${c.id}" lists "${clash}" as both expected and forbidden`);
    const previous = seen.get(c.id);
    if (previous !== undefined) {
      throw new DatasetError(file, lineNo, `duplicate id "${c.id}" (first used on line ${previous})`);
    }
    seen.set(c.id, lineNo);
    cases.push(c);
  });
  if (cases.length === 0) throw new DatasetError(file, null, 'no cases');
  return cases;
}

export async function loadDataset(path: string): Promise<EvalCase[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DatasetError(path, null, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseDataset(text, path);
}

/** `evals/datasets/odoo-docs.jsonl` → `odoo-docs`: the key into suites.yml, thresholds.yml and the baseline. */
export function datasetName(path: string): string {
  return basename(path).replace(/\.jsonl$/i, '');
}

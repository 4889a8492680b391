/**
 * `evals/suites.yml`: the corpus (folder + access.yml) each dataset is evaluated against. A dataset without a suite
 * cannot be scored — the metrics need to know which documents exist and which role may read them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The repository root (this file lives in `<root>/evals/`). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const evalsDir = join(repoRoot, 'evals');
export const defaultSuitesFile = join(evalsDir, 'suites.yml');
export const defaultThresholdsFile = join(evalsDir, 'thresholds.yml');
export const defaultBaselineDir = join(evalsDir, 'baseline');
export const defaultReportsDir = join(evalsDir, 'reports');

const suiteSchema = z.strictObject({
  dataset: z.string().min(1),
  folder: z.string().min(1),
  access: z.string().min(1).optional(),
});

const suitesFileSchema = z.strictObject({ suites: z.record(z.string().min(1), suiteSchema) });

export interface Suite {
  name: string;
  /** Absolute paths. */
  dataset: string;
  folder: string;
  access: string;
}

export class SuitesFileError extends Error {
  override readonly name = 'SuitesFileError';
}

export function parseSuites(text: string, root = repoRoot, file = 'suites.yml'): Suite[] {
  const parsed = suitesFileSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SuitesFileError(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return Object.entries(parsed.data.suites).map(([name, s]) => {
    const folder = resolve(root, s.folder);
    return {
      name,
      dataset: resolve(root, s.dataset),
      folder,
      access: s.access ? resolve(root, s.access) : join(folder, 'access.yml'),
    };
  });
}

export async function loadSuites(file = defaultSuitesFile, root = repoRoot): Promise<Suite[]> {
  return parseSuites(await readFile(file, 'utf8'), root, file);
}

export function findSuite(suites: readonly Suite[], name: string, file = 'evals/suites.yml'): Suite {
  const suite = suites.find((s) => s.name === name);
  if (!suite) {
    throw new SuitesFileError(
      `no suite named "${name}" in ${file} (known: ${suites.map((s) => s.name).join(', ')}); ` +
        'add one, or pass --folder and --access',
    );
  }
  return suite;
}

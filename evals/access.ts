/**
 * An independent access oracle for the evals: reads the same `access.yml` the folder source uses (role → folder globs)
 * and answers "may this role read this source path?". It deliberately does not reuse the ingestion code, so a bug in
 * ACL capture or in the retrieval SQL shows up as a forbidden citation here instead of being trusted twice.
 */
import { readFile } from 'node:fs/promises';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const accessFileSchema = z.looseObject({
  roles: z.record(z.string().min(1), z.array(z.string().min(1))),
});

export interface AccessOracle {
  /** True when `role` may read the document at folder-relative `source`. Unknown roles read nothing. */
  canRead(role: string, source: string): boolean;
  readonly roles: string[];
}

export class AccessFileError extends Error {
  override readonly name = 'AccessFileError';
}

export function accessOracleFromYaml(text: string, file = 'access.yml'): AccessOracle {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new AccessFileError(`${file}: not valid YAML (${(err as Error).message})`);
  }
  const parsed = accessFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new AccessFileError(
      `${file}: expected "roles: { <role>: [<glob>, …] }" (${parsed.error.issues[0]?.message})`,
    );
  }
  const matchers = new Map<string, (path: string) => boolean>();
  for (const [role, globs] of Object.entries(parsed.data.roles)) {
    matchers.set(role, picomatch(globs, { dot: true }));
  }
  return {
    roles: [...matchers.keys()],
    canRead(role, source) {
      const match = matchers.get(role);
      return match ? match(source.replace(/^\.?\//, '')) : false;
    },
  };
}

export async function loadAccessOracle(path: string): Promise<AccessOracle> {
  return accessOracleFromYaml(await readFile(path, 'utf8'), path);
}

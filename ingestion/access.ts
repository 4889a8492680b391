/**
 * `access.yml` for folder sources: role → folder globs that role may read. A document's ACL is the set of
 * `role:<name>` principals whose globs match its folder-relative path; a document no role matches gets an empty
 * ACL and is readable by no one (default-deny). Globs use picomatch (`Inventory/**`, `**`, `HR/*.pdf`).
 */
import { readFile } from 'node:fs/promises';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const roleName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'role names are letters, digits, "-", "_" or "."');

export const accessFileSchema = z.object({
  roles: z.record(roleName, z.array(z.string().min(1)).min(1, 'list at least one glob')),
});

export type AccessFile = z.infer<typeof accessFileSchema>;

/** The access file is missing or malformed; the message names the file and the problem. */
export class AccessFileError extends Error {
  override readonly name = 'AccessFileError';
}

export interface AccessPolicy {
  /** Role names in the file, in file order. */
  readonly roles: readonly string[];
  /** `role:<name>` principals that may read a folder-relative path (sorted; empty = nobody). */
  aclFor(relativePath: string): string[];
}

export function accessPolicy(file: AccessFile): AccessPolicy {
  const matchers = Object.entries(file.roles).map(([role, globs]) => ({
    principal: `role:${role}`,
    match: picomatch(globs, { dot: true }),
  }));
  return {
    roles: Object.keys(file.roles),
    aclFor(relativePath) {
      const path = relativePath.replace(/\\/g, '/');
      return matchers
        .filter((m) => m.match(path))
        .map((m) => m.principal)
        .sort();
    },
  };
}

export function parseAccessFile(text: string, origin = 'access.yml'): AccessPolicy {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new AccessFileError(`${origin} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = accessFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new AccessFileError(
      `${origin} should look like "roles: { ward-supply-coordinator: ['Inventory/**'] }" — ${problems.join('; ')}`,
    );
  }
  return accessPolicy(parsed.data);
}

export async function loadAccessFile(path: string): Promise<AccessPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AccessFileError(
      `Cannot read the access file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseAccessFile(text, path);
}

/**
 * The super users to notify when someone clicks "Still need help?": a YAML/JSON file (SUPER_USERS_FILE) listing, per
 * person, the roles (departments) they cover and how to reach them on each platform. Data, not code, so IT can change
 * who is on call without a release.
 *
 * ```yaml
 * superUsers:
 *   - name: Pat Pharmacist
 *     roles: [pharmacy-support]
 *     slack: U0PHARM1
 *   - name: Sam Supervisor
 *     roles: ["*"]          # covers every department
 *     slack: U0SUPER1
 *     teams: 8d2c1e4f-0a4b-4c5d-9e6f-7a8b9c0d1e2f   # Teams user id (29:…) or Entra object id
 *     email: sam@hospital.example
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const SuperUserSchema = z.object({
  name: z.string().min(1),
  roles: z.array(z.string().min(1)).min(1),
  slack: z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U0123ABC').optional(),
  teams: z.string().optional(),
  email: z.email().optional(),
});
const SuperUsersFileSchema = z.object({ superUsers: z.array(SuperUserSchema) });

export type SuperUser = z.infer<typeof SuperUserSchema>;

export class SuperUsersFileError extends Error {
  override readonly name = 'SuperUsersFileError';
}

export function parseSuperUsers(text: string, file = 'SUPER_USERS_FILE'): SuperUser[] {
  const parsed = SuperUsersFileSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new SuperUsersFileError(`${file}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.superUsers;
}

export async function loadSuperUsers(file: string | undefined): Promise<SuperUser[]> {
  if (!file) return [];
  return parseSuperUsers(await readFile(file, 'utf8'), file);
}

/** Super users covering any of the asker's roles; `*` covers everyone. */
export function superUsersFor(all: readonly SuperUser[], roles: readonly string[]): SuperUser[] {
  return all.filter((u) => u.roles.includes('*') || u.roles.some((r) => roles.includes(r)));
}

/**
 * Configuration is read once at start, validated, and passed down; nothing below `app/` reads `process.env`.
 */
import { existsSync } from 'node:fs';
import { config as loadDotenvFile } from 'dotenv';
import { configSchema, secretVariables, type Config } from './schema.js';
import { ConfigError } from './errors.js';

export type { Config } from './schema.js';
export { ConfigError } from './errors.js';

/** Validates `env`; throws `ConfigError` naming the first bad variable(s) and what each expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '?');
    const raw = cleaned[variable];
    const got =
      raw === undefined ? '' : secretVariables.has(variable) ? ' (value hidden)' : ` (got "${raw}")`;
    return { variable, text: `${variable}: ${issue.message}${got}` };
  });
  throw new ConfigError(
    `Invalid configuration — ${problems.map((p) => p.text).join('; ')}`,
    problems[0]?.variable,
  );
}

/**
 * Loads `.env` from the working directory into `process.env` outside production. Real environment variables win
 * over the file, so a deployment can always override it.
 */
export function loadDotenv(env: NodeJS.ProcessEnv = process.env, path = '.env'): void {
  if (env.NODE_ENV === 'production' || !existsSync(path)) return;
  loadDotenvFile({ path, quiet: true, processEnv: env as Record<string, string> });
}

/** The byte limit for one file, from `MAX_FILE_MB`. */
export function maxFileBytes(config: Pick<Config, 'MAX_FILE_MB'>): number {
  return config.MAX_FILE_MB * 1024 * 1024;
}

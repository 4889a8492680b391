/**
 * The one schema over the environment. Keys are the environment variable names, so adding a setting is one line
 * here (and one line in `.env.example` and the README table). Empty strings count as "not set" because `.env`
 * files and compose files often carry `FOO=` placeholders.
 */
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();
const url = z.url({ message: 'must be a URL such as http://localhost:8069' });
const positiveInt = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int('must be a whole number')
    .positive('must be > 0');

export const configSchema = z.object({
  // --- core / storage ---
  SOP_DATA_DIR: z.string().trim().min(1).default('./.sop-assistant'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  /** Embedded database's buffer pool in MB; unset = sized to the database on disk (128–1024, store/shared-buffers.ts). */
  PGLITE_SHARED_BUFFERS_MB: positiveInt('PGLITE_SHARED_BUFFERS_MB')
    .min(16, 'must be at least 16')
    .max(2048, 'must be at most 2048 (PGlite has a 4 GB address space)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3978),

  // --- embeddings and LLM ---
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai']).default('local'),
  LOCAL_EMBEDDER: z.enum(['hash', 'wink', 'hash+wink']).default('hash'),
  /** Width of the `hash` vectors (alone or inside `hash+wink`); changing it means `sop-assistant reindex`. */
  HASH_DIMENSIONS: z.coerce.number().int().min(64).max(2000).default(512),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_API_KEY: optionalText,
  EMBEDDINGS_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),
  LLM_MODEL: optionalText,

  // --- ingestion ---
  MAX_FILE_MB: positiveInt('MAX_FILE_MB').default(50),
  ACCESS_FILE: optionalText,

  // --- Odoo ---
  ODOO_URL: url.optional(),
  ODOO_DB: optionalText,
  ODOO_USER: optionalText,
  ODOO_API_KEY: optionalText,
  ODOO_PROTOCOL: z.enum(['auto', 'json2', 'jsonrpc', 'xmlrpc']).default('auto'),
  SYNC_INTERVAL_MINUTES: z.coerce.number().min(0).default(0),

  // --- answering ---
  ANSWER_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),

  // --- chat surfaces ---
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: url.optional(),
  /** Comma-separated Slack channel ids whose answers are private (ephemeral, asker's own access). */
  SLACK_PRIVATE_CHANNELS: optionalText,
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MICROSOFT_APP_TENANT_ID: optionalText,
  SUPER_USERS_FILE: optionalText,
});

export type Config = z.infer<typeof configSchema>;

/** Variables whose values must never be echoed back in an error message. */
export const secretVariables: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'OPENAI_API_KEY',
  'ODOO_API_KEY',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MICROSOFT_APP_PASSWORD',
]);

/** `ingest --folder DIR [--access FILE] [--json]`: index a folder tree of SOPs, incrementally. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { AccessPolicy } from '../../ingestion/index.js';
import { maxFileBytes, type Config } from '../config/index.js';
import { openContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../logger.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';
import { printIngestReport, progressReporter } from './ingest-output.js';

const optionsSchema = z.object({
  folder: z.string().min(1),
  access: z.string().min(1).optional(),
  json: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
});

/**
 * Which access file applies: `--access`, else ACCESS_FILE, else `access.yml` at the folder's root. Without one,
 * every document is readable by no one (default-deny) — said loudly.
 */
export async function resolveAccess(
  folder: string,
  flag: string | undefined,
  config: Config,
  logger: Logger,
): Promise<AccessPolicy | null> {
  const { loadAccessFile } = await import('../../ingestion/index.js');
  const candidate =
    flag ??
    config.ACCESS_FILE ??
    (existsSync(join(folder, 'access.yml')) ? join(folder, 'access.yml') : undefined);
  if (!candidate) {
    logger.warn(
      'no access file (--access, ACCESS_FILE or access.yml in the folder): documents are readable by no one',
    );
    return null;
  }
  return loadAccessFile(candidate);
}

export function registerIngest(program: Command): void {
  withDataDir(
    program
      .command('ingest')
      .description('index a folder tree of SOPs (md, txt, html, pdf, docx); re-runs only index what changed')
      .requiredOption('--folder <dir>', 'the folder to index')
      .option('--access <file>', 'access.yml mapping roles to folder globs (env ACCESS_FILE)')
      .option('--json', 'print one JSON summary object on stdout'),
  ).action(async (raw: unknown) => {
    // Loaded on use, so other commands (and --help) do not pay for the parsers.
    const { FolderSource, listDocumentFiles, runIngest } = await import('../../ingestion/index.js');
    const options = optionsSchema.parse(raw);
    const config = commandConfig(options);
    const logger = commandLogger(config);
    const root = resolve(options.folder);
    if (!existsSync(root) || !statSync(root).isDirectory())
      throw new UsageError(`--folder ${options.folder} is not a directory`);
    const access = await resolveAccess(root, options.access, config, logger);

    const ctx = await openContext(config, { logger });
    try {
      const maxBytes = maxFileBytes(config);
      const total = (await listDocumentFiles(root)).length;
      const progress = progressReporter(total);
      const report = await runIngest({
        store: ctx.store,
        embedder: ctx.embedder,
        source: new FolderSource({ root, access, maxBytes }),
        logger,
        total,
        maxBytes,
        onProgress: progress.onProgress,
      }).finally(() => progress.stop());
      printIngestReport(report, { json: options.json, what: `ingest ${options.folder}` });
    } finally {
      await ctx.close();
    }
  });
}

/** `sync [--json] [--no-reconcile]`: index Odoo Documents incrementally (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY). */
import type { Command } from 'commander';
import { z } from 'zod';
import { runOdooSync } from '../../ingestion/sync.js';
import { connectOdoo } from '../../odoo/client.js';
import type { OdooClient, OdooClientOptions } from '../../odoo/client.js';
import { maxFileBytes, type Config } from '../config/index.js';
import { openContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../logger.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';
import { printIngestReport, progressReporter } from './ingest-output.js';

const optionsSchema = z.object({
  json: z.boolean().default(false),
  reconcile: z.boolean().default(true),
  dataDir: z.string().min(1).optional(),
});

/** Connection options from the configuration; a usage error names what is missing. */
export function odooConnectionOptions(config: Config, logger?: Logger): OdooClientOptions {
  const missing = (['ODOO_URL', 'ODOO_DB', 'ODOO_USER', 'ODOO_API_KEY'] as const).filter((k) => !config[k]);
  if (missing.length) throw new UsageError(`Odoo is not configured: set ${missing.join(', ')} (README: "sync and the Odoo simulator")`);
  return {
    url: config.ODOO_URL!,
    db: config.ODOO_DB!,
    login: config.ODOO_USER!,
    apiKey: config.ODOO_API_KEY!,
    protocol: config.ODOO_PROTOCOL,
    ...(logger ? { logger } : {}),
  };
}

export async function connectOdooFromConfig(config: Config, logger?: Logger): Promise<OdooClient> {
  return connectOdoo(odooConnectionOptions(config, logger));
}

export function registerSync(program: Command): void {
  withDataDir(
    program
      .command('sync')
      .description('index SOPs from Odoo Documents; re-runs fetch only what changed (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY)')
      .option('--json', 'print one JSON summary object on stdout')
      .option('--no-reconcile', 'skip the full deletion/access diff (changes only)'),
  ).action(async (raw: unknown) => {
    const options = optionsSchema.parse(raw);
    const config = commandConfig(options);
    const logger = commandLogger(config);
    const client = await connectOdooFromConfig(config, logger);
    const ctx = await openContext(config, { logger });
    try {
      const progress = progressReporter(undefined);
      const report = await runOdooSync({
        store: ctx.store,
        embedder: ctx.embedder,
        client,
        logger,
        reconcile: options.reconcile,
        maxBytes: maxFileBytes(config),
        onProgress: progress.onProgress,
      }).finally(() => progress.stop());
      printIngestReport(report, { json: options.json, what: `sync ${client.url} (${client.db}, Odoo ${client.version.serverVersion} over ${client.protocol})` });
    } finally {
      await ctx.close();
    }
  });
}

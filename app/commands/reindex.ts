/** `reindex [--json]`: re-embed every stored chunk with the configured embedder, without re-parsing any file. */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { openContext } from '../context.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';

const optionsSchema = z.object({ json: z.boolean().default(false), dataDir: z.string().min(1).optional() });

export function registerReindex(program: Command): void {
  withDataDir(
    program
      .command('reindex')
      .description(
        're-embed all stored chunks with the configured embedder (after changing EMBEDDINGS_PROVIDER)',
      )
      .option('--json', 'print one JSON summary object on stdout'),
  ).action(async (raw: unknown) => {
    const { runReindex } = await import('../../ingestion/index.js');
    const options = optionsSchema.parse(raw);
    const config = commandConfig(options);
    const logger = commandLogger(config);
    const ctx = await openContext(config, { logger, embedder: 'unbound' });
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({
          stream: process.stderr,
          format: 'reindexing {bar} {value}/{total} chunks',
        })
      : undefined;
    try {
      let started = false;
      const report = await runReindex({
        store: ctx.store,
        embedder: ctx.embedder,
        logger,
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        },
      }).finally(() => bar?.stop());
      process.stdout.write(
        options.json
          ? `${JSON.stringify(report)}\n`
          : `reindexed ${report.chunks} chunks with ${report.to} (${report.dimensions} dimensions, was ${report.from ?? 'none'}) in ${report.seconds.toFixed(1)} s\n`,
      );
    } finally {
      await ctx.close();
    }
  });
}

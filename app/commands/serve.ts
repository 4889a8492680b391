/**
 * `serve [--port N] [--demo]`: the one HTTP server — web chat at /, Slack at /slack/events (when SLACK_* is set),
 * /healthz, /readyz, /metrics. `--demo` (and `--demo-if-unconfigured` with no ODOO_URL, which `npm start` uses)
 * indexes the shipped demo hospital into its own data directory first. SIGTERM/SIGINT finish answers in flight, then
 * close the store.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { demoConfig, startSopServer } from '../server-app.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  demo: z.boolean().default(false),
  demoIfUnconfigured: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
});

const say = (line: string) => process.stdout.write(`${line}\n`);

export function registerServe(program: Command): void {
  withDataDir(
    program
      .command('serve')
      .description('run the HTTP server: web chat, Slack, /healthz, /readyz, /metrics')
      .option('--port <n>', 'port to listen on (env PORT, default 3978)')
      .option('--host <host>', 'interface to bind (default: all)')
      .option('--demo', 'index the demo hospital library first and serve it')
      .option('--demo-if-unconfigured', 'behave as --demo when no Odoo is configured (npm start)'),
  ).action(async (raw: unknown) => {
    const options = optionsSchema.parse(raw);
    const base = commandConfig(options);
    const demo = options.demo || (options.demoIfUnconfigured && !base.ODOO_URL);
    if (demo && !options.demo) say('No Odoo configured (ODOO_URL is empty): starting in demo mode.');
    const config = demo ? demoConfig(base, Boolean(options.dataDir)) : base;
    const logger = commandLogger(config);
    const running = await startSopServer({
      config,
      logger,
      demo,
      port: options.port ?? config.PORT,
      say,
      ...(options.host ? { host: options.host } : {}),
    });
    say('Press Ctrl+C to stop.');
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal }, 'shutting down: finishing answers in flight');
    await running.close();
    say('Stopped.');
  });
}

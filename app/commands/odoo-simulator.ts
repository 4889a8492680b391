/**
 * `odoo-simulator [--port N] [--version 17|18|19] [--json]`: a local Odoo with the demo hospital, for demos and
 * trying `sync` / `ask --user` without a real server. With `--json` the first stdout line is the connection info
 * of DESIGN.md; the process then serves until interrupted.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { startSimulator } from '../../odoo/simulator/index.js';
import { UsageError } from '../errors.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8069),
  version: z.enum(['17', '18', '19']).default('18'),
  host: z.string().default('127.0.0.1'),
  library: z.string().min(1).optional(),
  json: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
});

export function registerOdooSimulator(program: Command): void {
  withDataDir(
    program
      .command('odoo-simulator')
      .description('run a local Odoo simulator (JSON-RPC, XML-RPC, JSON-2) seeded with the demo hospital')
      .option('--port <n>', 'port to listen on (0 = any free port)', '8069')
      .option('--version <v>', 'Odoo shapes to simulate: 17, 18 or 19', '18')
      .option('--host <host>', 'interface to bind', '127.0.0.1')
      .option('--library <dir>', 'SOP library with access.yml to load (default data/demo-hospital)')
      .option('--json', 'print the connection info as one JSON line first'),
  ).action(async (raw: unknown) => {
    const parsed = optionsSchema.safeParse(raw);
    if (!parsed.success) throw new UsageError(`odoo-simulator: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const options = parsed.data;
    const config = commandConfig(options);
    const logger = commandLogger(config);
    const sim = await startSimulator({
      port: options.port,
      host: options.host,
      version: Number(options.version) as 17 | 18 | 19,
      seed: options.library ? { libraryDir: options.library } : 'demo-hospital',
      logger,
    });
    const info = sim.info();
    if (options.json) process.stdout.write(`${JSON.stringify(info)}\n`);
    else {
      process.stdout.write(
        `Odoo ${info.version} simulator on ${info.url} (database ${info.db})\n` +
          `admin: ${info.admin.login} / API key ${info.admin.api_key}\n` +
          `sync with: ODOO_URL=${info.url} ODOO_DB=${info.db} ODOO_USER=${info.admin.login} ODOO_API_KEY=${info.admin.api_key} sop-assistant sync\n` +
          info.users.map((u) => `  ${u.email.padEnd(38)} ${u.roles.join(', ') || '(portal)'}`).join('\n') +
          '\n',
      );
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void sim.stop().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  });
}

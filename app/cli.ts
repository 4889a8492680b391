/**
 * The command registry. Each command lives in `app/commands/<name>.ts` and exports `register<Name>(program)`;
 * adding a command is one import and one line below. Every command takes `--data-dir` (see `withDataDir`).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAsk } from './commands/ask.js';
import { registerEval } from './commands/eval.js';
import { registerIngest } from './commands/ingest.js';
import { registerOdooSimulator } from './commands/odoo-simulator.js';
import { registerReindex } from './commands/reindex.js';
import { registerServe } from './commands/serve.js';
import { registerSync } from './commands/sync.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('sop-assistant')
    .description('SOP Assistant for Odoo: role-scoped, cited answers from your SOPs')
    .version(packageVersion())
    .showHelpAfterError()
    // Program options (--version) only before the command, so `odoo-simulator --version 19` reaches the command.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  registerIngest(program);
  registerAsk(program);
  registerReindex(program);
  registerEval(program);
  registerServe(program);
  registerSync(program);
  registerOdooSimulator(program);

  return program;
}

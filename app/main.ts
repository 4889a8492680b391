/**
 * CLI entry (`sop-assistant`, `npm run cli -- …`). Loads `.env` in development, runs the command, and turns typed
 * errors into one friendly line on stderr and an exit code (see `app/errors.ts`). Stdout is left to the commands.
 */
import { loadDotenv } from './config/index.js';
import { buildProgram } from './cli.js';
import { describeError } from './errors.js';

async function main(argv: string[]): Promise<number> {
  loadDotenv();
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const friendly = describeError(error);
    process.stderr.write(`sop-assistant: ${friendly.message}\n`);
    if (!friendly.expected && (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace')) {
      process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    }
    return friendly.exitCode;
  }
}

process.exitCode = await main(process.argv);

/**
 * `ask [--role R]... [--user EMAIL] [--json] [QUESTION]` — one question from the terminal, or, with no QUESTION,
 * JSON lines on stdin (`{"question", "role" | "roles", "user"}`) answered one line each, in order, in one process so
 * a batch pays start-up (store, embedder) once. Identity: `--role` gives `role:<r>` principals; `--user` resolves the
 * person through Odoo (groups, partner, mapped roles); neither = an unknown person, who may read only `public`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { createAssistant } from '../../assistant/index.js';
import type { Assistant } from '../../assistant/index.js';
import {
  PUBLIC_PRINCIPAL,
  createOdooIdentityResolver,
  odooGroupRolesFromAccessYaml,
  principalsForRoles,
} from '../../assistant/identity.js';
import type { IdentityResolver } from '../../assistant/identity.js';
import type { Asker } from '../../assistant/reply.js';
import { answerJson } from '../../bot/cli/answer-json.js';
import { runAskBatch } from '../../bot/cli/batch.js';
import { renderReplyForTerminal } from '../../bot/cli/render.js';
import { connectOdoo } from '../../odoo/client.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../config/errors.js';
import { openContext } from '../context.js';
import type { Logger } from '../logger.js';
import { commandConfig, commandLogger, withDataDir } from './options.js';

const optionsSchema = z.object({
  role: z.array(z.string().trim().min(1)).default([]),
  user: z.string().trim().min(1).optional(),
  json: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
});

interface Who {
  roles: string[];
  user?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The same identity as the server: Odoo groups become training roles through `odoo_groups` in ACCESS_FILE, so a
 * refusal from the terminal names the same role as one in Slack, Teams or the web chat.
 */
async function odooResolver(config: Config, logger: Logger): Promise<IdentityResolver> {
  const { ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY } = config;
  if (!ODOO_URL || !ODOO_DB || !ODOO_USER || !ODOO_API_KEY) {
    throw new ConfigError('--user needs Odoo: set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY', 'ODOO_URL');
  }
  const groupRoles = config.ACCESS_FILE
    ? odooGroupRolesFromAccessYaml(await readFile(config.ACCESS_FILE, 'utf8'))
    : {};
  return createOdooIdentityResolver({
    groupRoles,
    client: () =>
      connectOdoo({
        url: ODOO_URL,
        db: ODOO_DB,
        login: ODOO_USER,
        apiKey: ODOO_API_KEY,
        protocol: config.ODOO_PROTOCOL,
        logger,
      }),
    logger,
  });
}

/** Builds the asker: role principals, plus the Odoo person's principals when `--user` is given. */
export async function askerFor(who: Who, resolve: () => Promise<IdentityResolver>): Promise<Asker> {
  const principals = new Set(principalsForRoles(who.roles));
  const roles = new Set(who.roles);
  if (who.user) {
    const person = await (await resolve()).resolveAskerByEmail(who.user);
    for (const p of person.principals) principals.add(p);
    for (const r of person.roles) roles.add(r);
  }
  if (principals.size === 0) principals.add(PUBLIC_PRINCIPAL);
  return {
    // The core hashes this before storing it; it never leaves the process in clear.
    id: who.user ? `cli-user:${who.user.toLowerCase()}` : `cli-roles:${[...roles].sort().join(',')}`,
    principals: [...principals].sort(),
    roles: [...roles].sort(),
    surface: 'cli',
    ...(who.user ? { email: who.user } : {}),
  };
}

export function registerAsk(program: Command): void {
  withDataDir(
    program
      .command('ask')
      .description(
        'ask a question as a role (--role, repeatable) or an Odoo user (--user); no QUESTION: JSON lines on stdin',
      )
      .argument('[question...]', 'the question (omit to read JSON lines on stdin)')
      .option('--role <role>', 'a training role from access.yml (repeatable)', collect, [])
      .option('--user <email>', 'ask as this Odoo user (needs ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY)')
      .option('--json', 'print the answer object of DESIGN.md as JSON'),
  ).action(async (words: string[], raw: unknown) => {
    const options = optionsSchema.parse(raw);
    const config = commandConfig(options);
    const logger = commandLogger(config);
    const ctx = await openContext(config, { logger });
    let resolver: Promise<IdentityResolver> | undefined;
    const resolve = () => (resolver ??= odooResolver(config, logger));
    try {
      const assistant: Assistant = createAssistant({
        db: ctx.store.db,
        embedder: ctx.embedder,
        logger,
        ...(config.ANSWER_MIN_CONFIDENCE !== undefined
          ? { minConfidence: config.ANSWER_MIN_CONFIDENCE }
          : {}),
      });
      const question = words.join(' ').trim();
      if (question) {
        const asker = await askerFor({ roles: options.role, user: options.user }, resolve);
        const reply = await assistant.ask(question, asker);
        process.stdout.write(
          options.json
            ? `${JSON.stringify(answerJson(reply, asker.roles))}\n`
            : `${renderReplyForTerminal(reply, { color: Boolean(process.stdout.isTTY) })}\n`,
        );
        return;
      }
      const result = await runAskBatch(process.stdin, process.stdout, async (line) => {
        const roles = line.roles ?? (line.role ? [line.role] : options.role);
        const asker = await askerFor({ roles, user: line.user ?? options.user }, resolve);
        return answerJson(await assistant.ask(line.question, asker), asker.roles);
      });
      logger.debug(result, 'ask batch done');
    } finally {
      await ctx.close();
    }
  });
}

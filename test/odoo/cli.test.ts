/**
 * The Odoo path through the real CLI, as DESIGN.md's contract says: `odoo-simulator --json` prints the connection
 * line first; `sync --json` indexes the demo library from it; `ask --user EMAIL` answers each demo user only from
 * documents Odoo itself lets that user read (asked through the API with the user's own key).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectOdoo } from '../../odoo/client.js';
import { runCli } from '../cli/run-cli.js';

const main = fileURLToPath(new URL('../../app/main.ts', import.meta.url));
const demoAccess = fileURLToPath(new URL('../../data/demo-hospital/access.yml', import.meta.url));

const infoSchema = z
  .object({
    url: z.string().url(),
    db: z.string(),
    version: z.string(),
    admin: z.object({ login: z.string(), password: z.string(), api_key: z.string() }).strict(),
    users: z.array(z.object({ login: z.string(), email: z.string().email(), password: z.string(), api_key: z.string(), roles: z.array(z.string()) }).strict()),
  })
  .strict();

const QUESTIONS = [
  'how do I receive a partial delivery from Stores on the ward?',
  'what do I do when a fridge goes out of the cold chain temperature range?',
  'how do I raise a corrective maintenance request for broken equipment?',
  'what approval thresholds apply to purchase requests?',
  'how do I handle a price variance in the three-way match?',
  'what is the offboarding checklist for a leaver?',
  'how do I publish the shift rota?',
  'what priority should a stock-out in ICU get?',
  'what do we do during Odoo downtime?',
];

// Each CLI run starts tsx and an embedded Postgres; on a loaded 2-core machine that takes a while.
describe('odoo-simulator → sync → ask --user through the CLI', { timeout: 300_000 }, () => {
  let sim: ChildProcessWithoutNullStreams;
  let info: z.infer<typeof infoSchema>;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sop-odoo-cli-'));
    // One process (tsx as an import hook, not the bin wrapper that spawns a child), so stopping it stops the server.
    sim = spawn(process.execPath, ['--import', 'tsx', main, 'odoo-simulator', '--port', '0', '--version', '19', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: sim.stdout }).once('line', resolve);
      sim.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    });
    info = infoSchema.parse(JSON.parse(firstLine));
    env = { ODOO_URL: info.url, ODOO_DB: info.db, ODOO_USER: info.admin.login, ODOO_API_KEY: info.admin.api_key, SOP_DATA_DIR: dataDir };
  });
  afterAll(async () => {
    if (sim && sim.exitCode === null) {
      const exited = new Promise((r) => sim.once('exit', r));
      sim.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the DESIGN.md connection line with one user per demo role', () => {
    expect(info.version).toBe('19.0');
    const roles = info.users.flatMap((u) => u.roles);
    for (const role of ['ward-supply-coordinator', 'pharmacy-support', 'biomedical-technician', 'procurement-officer', 'ap-clerk', 'hr-administrator', 'service-desk-agent', 'trainer', 'super-user']) {
      expect(roles).toContain(role);
    }
  });

  it('syncs the demo library, and a second sync changes nothing', async () => {
    const first = await runCli(['sync', '--json'], { env });
    // The only thing said on stderr: the demo's planted "ignore previous instructions…" line was left out.
    const warnings = first.stderr.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringMatching(/left 1 sentence\(s\) that read like instructions to the assistant out of the index/),
    ]);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['added', 'updated', 'unchanged', 'removed', 'failed', 'failures', 'documents', 'chunks', 'seconds']);
    expect(summary).toMatchObject({ failed: 0, removed: 0 });
    expect(summary['added']).toBe(summary['documents']);
    const again = JSON.parse((await runCli(['sync', '--json'], { env })).stdout) as Record<string, unknown>;
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: summary['documents'] });
  });

  it('answers every demo user only from documents Odoo lets them read', async () => {
    const readable = new Map<string, Set<string>>();
    for (const u of info.users) {
      const client = await connectOdoo({ url: info.url, db: info.db, login: u.login, apiKey: u.api_key });
      const docs = await client.searchRead('documents.document', [], { fields: ['id'] }).catch(() => []);
      readable.set(u.email, new Set(docs.map((d) => `odoo:documents.document/${d.id}`)));
    }
    const lines = info.users.flatMap((u) => QUESTIONS.map((question) => JSON.stringify({ question, user: u.email })));
    // ACCESS_FILE's odoo_groups turn each user's Odoo groups into their training role, as the server does.
    const { code, stdout, stderr } = await runCli(['ask', '--json'], { env: { ...env, ACCESS_FILE: demoAccess }, input: `${lines.join('\n')}\n` });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const answers = stdout.trim().split('\n').map((l) => JSON.parse(l) as { roles: string[]; answered: boolean; answer: string; citations: { source: string; url: string }[] });
    expect(answers).toHaveLength(lines.length);
    let answered = 0;
    answers.forEach((a, i) => {
      const user = info.users[Math.floor(i / QUESTIONS.length)]!;
      expect({ user: user.email, roles: a.roles }).toEqual({ user: user.email, roles: [...user.roles].sort() });
      for (const c of a.citations) {
        expect({ user: user.email, source: c.source, allowed: readable.get(user.email)!.has(c.source) }).toEqual({ user: user.email, source: c.source, allowed: true });
        expect(c.url.startsWith(`${info.url}/`)).toBe(true);
      }
      // A refusal's answer text lists the closest SOPs (links to Odoo documents): each must be readable too.
      for (const m of a.answer.matchAll(/documents\.document\/(\d+)/g)) {
        const source = `odoo:documents.document/${m[1]}`;
        expect({ user: user.email, source, allowed: readable.get(user.email)!.has(source) }).toEqual({ user: user.email, source, allowed: true });
      }
      if (a.answered) answered += 1;
    });
    // The ward supply coordinator gets the receiving SOP; the portal user gets nothing.
    expect(answers[0]!.answered).toBe(true);
    const portalIndex = info.users.findIndex((u) => u.roles.length === 0);
    expect(answers.slice(portalIndex * QUESTIONS.length, (portalIndex + 1) * QUESTIONS.length).every((a) => !a.answered)).toBe(true);
    expect(answered).toBeGreaterThan(QUESTIONS.length);
  });
});

/**
 * Real clients we did not write must work against the simulator: Python's standard `xmlrpc.client` and plain
 * JSON-RPC / JSON-2 HTTP calls, exactly as in Odoo's external API documentation (test/odoo/real_client_check.py).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../odoo/simulator/index.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./real_client_check.py', import.meta.url));

describe.each([17, 18, 19] as const)('Python standard-library clients against the Odoo %s simulator', (version) => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ version, seed: { secrets: 'random', tickets: false } });
  });
  afterAll(() => sim?.stop());

  it('version, authenticate (false on a bad password), execute_kw, faults, JSON-2 401', async () => {
    const admin = sim.seed.admin;
    const { stdout } = await run('python3', [script], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin',
        ODOO_URL: sim.url,
        ODOO_DB: sim.db,
        ODOO_USER: admin.login,
        ODOO_PASSWORD: admin.password,
        ODOO_API_KEY: admin.api_key,
        ODOO_MAJOR: String(version),
      },
    });
    const seen = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(seen['xmlrpc_version']).toBe(`${version}.0`);
    expect(seen['uid']).toBe(admin.uid);
    // Unknown model: a UserError ("Object x doesn't exist") → XML-RPC fault code 2; JSON-RPC keeps the class name.
    expect(seen['xmlrpc_unknown_model_fault']).toEqual({ code: 2, string: "Object no.such.model doesn't exist" });
    expect(seen['jsonrpc_unknown_model_error']).toBe('odoo.exceptions.UserError');
    // A wrong password on execute_kw is AccessDenied → fault code 3.
    expect(seen['xmlrpc_bad_password_fault']).toBe(3);
    if (version >= 19) {
      expect(seen['json2_bad_key']).toEqual({ status: 401, name: 'werkzeug.exceptions.Unauthorized' });
      expect(seen['json2_unknown_model_status']).toBe(404);
    }
  });
});

/**
 * Transient failures are retried with backoff (5xx from a proxy, 429, dropped connections, timeouts); permanent ones
 * (a plain 500, an expired key, access errors) are not, and writes are only retried when they surely never ran.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectOdoo, type OdooClient } from './client.js';
import { OdooAuthError, OdooServerError, OdooUnreachableError } from './errors.js';
import { emptyFaults } from './simulator/server.js';
import { startSimulator, type RunningSimulator } from './simulator/index.js';

describe.each(['jsonrpc', 'xmlrpc', 'json2'] as const)('retries over %s', (protocol) => {
  let sim: RunningSimulator;
  let client: OdooClient;

  beforeAll(async () => {
    sim = await startSimulator({ version: 19, seed: 'empty' });
    client = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key, protocol, retries: 3, retryBaseMs: 1 });
  });
  afterEach(() => Object.assign(sim.faults, emptyFaults()));
  afterAll(() => sim?.stop());

  it('retries 502/503 from a proxy and succeeds', async () => {
    sim.faults.failNext = { count: 2, status: 503 };
    const before = sim.requests();
    expect(await client.searchCount('res.users', [])).toBeGreaterThan(0);
    expect(sim.requests() - before).toBe(3);
  });

  it('retries 429 Too Many Requests', async () => {
    sim.faults.rateLimitNext = 1;
    expect(await client.searchCount('res.groups', [])).toBeGreaterThan(0);
  });

  it('retries a dropped connection on a read', async () => {
    sim.faults.dropNext = 2;
    expect((await client.searchRead('res.users', [], { fields: ['login'] })).length).toBeGreaterThan(0);
  });

  it('does not retry a write whose connection dropped (it may have run)', async () => {
    sim.faults.dropNext = 1;
    const before = sim.requests();
    await expect(client.create('res.partner', { name: 'Maybe created' })).rejects.toBeInstanceOf(OdooUnreachableError);
    expect(sim.requests() - before).toBe(1);
  });

  it('retries a write refused with 503 (it never ran)', async () => {
    sim.faults.failNext = { count: 1, status: 503 };
    expect(await client.create('res.partner', { name: 'Created once' })).toHaveLength(1);
    expect(await client.searchCount('res.partner', [['name', '=', 'Created once']])).toBe(1);
  });

  it('gives up after the configured attempts', async () => {
    sim.faults.failNext = { count: 10, status: 502 };
    await expect(client.searchCount('res.users', [])).rejects.toSatisfy((e: unknown) => e instanceof OdooServerError && e.transient && e.status === 502);
  });

  it('does not retry a plain 500', async () => {
    sim.faults.failNext = { count: 1, status: 500 };
    const before = sim.requests();
    await expect(client.searchCount('res.users', [])).rejects.toSatisfy((e: unknown) => e instanceof OdooServerError && !e.transient);
    expect(sim.requests() - before).toBe(1);
  });

  it('turns a slow answer into an unreachable error after the timeout', async () => {
    const impatient = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key, protocol, retries: 0, timeoutMs: 50 });
    sim.faults.latencyMs = 400;
    await expect(impatient.searchCount('res.users', [])).rejects.toBeInstanceOf(OdooUnreachableError);
  });
});

describe('per-host concurrency limit', () => {
  it('never has more than the configured number of requests in flight to one host', async () => {
    const sim = await startSimulator({ version: 18, seed: 'empty' });
    try {
      const client = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key, concurrency: 2 });
      sim.faults.latencyMs = 30;
      const counts = await Promise.all(Array.from({ length: 8 }, () => client.searchCount('res.groups', [])));
      expect(new Set(counts).size).toBe(1);
      expect(sim.maxInFlight()).toBeLessThanOrEqual(2);
    } finally {
      await sim.stop();
    }
  });
});

describe('expired API key', () => {
  it('fails with an auth error on every protocol, without retrying', async () => {
    const sim = await startSimulator({ version: 19, seed: 'empty' });
    try {
      const key = sim.seed.admin.api_key;
      const clients = await Promise.all(
        (['json2', 'jsonrpc', 'xmlrpc'] as const).map((protocol) => connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: key, protocol, retryBaseMs: 1 })),
      );
      sim.expireKey(key);
      for (const c of clients) {
        const before = sim.requests();
        await expect(c.searchCount('res.users', [])).rejects.toBeInstanceOf(OdooAuthError);
        expect(sim.requests() - before).toBe(1);
      }
      await expect(connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: key })).rejects.toBeInstanceOf(OdooAuthError);
    } finally {
      await sim.stop();
    }
  });
});

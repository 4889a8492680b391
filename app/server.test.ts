import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../assistant/reply.js';
import type { AssistantPort } from '../bot/shared/assistant-port.js';
import { createWebSurface } from '../bot/web/surface.js';
import { createServer } from './server.js';
import { createServerMetrics } from './server-metrics.js';

/** An assistant whose answers wait until the test releases them. */
function heldAssistant() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  let started: () => void = () => undefined;
  const askStarted = new Promise<void>((r) => (started = r));
  const assistant: AssistantPort = {
    async ask(question, asker) {
      started();
      await released;
      const reply: Reply = {
        question, answered: false, lead: `Not covered for ${asker.roles.join(',')}`, body: '', steps: [], citations: [], related: [],
        confidence: 0, actions: [], scope: { kind: 'personal' }, auditId: 'a1', latencyMs: 1,
      };
      return reply;
    },
    async feedback() {},
  };
  return { assistant, release, askStarted };
}

describe('server shutdown', () => {
  it('finishes an answer in flight before closing, then refuses new connections', async () => {
    const held = heldAssistant();
    const logger = pino({ level: 'silent' });
    const server = createServer({
      assistant: held.assistant,
      logger,
      metrics: createServerMetrics({ defaultMetrics: false }),
      readiness: async () => ({ ready: true, checks: {} }),
      surfaces: [createWebSurface({ logger, people: [{ id: 'p', name: 'P', roles: ['r'], principals: ['role:r'] }] })],
    });
    const { url } = await server.listen(0, '127.0.0.1');
    const answer = fetch(`${url}/api/chat/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId: 'p', question: 'anything' }),
    });
    await held.askStarted;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect(server.assistant.inFlight()).toBe(1);
    expect(closed).toBe(false);
    held.release();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { answered: boolean }).answered).toBe(false);
    await closing;
    expect(server.assistant.inFlight()).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SopServer } from '../../app/server.js';
import { createServerMetrics } from '../../app/server-metrics.js';
import { FakeAssistant } from '../../test/slack/fake-assistant.js';
import { createWebSurface } from './surface.js';

describe('web chat endpoints', () => {
  let server: SopServer;
  let base: string;
  const assistant = new FakeAssistant();

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    server = createServer({
      assistant,
      logger,
      metrics: createServerMetrics({ defaultMetrics: false }),
      readiness: async () => ({ ready: false, checks: { index: { ok: false, detail: 'no chunks' } } }),
      surfaces: [
        createWebSurface({
          logger,
          people: [{ id: 'wendy', name: 'Wendy <Ward>', roles: ['ward-supply-coordinator'], principals: ['role:ward-supply-coordinator'] }],
        }),
      ],
    });
    base = (await server.listen(0, '127.0.0.1')).url;
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the page with escaped people', async () => {
    const res = await fetch(base);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('Wendy &lt;Ward&gt;');
    expect((await fetch(`${base}/static/chat.js`)).status).toBe(200);
  });

  it('answers with rendered citations and keeps thread context', async () => {
    const first = (await (await post('/api/chat/ask', { personId: 'wendy', question: 'partial delivery?' })).json()) as { threadId: string; html: string; auditId: string };
    expect(first.html).toContain('data-source="Inventory/receipts.md"');
    const second = await post('/api/chat/ask', { personId: 'wendy', question: 'and then?', threadId: first.threadId });
    expect(second.status).toBe(200);
    expect(assistant.asks.at(-1)?.conversation?.previousQuestions).toEqual(['partial delivery?']);
    expect(assistant.asks.at(-1)?.asker.surface).toBe('web');

    const fb = await post('/api/chat/feedback', { personId: 'wendy', auditId: first.auditId, helpful: false });
    expect(fb.status).toBe(200);
    expect(assistant.feedbacks.at(-1)).toMatchObject({ auditId: first.auditId, helpful: false });
  });

  it('rejects invalid bodies with 400', async () => {
    expect((await post('/api/chat/ask', { personId: 'wendy', question: '' })).status).toBe(400);
    expect((await post('/api/chat/ask', { personId: 'nobody', question: 'x' })).status).toBe(400);
    expect((await post('/api/chat/feedback', { personId: 'wendy', auditId: 'a', helpful: 'yes' })).status).toBe(400);
    const broken = await fetch(`${base}/api/chat/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(broken.status).toBe(400);
  });

  it('reports health, readiness and metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('sop_answer_duration_seconds_count{surface="web",answered="true"}');
    expect(metrics).toMatch(/sop_http_requests_total\{method="POST",route="\/api\/chat\/ask",status="200"\} \d+/);
  });
});

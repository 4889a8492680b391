/**
 * Prometheus metrics for the HTTP server, on a registry of its own (not prom-client's global one) so that tests and
 * benches can build several servers in one process without "metric already registered" errors.
 * Labels are low-cardinality on purpose: surface (slack|web|teams|…), route template, status class.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServerMetrics } from '../bot/shared/surface.js';

export type { ServerMetrics };

export function createServerMetrics(opts: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'sop_' });
  return {
    registry,
    requests: new Counter({
      name: 'sop_http_requests_total',
      help: 'HTTP requests served, by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    answerSeconds: new Histogram({
      name: 'sop_answer_duration_seconds',
      help: 'Time to produce an answer (retrieval + composition), by surface',
      labelNames: ['surface', 'answered'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'sop_refusals_total',
      help: 'Questions the assistant declined to answer (not covered, low confidence or not permitted), by surface',
      labelNames: ['surface'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'sop_errors_total',
      help: 'Failures while answering or handling a surface event, by surface',
      labelNames: ['surface'],
      registers: [registry],
    }),
  };
}

/**
 * The one HTTP server. It owns only what every deployment needs — request metrics, /healthz, /readyz, /metrics and a
 * graceful shutdown — and lets each chat surface (Slack, web, later Teams) mount its own routes and body parsers.
 * Nothing parses bodies globally: Bolt must see the raw bytes to verify Slack's signature.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { AssistantPort } from '../bot/shared/assistant-port.js';
import type { Surface, SurfaceContext } from '../bot/shared/surface.js';
import { createServerMetrics, type ServerMetrics } from './server-metrics.js';
import { trackAssistant, type TrackedAssistant } from './server-tracking.js';

export type { Surface, SurfaceContext } from '../bot/shared/surface.js';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface ServerOptions {
  assistant: AssistantPort;
  surfaces: Surface[];
  logger: Logger;
  /** Store reachable, index not empty, … — supplied by the composition root. */
  readiness: () => Promise<ReadinessReport>;
  metrics?: ServerMetrics;
  /** How long a shutdown waits for answers in flight. */
  drainTimeoutMs?: number;
}

export interface SopServer {
  readonly app: Express;
  readonly metrics: ServerMetrics;
  readonly assistant: TrackedAssistant;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops accepting requests, waits for answers in flight, stops the surfaces. Idempotent. */
  close(): Promise<void>;
}

export function createServer(opts: ServerOptions): SopServer {
  const metrics = opts.metrics ?? createServerMetrics();
  const assistant = trackAssistant(opts.assistant, metrics);
  const logger = opts.logger;
  const app = express();
  app.disable('x-powered-by');

  app.use((req, res, next) => {
    res.on('finish', () => {
      // The matched route template keeps the label set small; unmatched paths share one label.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      const report = await opts.readiness();
      res.status(report.ready ? 200 : 503).json(report);
    } catch (err) {
      logger.warn({ err }, 'readiness check failed');
      res.status(503).json({ ready: false, checks: { readiness: { ok: false, detail: String(err) } } });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const ctx: SurfaceContext = { assistant, metrics, logger };
  for (const surface of opts.surfaces) surface.mount(app, ctx);

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });

  let server: Server | undefined;
  let closing: Promise<void> | undefined;

  return {
    app,
    metrics,
    assistant,
    async listen(port, host) {
      server = host === undefined ? app.listen(port) : app.listen(port, host);
      await once(server, 'listening');
      for (const surface of opts.surfaces) await surface.start?.();
      const address = server.address() as AddressInfo;
      const shownHost = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
      return { port: address.port, url: `http://${shownHost}:${address.port}` };
    },
    close() {
      closing ??= (async () => {
        const stopped = server
          ? new Promise<void>((resolve) => server?.close(() => resolve()))
          : Promise.resolve();
        // Keep-alive sockets would hold close() open; idle ones can go now, busy ones finish their response first.
        server?.closeIdleConnections();
        const drained = await assistant.drain(opts.drainTimeoutMs ?? 15_000);
        if (!drained) logger.warn({ inFlight: assistant.inFlight() }, 'shutdown: answers still running after timeout');
        for (const surface of opts.surfaces) await surface.stop?.();
        server?.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

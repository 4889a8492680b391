/**
 * What a chat surface is to the server that hosts it, and what it gets when it mounts. Defined here, with the
 * surfaces, so they depend only on this contract; the composition root (`app/server.ts`) implements the host side.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { AssistantPort } from './assistant-port.js';

/** The server's Prometheus metrics (built by `app/server-metrics.ts`); surfaces count answers and refusals. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly answerSeconds: Histogram<'surface' | 'answered'>;
  readonly refusals: Counter<'surface'>;
  readonly errors: Counter<'surface'>;
}

/** What a surface gets when it mounts: the instrumented assistant, the metrics and a logger. */
export interface SurfaceContext {
  assistant: AssistantPort;
  metrics: ServerMetrics;
  logger: Logger;
}

export interface Surface {
  readonly name: string;
  /** Adds the surface's routes (with their own body parsers) to the shared app. */
  mount(app: Express, ctx: SurfaceContext): void;
  /** Connections the surface opens itself (e.g. Slack Socket Mode), started after the server listens. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

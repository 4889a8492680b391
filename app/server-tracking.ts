/**
 * Wraps the assistant for the server: every answer is timed into the metrics (by surface), refusals are counted
 * (failures are counted by the surface that catches them, once), and in-flight calls are tracked so a graceful shutdown can wait for them instead of cutting answers off.
 */
import type { AssistantPort } from '../bot/shared/assistant-port.js';
import type { ServerMetrics } from './server-metrics.js';

export interface TrackedAssistant extends AssistantPort {
  /** Number of ask/feedback calls still running. */
  inFlight(): number;
  /** Resolves when no call is running, or after `timeoutMs` (returns false then). */
  drain(timeoutMs: number): Promise<boolean>;
}

export function trackAssistant(inner: AssistantPort, metrics: ServerMetrics): TrackedAssistant {
  let running = 0;
  let idle: Array<() => void> = [];
  const enter = () => {
    running += 1;
  };
  const leave = () => {
    running -= 1;
    if (running === 0) {
      const waiters = idle;
      idle = [];
      for (const w of waiters) w();
    }
  };
  return {
    async ask(question, asker, conversation, options) {
      enter();
      const end = metrics.answerSeconds.startTimer({ surface: asker.surface });
      try {
        const reply = await inner.ask(question, asker, conversation, options);
        end({ answered: String(reply.answered) });
        if (!reply.answered) metrics.refusals.inc({ surface: asker.surface });
        return reply;
      } finally {
        leave();
      }
    },
    async feedback(auditId, helpful, asker, comment) {
      enter();
      try {
        await inner.feedback(auditId, helpful, asker, comment);
      } finally {
        leave();
      }
    },
    inFlight: () => running,
    drain(timeoutMs) {
      if (running === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

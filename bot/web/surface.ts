/**
 * The local web chat: a page to pick a demo person and ask, plus two JSON endpoints (ask, feedback) validated with zod.
 * Identity here is the picked person — this surface is for demos and trainers on a trusted machine, not for patients
 * or the internet. Follow-ups keep context through a server-side thread id the page sends back.
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Asker } from '../../assistant/reply.js';
import type { Surface, SurfaceContext } from '../shared/surface.js';
import { createConversationMemory } from '../shared/conversations.js';
import { renderPage, renderReplyHtml, type WebPerson } from './render.js';

const staticDir = join(dirname(fileURLToPath(import.meta.url)), 'static');

export const AskBody = z.object({
  personId: z.string().min(1).max(200),
  question: z.string().trim().min(1, 'Type a question').max(2000),
  threadId: z.uuid().optional(),
});

export const FeedbackBody = z.object({
  personId: z.string().min(1).max(200),
  auditId: z.string().min(1).max(200),
  helpful: z.boolean(),
  comment: z.string().max(2000).optional(),
});

export interface WebSurfaceOptions {
  people: WebPerson[];
  logger: Logger;
  title?: string;
  lowConfidenceBelow?: number;
}

function askerFor(person: WebPerson): Asker {
  return { id: `web:${person.id}`, principals: person.principals, roles: person.roles, displayName: person.name, surface: 'web' };
}

export function createWebSurface(opts: WebSurfaceOptions): Surface {
  const people = new Map(opts.people.map((p) => [p.id, p]));
  const memory = createConversationMemory();
  const log = opts.logger.child({ surface: 'web' });

  return {
    name: 'web',
    mount(app, ctx: SurfaceContext) {
      const page = renderPage({ people: opts.people, ...(opts.title ? { title: opts.title } : {}) });
      app.get('/', (_req, res) => {
        res.type('html').send(page);
      });
      app.use('/static', express.static(staticDir, { index: false, maxAge: '1h' }));

      const api = express.Router();
      api.use(express.json({ limit: '32kb' }));

      const bad = (res: Response, error: z.ZodError) => res.status(400).json({ error: z.prettifyError(error) });

      api.post('/ask', async (req: Request, res: Response) => {
        const parsed = AskBody.safeParse(req.body);
        if (!parsed.success) return void bad(res, parsed.error);
        const person = people.get(parsed.data.personId);
        if (!person) return void res.status(400).json({ error: 'Unknown person' });
        const threadId = parsed.data.threadId ?? randomUUID();
        // Context belongs to the person and thread: another person's thread id starts fresh.
        const key = `${person.id}:${threadId}`;
        try {
          const reply = await ctx.assistant.ask(parsed.data.question, askerFor(person), memory.get(key));
          memory.remember(key, parsed.data.question);
          const html = renderReplyHtml(reply, opts.lowConfidenceBelow !== undefined ? { lowConfidenceBelow: opts.lowConfidenceBelow } : {});
          res.json({
            threadId,
            html,
            answered: reply.answered,
            auditId: reply.auditId,
            citations: reply.citations,
            related: reply.related,
            confidence: reply.confidence,
          });
        } catch (err) {
          ctx.metrics.errors.inc({ surface: 'web' });
          log.error({ err }, 'web ask failed');
          res.status(500).json({ error: 'Sorry — something went wrong while answering. Please try again.' });
        }
      });

      api.post('/feedback', async (req: Request, res: Response) => {
        const parsed = FeedbackBody.safeParse(req.body);
        if (!parsed.success) return void bad(res, parsed.error);
        const person = people.get(parsed.data.personId);
        if (!person) return void res.status(400).json({ error: 'Unknown person' });
        try {
          await ctx.assistant.feedback(parsed.data.auditId, parsed.data.helpful, askerFor(person), parsed.data.comment);
          res.json({ ok: true });
        } catch (err) {
          ctx.metrics.errors.inc({ surface: 'web' });
          log.error({ err }, 'web feedback failed');
          res.status(500).json({ error: 'Could not store the feedback.' });
        }
      });

      // A malformed JSON body is the client's mistake, not a server error.
      api.use((err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
        if (err && typeof err === 'object' && 'type' in err && (err as { type: unknown }).type === 'entity.parse.failed') {
          return void res.status(400).json({ error: 'Body must be JSON' });
        }
        next(err);
      });

      app.use('/api/chat', api);
    },
  };
}

/**
 * A fake Slack Web API on node:http that speaks the real wire format: POST /api/<method> with a form body (non-primitive
 * arguments as JSON strings) and a Bearer token; answers `{ ok: true, … }` like Slack. It records every call, can be
 * scripted to answer 429 + Retry-After, and records response_url posts (POST /response/<id>).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeUser {
  id: string;
  email?: string;
  isBot?: boolean;
  name?: string;
}

type Scripted = { status: 429; retryAfter: number } | { ok: false; error: string };

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(contentType: string | undefined, body: string): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  return args;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channelMembers = new Map<string, string[]>();
  private readonly scripts = new Map<string, Scripted[]>();
  /** Answers for methods the default table does not know (e.g. `apps.connections.open`). */
  readonly answers = new Map<string, (args: Record<string, unknown>) => Record<string, unknown>>();
  private server: Server | undefined;
  private tsCounter = 1_767_225_700;
  url = '';

  addUser(user: FakeUser): this {
    this.users.set(user.id, user);
    return this;
  }

  /** The next calls of `method` get these answers, in order, before normal service resumes. */
  script(method: string, ...answers: Scripted[]): this {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
    return this;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const path = req.url ?? '/';
      if (path.startsWith('/response/')) {
        this.responses.push({ id: path.slice('/response/'.length), body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = path.replace(/^\/api\//, '').split('?')[0] ?? '';
      const args = parseArgs(req.headers['content-type'], body);
      this.calls.push({ method, args, authorization: req.headers.authorization });
      const scripted = this.scripts.get(method)?.shift();
      if (scripted && 'status' in scripted) {
        res.writeHead(429, { 'retry-after': String(scripted.retryAfter), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const answer = scripted ?? this.answer(method, args);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${this.tsCounter}.000100`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const custom = this.answers.get(method);
    if (custom) return custom(args);
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T1' };
      case 'users.info': {
        const user = this.users.get(String(args['user']));
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id,
            is_bot: Boolean(user.isBot),
            real_name: user.name ?? user.id,
            profile: { ...(user.email ? { email: user.email } : {}), display_name: user.name ?? user.id },
          },
        };
      }
      case 'conversations.members': {
        const members = this.channelMembers.get(String(args['channel']));
        if (!members) return { ok: false, error: 'channel_not_found' };
        return { ok: true, members, response_metadata: { next_cursor: '' } };
      }
      case 'chat.postMessage':
        return { ok: true, channel: args['channel'], ts: this.nextTs(), message: { text: args['text'] } };
      case 'chat.update':
        return { ok: true, channel: args['channel'], ts: args['ts'], text: args['text'] };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'views.open':
        return { ok: true, view: { id: 'V1' } };
      default:
        return { ok: true };
    }
  }
}

/**
 * A fake Bot Framework connector (the service at an activity's `serviceUrl`) on node:http, speaking the real REST
 * shapes of /v3/conversations: replies and sends are recorded and answered with a ResourceResponse `{ id }`,
 * members are served from a table (one member, the whole list, or pages with a continuation token), and new 1:1
 * conversations can be created. Path segments arrive percent-encoded (`a%3A1…`, `19%3A…%40thread.tacv2%3Bmessageid…`)
 * and are decoded before recording.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  replyToId: string | undefined;
  activity: Record<string, unknown> & { type?: string; id?: string };
  id: string;
  authorization: string | undefined;
}

export interface FakeMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  objectId?: string;
  email?: string;
  userPrincipalName?: string;
  userRole?: string;
  tenantId?: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeConnector {
  readonly sent: SentActivity[] = [];
  readonly created: { members: { id: string }[]; tenantId: string | undefined; id: string }[] = [];
  readonly requests: { method: string; path: string }[] = [];
  /** Activity POSTs answered with a scripted failure. */
  readonly rejected: { conversationId: string; activity: Record<string, unknown> }[] = [];
  /** Members by user id (GET …/members/{id}) — served for any conversation or team id. */
  readonly members = new Map<string, FakeMember>();
  /** Roster by conversation or team id (GET …/pagedmembers, …/members). */
  readonly rosters = new Map<string, string[]>();
  pageSize = 2;
  /** Answers for the next activity POSTs of a type (e.g. 429 with Retry-After seconds) before normal service resumes. */
  readonly failures: { type: string; status: number; retryAfter?: number }[] = [];
  /**
   * When set, activity ids are what Teams uses: epoch milliseconds, unique only within a conversation. A frozen clock
   * gives answers in two conversations the same id, as two posts in the same millisecond get in Teams.
   */
  clock: (() => number) | undefined;
  private server: Server | undefined;
  private counter = 0;
  url = '';

  addMember(m: FakeMember): this {
    this.members.set(m.id, m);
    return this;
  }

  /** Activities of a type (default: messages) posted to a conversation. */
  messagesIn(conversationId: string, type = 'message'): SentActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId && s.activity.type === type);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        },
        (err: unknown) => {
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'Fake', message: String(err) } }));
        },
      );
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private nextId(): string {
    if (this.clock) return String(this.clock());
    this.counter += 1;
    return `m${this.counter}`;
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = method === 'GET' ? '' : await readBody(req);
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (parts[0] !== 'v3' || parts[1] !== 'conversations')
      return { status: 404, body: { error: { code: 'NotFound', message: url.pathname } } };
    const [, , conversationId, resource, sub] = parts;

    if (method === 'POST' && !conversationId) {
      const id = `a:created-${this.created.length + 1}`;
      this.created.push({
        members: (json['members'] ?? []) as { id: string }[],
        tenantId: json['tenantId'] as string | undefined,
        id,
      });
      return { status: 201, body: { id, activityId: this.nextId(), serviceUrl: this.url } };
    }
    if (!conversationId) return { status: 404, body: {} };

    if (resource === 'activities' && (method === 'POST' || method === 'PUT')) {
      const at = this.failures.findIndex((f) => f.type === json['type']);
      const failure = at >= 0 ? this.failures.splice(at, 1)[0] : undefined;
      if (failure) {
        this.rejected.push({ conversationId, activity: json });
        return {
          status: failure.status,
          body: {
            error: {
              code: failure.status === 429 ? 'Throttled' : 'ServiceError',
              message: 'scripted failure',
            },
          },
          ...(failure.retryAfter !== undefined
            ? { headers: { 'retry-after': String(failure.retryAfter) } }
            : {}),
        };
      }
      const id = method === 'PUT' && sub ? sub : this.nextId();
      this.sent.push({
        method,
        conversationId,
        replyToId: method === 'POST' ? sub : undefined,
        activity: json,
        id,
        authorization: req.headers.authorization,
      });
      return { status: 200, body: { id } };
    }
    if (method === 'GET' && resource === 'members' && sub) {
      const member = this.members.get(sub);
      if (!member)
        return {
          status: 404,
          body: {
            error: {
              code: 'MemberNotFoundInConversation',
              message: 'The member is not part of the conversation.',
            },
          },
        };
      return { status: 200, body: member };
    }
    if (method === 'GET' && (resource === 'members' || resource === 'pagedmembers')) {
      const ids = this.rosters.get(conversationId) ?? [];
      const all = ids.map((id) => this.members.get(id) ?? { id });
      if (resource === 'members') return { status: 200, body: all };
      const start = Number(url.searchParams.get('continuationToken') ?? '0');
      const size = Number(url.searchParams.get('pageSize') ?? this.pageSize) || this.pageSize;
      const pageSize = Math.min(size, this.pageSize);
      const next = start + pageSize;
      return {
        status: 200,
        body: {
          members: all.slice(start, next),
          ...(next < all.length ? { continuationToken: String(next) } : {}),
        },
      };
    }
    return { status: 404, body: { error: { code: 'NotFound', message: url.pathname } } };
  }
}

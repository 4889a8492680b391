/**
 * A fake Slack Socket Mode endpoint: a minimal RFC 6455 WebSocket server on node:http (handshake, text frames out,
 * masked frames in, ping → pong, close handshake) that greets with `hello` and pushes envelopes the way Slack does,
 * recording the acks (`{"envelope_id": …}`) the app sends back. Enough of the protocol for Bolt's SocketModeClient.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

export class FakeSocketMode {
  readonly acks: Record<string, unknown>[] = [];
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private connected: Array<() => void> = [];
  private envelopeCounter = 0;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req, socket: Socket) => {
      const key = String(req.headers['sec-websocket-key'] ?? '');
      const accept = createHash('sha1').update(key + GUID).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => this.sockets.delete(socket));
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          const parsed = this.parse(buffered);
          if (!parsed) break;
          buffered = buffered.subarray(parsed.consumed);
          if (parsed.opcode === 0x1) this.acks.push(JSON.parse(parsed.payload.toString('utf8')) as Record<string, unknown>);
          else if (parsed.opcode === 0x9) socket.write(frame(0xa, parsed.payload));
          else if (parsed.opcode === 0x8) {
            socket.end(frame(0x8, parsed.payload));
          }
        }
      });
      this.sendTo(socket, { type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake-socket-mode' } });
      const waiters = this.connected;
      this.connected = [];
      for (const w of waiters) w();
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}/link`;
    return this.url;
  }

  /** Resolves once a client has connected (and been greeted). */
  whenConnected(): Promise<void> {
    if (this.sockets.size) return Promise.resolve();
    return new Promise((resolve) => this.connected.push(resolve));
  }

  /** Pushes one envelope to every connected client; returns its envelope id. */
  push(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, retryAttempt = 0): string {
    this.envelopeCounter += 1;
    const envelopeId = `env-${this.envelopeCounter}`;
    const envelope = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' };
    for (const s of this.sockets) this.sendTo(s, envelope);
    return envelopeId;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private sendTo(socket: Socket, message: object): void {
    socket.write(frame(0x1, Buffer.from(JSON.stringify(message), 'utf8')));
  }

  private parse(buf: Buffer): { opcode: number; payload: Buffer; consumed: number } | null {
    if (buf.length < 2) return null;
    const opcode = buf[0]! & 0x0f;
    const masked = (buf[1]! & 0x80) !== 0;
    let len = buf[1]! & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (buf.length < 4) return null;
      len = buf.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (buf.length < 10) return null;
      len = Number(buf.readBigUInt64BE(2));
      offset = 10;
    }
    const maskLen = masked ? 4 : 0;
    if (buf.length < offset + maskLen + len) return null;
    const mask = masked ? buf.subarray(offset, offset + 4) : undefined;
    const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    return { opcode, payload, consumed: offset + maskLen + len };
  }
}

// Test helpers for the lab socket: a real http server on 127.0.0.1 port 0 with the upgrade
// handler in front of FakeLabChannels, and a real `ws` client that parses every frame with the
// page's own parser (an unparsable server frame is a test failure, see TestClient.invalid).
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';
import { PROTOCOL_VERSION, parseServerMessage, type LabRole, type ServerMessage } from '../../pure/protocol';
import { generateSecret, issueLabToken } from '../auth';
import type { FakeLabChannel } from './fake-lab-channel';
import type { LabSocketOptions } from './lab-socket';
import { createLabSocketServer, labAdmission, labSocketPath, type LabSocketServer } from './upgrade';

export const SECRET = generateSecret();
export const SITE = 'http://127.0.0.1:3000';

export function tokenFor(labId: string, opts: { role?: LabRole; ttlMs?: number; now?: number } = {}): string {
  return issueLabToken({ labId, role: opts.role ?? 'solo', ttlMs: opts.ttlMs ?? 60_000 }, SECRET, opts.now ?? Date.now());
}

export interface TestServer {
  /** ws://127.0.0.1:<port> */
  base: string;
  sockets: LabSocketServer;
  /** Lab ids resolveChannel was asked for. */
  resolved: string[];
  /** What the server reported through onError. */
  errors: Error[];
  /** A socket URL for a lab, with ?token= for it unless `token` says otherwise (null: none). */
  url(labId: string, token?: string | null): string;
  close(): Promise<void>;
}

export async function startTestServer(channels: readonly FakeLabChannel[], opts: { now?: () => number; socket?: LabSocketOptions } = {}): Promise<TestServer> {
  const resolved: string[] = [];
  const errors: Error[] = [];
  const now = opts.now ?? Date.now;
  const sockets = createLabSocketServer({
    resolveChannel: async (labId) => {
      resolved.push(labId);
      return channels.find((c) => c.labId === labId);
    },
    admit: labAdmission({ secret: SECRET, allowedOrigins: [SITE], now }),
    now,
    socket: { heartbeatMs: 0, ...opts.socket, onError: (err) => errors.push(err) },
  });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => sockets.handleUpgrade(req, socket, head));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    base,
    sockets,
    resolved,
    errors,
    url: (labId, token) => `${base}${labSocketPath(labId)}${token === null ? '' : `?token=${token ?? tokenFor(labId)}`}`,
    async close() {
      await sockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Server frames the page's parser refused; must stay empty. */
  readonly invalid: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private cursor = 0;
  private wake: (() => void) | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const r = parseServerMessage(String(data));
      if (r.ok) this.messages.push(r.msg);
      else this.invalid.push(r.error.message);
      this.wake?.();
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake?.();
      }),
    );
  }

  send(msg: object | string): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  hello(since?: number): void {
    this.send({ type: 'hello', version: PROTOCOL_VERSION, ...(since === undefined ? {} : { since }) });
  }

  /** Messages from the cursor up to and including the first that matches; moves the cursor past it. */
  async until(match: (m: ServerMessage) => boolean, timeoutMs = 3000): Promise<ServerMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m, j) => j >= this.cursor && match(m));
      if (i >= 0) {
        const got = this.messages.slice(this.cursor, i + 1);
        this.cursor = i + 1;
        return got;
      }
      if (this.ws.readyState === WebSocket.CLOSED || Date.now() > deadline) {
        throw new Error(`[test] no matching message; got after the cursor: ${JSON.stringify(this.messages.slice(this.cursor)).slice(0, 800)}`);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 20);
      });
    }
  }

  async next(type: ServerMessage['type']): Promise<ServerMessage> {
    const got = await this.until((m) => m.type === type);
    return got[got.length - 1]!;
  }

  /** Messages since the cursor, after giving the server `ms` to send more; moves the cursor. */
  async rest(ms = 50): Promise<ServerMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const got = this.messages.slice(this.cursor);
    this.cursor = this.messages.length;
    return got;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

export async function connect(url: string, opts: ClientOptions = { origin: SITE }): Promise<TestClient> {
  const ws = new WebSocket(url, opts);
  const client = new TestClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`[test] refused with HTTP ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
  return client;
}

/** Opens a connection that the server must refuse; returns the HTTP status, body and headers. */
export async function refusal(url: string, opts: ClientOptions = { origin: SITE }): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
  const ws = new WebSocket(url, opts);
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('[test] the server upgraded a request it should have refused')));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
  });
}

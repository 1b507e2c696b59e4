import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One request the guest agent made, as the listener saw it. */
export interface AgentRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  /** As received (lowercase names), e.g. `authorization` with the host key. */
  headers: IncomingHttpHeaders;
  at: number;
}

export type AgentReply =
  | { status: number; json: unknown }
  /** A file sent as the body, with its length (e.g. a provider image from the lab registry). */
  | { status: number; file: string; contentType?: string }
  | 'hang-up';
/** May answer later (a held long-poll heartbeat): return a promise, e.g. after {@link AgentListener.hold}. */
export type AgentHandler = (req: AgentRequest) => AgentReply | Promise<AgentReply>;

/** The default: every registration succeeds into project Default. */
export const registerEverything: AgentHandler = (req) =>
  req.path.endsWith('/register') ? { status: 200, json: { status: 'registered', project: 'Default' } } : { status: 200, json: { ok: true } };

/**
 * A stand-in for the Palette endpoint in VM tests: a real HTTP server on
 * 127.0.0.1 that records every agent request and answers with a scriptable
 * handler. (The full simulated Palette is its own subsystem.)
 */
export class AgentListener {
  readonly requests: AgentRequest[] = [];
  handler: AgentHandler = registerEverything;
  private waiters: Array<{ pred: (r: AgentRequest) => boolean; resolve: (r: AgentRequest) => void }> = [];
  private holds = new Set<() => void>();
  private closed = false;

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(port = 0): Promise<AgentListener> {
    let self: AgentListener | null = null;
    const server = createServer((req, res) => void self?.handle(req, res));
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
    self = new AgentListener(server, (server.address() as { port: number }).port);
    return self;
  }

  /** Resolves with the first request (already seen or future) matching `pred`. */
  waitFor(pred: (r: AgentRequest) => boolean, timeoutMs = 30_000): Promise<AgentRequest> {
    const seen = this.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`[test] no matching agent request within ${timeoutMs} ms; saw ${this.requests.map((r) => r.path).join(', ') || 'none'}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (r) => { clearTimeout(t); resolve(r); } });
    });
  }

  /**
   * Resolves after `ms`, or earlier when {@link releaseHolds} is called or the
   * listener closes: how a handler holds a long-poll reply.
   */
  hold(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(t); this.holds.delete(done); resolve(); };
      const t = setTimeout(done, ms);
      this.holds.add(done);
    });
  }

  /** Ends every current {@link hold} now (e.g. the host was just assigned). */
  releaseHolds(): void {
    for (const done of [...this.holds]) done();
  }

  close(): Promise<void> {
    this.closed = true;
    this.releaseHolds();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    let body: Record<string, unknown> = {};
    try { body = text ? (JSON.parse(text) as Record<string, unknown>) : {}; } catch { body = { unparsable: text }; }
    const r: AgentRequest = { method: req.method ?? '', path: req.url ?? '', body, headers: req.headers, at: Date.now() };
    this.requests.push(r);
    this.waiters = this.waiters.filter((w) => (w.pred(r) ? (w.resolve(r), false) : true));
    let reply: AgentReply;
    try {
      reply = await this.handler(r);
    } catch (err) {
      reply = { status: 500, json: { error: 'test-handler-threw', message: String(err) } };
    }
    if (this.closed || res.destroyed) return;
    if (reply === 'hang-up') { req.socket.destroy(); return; }
    if ('file' in reply) {
      const size = await stat(reply.file).then((s) => s.size, () => null);
      if (size === null) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'test-listener', message: `file ${reply.file} to serve does not exist` }));
        return;
      }
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/octet-stream', 'content-length': String(size) });
      const stream = createReadStream(reply.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.json));
  }
}

// The lab server, first slice: the Palette endpoint the edge agents in the guests talk to, with
// an in-memory host registry. `edge-lab up` starts it (simulator/cli/commands/up.ts). Next, the
// simulated Palette with persistence (tokens, projects, clusters) replaces the in-memory registry
// and the fixed token list.
//
// Routes (JSON in and out; protocol in simulator/palette-api.md):
//   GET  /healthz                        → {ok:true}
//   GET  /v1/edge/hosts                  → {hosts:[…]}, the registry, for people and tests
//   POST /v1/edge/hosts/register         agent registration
//   POST /v1/edge/hosts/<id>/heartbeat   agent heartbeat
//   POST /v1/edge/hosts/<id>/approve     manual registration by host ID
// The server answers without authentication, so it only ever binds to a loopback address.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createAgentApi, parseJsonBody, type AgentApi, type ApiResponse, type RegistrationToken } from './agent-api';
import { createInMemoryHostRegistry } from './host-registry';

export const DEFAULT_PORT = 4100;
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];
/** Agent bodies are a few hundred bytes; anything this large is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface LabServerOptions {
  /** A loopback address: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** Default 4100; 0 picks a free port (see `port` on the result). */
  port?: number;
  /** Registration tokens the lab accepts; default: lab-token-1 into project Default. */
  tokens?: readonly RegistrationToken[];
  /** Clock for the registry's timestamps (ms since the epoch); default Date.now. */
  now?: () => number;
}

export interface LabServer {
  /** e.g. http://127.0.0.1:4100, without a trailing slash. */
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections. Safe to call more than once. */
  close(): Promise<void>;
}

export async function startLabServer(opts: LabServerOptions = {}): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? DEFAULT_PORT;
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new Error(
      `[lab-server] refusing to listen on ${host}: the lab server answers without authentication, ` +
        `so it binds only to a loopback address (${LOOPBACK_HOSTS.join(', ')})`,
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`[lab-server] invalid port ${String(port)}: use a whole number from 0 to 65535`);
  }
  const api = createAgentApi({ registry: createInMemoryHostRegistry(), now: opts.now ?? Date.now, tokens: opts.tokens });

  const server = createServer((req, res) => {
    handle(api, req, res).catch((err: unknown) => {
      process.stderr.write(`[lab-server] internal error on ${req.method ?? '?'} ${req.url ?? '?'}: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      if (!res.headersSent) send(res, { status: 500, body: { error: 'internal', message: 'the lab server failed on this request; see its log' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? 'the port is already in use' : (err.code ?? err.message);
      reject(new Error(`[lab-server] cannot listen on ${host}:${port}: ${why}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => process.stderr.write(`[lab-server] server error: ${err.message}\n`));

  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const HOST_ACTION = /^\/v1\/edge\/hosts\/([^/]+)\/(heartbeat|approve)$/;

async function handle(api: AgentApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://lab.invalid').pathname;

  if (path === '/healthz') {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET');
    return send(res, { status: 200, body: { ok: true } });
  }
  if (path === '/v1/edge/hosts') {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET');
    return send(res, api.list());
  }
  if (path === '/v1/edge/hosts/register') {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    const body = await readJson(req, res);
    if (body.ok) send(res, api.register(body.value));
    return;
  }
  const action = HOST_ACTION.exec(path);
  if (action) {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    let hostId: string;
    try {
      hostId = decodeURIComponent(action[1] ?? '');
    } catch {
      return send(res, { status: 400, body: { error: 'bad-request', field: 'path', message: 'path: the host ID is not validly percent-encoded' } });
    }
    if (action[2] === 'approve') {
      await drain(req);
      return send(res, api.approve(hostId));
    }
    const body = await readJson(req, res);
    if (body.ok) send(res, api.heartbeat(hostId, body.value));
    return;
  }
  await drain(req);
  send(res, { status: 404, body: { error: 'not-found', message: `no such endpoint: ${method} ${path}` } });
}

/** Reads and parses the body; on failure the 400/413 answer has already been sent. */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const raw = await new Promise<string | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Answer at once and drop the connection once the answer is out; stop reading the rest.
      req.off('data', onData);
      req.pause();
      res.setHeader('connection', 'close');
      res.once('finish', () => req.socket.destroy());
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
  if (raw === undefined) {
    send(res, { status: 413, body: { error: 'bad-request', message: `the body is larger than ${MAX_BODY_BYTES} bytes` } });
    return { ok: false };
  }
  const parsed = parseJsonBody(raw);
  if (!parsed.ok) {
    send(res, parsed.response);
    return { ok: false };
  }
  return parsed;
}

/** Consumes an unused request body so the connection can be reused. */
async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) void _;
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  send(res, { status: 405, body: { error: 'bad-request', message: `method not allowed; use ${allow}` } });
}

function send(res: ServerResponse, reply: ApiResponse): void {
  const text = `${JSON.stringify(reply.body)}\n`;
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

// The lab server's Node HTTP server: every request and every WebSocket upgrade passes the request
// guard (request-guard.ts) on its raw form before Hono or the socket server sees it, and the
// server's own timeouts bound how long a slow client may hold a connection.
import { getRequestListener } from '@hono/node-server';
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { guardRequest, type GuardDecision, type GuardOptions } from './request-guard';

/** A client has this long to send its headers, and this long for the whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface GuardedServerOptions {
  fetch: (req: Request) => Response | Promise<Response>;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Read at each request, so hosts learned after listen (the port) apply. */
  guard: GuardOptions;
  /**
   * Room mode: the API and its sockets live under this path (e.g. `/api`), which is cut off before
   * the guard and the API see the request, so both work on the same paths as in solo mode; every
   * other path is a page or file of the site (`site`), which only needs the right Host.
   */
  apiPrefix?: string;
  site?: (req: Request) => Response | Promise<Response>;
  /** Serve HTTPS with this certificate and key (PEM), instead of plain HTTP. */
  tls?: { cert: Buffer; key: Buffer };
}

export function createGuardedServer(o: GuardedServerOptions): Server {
  const listener = getRequestListener(o.fetch);
  const siteListener = o.site ? getRequestListener(o.site) : undefined;
  const handle: RequestListener = (req, res) => {
    const where = route(req, o);
    const d = where === 'site' ? decideHost(req, o.guard) : decide(req, o.guard);
    if (d.ok) return void (where === 'site' && siteListener ? siteListener(req, res) : listener(req, res));
    const body = `${JSON.stringify({ error: d.code, message: d.message })}\n`;
    // Connection: close, so a refused body is never read.
    res.writeHead(d.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close', 'cache-control': 'no-store' });
    res.end(body);
  };
  const timeouts = { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS };
  const server: Server = o.tls ? createTlsServer({ ...timeouts, cert: o.tls.cert, key: o.tls.key }, handle) : createServer(timeouts, handle);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const d = route(req, o) === 'site'
      ? { ok: false as const, status: 400 as const, code: 'non-canonical-path' as const, message: `[lab-server] sockets are under ${o.apiPrefix ?? ''}/labs/<id>/socket` }
      : decide(req, o.guard);
    if (d.ok) return o.onUpgrade(req, socket, head);
    const body = `${d.message.replace(/[\r\n]+/g, ' ')}\n`;
    socket.on('error', () => socket.destroy());
    socket.end(`HTTP/1.1 ${d.status} ${STATUS_CODES[d.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
  return server;
}

/** Where a request goes; with an API prefix, an API request's url loses the prefix here. */
function route(req: IncomingMessage, o: Pick<GuardedServerOptions, 'apiPrefix'>): 'api' | 'site' {
  if (!o.apiPrefix) return 'api';
  const url = req.url ?? '';
  const rest = url.slice(o.apiPrefix.length);
  if (url.startsWith(o.apiPrefix) && (rest.startsWith('/') || rest.startsWith('?'))) {
    req.url = rest.startsWith('?') ? `/${rest}` : rest;
    return 'api';
  }
  return 'site';
}

/** Site pages and files: any path the site serves, but only under a Host this server answers to. */
function decideHost(req: IncomingMessage, guard: GuardOptions): GuardDecision {
  return guardRequest({ method: 'GET', url: '/', headers: { host: req.headers.host } }, guard);
}

function decide(req: IncomingMessage, guard: GuardOptions): GuardDecision {
  return guardRequest({ method: req.method ?? 'GET', url: req.url ?? '', headers: req.headers }, guard);
}

/** The Host header values a server listening on `host:port` answers to. */
export function hostNamesFor(host: string, port: number): string[] {
  const names = host === '::1' ? [`[::1]:${port}`, `localhost:${port}`] : [`${host}:${port}`, `localhost:${port}`];
  return [...new Set(names)];
}

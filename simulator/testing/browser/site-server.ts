/**
 * Serves a built site (a static directory) on 127.0.0.1 and a free port, the
 * way a static host serves Docusaurus: `/route` and `/route/` answer with
 * `route/index.html`, unknown paths with 404.html and status 404.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export interface SiteServer {
  /** e.g. http://127.0.0.1:43121 (no trailing slash). */
  url: string;
  /** The origin pages are served from, for the lab server's allowed origins. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.ico': 'image/x-icon', '.webp': 'image/webp',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml', '.map': 'application/json', '.wasm': 'application/wasm',
};

/** The file to send for a URL path, or null (pure apart from stat). */
export async function resolveSitePath(root: string, urlPath: string): Promise<string | null> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const base = resolve(root);
  const target = resolve(base, `.${path.startsWith('/') ? path : `/${path}`}`);
  if (target !== base && !target.startsWith(base + sep)) return null;
  const candidates = path.endsWith('/') ? [join(target, 'index.html')] : [target, join(target, 'index.html'), `${target}.html`];
  for (const c of candidates) {
    if (await stat(c).then((s) => s.isFile(), () => false)) return c;
  }
  return null;
}

export async function startSiteServer(dir: string): Promise<SiteServer> {
  const notFound = join(dir, '404.html');
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const file = await resolveSitePath(dir, req.url ?? '/');
      const status = file ? 200 : 404;
      const send = file ?? ((await stat(notFound).then((s) => s.isFile(), () => false)) ? notFound : null);
      if (!send) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      const size = (await stat(send)).size;
      res.writeHead(status, { 'content-type': TYPES[extname(send).toLowerCase()] ?? 'application/octet-stream', 'content-length': String(size), 'cache-control': 'no-cache' });
      if (req.method === 'HEAD') { res.end(); return; }
      const stream = createReadStream(send);
      stream.once('error', () => res.destroy());
      stream.pipe(res);
    })().catch(() => { if (!res.headersSent) res.writeHead(500).end(); else res.destroy(); });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen({ host: '127.0.0.1', port: 0 }, () => { server.off('error', fail); ok(); });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url, origin: url, port,
    close() {
      closing ??= new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); });
      return closing;
    },
  };
}

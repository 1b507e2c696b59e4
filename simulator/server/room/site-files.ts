// The built site (Docusaurus's build/) as a room-mode server serves it, on the same port and origin
// as the lab API. Pages are Docusaurus's HTML with two additions made here, not at build time, so
// one build serves solo and room mode alike:
//   - <meta> tags telling the page where the lab API is (ROOM_API_PREFIX on this origin) and which
//     public URL the links it hands out must use (src/lab/lab-server-override.ts reads them);
//   - a Content-Security-Policy that allows this origin's own scripts and, by their SHA-256, just
//     the inline scripts that very page carries (Docusaurus inlines its colour-mode script).
// Every other file (scripts, styles, images, the search index) is served as it is by Hono's
// serveStatic, which refuses dot segments and encoded separators.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { pageSecurityHeaders } from './security-headers';

export interface SiteFilesOptions {
  /** The build directory (holds index.html and 404.html). */
  root: string;
  /** Where pages reach the lab API: a path on this origin, e.g. `/api`. */
  apiPath: string;
  /** The address learners open, e.g. `https://lab.example.org` (no trailing slash). */
  publicUrl: string;
}

interface Page { html: string; csp: string }

/** A Hono app answering GET and HEAD for the site; anything else is 405. */
export function siteFiles(o: SiteFilesOptions): Hono {
  const app = new Hono();
  const pages = new Map<string, Promise<Page | null>>();
  const page = (file: string): Promise<Page | null> => {
    let p = pages.get(file);
    if (!p) {
      p = readFile(file, 'utf8').then((html) => preparePage(html, o), () => null);
      pages.set(file, p); // The build does not change while the server runs.
    }
    return p;
  };
  const sendPage = (c: Context, p: Page, status: 200 | 404): Response => {
    for (const [k, v] of Object.entries(pageSecurityHeaders(p.csp))) c.header(k, v);
    c.header('cache-control', 'no-cache');
    return c.html(c.req.method === 'HEAD' ? '' : p.html, status);
  };

  // Over a room's network the bundles are most of a first visit; gzip shrinks them about fourfold.
  app.use('*', compress());
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    const ext = extname(path);
    if (ext !== '' && ext !== '.html') return next();
    for (const file of await pageCandidates(o.root, path)) {
      const p = await page(file);
      if (p) return sendPage(c, p, 200);
    }
    return next();
  });
  app.on(['GET', 'HEAD'], '*', serveStatic({
    root: o.root,
    onFound: (_path, c) => {
      for (const [k, v] of Object.entries(pageSecurityHeaders(null))) c.header(k, v);
      // Docusaurus names its bundles by content hash.
      c.header('cache-control', c.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  }));
  app.on(['GET', 'HEAD'], '*', async (c) => {
    const p = await page(join(o.root, '404.html'));
    if (p) return sendPage(c, p, 404);
    return c.text('Not found\n', 404);
  });
  app.all('*', (c) => c.text(`${c.req.method} is not how pages are read; the lab's API is under ${o.apiPath}/\n`, 405, { allow: 'GET, HEAD' }));
  return app;
}

/** The files a page path may be, in Docusaurus's layout (`/x` → x/index.html, then x.html). */
async function pageCandidates(root: string, path: string): Promise<string[]> {
  if (/(?:^|\/)\.{1,2}(?:\/|$)|\\|%|\0/.test(path)) return []; // never outside root
  const clean = path.replace(/\/+$/, '');
  const out = path.endsWith('.html') ? [join(root, clean)] : [join(root, clean, 'index.html'), join(root, `${clean}.html`)];
  const found: string[] = [];
  for (const f of out) if ((await stat(f).catch(() => null))?.isFile()) found.push(f);
  return found;
}

/** The page with the lab's meta tags after <head>, and the CSP allowing its own inline scripts. */
export function preparePage(html: string, o: Pick<SiteFilesOptions, 'apiPath' | 'publicUrl'>): Page {
  const meta = `<meta name="edge-lab:api" content="${escapeAttr(o.apiPath)}"><meta name="edge-lab:public-url" content="${escapeAttr(o.publicUrl)}">`;
  const withMeta = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (m) => `${m}${meta}`) : `${meta}${html}`;
  const hashes = inlineScripts(withMeta).map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  return { html: withMeta, csp: contentSecurityPolicy(hashes) };
}

/** The bodies of the page's inline <script> elements (those without src). */
export function inlineScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/i.test(m[1] ?? '') && (m[2] ?? '') !== '') out.push(m[2] ?? '');
  }
  return out;
}

/**
 * What a page may load: everything from this origin (its sockets included), its own inline scripts
 * by hash, inline styles (React's SSR writes style attributes) and data: images (the theme's icons);
 * nothing from elsewhere, and no other site may frame it.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// The routes a Hono app answers, as method and path (middleware and catch-alls left out), so a test
// can hold them against the contract (pure/protocol/http-routes.ts).
import type { Hono } from 'hono';

export interface ServedRoute { method: string; path: string }

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any app, whatever its Env
export function servedRoutes(app: Hono<any>): ServedRoute[] {
  const seen = new Set<string>();
  const out: ServedRoute[] = [];
  for (const r of app.routes) {
    if (r.method === 'ALL' || r.path.endsWith('*')) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

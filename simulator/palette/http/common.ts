// What both Palette HTTP apps share: JSON replies (never a stack trace), body parsing that names
// the problem, 405 with `Allow` for a known path with the wrong method, and the error handler.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { StoreNotFoundError } from '../../store/errors';
import { storeRefusal } from '../../http/store-refusal';
import type { Failure } from '../types';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Handler = (c: Context) => Response | Promise<Response>;

/** JSON with a trailing newline (friendly to curl and to the agent's line-based sed). */
export function json(c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return c.body(`${JSON.stringify(body)}\n`, status as 200, { 'content-type': 'application/json; charset=utf-8', ...headers });
}

/** A path parameter of the matched route (decoded). */
export const param = (c: Context, name: string): string => c.req.param(name) ?? '';

/** The request body as JSON; an empty body is undefined. On failure, the 400 reply to send. */
export async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, response: json(c, 400, { error: 'bad-request', message: `the body is not valid JSON (${why})` }) };
  }
}

const FAILURE_STATUS: Record<Failure['reason'], number> = { invalid: 422, 'not-found': 404, conflict: 409 };

export function failure(c: Context, f: Failure): Response {
  return json(c, FAILURE_STATUS[f.reason], { error: f.reason, message: f.message, issues: f.issues });
}

/** Registers the handlers of one path, and 405 with `Allow` for every other method on it. */
export function resource(app: Hono, path: string, handlers: Partial<Record<Method, Handler>>): void {
  const methods = Object.keys(handlers) as Method[];
  for (const m of methods) app.on(m, path, handlers[m]!);
  const allow = [...methods, ...(handlers.GET ? ['HEAD'] : [])].join(', ');
  app.all(path, (c) => json(c, 405, { error: 'method-not-allowed', message: `${c.req.method} is not allowed on ${c.req.path}; use ${allow}` }, { allow }));
}

/** Body size limit, 404 for unknown paths, and errors as JSON without internals. */
export function finish(app: Hono): void {
  app.notFound((c) => json(c, 404, { error: 'not-found', message: `no such endpoint: ${c.req.method} ${c.req.path}` }));
  app.onError((err, c) => {
    if (err instanceof StoreNotFoundError) return json(c, 404, { error: 'not-found', message: 'this lab does not exist any more' });
    const refusal = storeRefusal(err);
    if (refusal) return json(c, refusal.status, refusal.body, refusal.headers);
    process.stderr.write(`[palette] internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}\n`);
    return json(c, 500, { error: 'internal', message: '[palette] the simulated Palette failed on this request; see the lab server log' });
  });
}

export function limitBodies(app: Hono, maxBodyBytes: number): void {
  app.use(bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) => json(c, 413, { error: 'bad-request', message: `the body is larger than ${maxBodyBytes} bytes` }),
  }));
}

// The JSON bodies of the lab server's requests, read once with their size limit; and the doors
// outside lab admission (open a lab, join, session, classes), which check the Origin first.
import type { Context } from 'hono';
import { checkOrigin } from './auth';

const MAX_BODY_BYTES = 256 * 1024;

export type Body = { ok: true; value: unknown } | { ok: false; response: Response };

/** The doors outside admission (open, join, session): an allowed Origin (or none), then the JSON body. */
export async function doorBody(c: Context, origins: string[]): Promise<Body> {
  const origin = checkOrigin(c.req.header('origin'), origins, { allowMissingOrigin: true });
  if (!origin.ok) return { ok: false, response: c.json({ error: origin.reason, message: `[lab-auth] ${origin.message}` }, 403) };
  return jsonBody(c);
}

export async function jsonBody(c: Context): Promise<Body> {
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) return { ok: false, response: c.json({ error: 'bad-request', message: `[lab-server] the body is larger than ${MAX_BODY_BYTES} bytes` }, 413) };
  try {
    return { ok: true, value: text === '' ? {} : (JSON.parse(text) as unknown) };
  } catch (err) {
    return { ok: false, response: c.json({ error: 'bad-request', message: `[lab-server] the body is not valid JSON (${(err as Error).message})` }, 400) };
  }
}


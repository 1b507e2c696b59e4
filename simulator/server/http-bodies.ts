// The doors outside lab admission (open a lab, join, session, classes), which check the Origin
// first, then read the JSON body (http/json-bodies.ts).
import type { Context } from 'hono';
import { jsonBody, type Body } from '../http/json-bodies';
import { checkOrigin } from './auth';

export { bodyAs, jsonBody, parseJsonObject, MAX_BODY_BYTES, type Body } from '../http/json-bodies';

/** The doors outside admission (open, join, session): an allowed Origin (or none), then the JSON body. */
export async function doorBody(c: Context, origins: string[]): Promise<Body> {
  const origin = checkOrigin(c.req.header('origin'), origins, { allowMissingOrigin: true });
  if (!origin.ok) return { ok: false, response: c.json({ error: origin.reason, message: origin.message }, 403) };
  return jsonBody(c);
}


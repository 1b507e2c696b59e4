// The JSON bodies of lab requests, read once with their size limit. The request guard
// (server/request-guard.ts) has already refused a declared length over the server's limit, and the
// server's body limit cuts an undeclared one while it is read.
import type { Context } from 'hono';
import type { z } from 'zod';

/** Bodies of the lab server's own doors and commands (the Palette page API allows more). */
export const MAX_BODY_BYTES = 256 * 1024;

export type Body = { ok: true; value: unknown } | { ok: false; response: Response };

/** The body as a JSON object; an empty body is `{}`. */
export async function jsonBody(c: Context, maxBytes = MAX_BODY_BYTES): Promise<Body> {
  const text = await c.req.text();
  if (text.length > maxBytes) return { ok: false, response: c.json({ error: 'body-too-large', message: `[lab-server] the body is larger than ${maxBytes} bytes; send a smaller one` }, 413) };
  const parsed = parseJsonObject(text);
  return parsed.ok ? parsed : { ok: false, response: c.json({ error: 'bad-request', message: parsed.message }, 400) };
}

/** Parses a body that must be one JSON object; the refusal names what it got. */
export function parseJsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch (err) {
    return { ok: false, message: `[lab-server] the body is not valid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, message: `[lab-server] the body must be a JSON object ({…}), not ${got}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * A JSON object already read (jsonBody) checked against a route's body schema from the contract
 * (pure/protocol/http-routes.ts). A refusal is 400 `bad-request` naming the first field at fault,
 * with the schema's own words for it.
 */
export function bodyAs<T>(c: Context, value: unknown, schema: z.ZodType<T>, shape?: string): { ok: true; value: T } | { ok: false; response: Response } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const first = parsed.error.issues[0];
  // With `shape` (the whole body's form, in words) the refusal says that instead of one field's issue.
  const field = !shape && first && first.path.length > 0 ? first.path.map(String).join('.') : null;
  const words = shape ?? first?.message ?? 'the body does not have the expected shape';
  return {
    ok: false,
    response: c.json({ error: 'bad-request', ...(field ? { field } : {}), message: `[lab-server] ${field ? `${field}: ` : ''}${words}` }, 400),
  };
}

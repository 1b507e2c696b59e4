// The first check of every request the lab server answers, run on the raw request (before any
// router decodes or normalises it), so that what is authorised is exactly what is served:
//   1. the request target is a canonical path: no percent-encoding, no empty or dot segments,
//      nothing but the characters lab routes use. Routers decode `%74okens` to `tokens`; a role
//      check that looked at the other spelling would authorise a different route (issue 11).
//   2. the Host header names this server (a DNS-rebinding page reaches 127.0.0.1 under a foreign
//      name, with a foreign Host);
//   3. a state-changing request comes from an allowed Origin (non-browser clients send the
//      server's own URL) and, when it has a body, says it is JSON: a cross-site form or
//      `text/plain` fetch needs neither a preflight nor our consent;
//   4. a declared body length is within the limit (bodies without one are cut while read).
// Pure: a decision the HTTP layer turns into a response.
import { checkOrigin } from './auth/origin';

export interface GuardOptions {
  /** Host header values this server answers to, lower case, with port: e.g. `127.0.0.1:4100`. */
  hosts: readonly string[];
  origins: readonly string[];
  maxBodyBytes: number;
}

export interface GuardRequest {
  method: string;
  /** The request target exactly as it arrived (Node's `IncomingMessage.url`). */
  url: string;
  /** Header names in lower case, as in IncomingMessage.headers. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export type GuardRefusal =
  | 'non-canonical-path' | 'bad-host' | 'missing-origin' | 'foreign-origin' | 'bad-origin'
  | 'unsupported-media-type' | 'body-too-large';

export type GuardDecision =
  | { ok: true }
  | { ok: false; status: 400 | 403 | 413 | 415 | 421; code: GuardRefusal; message: string };

/** Methods that change something; they need an Origin. */
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Characters lab paths are made of (ids, names, versions): RFC 3986 unreserved, plus `/` and `:`. */
const PATH_CHARS = /^[A-Za-z0-9\-._~/:]*$/;
const MAX_TARGET = 4096;

export function guardRequest(req: GuardRequest, o: GuardOptions): GuardDecision {
  const path = checkPath(req.url);
  if (!path.ok) return path;

  const host = single(req.headers.host)?.toLowerCase();
  if (!host || !o.hosts.includes(host)) {
    return refuse(421, 'bad-host', `this lab server answers to ${o.hosts.join(', ')}, not to Host ${JSON.stringify(host ?? '')}; use the address the Edge Lab site links to`);
  }

  const method = req.method.toUpperCase();
  if (CHANGING.has(method)) {
    const origin = checkOrigin(req.headers.origin, o.origins);
    if (!origin.ok) {
      const hint = origin.reason === 'missing-origin'
        ? '[lab-server] a request that changes something must carry an Origin header: the site\'s pages send theirs; a program sends this server\'s own URL (e.g. Origin: http://127.0.0.1:4100)'
        : origin.message;
      return refuse(403, origin.reason, hint, true);
    }
    if (hasBody(req.headers) && !isJson(single(req.headers['content-type']))) {
      return refuse(415, 'unsupported-media-type', `the body must be JSON sent with Content-Type: application/json, not ${JSON.stringify(single(req.headers['content-type']) ?? 'none')}`);
    }
  }

  const declared = single(req.headers['content-length']);
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > o.maxBodyBytes)) {
    return refuse(413, 'body-too-large', `the body is larger than ${o.maxBodyBytes} bytes (Content-Length: ${declared}); send a smaller one`);
  }
  return { ok: true };
}

/** The path part of a request target, checked to be the one spelling routes are written in. */
function checkPath(target: string): GuardDecision {
  if (target.length > MAX_TARGET) return refuse(400, 'non-canonical-path', `the request target is longer than ${MAX_TARGET} characters`);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (!path.startsWith('/')) return refuse(400, 'non-canonical-path', 'the request target must be a path starting with /');
  if (!PATH_CHARS.test(path)) {
    const bad = [...path].find((ch) => !PATH_CHARS.test(ch)) ?? '';
    const shown = bad === '%' ? 'percent-encoding (%)' : `the character ${JSON.stringify(bad)}`;
    return refuse(400, 'non-canonical-path', `the path ${JSON.stringify(path)} contains ${shown}; lab paths are written plainly (ids and names use letters, digits, - _ . ~ :), e.g. ${suggest(path)}`);
  }
  const segments = path.split('/').slice(1);
  const last = segments.length - 1;
  if (segments.some((s, i) => s === '.' || s === '..' || (s === '' && i !== last) || (s === '' && i === last && last > 0))) {
    return refuse(400, 'non-canonical-path', `the path ${JSON.stringify(path)} has an empty, \`.\` or \`..\` segment or a trailing /; use ${suggest(path)}`);
  }
  return { ok: true };
}

/** The canonical spelling a client probably meant (for the message only; never routed on). */
function suggest(path: string): string {
  let decoded = path;
  try { decoded = decodeURIComponent(path); } catch { /* keep it as it came */ }
  const out: string[] = [];
  for (const s of decoded.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop(); else out.push(s);
  }
  return JSON.stringify(`/${out.join('/')}`);
}

function hasBody(h: GuardRequest['headers']): boolean {
  const length = single(h['content-length']);
  return (length !== undefined && length !== '0') || h['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

function single(v: string | readonly string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function refuse(status: 400 | 403 | 413 | 415 | 421, code: GuardRefusal, message: string, prefixed = false): GuardDecision {
  return { ok: false, status, code, message: prefixed ? message : `[lab-server] ${message}` };
}

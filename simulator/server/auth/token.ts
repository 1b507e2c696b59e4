// Signed, short-lived lab tokens: who may open which lab, as which role, until when.
//
// Format: `lab1.<payload>.<signature>`, both parts base64url without padding. The payload is the
// JSON {labId, role, exp, sid?}; the signature is HMAC-SHA256 over `lab1.<payload>` with the lab
// server's secret. Like a JWT with one fixed algorithm, so there is no `alg` to negotiate.
// Stateless on purpose: any process holding the secret can admit a lab's traffic, which keeps
// the later step of spreading labs over several machines free of a shared session table.
// The one exception is `sid`, the session the token was traded for (a member's id, or `opener`):
// a trainer may end a member's session, and admission then refuses that session's tokens before
// they expire (lab-members.ts, session-revocations.ts). A token without `sid` (a class learner's)
// belongs to a session nobody can end.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { labIdSchema, labRoleSchema, type LabRole } from '../../pure/protocol';

const PREFIX = 'lab1';
/** A secret shorter than this is a configuration mistake, not a secret. */
export const MIN_SECRET_LENGTH = 32;
/** "Short-lived": a page asks for a fresh token (reloads) at least this often. */
export const MAX_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** Far above any token we issue (about 150 characters); bounds the work spent on junk. */
const MAX_TOKEN_LENGTH = 1024;
const SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface LabTokenClaims {
  labId: string;
  role: LabRole;
  /** Expiry, milliseconds since the epoch; the token is refused from this instant on. */
  exp: number;
  /** The session this token was traded for, so that ending the session refuses its tokens at once. */
  sid?: string;
}

export type LabTokenRefusal = 'malformed' | 'bad-signature' | 'expired';
export type LabTokenCheck = { ok: true; claims: LabTokenClaims } | { ok: false; reason: LabTokenRefusal };

/** Session ids: short, URL-safe (a member id, or `opener`). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const claimsSchema = z.strictObject({ labId: labIdSchema, role: labRoleSchema, exp: z.number().int().positive(), sid: z.string().regex(SESSION_ID_PATTERN).optional() });

export { generateSecret } from '../../labs/secrets';

/**
 * A token for `labId` and `role` (and the session `sid`, when given) valid for `ttlMs` from `now`
 * (ms since the epoch). Throws a `[lab-auth]` error on bad input: these are the server's own mistakes.
 */
export function issueLabToken(req: { labId: string; role: LabRole; ttlMs: number; sid?: string }, secret: string, now: number): string {
  checkSecret(secret);
  if (!Number.isInteger(req.ttlMs) || req.ttlMs <= 0 || req.ttlMs > MAX_TOKEN_TTL_MS) {
    throw new Error(`[lab-auth] ttlMs must be a whole number of milliseconds from 1 to ${MAX_TOKEN_TTL_MS} (24 h); got ${req.ttlMs}`);
  }
  if (!Number.isInteger(now) || now < 0) throw new Error(`[lab-auth] now must be milliseconds since the epoch; got ${now}`);
  const claims = claimsSchema.safeParse({ labId: req.labId, role: req.role, exp: now + req.ttlMs, ...(req.sid !== undefined ? { sid: req.sid } : {}) });
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw new Error(`[lab-auth] cannot issue a token: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const payload = Buffer.from(JSON.stringify(claims.data), 'utf8').toString('base64url');
  return `${PREFIX}.${payload}.${sign(`${PREFIX}.${payload}`, secret).toString('base64url')}`;
}

/**
 * Checks a token against `secret` at time `now`. Never throws on a bad token; throws only when
 * the secret itself is unusable. The signature is checked before the payload is read.
 */
export function verifyLabToken(token: string, secret: string, now: number): LabTokenCheck {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, reason: 'malformed' };
  const [, payload = '', signature = ''] = parts;
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return { ok: false, reason: 'malformed' };

  const given = Buffer.from(signature, 'base64url');
  // Re-encoding must give the same text: Node ignores stray trailing bits, and one token should have one spelling.
  if (given.length !== SIGNATURE_BYTES || given.toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
  // timingSafeEqual: the time taken must not tell an attacker how many leading bytes matched.
  if (!timingSafeEqual(given, sign(`${PREFIX}.${payload}`, secret))) return { ok: false, reason: 'bad-signature' };

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = claimsSchema.safeParse(json);
  if (!claims.success) return { ok: false, reason: 'malformed' };
  if (now >= claims.data.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims.data };
}

function sign(data: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(data, 'utf8').digest();
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`[lab-auth] the lab token secret must be at least ${MIN_SECRET_LENGTH} characters; create one with generateSecret()`);
  }
}

// Secrets the labs hand out (session secrets, invite codes, server keys): unguessable, URL-safe.
import { randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: a fresh per-session secret. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, issueLabToken, MAX_TOKEN_TTL_MS, verifyLabToken } from './token';

const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const NOW = 1_750_000_000_000;
const MINUTE = 60_000;
const issue = (over: Partial<Parameters<typeof issueLabToken>[0]> = {}) =>
  issueLabToken({ labId: 'lab-1', role: 'solo', ttlMs: 15 * MINUTE, ...over }, SECRET, NOW);

/** The same signature bytes spelled with a stray trailing bit (Node's decoder would accept it). */
function noncanonical(): string {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const token = issue();
  const sig = token.split('.')[2]!;
  // 43 characters carry 258 bits for 256: the last character's two low bits are padding.
  const respelled = sig.slice(0, -1) + ALPHABET[ALPHABET.indexOf(sig.at(-1)!) ^ 1];
  expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
  return withPart(token, 2, respelled);
}

/** Replaces one part of `lab1.<payload>.<signature>`. */
function withPart(token: string, index: 1 | 2, value: string): string {
  const parts = token.split('.');
  parts[index] = value;
  return parts.join('.');
}

describe('lab tokens', () => {
  it('a good token verifies and yields its claims', () => {
    const token = issue({ role: 'site-technician' });
    expect(token).toMatch(/^lab1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyLabToken(token, SECRET, NOW + MINUTE)).toEqual({
      ok: true,
      claims: { labId: 'lab-1', role: 'site-technician', exp: NOW + 15 * MINUTE },
    });
  });

  it('carries the session id it was traded for, signed like the rest', () => {
    const token = issue({ role: 'it-ops', sid: 'm4Xq9Zk2Lp0a' });
    expect(verifyLabToken(token, SECRET, NOW)).toEqual({ ok: true, claims: { labId: 'lab-1', role: 'it-ops', exp: NOW + 15 * MINUTE, sid: 'm4Xq9Zk2Lp0a' } });
    // Dropping the sid (to escape a revocation) breaks the signature.
    const stripped = Buffer.from(JSON.stringify({ labId: 'lab-1', role: 'it-ops', exp: NOW + 15 * MINUTE })).toString('base64url');
    expect(verifyLabToken(withPart(token, 1, stripped), SECRET, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('a tampered payload fails the signature check', () => {
    const token = issue({ role: 'solo' });
    const forged = Buffer.from(JSON.stringify({ labId: 'lab-1', role: 'trainer', exp: NOW + 15 * MINUTE })).toString('base64url');
    expect(verifyLabToken(withPart(token, 1, forged), SECRET, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('a tampered signature fails the signature check', () => {
    const token = issue();
    const sig = Buffer.from(token.split('.')[2]!, 'base64url');
    sig[0] = (sig[0] ?? 0) ^ 1;
    expect(verifyLabToken(withPart(token, 2, sig.toString('base64url')), SECRET, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('a token signed with another secret fails the signature check', () => {
    expect(verifyLabToken(issue(), generateSecret(), NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('expires exactly at exp on the injected clock', () => {
    const token = issue({ ttlMs: MINUTE });
    expect(verifyLabToken(token, SECRET, NOW + MINUTE - 1).ok).toBe(true);
    expect(verifyLabToken(token, SECRET, NOW + MINUTE)).toEqual({ ok: false, reason: 'expired' });
  });

  it('checks the signature before the expiry: a forged token never reads as merely expired', () => {
    const forged = withPart(issue(), 1, Buffer.from(JSON.stringify({ labId: 'lab-1', role: 'solo', exp: 1 })).toString('base64url'));
    expect(verifyLabToken(forged, SECRET, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    ['empty', ''],
    ['one part', 'abc'],
    ['a JWT-shaped token', 'eyJhbGciOiJIUzI1NiJ9.eyJsYWJJZCI6ImxhYi0xIn0.c2ln'],
    ['four parts', 'lab1.a.b.c'],
    ['padding in the payload', 'lab1.YQ==.' + 'A'.repeat(43)],
    ['a short signature', 'lab1.YQ.AAAA'],
    ['a non-canonical signature spelling', noncanonical()],
    ['too long', `lab1.${'A'.repeat(2000)}.${'A'.repeat(43)}`],
  ])('refuses a malformed token: %s', (_name, token) => {
    expect(verifyLabToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a correctly signed payload that is not a claims object (malformed)', () => {
    // Sign a junk payload the way the server would, as if an older format had been issued.
    const payload = Buffer.from('{"labId":"lab-1"}').toString('base64url');
    const sig = createHmac('sha256', SECRET).update(`lab1.${payload}`).digest('base64url');
    expect(verifyLabToken(`lab1.${payload}.${sig}`, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['a zero ttl', { ttlMs: 0 }, /ttlMs must be/],
    ['a ttl beyond the maximum', { ttlMs: MAX_TOKEN_TTL_MS + 1 }, /ttlMs must be/],
    ['a lab id that cannot appear in a URL', { labId: 'a/b' }, /cannot issue a token: labId/],
    ['an unknown role', { role: 'admin' as never }, /cannot issue a token: role/],
    ['a session id with a dot', { sid: 'm.abc' }, /cannot issue a token: sid/],
    ['an empty session id', { sid: '' }, /cannot issue a token: sid/],
  ])('issueLabToken refuses %s', (_name, over, error) => {
    expect(() => issue(over)).toThrow(error);
  });

  it('refuses to work with a weak secret', () => {
    expect(() => issueLabToken({ labId: 'lab-1', role: 'solo', ttlMs: MINUTE }, 'short', NOW)).toThrow(/^\[lab-auth\] the lab token secret must be at least 32/);
    expect(() => verifyLabToken(issue(), '', NOW)).toThrow(/^\[lab-auth\]/);
  });

  it('generateSecret gives 32 fresh random bytes as base64url', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});

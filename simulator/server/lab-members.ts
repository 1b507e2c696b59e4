/**
 * Who may open a session on a lab, and with which role. A lab has its opener's
 * session secret; a shared lab also has one invite per lifecycle role, and
 * everyone who joins with an invite becomes a member with their own secret.
 * Only sha256 hashes of secrets are stored. Invites expire; member secrets are
 * traded for short-lived lab tokens (POST /labs/<id>/session) like the opener's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ACTING_ROLES, type ActingRole } from '../pure/roles/permissions';
import type { LabRole } from '../pure/protocol';
import type { LabStore } from '../store/types';
import { generateSecret } from './auth';

const SESSION_KIND = 'session';
const INVITE_KIND = 'invite';
const MEMBER_KIND = 'member';
/** Invites are for one class or one walkthrough: a day. */
export const INVITE_TTL_MS = 24 * 3600_000;
const MEMBER_PREFIX = 'm.';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const sameHex = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export type Invites = Record<ActingRole, string>;

/** The opener's session secret (returned once; only its hash is kept). */
export async function createOpenerSecret(store: LabStore, labId: string): Promise<string> {
  const secret = generateSecret();
  await store.put(labId, SESSION_KIND, 'secret', { sha256: sha256(secret) });
  return secret;
}

/** One fresh invite per lifecycle role, replacing any earlier ones. */
export async function createInvites(store: LabStore, labId: string, now: number): Promise<{ invites: Invites; expiresAt: number }> {
  const expiresAt = now + INVITE_TTL_MS;
  const invites = {} as Invites;
  for (const role of ACTING_ROLES) {
    const code = generateSecret();
    invites[role] = code;
    await store.put(labId, INVITE_KIND, role, { sha256: sha256(code), expiresAt });
  }
  return { invites, expiresAt };
}

export type JoinOutcome =
  | { ok: true; role: ActingRole; sessionSecret: string }
  | { ok: false; code: 'bad-invite' | 'invite-expired'; message: string };

/** Trades an invite for a member of the lab with the invite's role. */
export async function joinWithInvite(store: LabStore, labId: string, code: string, now: number): Promise<JoinOutcome> {
  const hash = sha256(code);
  for (const role of ACTING_ROLES) {
    const invite = (await store.get<{ sha256: string; expiresAt: number }>(labId, INVITE_KIND, role))?.doc;
    if (!invite || !sameHex(hash, invite.sha256)) continue;
    if (invite.expiresAt <= now) {
      return { ok: false, code: 'invite-expired', message: '[lab-auth] this invite has expired; ask the trainer for a new link' };
    }
    const memberId = generateSecret().replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
    const secret = generateSecret();
    await store.put(labId, MEMBER_KIND, memberId, { role, sha256: sha256(secret), joinedAt: now });
    return { ok: true, role, sessionSecret: `${MEMBER_PREFIX}${memberId}.${secret}` };
  }
  return { ok: false, code: 'bad-invite', message: '[lab-auth] this invite does not open that lab; check the link the trainer gave you' };
}

/** The role a session secret opens the lab with, or null when it opens nothing. */
export async function roleOfSecret(store: LabStore, lab: { id: string; role: string | null }, given: string): Promise<LabRole | null> {
  if (given.startsWith(MEMBER_PREFIX)) {
    const [memberId, secret] = given.slice(MEMBER_PREFIX.length).split('.', 2);
    if (!memberId || !secret) return null;
    const member = (await store.get<{ role: ActingRole; sha256: string }>(lab.id, MEMBER_KIND, memberId))?.doc;
    return member && sameHex(sha256(secret), member.sha256) ? member.role : null;
  }
  const stored = (await store.get<{ sha256: string }>(lab.id, SESSION_KIND, 'secret'))?.doc.sha256;
  return stored && sameHex(sha256(given), stored) ? ((lab.role ?? 'solo') as LabRole) : null;
}

/** The lab's members (for the trainer): id, role and when they joined. Never the hashes. */
export async function listMembers(store: LabStore, labId: string): Promise<{ memberId: string; role: ActingRole; joinedAt: number }[]> {
  const docs = await store.list<{ role: ActingRole; joinedAt: number }>(labId, MEMBER_KIND);
  return docs.map((d) => ({ memberId: d.id, role: d.doc.role, joinedAt: d.doc.joinedAt })).sort((a, b) => a.joinedAt - b.joinedAt);
}

/**
 * Who may open a session on a lab, and with which role. A lab has its opener's
 * session secret; a shared lab also has one invite per lifecycle role, and
 * whoever joins with an invite becomes a member with their own secret. Only
 * sha256 hashes of secrets and invites are stored. Session secrets are traded
 * for short-lived lab tokens (POST /labs/<id>/session).
 *
 * The choices, and why:
 * - An invite is single-use: the first join with it consumes it (a walkthrough
 *   is one person per role, so a forwarded link must not seat a second one).
 *   The person keeps their seat through their session secret, which the page
 *   remembers (reloads and resumes never need the invite again). Consuming is
 *   one transaction with an expected version, so two joins racing on one
 *   invite seat one person. Invites still expire after INVITE_TTL_MS unused.
 * - The trainer (the shared lab's opener, role `trainer`) may issue a fresh
 *   invite for a role at any time; it replaces that role's previous invite,
 *   used or not, so a leaked unused link stops working. It does not unseat a
 *   member who already joined with the old one: removing is its own step.
 * - Session secrets (the opener's, a member's, a class learner's: classes.ts
 *   makes those with createOpenerSecret) expire after SESSION_IDLE_MS without
 *   use, sliding: every renewal (POST /labs/<id>/session) and every join moves
 *   `lastUsedAt` on. A page renews at least hourly while open, so only an
 *   abandoned session expires; the refusal (403 `session-expired`) says what
 *   to do. Documents from before `lastUsedAt` count from their last write.
 * - The trainer may remove a member: the member's document keeps its role and
 *   `removedAt` (for a clear refusal, and so that the server's revocation list
 *   can be rebuilt at start) but loses its secret's hash. Lab tokens are
 *   stateless, so each names its session (`sid`: the member id, or `opener`)
 *   and admission refuses the sids of removed members (session-revocations.ts);
 *   the member's open sockets are closed at once by the caller.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ACTING_ROLES, type ActingRole } from '../pure/roles/permissions';
import type { LabRole } from '../pure/protocol';
import type { LabStore, StoredDoc } from '../store/types';
import { generateSecret } from './secrets';

const SESSION_KIND = 'session';
const INVITE_KIND = 'invite';
const MEMBER_KIND = 'member';
/** Invites are for one class or one walkthrough: a day. */
export const INVITE_TTL_MS = 24 * 3600_000;
/** A session secret unused this long no longer opens its lab. */
export const SESSION_IDLE_MS = 14 * 24 * 3600_000;
const MEMBER_PREFIX = 'm.';
/** The `sid` of the opener's session in its lab tokens; member sids are their member ids. */
export const OPENER_SID = 'opener';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const sameHex = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export type Invites = Record<ActingRole, string>;

interface OpenerDoc { sha256: string; lastUsedAt?: number }
interface InviteDoc { sha256: string; expiresAt: number; usedAt?: number; memberId?: string }
interface MemberDoc { role: ActingRole; sha256?: string; joinedAt: number; lastUsedAt?: number; removedAt?: number }

export const isActingRole = (r: string): r is ActingRole => (ACTING_ROLES as readonly string[]).includes(r);

/** The opener's session secret (returned once; only its hash is kept). `now` starts its idle clock. */
export async function createOpenerSecret(store: LabStore, labId: string, now?: number): Promise<string> {
  const secret = generateSecret();
  await store.put<OpenerDoc>(labId, SESSION_KIND, 'secret', { sha256: sha256(secret), ...(now !== undefined ? { lastUsedAt: now } : {}) });
  return secret;
}

/** One fresh invite per lifecycle role, replacing any earlier ones. */
export async function createInvites(store: LabStore, labId: string, now: number): Promise<{ invites: Invites; expiresAt: number }> {
  const invites = {} as Invites;
  let expiresAt = now + INVITE_TTL_MS;
  for (const role of ACTING_ROLES) ({ invite: invites[role], expiresAt } = await createInvite(store, labId, role, now));
  return { invites, expiresAt };
}

/** A fresh invite for one role; the role's previous invite (used or not) stops working. */
export async function createInvite(store: LabStore, labId: string, role: ActingRole, now: number): Promise<{ invite: string; expiresAt: number }> {
  const invite = generateSecret();
  const expiresAt = now + INVITE_TTL_MS;
  await store.put<InviteDoc>(labId, INVITE_KIND, role, { sha256: sha256(invite), expiresAt });
  return { invite, expiresAt };
}

export type InviteState = { state: 'open' | 'expired'; expiresAt: number } | { state: 'used'; expiresAt: number; usedAt: number; memberId: string | null };

/** Each role's invite as the trainer sees it: still open, used (by whom), or expired. Never the hashes. */
export async function inviteStates(store: LabStore, labId: string, now: number): Promise<Partial<Record<ActingRole, InviteState>>> {
  const out: Partial<Record<ActingRole, InviteState>> = {};
  for (const { id, doc } of await store.list<InviteDoc>(labId, INVITE_KIND)) {
    if (!isActingRole(id)) continue;
    out[id] = doc.usedAt !== undefined
      ? { state: 'used', expiresAt: doc.expiresAt, usedAt: doc.usedAt, memberId: doc.memberId ?? null }
      : { state: doc.expiresAt <= now ? 'expired' : 'open', expiresAt: doc.expiresAt };
  }
  return out;
}

export type JoinOutcome =
  | { ok: true; role: ActingRole; memberId: string; sessionSecret: string }
  | { ok: false; code: 'bad-invite' | 'invite-expired' | 'invite-used'; message: string };

/** Trades an invite for a member of the lab with the invite's role; the invite is used up. */
export async function joinWithInvite(store: LabStore, labId: string, code: string, now: number): Promise<JoinOutcome> {
  const hash = sha256(code);
  return store.transaction(async (tx) => {
    for (const role of ACTING_ROLES) {
      const invite = await tx.get<InviteDoc>(labId, INVITE_KIND, role);
      if (!invite || !sameHex(hash, invite.doc.sha256)) continue;
      if (invite.doc.usedAt !== undefined) {
        return { ok: false, code: 'invite-used', message: '[lab-auth] this invite link was already used: each link seats one person. If that was you, open the lab in the browser you joined with; otherwise ask the trainer for a new link' } as const;
      }
      if (invite.doc.expiresAt <= now) {
        return { ok: false, code: 'invite-expired', message: '[lab-auth] this invite has expired; ask the trainer for a new link' } as const;
      }
      const memberId = generateSecret().replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
      const secret = generateSecret();
      // The expected version makes a racing second join fail instead of seating two people.
      await tx.put<InviteDoc>(labId, INVITE_KIND, role, { ...invite.doc, usedAt: now, memberId }, { expectedVersion: invite.version });
      await tx.put<MemberDoc>(labId, MEMBER_KIND, memberId, { role, sha256: sha256(secret), joinedAt: now, lastUsedAt: now });
      return { ok: true, role, memberId, sessionSecret: `${MEMBER_PREFIX}${memberId}.${secret}` } as const;
    }
    return { ok: false, code: 'bad-invite', message: '[lab-auth] this invite does not open that lab (the trainer may have made a new link for its role); check the link the trainer gave you' } as const;
  });
}

export type SessionOutcome =
  | { ok: true; role: LabRole; sid: string }
  | { ok: false; code: 'bad-session' | 'session-expired' | 'member-removed'; message: string };

const BAD_SESSION = { ok: false, code: 'bad-session', message: '[lab-auth] this session secret does not open that lab; open the lab again from its page' } as const;
const idleDays = Math.round(SESSION_IDLE_MS / (24 * 3600_000));

/**
 * The role and session id a session secret opens the lab with, renewing its idle clock; or why not.
 * Called once per token (the page renews hourly), so the write it makes is cheap.
 */
export async function renewSession(store: LabStore, lab: { id: string; role: string | null }, given: string, now: number): Promise<SessionOutcome> {
  if (given.startsWith(MEMBER_PREFIX)) {
    const [memberId, secret] = given.slice(MEMBER_PREFIX.length).split('.', 2);
    if (!memberId || !secret) return BAD_SESSION;
    const member = await store.get<MemberDoc>(lab.id, MEMBER_KIND, memberId);
    if (member?.doc.removedAt !== undefined) {
      return { ok: false, code: 'member-removed', message: '[lab-auth] the trainer removed you from this lab; ask the trainer for a new invite link if you should be in it' };
    }
    if (!member?.doc.sha256 || !sameHex(sha256(secret), member.doc.sha256)) return BAD_SESSION;
    if (idle(member, now)) {
      return { ok: false, code: 'session-expired', message: `[lab-auth] your place in this lab was not used for ${idleDays} days and has expired; ask the trainer for a new invite link` };
    }
    await store.put<MemberDoc>(lab.id, MEMBER_KIND, memberId, { ...member.doc, lastUsedAt: now });
    return { ok: true, role: member.doc.role, sid: memberId };
  }
  const opener = await store.get<OpenerDoc>(lab.id, SESSION_KIND, 'secret');
  if (!opener || !sameHex(sha256(given), opener.doc.sha256)) return BAD_SESSION;
  if (idle(opener, now)) {
    return { ok: false, code: 'session-expired', message: `[lab-auth] this lab was not opened for ${idleDays} days and its session has expired; open the guide (or your class link) again for a new lab, or ask the trainer for a new link` };
  }
  await store.put<OpenerDoc>(lab.id, SESSION_KIND, 'secret', { ...opener.doc, lastUsedAt: now });
  return { ok: true, role: (lab.role ?? 'solo') as LabRole, sid: OPENER_SID };
}

function idle(stored: StoredDoc<{ lastUsedAt?: number }>, now: number): boolean {
  return now - (stored.doc.lastUsedAt ?? stored.updatedAt) >= SESSION_IDLE_MS;
}

export interface Member { memberId: string; role: ActingRole; joinedAt: number; lastUsedAt: number }

/** The lab's members (for the trainer): id, role, when they joined and last renewed. Never the hashes; never removed ones. */
export async function listMembers(store: LabStore, labId: string): Promise<Member[]> {
  const docs = await store.list<MemberDoc>(labId, MEMBER_KIND);
  return docs
    .filter((d) => d.doc.removedAt === undefined)
    .map((d) => ({ memberId: d.id, role: d.doc.role, joinedAt: d.doc.joinedAt, lastUsedAt: d.doc.lastUsedAt ?? d.updatedAt }))
    .sort((a, b) => a.joinedAt - b.joinedAt);
}

/** Removes a member: their secret stops opening the lab. False when there is no such member (or they were removed already). */
export async function removeMember(store: LabStore, labId: string, memberId: string, now: number): Promise<boolean> {
  const member = await store.get<MemberDoc>(labId, MEMBER_KIND, memberId);
  if (!member || member.doc.removedAt !== undefined) return false;
  const { sha256: _gone, ...kept } = member.doc;
  await store.put<MemberDoc>(labId, MEMBER_KIND, memberId, { ...kept, removedAt: now }, { expectedVersion: member.version });
  return true;
}

/** Every removal made at or after `since`, across labs: what admission must still refuse after a restart. */
export async function removalsSince(store: LabStore, since: number): Promise<{ labId: string; memberId: string; removedAt: number }[]> {
  const out: { labId: string; memberId: string; removedAt: number }[] = [];
  for (const lab of await store.listLabs()) {
    if (lab.role !== 'trainer') continue; // only shared labs have members
    for (const m of await store.list<MemberDoc>(lab.id, MEMBER_KIND)) {
      if (m.doc.removedAt !== undefined && m.doc.removedAt >= since) out.push({ labId: lab.id, memberId: m.id, removedAt: m.doc.removedAt });
    }
  }
  return out;
}

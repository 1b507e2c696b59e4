/**
 * What the trainer's walkthrough panel shows for each lifecycle role: the
 * invite link (only while this page holds its code and it is unused), the
 * invite's state in words, and who joined with that role. Pure, so every state
 * has a tested sentence; the panel (WalkthroughPart) only renders it.
 */
import type { MemberList } from '../client/trainer-desk';
import { roleName, WALKTHROUGH_ORDER } from '../../../simulator/pure/roles/vocabulary';

/** The walkthrough's order: the lifecycle's. */
export const WALKTHROUGH_ROLES = WALKTHROUGH_ORDER;

export interface WalkthroughRow {
  role: string;
  /** "App owner", without "the". */
  name: string;
  /** The invite code to link to; null when there is none to show (used, expired, or made elsewhere). */
  invite: string | null;
  /** The invite's state, for the trainer. */
  status: string;
  /** Who holds a seat with this role now. */
  members: { memberId: string; joinedAt: number }[];
}

/** An invite code this page holds, with the expiry the server gave it (which tells it from a newer one). */
export interface HeldInvite { code: string; expiresAt: number }

export { roleName };

/**
 * `codes`: the invite codes this page holds (from opening the lab, or from New link);
 * `list`: the server's answer to GET /members, null until it comes.
 */
export function walkthroughRows(codes: Readonly<Record<string, HeldInvite>>, list: MemberList | null): WalkthroughRow[] {
  return WALKTHROUGH_ROLES.map((role) => {
    const held = codes[role];
    const members = (list?.members ?? []).filter((m) => m.role === role).map(({ memberId, joinedAt }) => ({ memberId, joinedAt }));
    const invite = list?.invites[role];
    // A link made since (on another page) replaced the one held here: that one no longer works.
    const code = held && (!invite || invite.expiresAt === held.expiresAt) ? held.code : null;
    const base = { role, name: roleName(role), members };
    if (!list) return { ...base, invite: code, status: code ? 'Not used yet.' : 'Loading…' };
    if (!invite) return { ...base, invite: null, status: 'No link yet: make one.' };
    if (invite.state === 'used') return { ...base, invite: null, status: members.length > 0 ? 'Link used: it seated the person below.' : 'Link used; that person was removed. Make a new link for someone else.' };
    if (invite.state === 'expired') return { ...base, invite: null, status: 'Link expired unused: make a new one.' };
    return code
      ? { ...base, invite: code, status: 'Not used yet.' }
      : { ...base, invite: null, status: 'A link is out but not shown here (it was made on another page): make a new one to see it; the old one then stops working.' };
  });
}

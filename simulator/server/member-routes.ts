/**
 * The trainer's doors to the people of a shared lab (lab-members.ts), behind the
 * lab server's usual admission (lab token, allowed Origin, ended sessions refused):
 *   GET    /labs/<id>/members              {members:[{memberId, role, joinedAt, lastUsedAt}], invites:{<role>:{state, expiresAt, …}}}
 *   POST   /labs/<id>/invites/<role>       201 {role, invite, expiresAt}: a fresh invite; the role's previous one stops working
 *   DELETE /labs/<id>/members/<memberId>   {removed, socketsClosed}: the member's secret, tokens and sockets stop at once
 * Only the trainer (the shared lab's opener) may use them; anyone else gets 403 trainer-only.
 * They read the store only, so they work while the lab waits for a place or is suspended.
 */
import type { Context, Hono } from 'hono';
import type { LabRole } from '../pure/protocol';
import { ACTING_ROLES, ROLE_NAMES } from '../pure/roles/permissions';
import type { LabStore } from '../store/types';
import { createInvite, inviteStates, isActingRole, listMembers, removeMember } from '../labs/lab-members';
import type { SessionRevocations } from './session-revocations';

export interface MemberRouteDeps {
  store: LabStore;
  now: () => number;
  revocations: SessionRevocations;
  /** Closes the open sockets of a lab's session; returns how many. */
  closeSessionSockets(labId: string, sid: string, reason: string): number;
}

/** Paths under /labs/<id> served here: admission must not wake or queue the lab for them. */
export function isMemberRoute(rest: string): boolean {
  return /^\/(members|members\/[^/]+|invites\/[^/]+)$/.test(rest);
}

type RoleEnv = { Variables: { role: LabRole } };

/** Registers the doors; call after the admission middleware of /labs/<id>/*, which sets `role`. */
export function memberRoutes<E extends RoleEnv>(app: Hono<E>, d: MemberRouteDeps): void {
  /** The lab, when the caller is its trainer; otherwise the refusal to send. */
  const asTrainer = async (c: Context<RoleEnv>, toDo: string): Promise<Response | null> => {
    const role = c.get('role');
    if (role !== 'trainer') {
      const you = role === 'solo' ? 'this lab is not a shared one' : `you play ${ROLE_NAMES[role] ?? role}`;
      return c.json({ error: 'trainer-only', message: `[lab-server] only the trainer of a shared lab may ${toDo}; ${you}` }, 403);
    }
    const labId = c.req.param('labId') ?? '';
    if (!(await d.store.getLab(labId).catch(() => undefined))) {
      return c.json({ error: 'not-found', message: `[lab-server] lab ${labId} does not exist (it was deleted); open a new shared lab from the guide` }, 404);
    }
    return null;
  };

  const r = app as unknown as Hono<RoleEnv>;

  r.get('/labs/:labId/members', async (c) => {
    const refused = await asTrainer(c, 'see who joined the lab');
    if (refused) return refused;
    const labId = c.req.param('labId');
    return c.json({ members: await listMembers(d.store, labId), invites: await inviteStates(d.store, labId, d.now()) });
  });

  r.post('/labs/:labId/invites/:role', async (c) => {
    const refused = await asTrainer(c, 'make invite links');
    if (refused) return refused;
    const role = c.req.param('role');
    if (!isActingRole(role)) {
      return c.json({ error: 'unknown-role', message: `[lab-server] no invite for "${role}": invites are for ${ACTING_ROLES.join(', ')}` }, 404);
    }
    const made = await createInvite(d.store, c.req.param('labId'), role, d.now());
    return c.json({ role, ...made }, 201);
  });

  r.delete('/labs/:labId/members/:memberId', async (c) => {
    const refused = await asTrainer(c, 'remove people from the lab');
    if (refused) return refused;
    const labId = c.req.param('labId');
    const memberId = c.req.param('memberId');
    if (!(await removeMember(d.store, labId, memberId, d.now()))) {
      return c.json({ error: 'not-found', message: `[lab-server] lab ${labId} has no member ${memberId} (removed already?); GET /labs/${labId}/members lists them` }, 404);
    }
    // Stored first, then refused in memory, then the open sockets: no window where a token still works.
    d.revocations.end(labId, memberId);
    const socketsClosed = d.closeSessionSockets(labId, memberId, 'the trainer removed you from this lab');
    return c.json({ removed: memberId, socketsClosed });
  });
}

// The trainer's side of a shared lab, as the walkthrough panel calls it (simulator/server/member-routes.ts):
// who joined, each role's invite, a fresh invite link for a role, and removing a member. Every call
// goes through a LabFetch (LabSession.fetchLab: the trainer's lab token, renewed as needed) and
// resolves to an outcome; none throws.
import type { z } from 'zod';
import { LAB_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import { LabClientError } from './errors';
import { outcomeOf, type HttpOutcome } from './lab-http';
import { LabSession } from './session';
import type { FetchLike } from './lab-http';

/** fetch below /labs/<id> with the lab token: LabSession.fetchLab. */
export type LabFetch = (path: string, init?: RequestInit) => Promise<Response>;

export type MemberList = z.infer<typeof LAB_ROUTES.members.answer>;
export type LabMember = MemberList['members'][number];
export type FreshInvite = z.infer<typeof LAB_ROUTES.invite.answer>;

/** GET /members: the members and the state of each role's invite. */
export function listLabMembers(fetchLab: LabFetch): Promise<HttpOutcome<MemberList>> {
  return call(fetchLab, '/members', {}, LAB_ROUTES.members.answer);
}

/** POST /invites/<role>: a new invite for the role; its previous link stops working. */
export function makeInvite(fetchLab: LabFetch, role: string): Promise<HttpOutcome<FreshInvite>> {
  return call(fetchLab, `/invites/${encodeURIComponent(role)}`, { method: 'POST' }, LAB_ROUTES.invite.answer);
}

/** DELETE /members/<id>: the member's session ends now (their page is told why). */
export function removeLabMember(fetchLab: LabFetch, memberId: string): Promise<HttpOutcome<{ removed: string; socketsClosed: number }>> {
  return call(fetchLab, `/members/${encodeURIComponent(memberId)}`, { method: 'DELETE' }, LAB_ROUTES.removeMember.answer);
}

/**
 * A session on a shared lab the page opened for someone else (the trainer's own secret, not the
 * page's lab): remembered nowhere, its token renewed like any session's. start() it before use.
 */
export function trainerSession(o: { simulatorUrl: string; scenario: string; labId: string; sessionSecret: string | null; fetch?: FetchLike }): LabSession {
  return new LabSession({
    scenario: o.scenario, simulatorUrl: o.simulatorUrl, storage: null, enter: { labId: o.labId, sessionSecret: o.sessionSecret },
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
}

async function call<T>(fetchLab: LabFetch, path: string, init: RequestInit, schema: z.ZodType<T>): Promise<HttpOutcome<T>> {
  let res: Response;
  try {
    res = await fetchLab(path, init);
  } catch (err) {
    // fetchLab throws when no token can be had; the session has the reason in its own words.
    if (err instanceof LabClientError && err.code !== 'simulator-unreachable') return { kind: 'refused', status: 0, code: err.code, message: err.message };
    return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
  }
  return outcomeOf(res, `${init.method ?? 'GET'} ${path}`, schema);
}

// The lab server's session doors, as the page calls them: POST /labs (open a lab), a shared lab's
// and a class's join, and POST /labs/<id>/session (trade the session secret for a fresh token). The
// answers are read by the contract's one reader (simulator/pure/protocol/http-answer.ts) against
// each route's schema (http-routes.ts). Each call resolves to an outcome the session store can
// switch on; it never throws, whatever the network or server does.
import type { z } from 'zod';
import { LAB_ROUTES, readAnswer, routePath, type LabRole, type OpenedLab, type TokenGrant } from '../../../simulator/pure/protocol';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type { OpenedLab, TokenGrant };

export type HttpOutcome<T> =
  | { kind: 'ok'; value: T }
  /** No answer at all: the simulator is not running (or not at this URL). */
  | { kind: 'unreachable'; message: string }
  /** An answer with this status; `code` and `message` come from the server's refusal body when it had one. */
  | { kind: 'refused'; status: number; code: string; message: string };

export async function openLab(fetchFn: FetchLike, simulatorUrl: string, scenario: string, role?: LabRole): Promise<HttpOutcome<OpenedLab>> {
  return postJson(fetchFn, simulatorUrl, LAB_ROUTES.openLab.path, { scenario, ...(role ? { role } : {}) }, LAB_ROUTES.openLab.answer);
}

export type OpenedSharedLab = z.infer<typeof LAB_ROUTES.openLab.answer>;

/** POST /labs {shared: true}: a lab with one person per role, whose opener is the trainer (a room's server wants the operator key). */
export async function openSharedLab(fetchFn: FetchLike, simulatorUrl: string, scenario: string, operatorKey: string | null): Promise<HttpOutcome<OpenedSharedLab>> {
  const headers = { 'content-type': 'application/json', ...(operatorKey ? { authorization: `Bearer ${operatorKey}` } : {}) };
  const init = { method: 'POST', headers, body: JSON.stringify({ scenario, shared: true }) };
  return request(fetchFn, `${simulatorUrl}${LAB_ROUTES.openLab.path}`, init, LAB_ROUTES.openLab.answer, `POST ${LAB_ROUTES.openLab.path}`);
}

/** POST /labs/<id>/join: an invite from a shared lab's trainer becomes this reader's member session. */
export async function joinLab(fetchFn: FetchLike, simulatorUrl: string, labId: string, invite: string): Promise<HttpOutcome<OpenedLab>> {
  return postJson(fetchFn, simulatorUrl, routePath(LAB_ROUTES.joinLab.path, { labId }), { invite }, LAB_ROUTES.joinLab.answer);
}

/** A learner's place in a class: a lab of their own, answered like an opened lab. */
export async function joinClass(fetchFn: FetchLike, simulatorUrl: string, classId: string, code: string, learner: string): Promise<HttpOutcome<OpenedLab>> {
  return postJson(fetchFn, simulatorUrl, routePath(LAB_ROUTES.joinClass.path, { classId }), { code, learner }, LAB_ROUTES.joinClass.answer);
}

/** `secret` null: the session cookie the browser sends holds it (a room over HTTPS). */
export async function tradeSessionSecret(fetchFn: FetchLike, simulatorUrl: string, labId: string, secret: string | null): Promise<HttpOutcome<TokenGrant>> {
  return postJson(fetchFn, simulatorUrl, routePath(LAB_ROUTES.renewSession.path, { labId }), secret === null ? {} : { secret }, LAB_ROUTES.renewSession.answer);
}

/** GET /labs/<id> with the token: proves the lab exists and the token is accepted. */
export async function checkLab(fetchFn: FetchLike, simulatorUrl: string, labId: string, token: string): Promise<HttpOutcome<unknown>> {
  const path = routePath(LAB_ROUTES.lab.path, { labId });
  return request(fetchFn, `${simulatorUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }, LAB_ROUTES.lab.answer, `GET ${LAB_ROUTES.lab.path}`);
}

function postJson<T>(fetchFn: FetchLike, base: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<HttpOutcome<T>> {
  return request(fetchFn, `${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, schema, `POST ${path}`);
}

async function request<T>(fetchFn: FetchLike, url: string, init: RequestInit, schema: z.ZodType<T>, what: string): Promise<HttpOutcome<T>> {
  let res: Response;
  try {
    res = await fetchFn(url, init);
  } catch (err) {
    return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
  }
  return outcomeOf(res, what, schema);
}

/** A server's answer to `what` (a method and path, never a query: it may hold a secret) as an outcome. */
export async function outcomeOf<T>(res: Response, what: string, schema: z.ZodType<T>): Promise<HttpOutcome<T>> {
  const read = readAnswer({ status: res.status, body: await res.json().catch(() => undefined) }, schema, what.replace(/\?.*$/, ''));
  return read.ok ? { kind: 'ok', value: read.value } : { kind: 'refused', status: read.status, code: read.code, message: read.message };
}

// The lab server's session doors, as the page calls them: POST /labs (open a lab) and
// POST /labs/<id>/session (trade the session secret for a fresh token). Each call resolves to an
// outcome the session store can switch on; it never throws, whatever the network or server does.
import { z } from 'zod';
import { labIdSchema, labRoleSchema, type LabRole } from '../../../simulator/pure/protocol';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const grantSchema = z.object({ labId: labIdSchema, role: labRoleSchema, token: z.string().min(1), expiresAt: z.number() });
const openedSchema = grantSchema.extend({ sessionSecret: z.string().min(1) });
export type TokenGrant = z.infer<typeof grantSchema>;
export type OpenedLab = z.infer<typeof openedSchema>;

export type HttpOutcome<T> =
  | { kind: 'ok'; value: T }
  /** No answer at all: the simulator is not running (or not at this URL). */
  | { kind: 'unreachable'; message: string }
  /** An answer with this status; `code` and `message` come from the server's JSON body when it had one. */
  | { kind: 'refused'; status: number; code: string; message: string };

export async function openLab(fetchFn: FetchLike, simulatorUrl: string, scenario: string, role?: LabRole): Promise<HttpOutcome<OpenedLab>> {
  return postJson(fetchFn, `${simulatorUrl}/labs`, { scenario, ...(role ? { role } : {}) }, openedSchema);
}

/** POST /labs/<id>/join: an invite from a shared lab's trainer becomes this reader's member session. */
export async function joinLab(fetchFn: FetchLike, simulatorUrl: string, labId: string, invite: string): Promise<HttpOutcome<OpenedLab>> {
  return postJson(fetchFn, `${simulatorUrl}/labs/${labId}/join`, { invite }, openedSchema);
}

/** A learner's place in a class: a lab of their own, answered like an opened lab. */
export async function joinClass(fetchFn: FetchLike, simulatorUrl: string, classId: string, code: string, learner: string): Promise<HttpOutcome<OpenedLab>> {
  return postJson(fetchFn, `${simulatorUrl}/classes/${encodeURIComponent(classId)}/join`, { code, learner }, openedSchema);
}

export async function tradeSessionSecret(fetchFn: FetchLike, simulatorUrl: string, labId: string, secret: string): Promise<HttpOutcome<TokenGrant>> {
  return postJson(fetchFn, `${simulatorUrl}/labs/${labId}/session`, { secret }, grantSchema);
}

/** GET /labs/<id> with the token: proves the lab exists and the token is accepted. */
export async function checkLab(fetchFn: FetchLike, simulatorUrl: string, labId: string, token: string): Promise<HttpOutcome<unknown>> {
  return request(fetchFn, `${simulatorUrl}/labs/${labId}`, { headers: { authorization: `Bearer ${token}` } }, z.unknown());
}

function postJson<T>(fetchFn: FetchLike, url: string, body: unknown, schema: z.ZodType<T>): Promise<HttpOutcome<T>> {
  return request(fetchFn, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, schema);
}

async function request<T>(fetchFn: FetchLike, url: string, init: RequestInit, schema: z.ZodType<T>): Promise<HttpOutcome<T>> {
  let res: Response;
  try {
    res = await fetchFn(url, init);
  } catch (err) {
    return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
  }
  return outcomeOf(res, url, schema);
}

/** A server's answer as an outcome: its JSON checked against `schema`, or the refusal it carries. */
export async function outcomeOf<T>(res: Response, url: string, schema: z.ZodType<T>): Promise<HttpOutcome<T>> {
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const b = (body ?? {}) as { error?: unknown; message?: unknown };
    return {
      kind: 'refused',
      status: res.status,
      code: typeof b.error === 'string' ? b.error : `http-${res.status}`,
      message: typeof b.message === 'string' ? b.message : `the server answered ${res.status} with no reason`,
    };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return { kind: 'refused', status: res.status, code: 'bad-answer', message: `the answer of ${url.replace(/\?.*$/, '')} is not what this page expects; the site and the lab server may come from different Edge Lab versions` };
  }
  return { kind: 'ok', value: parsed.data };
}

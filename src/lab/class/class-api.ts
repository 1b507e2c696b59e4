// The class endpoints of the lab server, as the dashboard calls them. Trainer calls carry the
// class's trainer secret as `Authorization: Bearer`. Like callLab, every call resolves to an
// ApiOutcome (the value, or the server's code and message, or status 0 when nothing answered);
// none throws.
import type { z } from 'zod';
import { classInfoSchema, jumpResultSchema } from '../../../simulator/pure/protocol/http-answers';
import { unreachableAdvice } from '../client/unreachable';
import type { ApiOutcome, HttpMethod } from '../client/lab-api';
import type { FetchLike } from '../client/lab-http';
import type { ClassInfo, JumpPhase, JumpResult, OpenedClass, ScenarioChoice, WarmPool } from './class-types';

export interface ClassServer {
  /** The lab server's base URL, without a trailing slash. */
  url: string;
  /** Default globalThis.fetch, looked up per call. */
  fetch?: FetchLike;
}

interface CallOptions {
  secret?: string;
  body?: unknown;
  /** Read the answer as text (a console), not JSON. */
  text?: boolean;
  /** The contract's schema of the answer (pure/protocol/http-answers.ts): a 2xx answer not of that shape is an error, not a value. */
  schema?: z.ZodType;
}

export async function callClassServer<T>(server: ClassServer, method: HttpMethod, path: string, opts: CallOptions = {}): Promise<ApiOutcome<T>> {
  const headers: Record<string, string> = {};
  if (opts.secret) headers.authorization = `Bearer ${opts.secret}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    const f = server.fetch ?? globalThis.fetch.bind(globalThis);
    res = await f(`${server.url}${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, status: 0, code: 'unreachable', message: `[class] the lab server at ${server.url} does not answer (${why}); ${unreachableAdvice(server.url)}`, issues: [] };
  }
  if (res.ok) {
    const value = opts.text ? await res.text().catch(() => '') : await res.json().catch(() => undefined);
    if (opts.schema) {
      const parsed = opts.schema.safeParse(value);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        return { ok: false, status: res.status, code: 'bad-answer', message: `[class] the lab server's answer to ${method} ${path} is not what this page expects (${first ? `${first.path.join('.') || 'the answer'}: ${first.message}` : 'unknown shape'}); the site and the lab server are probably of different versions: reload the page, or restart npm start`, issues: [] };
      }
      return { ok: true, status: res.status, value: parsed.data as T };
    }
    return { ok: true, status: res.status, value: value as T };
  }
  const b = ((await res.json().catch(() => undefined)) ?? {}) as { error?: unknown; message?: unknown };
  return {
    ok: false,
    status: res.status,
    code: typeof b.error === 'string' ? b.error : `http-${res.status}`,
    message: typeof b.message === 'string' ? b.message : `[class] the lab server answered ${res.status} without a reason`,
    issues: [],
  };
}

const classPath = (classId: string): string => `/classes/${encodeURIComponent(classId)}`;
const labPath = (classId: string, labId: string): string => `${classPath(classId)}/labs/${encodeURIComponent(labId)}`;

export function listScenarios(server: ClassServer): Promise<ApiOutcome<{ scenarios: ScenarioChoice[] }>> {
  return callClassServer(server, 'GET', '/scenarios');
}

/** Opening a class takes the operator key of the lab server (`npm start` prints it), sent as the bearer. */
export function openClass(server: ClassServer, operatorKey: string, body: { scenario: string; name?: string; warm?: number; learners?: number; startPhase?: JumpPhase }): Promise<ApiOutcome<OpenedClass>> {
  return callClassServer(server, 'POST', '/classes', { body, secret: operatorKey });
}

/** Closes the class: its warm labs go, its links stop working; learners keep their labs. */
export function closeClass(server: ClassServer, classId: string, secret: string): Promise<ApiOutcome<{ closed: true; warmDeleted: number }>> {
  return callClassServer(server, 'DELETE', classPath(classId), { secret });
}

export function getClass(server: ClassServer, classId: string, secret: string): Promise<ApiOutcome<ClassInfo>> {
  return callClassServer(server, 'GET', classPath(classId), { secret, schema: classInfoSchema });
}

/** The host's retained console, as the lab server keeps it (terminal escapes included). */
export function peekConsole(server: ClassServer, classId: string, secret: string, labId: string, host: string): Promise<ApiOutcome<string>> {
  return callClassServer(server, 'GET', `${labPath(classId, labId)}/hosts/${encodeURIComponent(host)}/console`, { secret, text: true });
}

export function jumpClassLab(server: ClassServer, classId: string, secret: string, labId: string, phase: JumpPhase): Promise<ApiOutcome<JumpResult>> {
  return callClassServer(server, 'POST', `${labPath(classId, labId)}/jump`, { secret, body: { phase }, schema: jumpResultSchema });
}

export function setWarm(server: ClassServer, classId: string, secret: string, count: number): Promise<ApiOutcome<WarmPool>> {
  return callClassServer(server, 'PUT', `${classPath(classId)}/warm`, { secret, body: { count } });
}

/** A shared lab of the class for a role-based walkthrough: one invite per lifecycle role. */
export interface OpenedWalkthrough { labId: string; sessionSecret: string; invites: Record<string, string>; invitesExpireAt: number }

export function openWalkthrough(server: ClassServer, classId: string, secret: string): Promise<ApiOutcome<OpenedWalkthrough>> {
  return callClassServer(server, 'POST', `${classPath(classId)}/walkthroughs`, { secret, body: {} });
}

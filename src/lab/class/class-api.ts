// The class endpoints of the lab server, as the dashboard calls them. Trainer calls carry the
// class's trainer secret as `Authorization: Bearer`. Like callLab, every call resolves to an
// ApiOutcome (the value, or the server's code and message, or status 0 when nothing answered);
// none throws.
import { z } from 'zod';
import { readAnswer } from '../../../simulator/pure/protocol/http-answer';
import { LAB_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import type { TrainerDrillId } from '../../../simulator/pure/drills/trainer-drills';
import { unreachableAdvice } from '../client/unreachable';
import type { ApiOutcome, HttpMethod } from '../client/lab-api';
import type { FetchLike } from '../client/lab-http';
import type { ClassInfo, DrillResult, JumpPhase, JumpResult, OpenedClass, OpenedWalkthrough, ScenarioChoice, WarmPool } from './class-types';

export interface ClassServer {
  /** The lab server's base URL, without a trailing slash. */
  url: string;
  /** Default globalThis.fetch, looked up per call. */
  fetch?: FetchLike;
}

interface CallOptions<T> {
  secret?: string;
  body?: unknown;
  /** Read the answer as text (a console), not JSON. */
  text?: boolean;
  /** The contract's schema of the answer (pure/protocol/http-routes.ts): a 2xx answer not of that shape is an error, not a value. */
  schema: z.ZodType<T>;
}

export async function callClassServer<T>(server: ClassServer, method: HttpMethod, path: string, opts: CallOptions<T>): Promise<ApiOutcome<T>> {
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
  const text = res.ok && opts.text === true;
  const body: unknown = text ? await res.text().catch(() => '') : await res.json().catch(() => undefined);
  const read = readAnswer({ status: res.status, body }, opts.schema, `${method} ${path}`);
  return read.ok ? read : { ...read, message: read.message.startsWith('[') ? read.message : `[class] ${read.message}` };
}

const classPath = (classId: string): string => `/classes/${encodeURIComponent(classId)}`;
const labPath = (classId: string, labId: string): string => `${classPath(classId)}/labs/${encodeURIComponent(labId)}`;

export function listScenarios(server: ClassServer): Promise<ApiOutcome<{ scenarios: ScenarioChoice[] }>> {
  return callClassServer(server, 'GET', '/scenarios', { schema: LAB_ROUTES.scenarios.answer });
}

/** Opening a class takes the operator key of the lab server (`npm start` prints it), sent as the bearer. */
export function openClass(server: ClassServer, operatorKey: string, body: { scenario: string; name?: string; warm?: number; learners?: number; startPhase?: JumpPhase }): Promise<ApiOutcome<OpenedClass>> {
  return callClassServer(server, 'POST', '/classes', { body, secret: operatorKey, schema: LAB_ROUTES.openClass.answer });
}

/** Closes the class: its warm labs go, its links stop working; learners keep their labs. */
export function closeClass(server: ClassServer, classId: string, secret: string): Promise<ApiOutcome<{ closed: true; warmDeleted: number }>> {
  return callClassServer(server, 'DELETE', classPath(classId), { secret, schema: LAB_ROUTES.closeClass.answer });
}

export function getClass(server: ClassServer, classId: string, secret: string): Promise<ApiOutcome<ClassInfo>> {
  return callClassServer(server, 'GET', classPath(classId), { secret, schema: LAB_ROUTES.classDashboard.answer });
}

/** The host's retained console, as the lab server keeps it (terminal escapes included). */
export function peekConsole(server: ClassServer, classId: string, secret: string, labId: string, host: string): Promise<ApiOutcome<string>> {
  return callClassServer(server, 'GET', `${labPath(classId, labId)}/hosts/${encodeURIComponent(host)}/console`, { secret, text: true, schema: z.string() });
}

export function jumpClassLab(server: ClassServer, classId: string, secret: string, labId: string, phase: JumpPhase): Promise<ApiOutcome<JumpResult>> {
  return callClassServer(server, 'POST', `${labPath(classId, labId)}/jump`, { secret, body: { phase }, schema: LAB_ROUTES.jumpClassLab.answer });
}

/** A drill on a learner's host (simulator/pure/drills/trainer-drills.ts): its break, or its fix. */
export function drillClassHost(server: ClassServer, classId: string, secret: string, labId: string, host: string, drill: TrainerDrillId): Promise<ApiOutcome<DrillResult>> {
  return callClassServer(server, 'POST', `${labPath(classId, labId)}/hosts/${encodeURIComponent(host)}/drill`, { secret, body: { drill }, schema: LAB_ROUTES.drillClassHost.answer });
}

export function setWarm(server: ClassServer, classId: string, secret: string, count: number): Promise<ApiOutcome<WarmPool>> {
  return callClassServer(server, 'PUT', `${classPath(classId)}/warm`, { secret, body: { count }, schema: LAB_ROUTES.setWarm.answer });
}

export function openWalkthrough(server: ClassServer, classId: string, secret: string): Promise<ApiOutcome<OpenedWalkthrough>> {
  return callClassServer(server, 'POST', `${classPath(classId)}/walkthroughs`, { secret, body: {}, schema: LAB_ROUTES.openWalkthrough.answer });
}

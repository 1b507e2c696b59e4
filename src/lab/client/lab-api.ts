// The lab's HTTP API (its own routes and the Palette page API under /palette/v1) as the page calls
// it, through the contract (simulator/pure/protocol/http-routes.ts): each answer is parsed with its
// route's schema by the one reader (`readAnswer`). Every call resolves to an outcome a form can
// render: the value, or the server's message with its per-field issues (422), or the reason nothing
// answered (status 0). It never throws.
import { z } from 'zod';
import {
  readAnswer, routePath, TEXT_ANSWER,
  type AnswerOf, type ApiOutcome, type HttpMethod, type RouteContract,
} from '../../../simulator/pure/protocol';
import type { LabSession } from './session';

export { issuesAt, type ApiOutcome, type FieldIssue, type HttpMethod } from '../../../simulator/pure/protocol';

const LAB_BASE = '/labs/:labId';

/** A contract route's path below its lab, as LabSession.fetchLab takes it. */
export function labRelativePath(route: RouteContract, params: Readonly<Record<string, string>> = {}): string {
  if (route.path.startsWith(LAB_BASE)) return routePath(route.path.slice(LAB_BASE.length), params);
  if (route.path.startsWith('/v1/')) return `/palette${routePath(route.path, params)}`;
  throw new Error(`[lab-api] ${route.method} ${route.path} is not a route of a lab`);
}

/** A route of the lab or of its Palette, its answer checked against the route's schema. */
export function callLabRoute<R extends RouteContract>(
  session: LabSession, route: R, o: { params?: Readonly<Record<string, string>>; body?: unknown } = {},
): Promise<ApiOutcome<AnswerOf<R>>> {
  const schema = route.answer === TEXT_ANSWER ? z.string() : route.answer;
  return callLab(session, route.method, labRelativePath(route, o.params), o.body, schema as z.ZodType<AnswerOf<R>>);
}

/** Any path below the lab (the scenario steps name theirs); without a schema the answer is only known to be JSON. */
export async function callLab(session: LabSession, method: HttpMethod, path: string, body?: unknown): Promise<ApiOutcome<unknown>>;
export async function callLab<T>(session: LabSession, method: HttpMethod, path: string, body: unknown, schema: z.ZodType<T>): Promise<ApiOutcome<T>>;
export async function callLab(session: LabSession, method: HttpMethod, path: string, body?: unknown, schema: z.ZodType = z.unknown()): Promise<ApiOutcome<unknown>> {
  let res: Response;
  try {
    res = await session.fetchLab(path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, status: 0, code: 'unreachable', message: `The lab server does not answer (${message}). Is npm start still running?`, issues: [] };
  }
  const text = res.ok && schema instanceof z.ZodString;
  const arrived = { status: res.status, body: text ? await res.text().catch(() => '') : await res.json().catch(() => undefined) };
  return readAnswer(arrived, schema, `${method} ${path.replace(/\?.*$/, '')}`);
}

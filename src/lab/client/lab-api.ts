// The lab's HTTP API (Palette page API under /palette/v1, installers) as the page calls it. Every
// call resolves to an outcome a form can render: the value, or the server's message with its
// per-field issues (422), or the reason nothing answered. It never throws.
import type { LabSession } from './session';

/** One problem at a field of the request body, as the Palette and the installer builder report it. */
export interface FieldIssue {
  /** Dotted path into the request body, e.g. `layers[2].pack`; for user data, `line` says where. */
  path: string;
  code?: string;
  message: string;
  hint?: string;
  severity?: 'error' | 'warning';
  line?: number;
  column?: number;
}

export type ApiOutcome<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number; code: string; message: string; issues: FieldIssue[] };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export async function callLab<T = unknown>(session: LabSession, method: HttpMethod, path: string, body?: unknown): Promise<ApiOutcome<T>> {
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
  const json: unknown = await res.json().catch(() => undefined);
  if (res.ok) return { ok: true, status: res.status, value: json as T };
  const b = (json ?? {}) as { error?: unknown; message?: unknown; issues?: unknown };
  return {
    ok: false,
    status: res.status,
    code: typeof b.error === 'string' ? b.error : `http-${res.status}`,
    message: typeof b.message === 'string' ? b.message : `The lab server answered ${res.status} without a reason.`,
    issues: Array.isArray(b.issues) ? (b.issues as FieldIssue[]) : [],
  };
}

/** The issues at exactly this path, or below it (`layers[2]` also matches `layers[2].pack`). */
export function issuesAt(issues: readonly FieldIssue[], path: string): FieldIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}

// How every HTTP answer of the lab server is read, on any side: a 2xx body checked against the
// route's answer schema, or a refusal body `{error, message, field?, issues?}`. One reader, so the
// page's callers (lab sessions, the lab API, the class dashboard) cannot drift apart. Pure.
import { z } from 'zod';

/** One problem at a field of a request body, as the Palette and the installer builder report it. */
export const fieldIssueSchema = z.object({
  /** Dotted path into the request body, e.g. `layers[2].pack`; for user data, `line` says where. */
  path: z.string(),
  code: z.string().optional(),
  message: z.string(),
  hint: z.string().optional(),
  severity: z.enum(['error', 'warning']).optional(),
  line: z.number().optional(),
  column: z.number().optional(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** Every refusal's body. `error` is a kebab-case code; `field` names the request field at fault. */
export const refusalBodySchema = z.looseObject({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(fieldIssueSchema).optional(),
});
export type RefusalBody = z.infer<typeof refusalBodySchema>;

export type ApiOutcome<T> =
  | { ok: true; status: number; value: T }
  /** status 0: nothing answered. `code` is the server's, or `http-<status>`, or `bad-answer`. */
  | { ok: false; status: number; code: string; message: string; issues: FieldIssue[] };

/** What arrived: the status and the body, already read (JSON, text, or undefined when unreadable). */
export interface ArrivedAnswer {
  status: number;
  body: unknown;
}

/**
 * The outcome of an answer to `what` (e.g. `POST /labs`, no query string: it may carry a secret).
 * A 2xx body that the schema refuses is a `bad-answer` naming the first wrong field; a refusal
 * without a readable body still gets a message with its status.
 */
export function readAnswer<T>(arrived: ArrivedAnswer, schema: z.ZodType<T>, what: string): ApiOutcome<T> {
  const { status, body } = arrived;
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, status, value: parsed.data };
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || 'the answer'}: ${first.message}` : 'unknown shape';
    return {
      ok: false, status, code: 'bad-answer', issues: [],
      message: `the lab server's answer to ${what} is not what this page expects (${where}); the site and the lab server probably come from different Edge Lab versions: reload the page, or restart npm start`,
    };
  }
  const refusal = refusalBodySchema.safeParse(body);
  if (refusal.success) return { ok: false, status, code: refusal.data.error, message: refusal.data.message, issues: refusal.data.issues ?? [] };
  const loose = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown };
  return {
    ok: false,
    status,
    code: typeof loose.error === 'string' ? loose.error : `http-${status}`,
    message: typeof loose.message === 'string' ? loose.message : `the lab server answered ${what} with ${status} and no reason`,
    issues: [],
  };
}

/** The issues at exactly this path, or below it (`layers[2]` also matches `layers[2].pack`). */
export function issuesAt(issues: readonly FieldIssue[], path: string): FieldIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}

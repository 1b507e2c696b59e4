// The simulated Palette's validation findings. Every rule returns PaletteIssue values: a dotted
// path into the checked object (`layers[2].pack`, `controlPlanePool.hosts[0].hostId`), a stable
// machine-readable code, a message that says what is wrong, and a hint that says what to do.
// Errors block the action (saving a profile, creating a cluster); warnings never do.
import type { z } from 'zod';

export type Severity = 'error' | 'warning';

export interface PaletteIssue {
  path: string;
  code: string;
  message: string;
  hint?: string;
  severity: Severity;
}

export type PathSegment = string | number;

/** `['layers', 0, 'values', 'system.uri']` → `layers[0].values.system.uri`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`),
    '',
  );
}

export function error(path: string, code: string, message: string, hint?: string): PaletteIssue {
  return { path, code, message, ...(hint ? { hint } : {}), severity: 'error' };
}

export function warning(path: string, code: string, message: string, hint?: string): PaletteIssue {
  return { path, code, message, ...(hint ? { hint } : {}), severity: 'warning' };
}

export const hasErrors = (issues: readonly PaletteIssue[]): boolean => issues.some((i) => i.severity === 'error');

/** `a`, `a or b`, `a, b or c`, each in backticks. */
export function oneOf(choices: readonly string[]): string {
  const q = choices.map((c) => `\`${c}\``);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

const NOUN: Record<string, string> = { string: 'text', number: 'a number', boolean: '`true` or `false`', array: 'a list', object: 'an object' };

/**
 * Shape problems found by a zod schema (a missing field, a number where text belongs), as
 * `invalid-field` errors. Needs the issues' `input` (parse with `reportInput: true`).
 */
export function fromZod(err: z.ZodError): PaletteIssue[] {
  return err.issues.map((i) => {
    const path = formatPath(i.path.filter((s): s is PathSegment => typeof s !== 'symbol'));
    const field = path === '' ? 'the value' : `\`${path}\``;
    if (i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined) {
      return error(path, 'invalid-field', 'is required', `add ${field}`);
    }
    if (i.code === 'invalid_type') {
      return error(path, 'invalid-field', `must be ${NOUN[i.expected] ?? i.expected}`, `change ${field} to ${NOUN[i.expected] ?? i.expected}`);
    }
    if (i.code === 'invalid_value') {
      const values = i.values.map(String);
      return error(path, 'invalid-field', `must be ${oneOf(values)}`, `set ${field} to ${oneOf(values)}`);
    }
    return error(path, 'invalid-field', i.message, `correct ${field}`);
  });
}

export type Parsed<T> = { ok: true; value: T; warnings: PaletteIssue[] } | { ok: false; issues: PaletteIssue[] };

/** Shape first (zod), then the semantic rules; errors fail, warnings ride along with the value. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, rules: (value: T) => PaletteIssue[]): Parsed<T> {
  const shaped = schema.safeParse(raw, { reportInput: true });
  if (!shaped.success) return { ok: false, issues: fromZod(shaped.error) };
  const issues = rules(shaped.data);
  return hasErrors(issues) ? { ok: false, issues } : { ok: true, value: shaped.data, warnings: issues };
}

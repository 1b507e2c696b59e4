// Validation of a user-data file's text. Never throws for bad input: every problem comes back as
// an issue with file, 1-based line/column, dotted key path, message and (usually) a fix hint.
//
// Order of checks: `#cloud-config` header, then YAML syntax (parser's own positions; if any
// syntax error exists the schema is not checked), then the schema (positions mapped from the
// zod path, see locate.ts). Issues are sorted by line, then column. Warnings (YAML warnings and
// lint.ts) are returned only on success.
import { LineCounter, parseDocument } from 'yaml';
import { lintUserData } from './lint';
import { locate, type PathSegment } from './locate';
import { describeIssue, dropShadowedMissing, type RawFinding } from './messages';
import { siteUserDataSchema, userDataSchema, type UserData } from './schema';
import { formatPath, yamlErrorIssue } from './yaml-errors';

export type UserDataIssue = { file: string; line: number; column: number; path: string; message: string; hint?: string };
export type UserDataResult =
  | { ok: true; userData: UserData; warnings: UserDataIssue[] }
  | { ok: false; issues: UserDataIssue[] };

export const CLOUD_CONFIG_HEADER = '#cloud-config';

function headerIssue(text: string, file: string): UserDataIssue | undefined {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const first = (lines[0] ?? '').trimEnd();
  if (first === CLOUD_CONFIG_HEADER) return undefined;
  const at = { file, line: 1, column: 1, path: '' };
  if (/^#\s*cloud-config\b/i.test(first)) {
    return { ...at, message: `the first line is \`${first}\`; it must be exactly \`${CLOUD_CONFIG_HEADER}\``, hint: `replace it with \`${CLOUD_CONFIG_HEADER}\` (lowercase, no space after \`#\`)` };
  }
  const later = lines.findIndex((l) => l.trimEnd() === CLOUD_CONFIG_HEADER);
  return later > 0
    ? { ...at, message: `\`${CLOUD_CONFIG_HEADER}\` must be the first line, but it is on line ${later + 1}`, hint: 'move it to the very top of the file' }
    : { ...at, message: `the file does not start with \`${CLOUD_CONFIG_HEADER}\``, hint: `add \`${CLOUD_CONFIG_HEADER}\` as the first line; without it the installer ignores the file` };
}

const byPosition = (a: UserDataIssue, b: UserDataIssue): number => a.line - b.line || a.column - b.column;

/**
 * `purpose`: `installer` (default), the user data built into the Edge Installer; `site`, a site
 * user-data file, which only adds or changes keys (see siteUserDataSchema).
 */
export function validateUserData(text: string, opts: { file?: string; purpose?: 'installer' | 'site' } = {}): UserDataResult {
  const file = opts.file ?? 'user-data';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const issues: UserDataIssue[] = [];
  const header = headerIssue(text, file);
  if (header) issues.push(header);
  if (doc.errors.length > 0) {
    issues.push(...doc.errors.map((e) => yamlErrorIssue(e, file, lineCounter)));
    return { ok: false, issues: issues.sort(byPosition) };
  }

  const toIssue = (f: RawFinding): UserDataIssue => {
    const { offset } = locate(doc, f.path, f.at);
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path: formatPath(f.path), message: f.message, ...(f.hint ? { hint: f.hint } : {}) };
  };

  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (e) {
    // yaml throws here only for alias abuse (e.g. "Excessive alias count").
    const message = `YAML: ${e instanceof Error ? e.message : String(e)}`;
    issues.push({ file, line: 1, column: 1, path: '', message, hint: 'expand the aliases (`*name`) into plain values' });
    return { ok: false, issues: issues.sort(byPosition) };
  }
  const parsed = (opts.purpose === 'site' ? siteUserDataSchema : userDataSchema).safeParse(data);
  if (!parsed.success) {
    const info = (path: PathSegment[]) => ({ actual: valueAt(data, path), source: locate(doc, path, 'value').source });
    issues.push(...dropShadowedMissing(parsed.error.issues.flatMap((i) => describeIssue(i, info))).map(toIssue));
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: issues.sort(byPosition) };

  const warnings = [...doc.warnings.map((w) => yamlErrorIssue(w, file, lineCounter)), ...lintUserData(parsed.data).map(toIssue)];
  return { ok: true, userData: parsed.data, warnings: warnings.sort(byPosition) };
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** One issue per line: `file:line:col  path: message. Fix: hint`. */
export function formatUserDataIssues(issues: readonly UserDataIssue[]): string {
  return issues
    .map((i) => `${i.file}:${i.line}:${i.column}  ${i.path ? `${i.path}: ` : ''}${i.message}${i.hint ? `. Fix: ${i.hint}` : ''}`)
    .join('\n');
}

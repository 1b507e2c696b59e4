// Problems in the user data, wherever they come from (the instant check in the page, or the lab
// server's answer to Build installer), at a 1-based line and column, and where each one sits in
// the text as offsets the editor marks.
import { LineCounter, parseDocument } from 'yaml';
import type { FieldIssue } from '../../client/lab-api';
import { commentStart, findPlaceholders } from './user-data-text';

export type ProblemSeverity = 'error' | 'warning';
export type ProblemSource = 'yaml' | 'placeholder' | 'server';

export interface Problem {
  line: number;
  column: number;
  severity: ProblemSeverity;
  message: string;
  hint?: string;
  /** Dotted key path, e.g. `stylus.site.paletteEndpoint`, when the server names one. */
  path?: string;
  source: ProblemSource;
}

export const CLOUD_CONFIG = '#cloud-config';

/** The parser's message without its ` at line N, column M:` tail and source excerpt. */
const bare = (message: string): string => (message.split('\n')[0] ?? message).replace(/\s+at line \d+, column \d+:?\s*$/, '').trim();

/** The checks the page runs on every change: the first line, YAML syntax, placeholders left. */
export function clientProblems(text: string): Problem[] {
  const out: Problem[] = [];
  const first = (text.replace(/^\uFEFF/, '').split('\n')[0] ?? '').trimEnd();
  if (first !== CLOUD_CONFIG) {
    out.push({
      line: 1, column: 1, severity: 'error', source: 'yaml',
      message: `the first line must be exactly \`${CLOUD_CONFIG}\``,
      hint: `make \`${CLOUD_CONFIG}\` the first line; without it the installer ignores the file`,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const fromParser = (severity: ProblemSeverity) => (e: (typeof doc.errors)[number]): Problem => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { line: pos.line, column: pos.col, severity, source: 'yaml', message: `YAML: ${bare(e.message)}` };
  };
  out.push(...doc.errors.map(fromParser('error')), ...doc.warnings.map(fromParser('warning')));
  for (const p of findPlaceholders(text)) {
    out.push({ line: p.line, column: p.column, severity: 'warning', source: 'placeholder', message: `\`${p.text}\` is a placeholder: replace it with your own value` });
  }
  return sortProblems(out);
}

/** What the server reported (422 issues, or a build's warnings) as problems. */
export function serverProblems(issues: readonly FieldIssue[], severity: ProblemSeverity): Problem[] {
  return sortProblems(issues.map((i) => ({
    line: typeof i.line === 'number' && i.line >= 1 ? i.line : 1,
    column: typeof i.column === 'number' && i.column >= 1 ? i.column : 1,
    severity: i.severity ?? severity,
    message: i.message,
    ...(i.hint ? { hint: i.hint } : {}),
    ...(i.path ? { path: i.path } : {}),
    source: 'server' as const,
  })));
}

export function sortProblems(problems: Problem[]): Problem[] {
  const rank = (p: Problem): number => (p.severity === 'error' ? 0 : 1);
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || rank(a) - rank(b));
}

/** `stylus.site.name: is empty. Fix: …`, the text the editor's tooltip shows. */
export function problemText(p: Problem): string {
  return `${p.path ? `${p.path}: ` : ''}${p.message}${p.hint ? `. Fix: ${p.hint}` : ''}`;
}

/**
 * Offsets of a problem in `text`: from its line and column (clamped into the text) to the end
 * of what is written there, comment and trailing blanks left out; the whole rest of the line
 * when that leaves nothing (a comment, the end of a line), and an empty range on an empty line.
 */
export function problemRange(text: string, line: number, column: number): { from: number; to: number } {
  const lines = text.split('\n');
  const n = Math.min(Math.max(1, Math.floor(line)), lines.length);
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += lines[i]!.length + 1;
  const content = lines[n - 1]!.replace(/\r$/, '');
  const col = Math.min(Math.max(0, Math.floor(column) - 1), content.length);
  const c = commentStart(content);
  let end = (c >= 0 && c >= col ? content.slice(0, c) : content).trimEnd().length;
  if (end <= col) end = content.trimEnd().length;
  if (end <= col) return { from: start + col, to: start + col };
  return { from: start + col, to: start + end };
}

/** The problems as editor marks for this text. */
export function problemMarks(text: string, problems: readonly Problem[]): { from: number; to: number; severity: ProblemSeverity; message: string; source: ProblemSource }[] {
  return problems.map((p) => ({ ...problemRange(text, p.line, p.column), severity: p.severity, message: problemText(p), source: p.source }));
}

export interface Mark { from: number; to: number; problem: Problem }

/**
 * The server's marks (with line and column recomputed for `text`, as edits move them) and the
 * page's own, in text order; where the server reports something, its more precise word stands
 * alone and the page's mark at that spot is left out.
 */
export function mergeMarks(text: string, server: readonly Mark[], client: readonly Mark[]): Mark[] {
  const taken = new Set(server.map((m) => m.from));
  const all = [...server.map((m) => ({ ...m, problem: { ...m.problem, ...lineColumnAt(text, m.from) } })), ...client.filter((m) => !taken.has(m.from))];
  const rank = (m: Mark): number => (m.problem.severity === 'error' ? 0 : 1);
  return all.sort((a, b) => a.from - b.from || rank(a) - rank(b));
}

/** The problems of `text` as marks. */
export function marksOf(text: string, problems: readonly Problem[]): Mark[] {
  return problems.map((problem) => ({ ...problemRange(text, problem.line, problem.column), problem }));
}

/** A problem's position back from an offset (after the text changed under it). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - nl };
}

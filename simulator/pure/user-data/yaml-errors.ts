// YAML parser errors/warnings → issues (position as reported by the parser), plus path formatting.
import type { LineCounter, YAMLError } from 'yaml';
import type { PathSegment } from './locate';

type Issue = { file: string; line: number; column: number; path: string; message: string; hint?: string };

const HINTS: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_INDENT: 'indent with spaces so each key lines up with its siblings, and close every `[` and `{`',
  DUPLICATE_KEY: 'keep only one of the duplicate keys',
  MISSING_CHAR: 'a quote, `[` or `{` opened before this point is never closed; add the closing character',
  MULTILINE_IMPLICIT_KEY: 'put a `:` and a space after each key, or quote values that span lines',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation and that every key ends with `: `',
  UNEXPECTED_TOKEN: 'check the indentation and quoting of this line',
  MULTIPLE_DOCS: 'remove the `---` separator; user-data is a single YAML document',
  BAD_DQ_ESCAPE: 'use single quotes, or escape backslashes as `\\\\` inside double quotes',
  BAD_ALIAS: 'define the anchor (`&name`) before using the alias (`*name`)',
};

/** Parser message without the "at line N, column M:" suffix and the source excerpt. */
const bareMessage = (m: string): string =>
  (m.split('\n')[0] ?? m).replace(/ at line \d+, column \d+:?\s*$/, '').trim();

export function yamlErrorIssue(e: YAMLError, file: string, lineCounter?: LineCounter): Issue {
  const pos = e.linePos?.[0] ?? lineCounter?.linePos(e.pos[0]) ?? { line: 1, col: 1 };
  const hint = HINTS[e.code];
  return {
    file,
    line: pos.line,
    column: pos.col,
    path: '',
    message: `${e.name === 'YAMLWarning' ? 'YAML' : 'YAML syntax'}: ${bareMessage(e.message)}`,
    ...(hint ? { hint } : {}),
  };
}

/** `['stylus','site','users',0,'name']` → `stylus.site.users[0].name`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg),
    '',
  );
}

// The user-data text as the editor handles it: the template the reader starts from, the
// `<placeholders>` still in it, putting a registration token on the `edgeHostToken:` line, and
// the smallest edit that turns one text into another (so undo and the cursor survive).

/** What the editor starts with: the structure the guide needs, with values the reader replaces. */
export const USER_DATA_TEMPLATE = [
  '#cloud-config',
  '# User data for the Edge Installer. The first line must stay exactly "#cloud-config".',
  '# Replace every <placeholder> below with your own value, then build the installer.',
  'stylus:',
  '  site:',
  '    # The Palette the host registers with: a host name only, no https:// and no path.',
  '    paletteEndpoint: <palette-endpoint>',
  '    # A registration token from Palette (Insert token puts one here).',
  '    edgeHostToken: <registration-token>',
  '    # The host ID the edge host registers under.',
  '    name: <edge-host-id>',
  '    # Tags the host reports to Palette, as key: value pairs.',
  '    tags:',
  '      <tag-key>: <tag-value>',
  'install:',
  '  # What the host does when the installation is done: true powers it off.',
  '  poweroff: <true-or-false>',
  '',
].join('\n');

/**
 * Where a `#` starts a comment in this line, or -1. A comment starts at the line's first
 * non-blank character or after whitespace, outside quotes.
 */
export function commentStart(line: string): number {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (quote === '"' && ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if ((ch === '"' || ch === "'") && (i === 0 || /[\s:,[{-]/.test(line[i - 1]!))) quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}

/** The line without its comment. */
export const codeOf = (line: string): string => {
  const c = commentStart(line);
  return c < 0 ? line : line.slice(0, c);
};

export interface Placeholder { line: number; column: number; text: string }

/** Every `<placeholder>` outside comments, 1-based line and column. */
export function findPlaceholders(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  text.split('\n').forEach((line, i) => {
    const code = codeOf(line);
    for (const m of code.matchAll(/<[A-Za-z][^<>\n]*>/g)) out.push({ line: i + 1, column: (m.index ?? 0) + 1, text: m[0] });
  });
  return out;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const blankOrComment = (line: string): boolean => codeOf(line).trim() === '';

/** The indentation of the block under line `at`, or its own indentation plus two spaces when it has none. */
function childIndent(lines: readonly string[], at: number): string {
  const own = indentOf(lines[at]!);
  for (let i = at + 1; i < lines.length; i++) {
    if (blankOrComment(lines[i]!)) continue;
    const n = indentOf(lines[i]!);
    return ' '.repeat(n > own ? n : own + 2);
  }
  return ' '.repeat(own + 2);
}

/**
 * The text with `token` as the value of `stylus.site.edgeHostToken`, quoted, on its existing
 * line (a comment after it is kept); when there is no such line, one is added under `site:`,
 * under `stylus:`, or at the end. `line` is the 1-based line the token is on.
 */
export function putToken(text: string, token: string): { text: string; line: number } {
  const quoted = JSON.stringify(token);
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s*edgeHostToken\s*:/.test(l));
  if (at >= 0) {
    const line = lines[at]!;
    const c = commentStart(line);
    const comment = c < 0 ? '' : ` ${line.slice(c)}`;
    lines[at] = `${' '.repeat(indentOf(line))}edgeHostToken: ${quoted}${comment}`;
    return { text: lines.join('\n'), line: at + 1 };
  }
  const site = lines.findIndex((l) => /^\s*site\s*:\s*$/.test(codeOf(l)));
  if (site >= 0) {
    lines.splice(site + 1, 0, `${childIndent(lines, site)}edgeHostToken: ${quoted}`);
    return { text: lines.join('\n'), line: site + 2 };
  }
  const stylus = lines.findIndex((l) => /^stylus\s*:\s*$/.test(codeOf(l)));
  if (stylus >= 0) {
    const c = childIndent(lines, stylus);
    lines.splice(stylus + 1, 0, `${c}site:`, `${c}  edgeHostToken: ${quoted}`);
    return { text: lines.join('\n'), line: stylus + 3 };
  }
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  const added = `${head}stylus:\n  site:\n    edgeHostToken: ${quoted}\n`;
  return { text: added, line: head.split('\n').length + 2 };
}

/** The one replacement that turns `before` into `after`: everything but the common start and end. */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) start++;
  let end = 0;
  while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

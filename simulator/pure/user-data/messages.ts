// Turns zod issues into user-facing findings: data path, message, fix hint, and whether to point
// at the key or the value. zod's own English messages are never shown; custom issues (rules.ts)
// carry their own message and `params.hint`.
import type { z } from 'zod';
import { didYouMean } from './did-you-mean';
import type { PathSegment } from './locate';
import { knownKeysAt, objectsAccepting } from './schema-keys';

export interface RawFinding {
  path: PathSegment[];
  message: string;
  hint?: string;
  at: 'key' | 'value';
  /** Set on "key is absent" findings. */
  missing?: boolean;
  /** Set on unknown-key findings: the known key it is probably a misspelling of. */
  suggestion?: string;
}

/** Context about the offending value, read from the document by the caller. */
export interface ValueInfo {
  actual: unknown;
  /** Source text of the YAML scalar, e.g. `0042` for a value YAML read as 42. */
  source?: string;
}

const NOUN: Record<string, string> = {
  string: 'text', boolean: '`true` or `false`', number: 'a number', int: 'a whole number',
  array: 'a list', object: 'a mapping of keys', record: 'a mapping of keys',
};

const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? 'text' : `a ${typeof v}`;

const keyName = (path: readonly PathSegment[]): string => {
  const last = path[path.length - 1];
  return last === undefined ? '' : typeof last === 'number' ? '-' : `${last}:`;
};

const quote = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** Findings for one unknown key in the object at `parent`. */
export function unknownKey(parent: PathSegment[], key: string): RawFinding {
  const path = [...parent, key];
  const known = knownKeysAt(parent);
  const close = didYouMean(key, known);
  if (close) return { path, at: 'key', message: `unknown key \`${key}\``, hint: `did you mean \`${close}\`?`, suggestion: close };
  const elsewhere = Array.from(new Set(objectsAccepting(key))).filter((p) => p !== '' && !p.includes('<name>'));
  if (elsewhere.length > 0 && elsewhere.length <= 3) {
    const where = elsewhere.map((p) => `\`${p}\``).join(' or ');
    return { path, at: 'key', message: `unknown key \`${key}\` here`, hint: `\`${key}\` belongs under ${where}; move it there` };
  }
  const listable = known.filter((k) => !k.includes('.'));
  const list = listable.length > 0 && listable.length <= 30 ? `; valid keys here: ${listable.join(', ')}` : '';
  return { path, at: 'key', message: `unknown key \`${key}\``, hint: `remove it or check the spelling${list}` };
}

function invalidType(expected: string, path: PathSegment[], { actual, source }: ValueInfo): RawFinding {
  const want = NOUN[expected] ?? expected;
  const key = keyName(path);
  const base = { path, at: 'value' as const };
  if (path.length === 0) {
    return { ...base, message: `the document must be a mapping of keys, not ${kindOf(actual)}`, hint: 'start lines with top-level keys such as `stylus:`, `install:` or `stages:`' };
  }
  if (actual === undefined) return { ...base, message: 'is required', hint: `add \`${key} …\``, missing: true };
  if (actual === null) return { ...base, message: `has no value; expected ${want}`, hint: 'give it a value or delete the line' };
  if (expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) {
    const raw = source ?? String(actual);
    return {
      ...base,
      message: `must be text, but YAML reads \`${raw}\` as ${kindOf(actual)}${raw !== String(actual) ? ` (${String(actual)})` : ''}`,
      hint: `quote the value: \`${key} "${raw}"\``,
    };
  }
  if (expected === 'boolean' && typeof actual === 'string') {
    return { ...base, message: `must be \`true\` or \`false\`, not the text ${quote(actual)}`, hint: 'write `true` or `false` without quotes' };
  }
  if ((expected === 'number' || expected === 'int') && typeof actual === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(actual)) {
    return { ...base, message: `must be ${want}, not the text ${quote(actual)}`, hint: 'remove the quotes' };
  }
  if (expected === 'int' && typeof actual === 'number') return { ...base, message: `must be a whole number, not ${actual}` };
  if (expected === 'array') {
    return { ...base, message: `must be a list, not ${kindOf(actual)}`, hint: 'write each entry on its own line starting with `- `' };
  }
  if (expected === 'object' || expected === 'record') {
    return { ...base, message: `must be a mapping of keys, not ${kindOf(actual)}`, hint: `put its keys on the following lines, indented below \`${key}\`` };
  }
  return { ...base, message: `must be ${want}, not ${kindOf(actual)}` };
}

/** Findings for one zod issue (an unrecognized_keys issue yields one per key). */
export function describeIssue(issue: z.core.$ZodIssue, info: (path: PathSegment[]) => ValueInfo): RawFinding[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  const base = { path, at: 'value' as const };
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => unknownKey(path, k));
    case 'invalid_type':
      return [invalidType(issue.expected, path, info(path))];
    case 'invalid_value': {
      const { actual } = info(path);
      const choices = issue.values.map((v) => `\`${keyName(path)} ${String(v)}\``).join(' or ');
      if (actual === undefined) return [{ ...base, message: 'is required', hint: `add ${choices}`, missing: true }];
      const allowed = issue.values.map((v) => `\`${String(v)}\``).join(', ');
      const close = typeof actual === 'string' ? didYouMean(actual, issue.values.map(String)) : undefined;
      return [{ ...base, message: `must be one of ${allowed}, not ${quote(actual)}`, hint: close ? `did you mean \`${close}\`?` : `use one of ${allowed}` }];
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return [{ ...base, message: 'must not be empty' }];
      if (issue.origin === 'number') {
        return [{ ...base, message: `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${issue.minimum}` }];
      }
      return [{ ...base, message: `must have at least ${issue.minimum} entries` }];
    case 'too_big':
      return [{ ...base, message: issue.origin === 'number' ? `must be at most ${issue.maximum}` : `is too long (at most ${issue.maximum})` }];
    case 'custom': {
      const params = (issue.params ?? {}) as { hint?: string; at?: 'key'; missing?: true };
      return [{ ...base, message: issue.message, hint: params.hint, at: params.at ?? 'value', missing: params.missing }];
    }
    default:
      return [{ ...base, message: issue.message }];
  }
}

/** Drops "X is required" when an unknown key at the same level is a misspelling of X. */
export function dropShadowedMissing(findings: RawFinding[]): RawFinding[] {
  const parentOf = (p: PathSegment[]): string => JSON.stringify(p.slice(0, -1));
  const misspelt = new Set(
    findings.filter((f) => f.suggestion).map((f) => `${parentOf(f.path)}|${f.suggestion}`),
  );
  return findings.filter((f) => !(f.missing && misspelt.has(`${parentOf(f.path)}|${String(f.path[f.path.length - 1])}`)));
}

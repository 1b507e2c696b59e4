// Introspection of the user-data schema: which keys are valid at a path, and where else in the
// schema a key is valid. Used for "did you mean" and "belongs under" hints on unknown keys.
import { z } from 'zod';
import { userDataSchema } from './schema';
import type { PathSegment } from './locate';

/** Strips optional/default/nullable/pipe wrappers (refinements do not wrap in zod 4). */
function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  for (;;) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault || cur instanceof z.ZodNullable) {
      cur = cur.unwrap() as z.ZodType;
    } else if (cur instanceof z.ZodPipe) {
      cur = cur.in as z.ZodType;
    } else {
      return cur;
    }
  }
}

function child(s: z.ZodType, seg: PathSegment): z.ZodType | undefined {
  const u = unwrap(s);
  if (u instanceof z.ZodObject) return (u.shape as Record<string, z.ZodType>)[String(seg)];
  if (u instanceof z.ZodArray) return u.element as z.ZodType;
  if (u instanceof z.ZodRecord) return u.valueType as z.ZodType;
  return undefined;
}

function schemaAt(path: readonly PathSegment[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = userDataSchema;
  for (const seg of path) s = s && child(s, seg);
  return s;
}

/** Keys allowed in the object at `path` (data path; numeric segments are list indexes). */
export function knownKeysAt(path: readonly PathSegment[]): string[] {
  const s = schemaAt(path);
  const u = s && unwrap(s);
  return u instanceof z.ZodObject ? Object.keys(u.shape) : [];
}

/** Dotted schema paths (`stylus.site`) of objects that accept `key`, breadth first. */
export function objectsAccepting(key: string): string[] {
  const found: string[] = [];
  const queue: { s: z.ZodType; path: string }[] = [{ s: userDataSchema, path: '' }];
  while (queue.length > 0) {
    const { s, path } = queue.shift()!;
    const u = unwrap(s);
    if (u instanceof z.ZodObject) {
      const shape = u.shape as Record<string, z.ZodType>;
      if (key in shape) found.push(path);
      for (const [k, v] of Object.entries(shape)) queue.push({ s: v, path: path ? `${path}.${k}` : k });
    } else if (u instanceof z.ZodArray) {
      queue.push({ s: u.element as z.ZodType, path: `${path}[]` });
    } else if (u instanceof z.ZodRecord) {
      queue.push({ s: u.valueType as z.ZodType, path: `${path}.<name>` });
    }
  }
  return found;
}

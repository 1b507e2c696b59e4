// A learner's way into a class: the join link `?class=<id>&code=<joinCode>[&name=<learner>]`.
// The tab's lab session takes it as an entry (client/session.ts, ClassEntry): it joins the class
// (POST /classes/<id>/join {code, learner}), remembers the lab like any other, and resumes it on
// a reload of the same link instead of joining again.
import type { ClassEntry } from '../client/session';

export { joinedClassKey } from '../client/remembered-lab';
export type ClassJoin = ClassEntry;

/** The learner's name when the link carries none. */
export const DEFAULT_LEARNER_NAME = 'Learner';
const MAX_LEARNER_CHARS = 40;
const CLASS_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The class join a page's address asks for, or null when it asks for none (or a malformed one). */
export function classJoinFromSearch(search: string): ClassJoin | null {
  const q = new URLSearchParams(search);
  const classId = q.get('class');
  const code = q.get('code');
  if (!classId || !CLASS_ID.test(classId) || !code) return null;
  const learner = (q.get('name') ?? '').trim().slice(0, MAX_LEARNER_CHARS) || DEFAULT_LEARNER_NAME;
  return { classId, code, learner };
}

// The dashboard's links, and reading the trainer's own link back. Pure: the page passes in its
// origin and the guide's path.
//
// Learner link: <origin><first guide path>?class=<id>&code=<joinCode>. The guide page joins the class
// (src/lab/class/class-join.ts). Trainer link: <origin><class page path>?class=<id>#trainer=<secret>
// &code=<joinCode>. The secret rides in the fragment, which browsers never send to a server; the
// page stores it and removes it from the address bar.

/** The doc (sidebars.ts) a learner starts on: the first Deployment guide, where phase 1 begins. */
export const FIRST_GUIDE_DOC_ID = 'model-cluster-profile';

export function learnerLink(origin: string, guidePath: string, classId: string, joinCode: string): string {
  const q = new URLSearchParams({ class: classId, code: joinCode });
  return `${origin}${guidePath}?${q.toString()}`;
}

export function trainerLink(origin: string, classPagePath: string, classId: string, trainerSecret: string, joinCode: string | null): string {
  const hash = new URLSearchParams({ trainer: trainerSecret, ...(joinCode ? { code: joinCode } : {}) });
  return `${origin}${classPagePath}?${new URLSearchParams({ class: classId }).toString()}#${hash.toString()}`;
}

/** The trainer secret (and join code) in a trainer link's fragment, or null when it carries none. */
export function trainerFromHash(hash: string): { trainerSecret: string; joinCode: string | null } | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const trainerSecret = q.get('trainer');
  return trainerSecret ? { trainerSecret, joinCode: q.get('code') || null } : null;
}

/** The class id in the page's query, or null when absent or malformed. */
export function classIdFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('class');
  return id && /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id) ? id : null;
}

/** A walkthrough link: an invite (`invite`) or the trainer's own session (`session`), opening the first guide. */
export function walkthroughLink(origin: string, guidePath: string, labId: string, param: 'invite' | 'session', value: string): string {
  return `${origin}${guidePath}?${new URLSearchParams({ lab: labId, [param]: value }).toString()}`;
}

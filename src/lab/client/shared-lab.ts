// One Lab per simulator URL, scenario and role for the whole browser tab. Every lab part on a page
// uses it, and it outlives page navigation (Docusaurus swaps pages without reloading), so walking
// from guide to guide keeps the same socket, the same hosts and the consoles already received.
import { classJoinFromSearch } from '../class/class-join';
import { forgetEntrySecrets } from './entry-secrets';
import { Lab, type LabOptions } from './lab';

const labs = new Map<string, Lab>();

/** What an address may ask for: a shared lab (invite or trainer secret), or a place in a class. */
export type SharedEntry = NonNullable<LabOptions['enter']>;

export function sharedLabKey(options: Pick<LabOptions, 'simulatorUrl' | 'scenario' | 'role'>): string {
  return `${options.simulatorUrl ?? ''}\n${options.scenario}\n${options.role ?? ''}`;
}

/**
 * The lab a page's address asks to enter: `?lab=<id>&invite=<code>` (a member's invite link),
 * `?lab=<id>&session=<secret>` (the trainer's own link), or `?class=<id>&code=<joinCode>` with an
 * optional `&name=<learner>` (a learner's class link). Null for anything else.
 */
export function enterFromSearch(search: string): SharedEntry | null {
  const q = new URLSearchParams(search);
  const labId = q.get('lab');
  if (labId === null) return classJoinFromSearch(search);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(labId)) return null;
  const invite = q.get('invite');
  if (invite) return { labId, invite };
  const sessionSecret = q.get('session');
  return sessionSecret ? { labId, sessionSecret } : null;
}

/**
 * The options the tab's lab is made with: `options.enter` when given, else what the address
 * (`search`) asks for; the session resumes an entry it already made (a class joined) on reload.
 */
export function sharedLabOptions(options: LabOptions, search: string): LabOptions {
  if (options.enter) return options;
  const entry = enterFromSearch(search);
  return entry ? { ...options, enter: entry } : options;
}

/** The tab's Lab for these options, created and started on first use; never stopped. */
export function sharedLab(options: LabOptions): Lab {
  const key = sharedLabKey(options);
  let lab = labs.get(key);
  if (!lab) {
    const made = new Lab(sharedLabOptions(options, typeof window !== 'undefined' ? window.location.search : ''));
    labs.set(key, made);
    lab = made;
    // The link's secret has done its work once the lab is open: it leaves the address bar.
    void made.start().then(() => {
      if (typeof window !== 'undefined' && made.session.getState().status === 'ready') forgetEntrySecrets();
    });
  }
  return lab;
}

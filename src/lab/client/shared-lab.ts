// One Lab per simulator URL, scenario and role for the whole browser tab. Every lab part on a page
// uses it, and it outlives page navigation (Docusaurus swaps pages without reloading), so walking
// from guide to guide keeps the same socket, the same hosts and the consoles already received.
import { Lab, type LabOptions } from './lab';

const labs = new Map<string, Lab>();

export function sharedLabKey(options: Pick<LabOptions, 'simulatorUrl' | 'scenario' | 'role'>): string {
  return `${options.simulatorUrl ?? ''}\n${options.scenario}\n${options.role ?? ''}`;
}

/**
 * The shared lab a page's address asks to enter: `?lab=<id>&invite=<code>` (a member's invite
 * link) or `?lab=<id>&session=<secret>` (the trainer's own link). Null for anything else.
 */
export function enterFromSearch(search: string): LabOptions['enter'] | null {
  const q = new URLSearchParams(search);
  const labId = q.get('lab');
  if (!labId || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(labId)) return null;
  const invite = q.get('invite');
  if (invite) return { labId, invite };
  const sessionSecret = q.get('session');
  return sessionSecret ? { labId, sessionSecret } : null;
}

/** The tab's Lab for these options, created and started on first use; never stopped. */
export function sharedLab(options: LabOptions): Lab {
  const key = sharedLabKey(options);
  let lab = labs.get(key);
  if (!lab) {
    const enter = options.enter ?? (typeof window !== 'undefined' ? enterFromSearch(window.location.search) : null);
    lab = new Lab(enter ? { ...options, enter } : options);
    labs.set(key, lab);
    void lab.start();
  }
  return lab;
}

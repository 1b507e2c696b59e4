/**
 * A lab view as one session sees it: each machine's `may` narrowed from what its chart accepts
 * (`allowed`) to what the session's role may send (permissions.ts). The lab server sends every
 * page the view for its own role, so a page offers only what its reader may do and never
 * re-derives the rules. Pure.
 */
import { labCustody, type LabView, type MachineView } from '../protocol/common';
import { mayAct } from './permissions';
import type { LabRole } from './vocabulary';

/** `view` with `may` set for `role` on the lab, every host and every cluster. */
export function viewForRole(view: LabView, role: LabRole): LabView {
  // The lab server builds views as a solo reader sees them (protocol-view.ts): nothing to narrow.
  if (role === 'solo' || role === 'trainer') return view;
  const custody = labCustody(view)?.custody ?? 'it-ops';
  const hosts: LabView['hosts'] = {};
  for (const [name, h] of Object.entries(view.hosts)) {
    hosts[name] = withMay(h, h.allowed.filter((what) => mayAct(role, { kind: 'host', what, custody }).ok));
  }
  return { ...withMay(view, view.allowed.filter((name) => mayAct(role, { kind: 'lab', name }).ok)), hosts };
}

function withMay<M extends MachineView>(m: M, may: readonly string[]): M {
  return { ...m, may: [...may] };
}

/**
 * The lab's side of the role rules (pure/roles/permissions.ts): the hosts belong to
 * whoever has custody of them in the lab chart — IT/Ops on the staging bench until
 * they hand the hosts over (HAND_OFF), then the site technician.
 */
import type { LabAction } from '../pure/roles/permissions';
import type { LabRuntime } from './lab-runtime';

/** A host action (power, USB, reset, console typing), owned by the hosts' custodian now. */
export function hostAction(runtime: Pick<LabRuntime, 'custody'>, what: string): LabAction {
  return { kind: 'host', what, custody: runtime.custody() };
}

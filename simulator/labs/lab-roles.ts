/**
 * The lab's side of the role rules (pure/roles/permissions.ts): which phase the
 * lab is in decides who holds the hosts (IT/Ops on the staging bench, then the
 * site technician).
 */
import { stepAt, type LabPhase } from '../pure/machines/lab.steps';
import type { LabAction } from '../pure/roles/permissions';
import type { LabRuntime } from './lab-runtime';

/** The lab's current phase, `done` once every phase is done. */
export function labPhase(runtime: Pick<LabRuntime, 'stepPath'>): LabPhase | 'done' {
  const path = runtime.stepPath();
  return (path ? stepAt(path)?.phase : undefined) ?? 'done';
}

export function hostAction(runtime: Pick<LabRuntime, 'stepPath'>, what: string): LabAction {
  return { kind: 'host', what, phase: labPhase(runtime) };
}

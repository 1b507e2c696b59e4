/**
 * The lab's side of the role rules (pure/roles/permissions.ts): which phase the
 * lab is in decides who holds the hosts (IT/Ops on the staging bench, then the
 * site technician).
 */
import { stepAt, type LabPhase } from '../pure/machines/lab.steps';
import type { LabAction } from '../pure/roles/permissions';
import type { LabRuntime } from './lab-runtime';

/** The lab's current phase, `done` once every phase is done. */
export function labPhase(runtime: Pick<LabRuntime, 'view'>): LabPhase | 'done' {
  const data = runtime.view().view.data as { step?: { path?: string } | null };
  const path = data.step?.path;
  return (path ? stepAt(path)?.phase : undefined) ?? 'done';
}

export function hostAction(runtime: Pick<LabRuntime, 'view'>, what: string): LabAction {
  return { kind: 'host', what, phase: labPhase(runtime) };
}

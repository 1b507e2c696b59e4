/**
 * Which states of a chart a state value lights: `current`, the atomic states it names
 * (several in a parallel state), and `active`, every state that contains one of them.
 * Pure; the pictures colour by these and never lay out again for a new value.
 */
import { leafPaths } from '../../../simulator/pure/machines/state-paths';
import type { StateValue } from '../../../simulator/pure/protocol/common';

export interface LitStates {
  readonly current: ReadonlySet<string>;
  readonly active: ReadonlySet<string>;
}

export function litStates(value: StateValue): LitStates {
  const current = new Set(leafPaths(value));
  const active = new Set<string>();
  for (const p of current) {
    const parts = p.split('.');
    for (let i = 1; i < parts.length; i++) active.add(parts.slice(0, i).join('.'));
  }
  return { current, active };
}

export type LitStatus = 'current' | 'active' | 'idle';

export function litStatus(lit: LitStates, path: string): LitStatus {
  return lit.current.has(path) ? 'current' : lit.active.has(path) ? 'active' : 'idle';
}

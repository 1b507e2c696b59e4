/**
 * Helpers for the model-based tests: which atomic states a machine declares, and
 * which of them a set of generated paths walks through. Kept out of the test files
 * so the three charts check coverage the same way.
 */
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { leafPaths } from './state-paths';

/** Dotted paths (without the machine id) of every atomic or final state in `machine`. */
export function declaredAtomicStates(machine: AnyStateMachine): string[] {
  return getStateNodes(machine.root)
    .filter((n) => n.type === 'atomic' || n.type === 'final')
    .map((n) => n.path.join('.'))
    .sort();
}

/** Atomic states visited by any step of `paths`, initial states included. */
export function visitedAtomicStates(initial: AnyMachineSnapshot, paths: ReadonlyArray<{ steps: ReadonlyArray<{ state: AnyMachineSnapshot }> }>): string[] {
  const seen = new Set(leafPaths(initial.value));
  for (const p of paths) for (const s of p.steps) for (const leaf of leafPaths(s.state.value)) seen.add(leaf);
  return [...seen].sort();
}

/** A readable test name for a path: the states it ends in and the events that lead there. */
export function describePath(path: { state: AnyMachineSnapshot; steps: ReadonlyArray<{ event: EventObject }> }): string {
  const events = path.steps.map(({ event: { type, ...rest } }) => {
    const args = Object.values(rest).filter((v) => typeof v === 'string' || typeof v === 'number');
    return args.length ? `${type}(${args.join(', ')})` : type;
  });
  return `${leafPaths(path.state.value).join(' + ')} via ${events.join(' → ')}`;
}

/**
 * Dotted paths of the atomic states a state value names, e.g.
 * `{ powered: { paired: { lifecycle: 'running', health: 'healthy' } } }` →
 * `['powered.paired.lifecycle.running', 'powered.paired.health.healthy']`.
 * Pure; used by the views and by the model-based tests.
 */
import type { StateValue } from 'xstate';

export function leafPaths(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([key, child]) => (child === undefined ? [key] : leafPaths(child).map((p) => `${key}.${p}`)));
}

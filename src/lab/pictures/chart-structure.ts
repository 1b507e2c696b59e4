/**
 * A statechart's shape, read from its XState machine definition (never from a snapshot):
 * the states nested as the chart nests them, and every transition that goes somewhere,
 * with the events that take it. Pure: it reads `machine.root` and imports only types.
 *
 * Contract:
 * - A state's `path` is its dotted path, as the views name atomic states (`powered.paired`).
 * - A transition's `source` is the state that declares it; `''` is the chart itself (an
 *   event accepted in any state, e.g. the lab's RESTART). Transitions without a target
 *   (actions only, or guarded no-ops) are left out: a diagram draws moves, not effects.
 * - Several events (or guarded branches) between the same two states make one transition
 *   whose `events` list each event once, in the order the chart declares them.
 * - Delayed transitions read `after <delay>`; eventless ones read `always`.
 */
import type { AnyStateMachine } from 'xstate';

export type ChartStateKind = 'atomic' | 'compound' | 'parallel' | 'final';

export interface ChartState {
  readonly path: string;
  /** The state's own name, e.g. `paired`. */
  readonly key: string;
  readonly kind: ChartStateKind;
  /** The path of the child entered first (compound states only). */
  readonly initial: string | null;
  readonly children: readonly ChartState[];
}

export interface ChartTransition {
  readonly source: string;
  readonly target: string;
  readonly events: readonly string[];
}

export interface ChartStructure {
  /** The machine's id, e.g. `host`. */
  readonly id: string;
  /** The top-level state entered first. */
  readonly initial: string | null;
  readonly states: readonly ChartState[];
  readonly transitions: readonly ChartTransition[];
}

/** The parts of an XState v5 StateNode this module reads. */
interface NodeLike {
  readonly key: string;
  readonly type: string;
  readonly path: readonly string[];
  readonly states: Readonly<Record<string, NodeLike>>;
  readonly initial?: { readonly target?: readonly NodeLike[] } | undefined;
  readonly transitions: ReadonlyMap<string, readonly { readonly target?: readonly NodeLike[] | undefined }[]>;
  readonly always?: readonly { readonly target?: readonly NodeLike[] | undefined }[] | undefined;
}

const pathOf = (n: NodeLike): string => n.path.join('.');

/** `xstate.after.provisioningTimeout.cluster.provisioning` → `after provisioningTimeout`. */
export function eventWords(eventType: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return after ? `after ${after[1]}` : eventType;
}

function kindOf(n: NodeLike): ChartStateKind {
  if (n.type === 'parallel' || n.type === 'final' || n.type === 'compound') return n.type;
  return 'atomic';
}

function stateOf(n: NodeLike): ChartState {
  const children = Object.values(n.states).filter((c) => c.type !== 'history').map(stateOf);
  const first = n.initial?.target?.[0];
  return { path: pathOf(n), key: n.key, kind: kindOf(n), initial: first && n.type === 'compound' ? pathOf(first) : null, children };
}

function collectTransitions(n: NodeLike, into: Map<string, { source: string; target: string; events: string[] }>): void {
  const add = (eventType: string, targets: readonly NodeLike[] | undefined): void => {
    for (const t of targets ?? []) {
      const source = pathOf(n);
      const target = pathOf(t);
      const k = `${source}\u0000${target}`;
      const entry = into.get(k) ?? { source, target, events: [] };
      const words = eventWords(eventType);
      if (!entry.events.includes(words)) entry.events.push(words);
      into.set(k, entry);
    }
  };
  for (const [eventType, defs] of n.transitions) for (const d of defs) add(eventType, d.target);
  for (const d of n.always ?? []) add('always', d.target);
  for (const c of Object.values(n.states)) collectTransitions(c, into);
}

export function chartStructure(machine: AnyStateMachine): ChartStructure {
  const root = machine.root as unknown as NodeLike;
  const transitions = new Map<string, { source: string; target: string; events: string[] }>();
  collectTransitions(root, transitions);
  const first = root.initial?.target?.[0];
  return {
    id: machine.id,
    initial: first ? pathOf(first) : null,
    states: Object.values(root.states).map(stateOf),
    // Array.from, not a spread: the site's Babel (loose mode) turns a spread of an iterator into
    // [].concat(iterator), an array holding the iterator itself.
    transitions: Array.from(transitions.values()),
  };
}

/** Every state of the chart, parents before their children. */
export function allStates(states: readonly ChartState[]): ChartState[] {
  return states.flatMap((s) => [s, ...allStates(s.children)]);
}

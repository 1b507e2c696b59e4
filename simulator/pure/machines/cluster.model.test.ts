import { describe, expect, it } from 'vitest';
import { createActor, getInitialSnapshot, SimulatedClock, type EventObject } from 'xstate';
import { createTestModel, TestModel } from 'xstate/graph';
import { clusterMachine, type ClusterEvent, type ClusterInput } from './cluster.machine';
import { declaredAtomicStates, describePath, visitedAtomicStates } from './model-walk';

const INPUT: ClusterInput = { name: 'store-42', nodeCount: 2, provisioningTimeoutMs: 60_000 };
// The provisioning timeout is an `after`; the model walks it as the event xstate raises for it.
const TIMEOUT = clusterMachine.root.states.provisioning!.after[0]!.eventType;

const EVENTS: ReadonlyArray<ClusterEvent | EventObject> = [
  { type: 'IMAGE_PULLED' }, { type: 'PARTITION_SWITCHED' }, { type: 'REBOOTED_INTO_PROVIDER_OS' },
  { type: 'STAGES_RUN' }, { type: 'RUNTIME_STARTED' }, { type: 'LAYERS_APPLIED' },
  { type: 'NODE_READY', host: 'a' }, { type: 'NODE_READY', host: 'b' },
  { type: 'PROVISIONING_FAILED', reason: 'image-pull-failed' },
  { type: 'NODE_UNHEALTHY', host: 'a' }, { type: 'NODE_HEALTHY', host: 'a' },
  { type: 'UPGRADE_STARTED', version: '1.1.0' }, { type: 'NODE_UPGRADED', host: 'a' },
  { type: 'UPGRADE_COMPLETED' }, { type: 'UPGRADE_FAILED', host: 'b', slot: 'passive' },
  { type: 'DELETE' }, { type: 'DELETED' },
  { type: TIMEOUT },
];

// createTestModel() refuses machines with `after` (xstate/graph validateMachine), so the
// cluster uses the TestModel class it builds on, with the same events and a '*' state check.
const model = new TestModel(clusterMachine, {
  events: EVENTS as ClusterEvent[],
  input: INPUT,
  serializeState: (s) => JSON.stringify([s.value, s.context.readyNodes, s.context.unhealthyNodes, s.context.failure?.reason, s.context.upgrade]),
});
// One path per reachable state (the default drops paths that are prefixes of longer ones).
const paths = model.getShortestPaths({ allowDuplicatePaths: true });

describe('cluster machine, model-based', () => {
  it('createTestModel() still refuses it, which is why TestModel is used directly', () => {
    expect(() => createTestModel(clusterMachine)).toThrow(/After events/);
  });

  it('walks every atomic state the chart declares', () => {
    expect(visitedAtomicStates(getInitialSnapshot(clusterMachine, INPUT), paths)).toEqual(declaredAtomicStates(clusterMachine));
  });

  const named = paths.map((p) => [describePath(p), p] as const);
  it.each(named)('reaches %s', async (_name, path) => {
    const clock = new SimulatedClock();
    const deletes: string[] = [];
    const actor = createActor(clusterMachine.provide({ actions: { requestDelete: () => { deletes.push('delete'); } } }), { input: INPUT, clock }).start();
    const send = ({ event }: { event: EventObject }) => { actor.send(event as ClusterEvent); };

    await path.test({
      states: { '*': (state) => { expect(actor.getSnapshot().value).toEqual(state.value); } },
      events: {
        ...Object.fromEntries(EVENTS.map((e) => [e.type, send])),
        // The real actor gets there by time passing, not by an event.
        [TIMEOUT]: () => { clock.increment(INPUT.provisioningTimeoutMs!); },
      },
    });

    expect(actor.getSnapshot().value).toEqual(path.state.value);
    expect(deletes).toEqual(path.steps.filter((s) => s.event.type === 'DELETE').map(() => 'delete'));
    actor.stop();
  });
});

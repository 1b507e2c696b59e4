import { describe, expect, it } from 'vitest';
import { createActor, getInitialSnapshot } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { labMachine, type LabEvent, type LabInput } from './lab.machine';
import { declaredAtomicStates, describePath, visitedAtomicStates } from './model-walk';

const INPUT: LabInput = { role: 'solo', expectedHosts: 2 };
const EVENTS: LabEvent[] = [
  { type: 'CHECK' }, { type: 'RESTART' }, { type: 'HAND_OFF' },
  { type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' },
  { type: 'HOST_INSTALLED', host: 'a' }, { type: 'HOST_INSTALLED', host: 'b' },
  { type: 'HOST_REGISTERED', host: 'edge-a' }, { type: 'HOST_REGISTERED', host: 'edge-b' },
  { type: 'CLUSTER_CREATED', cluster: 'c' }, { type: 'CLUSTER_RUNNING', cluster: 'c' }, { type: 'CLUSTER_RUNNING', cluster: 'other' },
  { type: 'CHECK_FAILED', check: 'profile', message: 'no OS layer' },
];

// Distinct states: where the lab is, how many hosts it has counted (what its guards read) and who holds them.
const model = createTestModel(labMachine, {
  events: EVENTS,
  input: INPUT,
  serializeState: (s) => JSON.stringify([s.value, s.context.installedHosts.length, s.context.registeredHosts.length, s.context.custody]),
});
// One path per reachable state (the default drops paths that are prefixes of longer ones).
const paths = model.getShortestPaths({ allowDuplicatePaths: true });

describe('lab machine, model-based', () => {
  it('walks every atomic state the chart declares', () => {
    expect(visitedAtomicStates(getInitialSnapshot(labMachine, INPUT), paths)).toEqual(declaredAtomicStates(labMachine));
  });

  it.each(paths.map((p) => [describePath(p), p] as const))('reaches %s', async (_name, path) => {
    const checks: string[] = [];
    const actor = createActor(labMachine.provide({ actions: { runCheck: (_, p) => { checks.push(p.check); } } }), { input: INPUT }).start();
    const send = ({ event }: { event: LabEvent }) => { actor.send(event); };

    await path.test({
      states: { '*': (state) => { expect(actor.getSnapshot().value).toEqual(state.value); } },
      events: Object.fromEntries(EVENTS.map((e) => [e.type, send])),
    });

    expect(actor.getSnapshot().value).toEqual(path.state.value);
    expect(checks.length).toBe(path.steps.filter((s) => s.event.type === 'CHECK').length);
    actor.stop();
  });
});

import { describe, expect, it } from 'vitest';
import { createActor, getInitialSnapshot } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { HostEvent } from './host.events';
import { HOST_SAMPLE_EVENTS as EVENTS, hostStateKey } from './host.samples';
import { hostMachine } from './host.machine';
import { declaredAtomicStates, describePath, visitedAtomicStates } from './model-walk';

const model = createTestModel(hostMachine, { events: EVENTS, serializeState: hostStateKey });
// One path per reachable state (the default drops paths that are prefixes of longer ones).
const paths = model.getShortestPaths({ allowDuplicatePaths: true });
const EFFECT_OF: Partial<Record<HostEvent['type'], string>> = { RESUME: 'resumeVm', POWER_ON: 'powerOn', INSERT_USB: 'insertUsb', REMOVE_USB: 'removeUsb', POWER_OFF: 'powerOff', RESET: 'reset', POWER_BUTTON: 'pressPowerButton' };

describe('host machine, model-based', () => {
  it('walks every atomic state the chart declares', () => {
    expect(visitedAtomicStates(getInitialSnapshot(hostMachine, {}), paths)).toEqual(declaredAtomicStates(hostMachine));
  });

  const named = paths.map((p) => [describePath(p), p] as const);
  it.each(named)('reaches %s', async (_name, path) => {
    const effects: string[] = [];
    const note = (name: string) => () => { effects.push(name); };
    const actor = createActor(hostMachine.provide({
      actions: { powerOn: note('powerOn'), pressPowerButton: note('pressPowerButton'), reset: note('reset'), powerOff: note('powerOff'), insertUsb: note('insertUsb'), removeUsb: note('removeUsb'), resumeVm: note('resumeVm') },
    }), { input: {} }).start();
    const send = ({ event }: { event: HostEvent }) => { actor.send(event); };

    await path.test({
      states: { '*': (state) => { expect(actor.getSnapshot().value).toEqual(state.value); } },
      events: Object.fromEntries(EVENTS.map((e) => [e.type, send])),
    });

    expect(actor.getSnapshot().value).toEqual(path.state.value);
    // Every command on the path asked for its effect, once, in order.
    expect(effects).toEqual(path.steps.flatMap((s) => EFFECT_OF[s.event.type] ?? []));
    actor.stop();
  });

  /**
   * No dead ends: from every state the chart can reach, a lost power (the lab
   * server restarting appends one for every host it held on) ends in `poweredOff`
   * with POWER_ON allowed, and a person may cut the power of any host that is not off.
   */
  const ends = [...new Map(paths.map((p) => [hostStateKey(p.state), p] as const)).values()].map((p) => [describePath(p), p] as const);
  it.each(ends)('has a way out of %s on power loss and for a person', (_name, path) => {
    const actor = createActor(hostMachine, { input: {} }).start();
    for (const s of path.steps) actor.send(s.event as HostEvent);
    const before = actor.getSnapshot();
    if (!before.hasTag('off')) expect(before.can({ type: 'POWER_OFF' })).toBe(true);
    // A host paused on a full disk can be resumed as well as cut off.
    if (before.context.ioPause) expect(before.can({ type: 'RESUME' })).toBe(true);
    actor.send({ type: 'POWERED_OFF', reason: 'server-restarted' });
    const after = actor.getSnapshot();
    expect(after.value).toBe('poweredOff');
    expect(after.can({ type: 'POWER_ON' })).toBe(true);
    actor.stop();
  });
});

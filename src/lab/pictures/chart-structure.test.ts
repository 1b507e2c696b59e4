import { describe, expect, it } from 'vitest';
import { clusterMachine } from '../../../simulator/pure/machines/cluster.machine';
import { hostMachine } from '../../../simulator/pure/machines/host.machine';
import { labMachine } from '../../../simulator/pure/machines/lab.machine';
import { allStates, chartStructure, eventWords } from './chart-structure';

const find = (chart: ReturnType<typeof chartStructure>, path: string) => allStates(chart.states).find((s) => s.path === path);
const between = (chart: ReturnType<typeof chartStructure>, source: string, target: string) =>
  chart.transitions.find((t) => t.source === source && t.target === target);

describe('a chart read from its machine definition', () => {
  it('nests the lab chart as the machine does, with the initial states', () => {
    const lab = chartStructure(labMachine);
    expect(lab.id).toBe('lab');
    expect(lab.initial).toBe('modelProfile');
    expect(lab.states.map((s) => s.key)).toEqual(['modelProfile', 'installHandoff', 'registration', 'clusterProvisioning', 'done']);
    const handoff = find(lab, 'installHandoff');
    expect(handoff?.kind).toBe('compound');
    expect(handoff?.initial).toBe('installHandoff.creatingToken');
    expect(handoff?.children.map((c) => c.path)).toEqual([
      'installHandoff.creatingToken', 'installHandoff.forgingInstaller', 'installHandoff.installingHosts', 'installHandoff.shippingHosts',
    ]);
    expect(find(lab, 'done')?.kind).toBe('atomic');
  });

  it('keeps a parallel state, its regions and a final state for what they are', () => {
    const host = chartStructure(hostMachine);
    expect(find(host, 'powered.paired')?.kind).toBe('parallel');
    expect(find(host, 'powered.paired')?.initial).toBeNull();
    expect(find(host, 'powered.paired')?.children.map((c) => c.key)).toEqual(['lifecycle', 'health']);
    expect(find(host, 'powered.paired.lifecycle')?.initial).toBe('powered.paired.lifecycle.registered');
    expect(find(chartStructure(clusterMachine), 'deleted')?.kind).toBe('final');
  });

  it('draws moves with their events, the chart-wide ones from the chart itself, and no effect-only events', () => {
    const lab = chartStructure(labMachine);
    expect(between(lab, 'modelProfile', 'installHandoff')?.events).toEqual(['PROFILE_VALID']);
    expect(between(lab, 'installHandoff.shippingHosts', 'registration')?.events).toEqual(['HAND_OFF']);
    expect(between(lab, '', 'modelProfile')?.events).toEqual(['RESTART']);
    expect(lab.transitions.some((t) => t.events.includes('CHECK'))).toBe(false);
    expect(lab.transitions.some((t) => t.events.includes('CHECK_FAILED'))).toBe(false);
  });

  it('makes one transition of several events (and guarded branches) between the same two states', () => {
    const host = chartStructure(hostMachine);
    expect(between(host, 'powered.paired.lifecycle.assigned', 'powered.paired.lifecycle.running')?.events).toEqual(['PROVISIONING_STEP', 'NODE_READY_AGAIN']);
    expect(between(host, 'poweringOn', 'poweredOff')?.events).toEqual(['COMMAND_FAILED', 'POWERED_OFF']);
    const pairs = host.transitions.map((t) => `${t.source}>${t.target}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('names a delayed transition by its delay', () => {
    expect(eventWords('xstate.after.provisioningTimeout.cluster.provisioning')).toBe('after provisioningTimeout');
    expect(eventWords('NODE_READY')).toBe('NODE_READY');
    expect(between(chartStructure(clusterMachine), 'provisioning', 'failed')?.events).toEqual(['PROVISIONING_FAILED', 'after provisioningTimeout']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { hostMachine } from '../../../simulator/pure/machines/host.machine';
import { labMachine } from '../../../simulator/pure/machines/lab.machine';
import { ANY_STATE_ID, chartGraph, initialId, stateId } from './chart-graph';
import { chartStructure } from './chart-structure';
import { labSubtitle } from './charts';
import { litStates, litStatus } from './lit-states';

const nodeIn = (n: ElkNode, id: string): ElkNode | undefined => {
  for (const c of n.children ?? []) {
    if (c.id === id) return c;
    const inner = nodeIn(c, id);
    if (inner) return inner;
  }
  return undefined;
};
const childIds = (n: ElkNode | undefined): string[] => (n?.children ?? []).map((c) => c.id);

describe('a chart as an ELK graph', () => {
  const host = chartGraph(chartStructure(hostMachine));

  it('puts each state inside the state that contains it, with a dot for the child entered first', () => {
    expect(childIds(host.graph)).toEqual([ANY_STATE_ID, initialId(''), stateId('poweredOff'), stateId('poweringOn'), stateId('powered')]);
    const paired = nodeIn(host.graph, stateId('powered.paired'));
    // A parallel state enters every region: no initial dot, one compound child per region.
    expect(childIds(paired)).toEqual([stateId('powered.paired.lifecycle'), stateId('powered.paired.health')]);
    expect(childIds(nodeIn(host.graph, stateId('powered.paired.lifecycle')))).toContain(initialId('powered.paired.lifecycle'));
    expect(host.nodes[stateId('powered.paired.health')]).toMatchObject({ kind: 'state', region: true, name: 'health' });
    expect(host.edges[`start:powered.paired.lifecycle`]).toEqual({ source: initialId('powered.paired.lifecycle'), target: stateId('powered.paired.lifecycle.registered'), events: [] });
  });

  it('gives atomic states a size and lets compound states grow around their children', () => {
    const off = nodeIn(host.graph, stateId('poweredOff'));
    expect(off?.width).toBeGreaterThan(0);
    expect(off?.height).toBeGreaterThan(0);
    const powered = nodeIn(host.graph, stateId('powered'));
    expect(powered?.width).toBeUndefined();
    expect(powered?.layoutOptions?.['elk.padding']).toMatch(/^\[top=\d+/);
  });

  it('labels each edge with its events, one a line, sized to the longest', () => {
    const edge = host.graph.edges?.find((e) => e.sources[0] === stateId('powered.paired.lifecycle.assigned') && e.targets[0] === stateId('powered.paired.lifecycle.running'));
    expect(edge?.labels?.[0]?.text).toBe('PROVISIONING_STEP\nNODE_READY_AGAIN');
    expect(edge?.labels?.[0]?.height).toBeGreaterThan(host.graph.edges?.find((e) => e.labels?.[0]?.text === 'POWER_ON')?.labels?.[0]?.height ?? Infinity);
    // The chart's own transitions leave from the "any state" node.
    expect(host.graph.edges?.filter((e) => e.sources[0] === ANY_STATE_ID).map((e) => e.targets[0])).toEqual([
      stateId('powered.installerBooted'), stateId('powered.registrationMode'),
    ]);
  });

  it('keys the layout by structure and subtitles only', () => {
    expect(chartGraph(chartStructure(hostMachine)).key).toBe(host.key);
    const plain = chartGraph(chartStructure(labMachine));
    const worded = chartGraph(chartStructure(labMachine), { subtitle: labSubtitle });
    expect(worded.key).not.toBe(plain.key);
    expect(worded.nodes[stateId('installHandoff.creatingToken')]).toMatchObject({ subtitle: labSubtitle('installHandoff.creatingToken') });
    expect(labSubtitle('installHandoff.creatingToken')).toBeTruthy();
    expect(plain.nodes[stateId('installHandoff.creatingToken')]).toMatchObject({ subtitle: null });
  });
});

describe('the states a value lights', () => {
  it('lights both regions of a parallel state and every state around them', () => {
    const lit = litStates({ powered: { paired: { lifecycle: 'running', health: 'unhealthy' } } });
    expect([...lit.current].sort()).toEqual(['powered.paired.health.unhealthy', 'powered.paired.lifecycle.running']);
    expect([...lit.active].sort()).toEqual(['powered', 'powered.paired', 'powered.paired.health', 'powered.paired.lifecycle']);
    expect(litStatus(lit, 'powered.paired.lifecycle.running')).toBe('current');
    expect(litStatus(lit, 'powered.paired')).toBe('active');
    expect(litStatus(lit, 'powered.paired.health.healthy')).toBe('idle');
    expect(litStatus(lit, 'poweredOff')).toBe('idle');
  });

  it('lights a top-level atomic state alone', () => {
    const lit = litStates('poweredOff');
    expect([...lit.current]).toEqual(['poweredOff']);
    expect(lit.active.size).toBe(0);
  });
});

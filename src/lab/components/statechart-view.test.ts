import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LabView, MachineView } from '../../../simulator/pure/protocol';
import type { SeqEvent } from '../client';
import { Statechart } from './StatechartPart';
import { currentStatePath, custodyLine, labChartTree, labEventChips, machineRows, recentEvents, type ChartNode } from './statechart-view';

const flat = (nodes: readonly ChartNode[]): ChartNode[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const statuses = (nodes: readonly ChartNode[]) => Object.fromEntries(flat(nodes).map((n) => [n.path, n.status]));

const host = (over: Partial<MachineView> = {}): MachineView => ({
  state: 'poweredOff', label: 'Powered off', tags: ['off'], allowed: ['POWER_ON', 'INSERT_USB'], data: {}, ...over, may: over.may ?? over.allowed ?? ['POWER_ON', 'INSERT_USB'],
});

const view = (over: Partial<LabView> = {}): LabView => ({
  state: { installHandoff: 'forgingInstaller' }, label: 'Install Handoff: Build the Edge Installer', tags: [], allowed: ['CHECK', 'RESTART'], may: ['CHECK', 'RESTART'], at: 0,
  data: {}, phases: [],
  hosts: {
    'edge-host-2': host(),
    'edge-host-1': host({
      state: { powered: { paired: { lifecycle: 'running', health: 'healthy' } } }, label: 'Running · Healthy', tags: ['on'],
      allowed: ['POWER_BUTTON', 'RESET', 'POWER_OFF'],
    }),
  },
  clusters: { 'edge-lab-cluster': { state: { running: 'healthy' }, label: 'Running · Healthy', tags: [], allowed: ['DELETE'], may: ['DELETE'], data: {} } },
  ...over,
});

describe('labChartTree', () => {
  it('lays the phases out with their steps and marks the current state, what came before and what is next', () => {
    const tree = labChartTree({ installHandoff: 'forgingInstaller' });
    expect(tree.map((n) => n.path)).toEqual(['modelProfile', 'installHandoff', 'registration', 'clusterProvisioning', 'done']);
    expect(tree[1]!.children.map((n) => [n.name, n.label, n.role])).toEqual([
      ['creatingToken', 'Create a registration token', 'tenant-admin'],
      ['forgingInstaller', 'Build the Edge Installer', 'it-ops'],
      ['installingHosts', 'Install the hosts from the USB stick', 'it-ops'],
      ['shippingHosts', 'Hand the installed hosts over to the site', 'it-ops'],
    ]);
    expect(tree[0]).toMatchObject({ label: 'Model Cluster Profile: Model an Edge Native cluster profile', role: 'app-owner', children: [] });
    expect(statuses(tree)).toEqual({
      modelProfile: 'done',
      installHandoff: 'active',
      'installHandoff.creatingToken': 'done',
      'installHandoff.forgingInstaller': 'current',
      'installHandoff.installingHosts': 'pending',
      'installHandoff.shippingHosts': 'pending',
      registration: 'pending',
      clusterProvisioning: 'pending',
      'clusterProvisioning.creatingCluster': 'pending',
      'clusterProvisioning.waitingForRunning': 'pending',
      done: 'pending',
    });
    expect(currentStatePath(tree)).toBe('installHandoff.forgingInstaller');
  });

  it('marks an atomic phase and the final state as current, and nothing for a state it does not know', () => {
    expect(currentStatePath(labChartTree('registration'))).toBe('registration');
    const done = labChartTree('done');
    expect(currentStatePath(done)).toBe('done');
    expect(flat(done).filter((n) => n.path !== 'done').every((n) => n.status === 'done')).toBe(true);
    const unknown = labChartTree('somewhereElse');
    expect(currentStatePath(unknown)).toBeNull();
    expect(flat(unknown).every((n) => n.status === 'pending')).toBe(true);
  });
});

describe('machineRows', () => {
  it('lists hosts then clusters by name, with every atomic state, tags and the accepted events', () => {
    const rows = machineRows(view());
    expect(rows.map((r) => `${r.kind}:${r.name}`)).toEqual(['host:edge-host-1', 'host:edge-host-2', 'cluster:edge-lab-cluster']);
    expect(rows[0]!.states).toEqual(['powered.paired.lifecycle.running', 'powered.paired.health.healthy']);
    expect(rows[0]!.events).toEqual([
      { event: 'POWER_BUTTON', label: 'Press the power button', clickable: true },
      { event: 'RESET', label: 'Reset', clickable: true },
      { event: 'POWER_OFF', label: 'Pull the plug', clickable: true },
    ]);
  });

  it('lets only host commands the hosts part offers be clicked', () => {
    const rows = machineRows(view({ hosts: { h: host({ allowed: ['POWER_ON', 'SOMETHING_NEW'] }) } }));
    expect(rows[0]!.events.map((e) => [e.event, e.clickable])).toEqual([['POWER_ON', true], ['SOMETHING_NEW', false]]);
    expect(rows[1]!.events).toEqual([{ event: 'DELETE', label: 'Delete the cluster', clickable: false }]);
    expect(labEventChips(view())).toEqual([
      { event: 'CHECK', label: 'Check my work', clickable: false },
      { event: 'RESTART', label: 'Start the lab over', clickable: false },
    ]);
  });

  it('shows HAND_OFF like the other lab events, and who holds the hosts', () => {
    const shipping = view({
      state: { installHandoff: 'shippingHosts' }, allowed: ['CHECK', 'RESTART', 'HAND_OFF'], data: { custody: 'it-ops', handoffs: [] },
    });
    expect(labEventChips(shipping).at(-1)).toEqual({ event: 'HAND_OFF', label: 'Hand over to the site', clickable: false });
    expect(custodyLine(shipping)).toEqual({ custody: 'it-ops', words: 'it-ops' });
    const html = renderToString(createElement(Statechart, { view: shipping, events: [] }));
    expect(html).toMatch(/<li data-event="HAND_OFF" data-clickable="false"><span[^>]*>HAND_OFF<\/span>/);
    expect(html).toContain('data-state-path="installHandoff.shippingHosts"');
    expect(html).toMatch(/data-custody="it-ops"/);
    expect(custodyLine(view({ data: { custody: 'site-technician', handoffs: [{ from: 'it-ops', to: 'site-technician', what: 'hosts' }] } })))
      .toEqual({ custody: 'site-technician', words: 'site-technician (handoffs: it-ops → site-technician)' });
    expect(custodyLine(view())).toBeNull();
  });
});

describe('recentEvents', () => {
  const ev = (seq: number, event: Record<string, unknown>): SeqEvent => ({ seq, at: seq, event: event as SeqEvent['event'] });
  it('keeps the last few, oldest first, each in a few words', () => {
    const events = [
      ev(1, { type: 'palette.profile.saved', name: 'edge-k3s-lab' }),
      ev(2, { type: 'host.command', host: 'edge-host-1', command: { type: 'INSERT_USB', image: 'inst-1' }, role: 'solo' }),
      ev(3, { type: 'host.power', host: 'edge-host-1', change: { state: 'on', device: 'usb', cause: 'power-on' } }),
      ev(4, { type: 'host.console', host: 'edge-host-1', event: { type: 'INSTALL_STEP', step: 'partitioning' } }),
      ev(5, { type: 'lab.check-result', event: { type: 'CHECK_FAILED', check: 'token', message: 'no token' }, auto: true }),
      ev(6, { type: 'host.command-failed', host: 'edge-host-1', command: 'POWER_ON', message: 'busy' }),
      ev(7, { type: 'palette.host.registered', hostId: 'edge-host-1', project: 'Default', method: 'auto' }),
      ev(8, { type: 'lab.reset' }),
      ev(9, { type: 'lab.command', name: 'HAND_OFF', role: 'it-ops' }),
    ];
    expect(recentEvents(events, 8)).toEqual([
      { seq: 2, type: 'host.command', summary: 'edge-host-1 · INSERT_USB' },
      { seq: 3, type: 'host.power', summary: 'edge-host-1 · on usb' },
      { seq: 4, type: 'host.console', summary: 'edge-host-1 · INSTALL_STEP' },
      { seq: 5, type: 'lab.check-result', summary: 'CHECK_FAILED (token)' },
      { seq: 6, type: 'host.command-failed', summary: 'edge-host-1 · POWER_ON failed' },
      { seq: 7, type: 'palette.host.registered', summary: 'edge-host-1 · registered in Default (auto)' },
      { seq: 8, type: 'lab.reset', summary: '' },
      { seq: 9, type: 'lab.command', summary: 'HAND_OFF' },
    ]);
    expect(recentEvents(events).map((l) => l.seq)).toEqual([4, 5, 6, 7, 8, 9]);
    // A Palette event whose payload is not its type's (another version's log) still gets words, plainer ones.
    expect(recentEvents([ev(10, { type: 'palette.cluster.status', name: 'c1', status: 'Exploded' })])).toEqual([{ seq: 10, type: 'palette.cluster.status', summary: 'c1' }]);
    expect(recentEvents([ev(11, { type: 'palette.cluster.status', name: 'c1', status: 'Running', health: 'Healthy' })])[0]!.summary).toBe('c1 · Running · Healthy');
  });
});

describe('Statechart', () => {
  const events = [{ seq: 9, at: 9, event: { type: 'lab.installer-built', id: 'inst-1' } }];

  it('marks the current state with aria-current="step" and its path, and shows hosts, clusters and the log', () => {
    const html = renderToString(createElement(Statechart, { view: view(), events, onHostEvent: async () => {} }));
    const current = html.match(/<li[^>]*aria-current="step"[^>]*>/g) ?? [];
    expect(current).toHaveLength(1);
    expect(current[0]).toContain('data-state-path="installHandoff.forgingInstaller"');
    expect(html).toContain('data-state-path="installHandoff" data-status="active"');
    expect(html).toMatch(/<code[^>]*data-machine-state="powered.paired.lifecycle.running"/);
    expect(html).toContain('aria-label="Send RESET to edge-host-1 (Reset)"');
    expect(html).not.toContain('aria-label="Send DELETE');
    expect(html).toMatch(/<li data-event="DELETE" data-clickable="false"><span[^>]*>DELETE<\/span>/);
    expect(html).toMatch(/<li data-event="CHECK" data-clickable="false"><span/);
    expect(html).toContain('#9 lab.installer-built · inst-1');
  });

  it('only shows host events when nothing can send them', () => {
    const html = renderToString(createElement(Statechart, { view: view(), events: [] }));
    expect(html).not.toContain('<button');
    expect(html).toContain('No events yet.');
  });
});

import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../../simulator/pure/palette/views';
import { clusterSummary, eventsNewestFirst, healthLabel, nodeCells, stepLabel, vipHolderText } from './cluster-view';

const cluster = (over: Partial<ClusterView> = {}): ClusterView => ({
  uid: 'u1', name: 'edge-lab-cluster', project: 'Default', status: 'Provisioning', health: null,
  profile: { name: 'edge-k3s-lab', version: '1.0.0' }, k8s: { pack: 'edge-k3s', distribution: 'k3s', version: '1.32.4' },
  image: 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab', vip: '10.77.0.100',
  nodes: [{ hostId: 'edge-host-1', nodeName: 'edge-host-1', role: 'control-plane', lanIp: '10.77.0.11/24', step: null, failure: null }],
  createdAt: 1, spec: {} as ClusterView['spec'], ...over,
});

describe('cluster overview', () => {
  it('puts a node in words', () => {
    expect(nodeCells(cluster().nodes[0]!)).toEqual({
      hostId: 'edge-host-1', nodeName: 'edge-host-1', role: 'Control plane', lanIp: '10.77.0.11/24',
      step: 'Waiting for the host to pick up the assignment', failure: '—',
    });
    expect(stepLabel('node-ready')).toBe('Node ready');
  });

  it('summarises the cluster', () => {
    expect(clusterSummary(cluster())).toContainEqual(['Nodes ready', '0 of 1']);
    expect(clusterSummary(cluster({ nodes: [{ ...cluster().nodes[0]!, step: 'node-ready' }] }))).toContainEqual(['Nodes ready', '1 of 1']);
    expect(clusterSummary(cluster())).toContainEqual(['Profile', 'edge-k3s-lab 1.0.0']);
    expect(healthLabel(null)).toBe('Not known yet');
  });

  it('says who holds the VIP, from the hosts\' own reports, once the cluster is Running', () => {
    const running = cluster({ status: 'Running' });
    const hosts = (vip: string | null) => ({ 'edge-host-1': { data: { hostId: 'edge-host-1', vip } }, 'edge-host-9': { data: { hostId: 'edge-x', vip: '10.77.0.100' } } });
    expect(vipHolderText(running, hosts('10.77.0.100'))).toBe('edge-host-1');
    expect(vipHolderText(running, hosts(null))).toMatch(/^nobody: no control-plane node/);
    const clashing = { 'edge-host-1': { data: { hostId: 'edge-host-1', vip: null, vipClash: '0e:a1:0a:4d:00:64' } } };
    expect(vipHolderText(running, clashing)).toBe('nobody: another machine on the LAN (0e:a1:0a:4d:00:64) answers for 10.77.0.100, so the control plane does not take it');
    expect(vipHolderText(cluster(), hosts('10.77.0.100'))).toBeNull();
    expect(vipHolderText(cluster({ status: 'Running', vip: '' }), hosts('10.77.0.100'))).toBeNull();
  });

  it('lists events newest first, later ones first within a millisecond', () => {
    const e = (at: number, message: string) => ({ at, severity: 'info' as const, message });
    expect(eventsNewestFirst([e(1, 'a'), e(2, 'b'), e(2, 'c')]).map((x) => x.message)).toEqual(['c', 'b', 'a']);
  });
});

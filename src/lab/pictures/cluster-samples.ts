/**
 * Sample cluster data for the picture's tests: Palette's nodes and the lab's hosts as the
 * overview receives them (the HA guide's four hosts: three control planes and a worker).
 */
import type { ClusterNodeView } from '../../../simulator/pure/palette/views';
import type { PictureCluster, PictureLabHost } from './cluster-picture';

export const VIP = '10.77.0.100';
export const RUNNING = { powered: { paired: { lifecycle: 'running', health: 'healthy' } } } as const;

export function sampleNode(i: number, role: ClusterNodeView['role'], step: ClusterNodeView['step'] = 'node-ready'): ClusterNodeView {
  return { hostId: `edge-host-${i}`, nodeName: `edge-host-${i}`, role, lanIp: `10.77.0.1${i}`, step, failure: null };
}

export const haCluster = (steps: ClusterNodeView['step'] = 'node-ready'): PictureCluster => ({
  name: 'edge-lab-ha',
  vip: VIP,
  nodes: [sampleNode(4, 'worker', steps), sampleNode(1, 'control-plane', steps), sampleNode(2, 'control-plane', steps), sampleNode(3, 'control-plane', steps)],
});

export function labHost(i: number, state: PictureLabHost['state'], data: Omit<PictureLabHost['data'], 'hostId'> = {}): [string, PictureLabHost] {
  return [`edge-host-${i}`, { state, data: { hostId: `edge-host-${i}`, ...data } }];
}

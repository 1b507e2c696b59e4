// The Nodes config step of the cluster wizard (reference §6): which edge hosts go into the
// control-plane and worker pools, and the pool sizes Palette accepts.
import { K8S_PACKS, PROVIDER_IMAGES } from './catalog';
import type { ClusterNode, StaticIp } from './cluster-network';
import { error, warning, type PaletteIssue } from './issues';
import type { ProfileFacts } from './profile';

export const hostStatuses = ['Ready', 'In-Use', 'Unpaired'] as const;
export type HostStatus = (typeof hostStatuses)[number];

/** One row of the Edge Hosts grid, as far as the wizard needs it. */
export interface EdgeHostView {
  id: string;
  status: HostStatus;
  /** '' when the host has not reported an address. */
  ip: string;
  project: string;
}

export interface PoolHost {
  hostId: string;
  staticIp?: StaticIp;
}

export interface Pools {
  twoNode?: boolean;
  controlPlanePool: { hosts: PoolHost[]; allowWorkerCapability: boolean };
  workerPool?: { hosts: PoolHost[] };
}

export const CONTROL_PLANE_SIZES = [1, 3, 5] as const;

function sizeIssues(pools: Pools, facts: ProfileFacts): PaletteIssue[] {
  const n = pools.controlPlanePool.hosts.length;
  const at = 'controlPlanePool.hosts';
  const twoNodeDistros = K8S_PACKS.filter((k) => k.twoNode).map((k) => k.displayName).join(' or ');
  if (pools.twoNode) {
    const issues: PaletteIssue[] = [];
    if (n !== 2) issues.push(error(at, 'two-node-size', `two-node capability needs exactly 2 control-plane hosts; the pool has ${n}`, n < 2 ? 'add hosts until the pool has 2' : 'move the extra hosts to the worker pool, or turn two-node capability off'));
    if (facts.k8s && !facts.k8s.pack.twoNode) {
      issues.push(error('twoNode', 'two-node-distribution', `${facts.k8s.pack.displayName} does not support two-node clusters`, `use a profile with ${twoNodeDistros}, or turn two-node capability off and use 1, 3 or 5 control-plane hosts`));
    } else if (facts.image && !facts.image.twoNode) {
      const fit = PROVIDER_IMAGES.find((i) => i.twoNode && i.k8sDistribution === facts.image?.k8sDistribution && i.k8sVersion === facts.image.k8sVersion);
      issues.push(error('twoNode', 'two-node-image', `the provider image \`${facts.image.name}\` was not built with two-node support`, fit ? `point the profile's \`system.uri\` at \`${fit.name}\`` : 'build the provider image with `TWO_NODE=true` and point the profile at it'));
    }
    return issues;
  }
  if (n === 0) return [error(at, 'control-plane-empty', 'the control-plane pool has no hosts', 'add 1, 3 or 5 Ready hosts to the control-plane pool')];
  if ((CONTROL_PLANE_SIZES as readonly number[]).includes(n)) return [];
  const hint = n === 2
    ? `use 1 or 3 hosts (an even count risks losing etcd quorum), or enable two-node capability with ${twoNodeDistros}`
    : n > 5 ? 'keep 5 in the control-plane pool and move the others to the worker pool' : `use ${n - 1} or ${n + 1} hosts: an even count risks losing etcd quorum`;
  return [error(at, 'control-plane-size', `the control-plane pool has ${n} hosts; it must have 1, 3 or 5`, hint)];
}

/**
 * Checks the pools against the Edge Hosts grid and returns the cluster's nodes (every pool entry
 * that names a known host, first occurrence only) for the network rules.
 */
export function nodeIssues(pools: Pools, hosts: readonly EdgeHostView[], project: string, facts: ProfileFacts): { issues: PaletteIssue[]; nodes: ClusterNode[] } {
  const issues = sizeIssues(pools, facts);
  const nodes: ClusterNode[] = [];
  const placed = new Map<string, 'controlPlanePool' | 'workerPool'>();
  const entries = [
    ...pools.controlPlanePool.hosts.map((h, i) => ({ pool: 'controlPlanePool' as const, h, i })),
    ...(pools.workerPool?.hosts ?? []).map((h, i) => ({ pool: 'workerPool' as const, h, i })),
  ];
  for (const { pool, h, i } of entries) {
    const path = `${pool}.hosts[${i}]`;
    const at = `${path}.hostId`;
    const before = placed.get(h.hostId);
    if (before) {
      issues.push(before === pool
        ? error(at, 'host-duplicate', `host ${h.hostId} is in this pool twice`, 'remove the second entry')
        : error(at, 'host-in-both-pools', `host ${h.hostId} is already in the control-plane pool`, 'remove it from one of the pools; a host belongs to one pool'));
      continue;
    }
    placed.set(h.hostId, pool);
    const host = hosts.find((x) => x.id === h.hostId);
    if (!host) {
      issues.push(error(at, 'host-unknown', `there is no edge host with ID ${h.hostId}`, 'pick a host from the Edge Hosts grid; a host appears there once it has registered'));
      continue;
    }
    if (host.project !== project) {
      issues.push(error(at, 'host-other-project', `host ${h.hostId} is registered in project ${host.project}, not in ${project}`, `pick a host of project ${project}, or create the cluster in project ${host.project}`));
    } else if (host.status === 'Unpaired') {
      issues.push(error(at, 'host-unpaired', `host ${h.hostId} is Unpaired: it has not paired with Palette`, 'power the host on and wait until it shows Ready in the Edge Hosts grid, or pick a Ready host'));
    } else if (host.status === 'In-Use') {
      issues.push(error(at, 'host-in-use', `host ${h.hostId} is In-Use: it already belongs to a cluster`, 'pick a Ready host, or remove this one from its cluster first'));
    }
    nodes.push({ path, hostId: h.hostId, ip: h.staticIp?.ip ?? host.ip, ...(h.staticIp ? { staticIp: h.staticIp } : {}) });
  }
  const workers = pools.workerPool?.hosts.length ?? 0;
  if (!pools.controlPlanePool.allowWorkerCapability && workers === 0 && pools.controlPlanePool.hosts.length > 0) {
    issues.push(warning('controlPlanePool.allowWorkerCapability', 'no-workload-nodes', 'worker capability is off and the worker pool is empty, so no node will run your workloads', 'turn on "Allow worker capability", or add hosts to the worker pool'));
  }
  if (nodes.length > 1 && facts.storage && !facts.storage.multiNode) {
    issues.push(warning('profile', 'storage-single-node', `the profile's storage is ${facts.storage.displayName}, which keeps each volume on one node; this cluster has ${nodes.length} nodes`, 'use a profile with Longhorn or Rook Ceph for volumes every node can reach'));
  }
  return { issues, nodes };
}

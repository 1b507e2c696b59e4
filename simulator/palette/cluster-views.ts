// Clusters as pages see them. Health is computed now (from the nodes and their hosts' contact
// times), so a view is current even between health sweeps.
import { clusterHealth, upgradeTurn } from '../pure/palette';
import { liveHealth } from './host-views';
import type { ClusterDoc, HostDoc } from './records';
import type { ClusterView } from './types';

/** IDs of registered hosts that are Unhealthy now. */
export function liveHealthSet(hosts: readonly HostDoc[], now: number): Set<string> {
  return new Set(hosts.filter((h) => liveHealth(h, now) === 'unhealthy').map((h) => h.hostId));
}

function upgradeView(c: ClusterDoc): ClusterView['upgrade'] {
  const u = c.upgrade;
  if (!u) return null;
  const state = u.failed ? 'failed' : u.endedAt !== null ? 'done' : 'rolling';
  return {
    from: u.from, to: u.to, order: [...u.order], done: [...u.done],
    current: state === 'rolling' ? upgradeTurn(u.order, u.done) ?? null : null, state, failed: u.failed,
  };
}

export function clusterView(c: ClusterDoc, unhealthyHosts: ReadonlySet<string>): ClusterView {
  return {
    uid: c.uid,
    name: c.name,
    project: c.project,
    status: c.status,
    health: clusterHealth(c.status, c.nodes, unhealthyHosts),
    profile: { name: c.spec.profile.id, version: c.spec.profile.version },
    k8s: { ...c.k8s },
    image: c.image.name,
    vip: c.spec.vip,
    nodes: c.nodes.map(({ hostId, nodeName, role, lanIp, step, failure, version }) => ({ hostId, nodeName, role, lanIp, step, failure, version: version ?? c.spec.profile.version })),
    createdAt: c.createdAt,
    spec: c.spec,
    upgrade: upgradeView(c),
  };
}

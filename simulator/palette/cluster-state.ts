// Writing a cluster after a change: its Events lines, its health recomputed from its nodes and
// their hosts, and a palette.cluster.status event whenever status or health changed.
import { clusterHealth, unhealthyReasons, type ProgressNote } from '../pure/palette';
import type { Tx } from './context';
import { liveHealth } from './host-views';
import { clusterEventId, type ClusterDoc } from './records';

/** Appends lines to the cluster's Events (the caller puts the cluster doc afterwards). */
export async function addNotes(tx: Tx, c: ClusterDoc, notes: readonly ProgressNote[], at: number): Promise<void> {
  for (const n of notes) {
    c.eventCount += 1;
    await tx.rec.put('cluster-event', clusterEventId(c.name, c.eventCount), { cluster: c.name, at, severity: n.severity, message: n.message });
  }
}

/** Host IDs of the cluster's nodes whose hosts are Unhealthy (or gone) now. */
export async function unhealthyNodes(tx: Tx, c: ClusterDoc, now: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (const n of c.nodes) {
    const h = await tx.rec.get('edge-host', n.hostId);
    if (!h || liveHealth(h, now) !== 'healthy') out.add(n.hostId);
  }
  return out;
}

/**
 * Recomputes health, logs a status change against `before` (the status and health last logged;
 * null for a new cluster, whose status is always logged), and puts the cluster.
 */
export async function saveCluster(tx: Tx, c: ClusterDoc, before: Pick<ClusterDoc, 'status' | 'health'> | null, now: number): Promise<void> {
  const unhealthy = await unhealthyNodes(tx, c, now);
  c.health = clusterHealth(c.status, c.nodes, unhealthy);
  if (before && c.status === before.status && c.health !== before.health && (c.status === 'Running' || c.status === 'Upgrading')) {
    const why = unhealthyReasons(c.nodes, unhealthy);
    await addNotes(tx, c, [c.health === 'Unhealthy'
      ? { severity: 'warning', message: `Cluster ${c.name} is Unhealthy: ${why.join(', ')}` }
      : { severity: 'info', message: `Cluster ${c.name} is Healthy again` }], now);
  }
  if (!before || c.status !== before.status || c.health !== before.health) {
    await tx.emit('palette.cluster.status', { name: c.name, status: c.status, health: c.health });
  }
  await tx.rec.put('cluster', c.name, c);
}

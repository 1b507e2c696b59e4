// Deleting a cluster, as the product does it: the cluster is Deleting while its hosts reset
// (each is told at its next heartbeat, reboots into a reset and says so in a later heartbeat);
// a host that has reset is released (Ready again), and the cluster is gone once no host is left
// in it. A host's record deleted meanwhile releases it too (the product's "delete the cluster,
// then delete the host record" for a host that will not come back).
import type { Tx } from './context';
import { addNotes, saveCluster } from './cluster-state';
import { clusterEventId, type ClusterDoc } from './records';

/** Host IDs still held by the Deleting cluster `c` (their record names it): its nodes, and removed nodes not reset yet. */
export async function hostsLeft(tx: Tx, c: ClusterDoc): Promise<string[]> {
  const left: string[] = [];
  const ids = new Set([...c.nodes.map((n) => n.hostId), ...c.removed.map((r) => r.hostId)]);
  for (const id of ids) if ((await tx.rec.get('edge-host', id))?.cluster === c.name) left.push(id);
  return left;
}

/** Removes the cluster, its Events and its record, and says so. */
async function removeCluster(tx: Tx, c: ClusterDoc): Promise<void> {
  for (let i = 1; i <= c.eventCount; i++) await tx.rec.remove('cluster-event', clusterEventId(c.name, i));
  await tx.rec.remove('cluster', c.name);
  await tx.emit('palette.cluster.deleted', { name: c.name });
}

/** Starts deleting `c`: Deleting, its hosts told at their next heartbeat; gone at once if it holds none. */
export async function startDeleting(tx: Tx, c: ClusterDoc, now: number, wake: (hostId: string) => void): Promise<void> {
  const before = { status: c.status, health: c.health };
  c.status = 'Deleting';
  const left = await hostsLeft(tx, c);
  await addNotes(tx, c, [{
    severity: 'info',
    message: left.length === 0
      ? `Cluster ${c.name} is being deleted; it holds no edge host`
      : `Cluster ${c.name} is being deleted: ${left.join(', ')} will reset (workloads, cluster state and the provider OS wiped; user data and registration kept) at their next heartbeat`,
  }], now);
  await saveCluster(tx, c, before, now);
  for (const hostId of left) {
    const h = (await tx.rec.get('edge-host', hostId))!;
    await tx.rec.put('edge-host', hostId, { ...h, assignmentSeen: false });
    tx.afterCommit(() => wake(hostId));
  }
  if (left.length === 0) await removeCluster(tx, c);
}

/**
 * Releases `hostId` from the Deleting cluster `c` (`how`: it reset, or its record was deleted);
 * the cluster goes with its last host.
 */
export async function releaseHost(tx: Tx, c: ClusterDoc, hostId: string, how: 'reset' | 'record-deleted', now: number): Promise<void> {
  const h = await tx.rec.get('edge-host', hostId);
  if (h && h.cluster === c.name) {
    await tx.rec.put('edge-host', hostId, { ...h, cluster: null, assignmentSeen: false });
    await tx.emit('palette.host.unassigned', { hostId, cluster: c.name });
  }
  await addNotes(tx, c, [{ severity: 'info', message: how === 'reset' ? `Edge host ${hostId} reset; it is Ready again` : `Edge host ${hostId}'s record was deleted; it no longer holds up the deletion` }], now);
  await tx.rec.put('cluster', c.name, c);
  if ((await hostsLeft(tx, c)).length === 0) await removeCluster(tx, c);
}

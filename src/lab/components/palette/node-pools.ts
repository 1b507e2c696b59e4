/**
 * What the cluster Overview's node-pool controls offer (reference §8 "Add a host", "Remove or
 * replace a host"), from the cluster and the Edge Hosts grid. Pure: Palette checks every edit
 * again and refuses with its own reasons; this only keeps the lists to sensible choices.
 */
import type { ClusterView, EdgeHostRow } from '../../../../simulator/pure/palette/views';

export interface PoolChoices {
  /** Registered hosts of the cluster's project that are Ready (free): candidates to join. */
  ready: string[];
  workers: string[];
  /** Control-plane hosts, those Palette calls Unhealthy first (the ones to replace). */
  controlPlanes: string[];
  /** The edits only make sense on a Running cluster (Palette refuses the others). */
  editable: boolean;
}

export function poolChoices(c: Pick<ClusterView, 'status' | 'project' | 'nodes'>, hosts: readonly EdgeHostRow[]): PoolChoices {
  const health = new Map(hosts.map((h) => [h.hostId, h.health]));
  const cps = c.nodes.filter((n) => n.role === 'control-plane').map((n) => n.hostId);
  const down = (id: string): number => (health.get(id) === 'Unhealthy' ? 0 : 1);
  return {
    ready: hosts.filter((h) => h.status === 'Ready' && h.project === c.project).map((h) => h.hostId),
    workers: c.nodes.filter((n) => n.role === 'worker').map((n) => n.hostId),
    controlPlanes: [...cps].sort((a, b) => down(a) - down(b)),
    editable: c.status === 'Running',
  };
}

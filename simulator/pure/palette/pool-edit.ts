// Day-2 edits of a Running cluster's node pools (reference §8 "Add a host", "Remove or replace
// a host"): add a Ready host to the worker pool, remove a worker, and replace a control-plane
// host with a Ready one. Pure: given the cluster's nodes and the Edge Hosts grid, either the
// issues that refuse the edit (each saying what is wrong and how to fix it) or the new node list.
//
// Rules (lab decisions where the reference is silent):
// - Only a Running cluster's pools are edited (a Provisioning one is still being built; a
//   Deleting one is going away).
// - A control-plane host is never removed on its own: Palette keeps the pool at 1, 3 or 5, so a
//   control plane changes by replacement only, and a pool of one cannot be replaced at all (its
//   single etcd member holds all of the cluster's state).
// - A replacement is refused when etcd would not keep a quorum through it: the new member is
//   added (not started yet) once the old one is removed, so the other members that are up must
//   be more than half of the pool (with 3: both others up). The hosts Palette calls Unhealthy
//   count as down.
import { addressOf, nodeNames } from './assignment';
import type { ClusterStatus } from './cluster';
import type { EdgeHostView } from './cluster-nodes';
import type { NodeRole } from './cluster-progress';
import { error, type PaletteIssue } from './issues';

export type PoolEdit =
  | { action: 'add-worker'; hostId: string }
  | { action: 'remove-worker'; hostId: string }
  | { action: 'replace-control-plane'; hostId: string; replacement: string };

/** A node as far as the edit needs it. */
export interface PoolNode {
  hostId: string;
  nodeName: string;
  role: NodeRole;
  /** `10.77.0.11/24` or ''. */
  lanIp: string;
}

export interface PoolEditFacts {
  cluster: { name: string; status: ClusterStatus; project: string; vip: string; nodes: readonly PoolNode[] };
  /** The Edge Hosts grid. */
  hosts: readonly EdgeHostView[];
  /** Host IDs Palette calls Unhealthy now. */
  unhealthy: ReadonlySet<string>;
  /** The lab's LAN address plan (`10.77.0.14/24`), by host ID; '' or undefined when it has none. */
  lanAddressOf: (hostId: string) => string | undefined;
}

export type PoolEditResult =
  | { ok: true; nodes: PoolNode[]; added: PoolNode | null; removed: PoolNode | null }
  | { ok: false; issues: PaletteIssue[] };

const refuse = (...issues: PaletteIssue[]): PoolEditResult => ({ ok: false, issues });

/** A node name for `hostId` that none of `taken` has (nodeNames' rule: `-2`, `-3`, … when taken). */
export function nextNodeName(hostId: string, taken: readonly string[]): string {
  const base = nodeNames([hostId])[0]!;
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const name = `${base.slice(0, 63 - String(n).length - 1).replace(/-+$/, '')}-${n}`;
    if (!taken.includes(name)) return name;
  }
}

function statusIssue(c: PoolEditFacts['cluster']): PaletteIssue | null {
  if (c.status === 'Running') return null;
  return c.status === 'Provisioning'
    ? error('cluster', 'cluster-not-running', `cluster ${c.name} is still Provisioning; its node pools can be edited once it is Running`, 'wait until every node is Ready, or delete the cluster and create it again with the hosts you want')
    : error('cluster', 'cluster-not-running', `cluster ${c.name} is being deleted; its node pools cannot change`, 'create a new cluster once the deletion is over');
}

/** Checks that `hostId` can join the cluster as a new node; returns the node, or the issues. */
function newNode(f: PoolEditFacts, hostId: string, role: NodeRole, path: string): PoolNode | PaletteIssue[] {
  const c = f.cluster;
  const h = f.hosts.find((x) => x.id === hostId);
  if (!h) return [error(path, 'host-unknown', `edge host ${hostId} is not in the Edge Hosts grid`, 'add its ID under Clusters › Edge Hosts and power the host on, so that it registers')];
  if (h.status === 'Unpaired') return [error(path, 'host-not-registered', `edge host ${hostId} has not registered with Palette yet (Unpaired)`, 'power the host on with an installer whose user data has the registration token, or approve it; then it is Ready')];
  if (c.nodes.some((n) => n.hostId === hostId)) return [error(path, 'host-in-cluster', `edge host ${hostId} is already a node of cluster ${c.name}`, 'pick a Ready host that is not in the cluster')];
  if (h.status === 'In-Use') return [error(path, 'host-in-use', `edge host ${hostId} is In-Use in another cluster, or still resetting after leaving one`, 'pick a Ready host; a host that is resetting is Ready again after its next heartbeat')];
  if (h.project !== c.project) return [error(path, 'host-other-project', `edge host ${hostId} belongs to project ${h.project}, not ${c.project}`, `pick a Ready host of project ${c.project}`)];
  if (f.unhealthy.has(hostId)) return [error(path, 'host-unhealthy', `edge host ${hostId} has not been heard from for a minute (Unhealthy)`, 'power it on and wait until its health is Healthy')];
  const lanIp = f.lanAddressOf(hostId) || h.ip;
  const ip = addressOf(lanIp);
  if (ip !== '' && ip === c.vip) return [error(path, 'ip-conflict', `edge host ${hostId}'s address ${ip} is the cluster's VIP`, 'give the host another address, or pick another host')];
  const clash = c.nodes.find((n) => ip !== '' && addressOf(n.lanIp) === ip);
  if (clash) return [error(path, 'ip-conflict', `edge host ${hostId}'s address ${ip} is already node ${clash.nodeName}'s`, 'give the host another address, or pick another host')];
  return { hostId, nodeName: nextNodeName(hostId, c.nodes.map((n) => n.nodeName)), role, lanIp: lanIp.includes('/') || lanIp === '' ? lanIp : `${lanIp}/24` };
}

export function planPoolEdit(f: PoolEditFacts, edit: PoolEdit): PoolEditResult {
  const c = f.cluster;
  const notRunning = statusIssue(c);
  if (notRunning) return refuse(notRunning);
  const nodes = c.nodes.map((n) => ({ ...n }));
  const controlPlanes = nodes.filter((n) => n.role === 'control-plane');

  if (edit.action === 'add-worker') {
    const node = newNode(f, edit.hostId, 'worker', 'hostId');
    if (Array.isArray(node)) return refuse(...node);
    return { ok: true, nodes: [...nodes, node], added: node, removed: null };
  }

  const old = nodes.find((n) => n.hostId === edit.hostId);
  if (!old) return refuse(error('hostId', 'not-a-node', `edge host ${edit.hostId} is not a node of cluster ${c.name}`, `pick one of ${nodes.map((n) => n.hostId).join(', ')}`));

  if (edit.action === 'remove-worker') {
    if (old.role === 'control-plane') {
      const why = controlPlanes.length === 1
        ? `it is the cluster's only control plane: its etcd member holds all of the cluster's state`
        : controlPlaneRemovalWhy(controlPlanes, old, f.unhealthy);
      return refuse(error('hostId', controlPlanes.length === 1 ? 'last-control-plane' : 'control-plane-removal', `control-plane host ${old.hostId} cannot be removed: ${why}`,
        controlPlanes.length === 1 ? 'delete the cluster instead, or keep the host' : 'replace it with a Ready host instead (Replace control plane)'));
    }
    return { ok: true, nodes: nodes.filter((n) => n !== old), added: null, removed: old };
  }

  if (old.role !== 'control-plane') return refuse(error('hostId', 'not-a-control-plane', `edge host ${old.hostId} is a worker, not a control plane`, 'remove the worker and add another host to the worker pool instead'));
  if (controlPlanes.length === 1) {
    return refuse(error('hostId', 'last-control-plane', `control-plane host ${old.hostId} is the cluster's only one and cannot be replaced: its etcd member holds all of the cluster's state, and no other member could hand it to a new host`, 'delete the cluster and create it again, or create clusters with 3 control planes to be able to replace one'));
  }
  const othersUp = controlPlanes.filter((n) => n !== old && !f.unhealthy.has(n.hostId));
  if (othersUp.length <= controlPlanes.length / 2) {
    const down = controlPlanes.filter((n) => n !== old && f.unhealthy.has(n.hostId)).map((n) => n.hostId);
    return refuse(error('replacement', 'quorum-at-risk',
      `replacing ${old.hostId} now would leave ${othersUp.length} of ${controlPlanes.length} etcd members up while the new one joins, and etcd needs ${Math.floor(controlPlanes.length / 2) + 1}: the cluster would lose its quorum`,
      `bring ${down.join(', ')} back (power on, until Healthy) first, then replace ${old.hostId}`));
  }
  const node = newNode(f, edit.replacement, 'control-plane', 'replacement');
  if (Array.isArray(node)) return refuse(...node);
  // The new host takes the old one's place in the pool order.
  return { ok: true, nodes: nodes.map((n) => (n === old ? node : n)), added: node, removed: old };
}

/** Why a control plane of more than one host cannot lose `old` without a replacement. */
function controlPlaneRemovalWhy(controlPlanes: readonly PoolNode[], old: PoolNode, unhealthy: ReadonlySet<string>): string {
  const left = controlPlanes.length - 1;
  const up = controlPlanes.filter((n) => n !== old && !unhealthy.has(n.hostId)).length;
  const quorum = Math.floor(left / 2) + 1;
  if (up < quorum) return `etcd would be left with ${up} of ${left} members up and needs ${quorum}: the cluster would lose its quorum`;
  return `the pool would have ${left} members, and Palette keeps a control plane at 1, 3 or 5 (${left} etcd members need ${quorum} up, so the cluster would tolerate ${left - quorum} failure${left - quorum === 1 ? '' : 's'})`;
}

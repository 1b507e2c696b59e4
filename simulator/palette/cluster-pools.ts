// Day-2 edits of a Running cluster's node pools (rules: pure/palette/pool-edit.ts): a host added
// to the cluster is assigned as at creation (its heartbeat is answered at once, it provisions and
// reports its steps); a node removed leaves the cluster's node list at once, its host is told to
// reset at its next heartbeat (the reset path of a cluster deletion) and is released, Ready,
// when it says it has reset. The cluster's other nodes are woken so that their heartbeats carry
// the change: the removed node names (whose kube records the control plane deletes) and the
// removed control planes' addresses (whose etcd members it removes). palette-api.md, "Day-2".
import { addressOf, hostStatus, planPoolEdit, type EdgeHostView, type PoolEdit, type PoolNode } from '../pure/palette';
import { addNotes, saveCluster } from './cluster-state';
import { clusterView, liveHealthSet } from './cluster-views';
import { notFound, fail, type Ctx, type Tx } from './context';
import type { ClusterDoc, NodeDoc } from './records';
import type { Failure, Palette } from './types';

/** Wakes the long polls of every host the cluster holds, so that each hears the change now. */
function wakeAll(ctx: Ctx, tx: Tx, c: ClusterDoc, also: string[]): void {
  for (const hostId of new Set([...c.nodes.map((n) => n.hostId), ...also])) tx.afterCommit(() => ctx.waiters.wake(hostId));
}

/** The wizard's pools, kept in step with the node list (the cluster view shows the spec as well). */
function syncSpec(c: ClusterDoc): void {
  const keep = (role: NodeDoc['role']) => c.nodes.filter((n) => n.role === role).map((n) => {
    const pools = [...c.spec.controlPlanePool.hosts, ...(c.spec.workerPool?.hosts ?? [])];
    return pools.find((h) => h.hostId === n.hostId) ?? { hostId: n.hostId };
  });
  const workers = keep('worker');
  c.spec = {
    ...c.spec,
    controlPlanePool: { ...c.spec.controlPlanePool, hosts: keep('control-plane') },
    ...(c.spec.workerPool || workers.length > 0 ? { workerPool: { ...c.spec.workerPool, hosts: workers } } : {}),
  };
}

/** Refusals about the state of things now (409) against requests that could never work (422). */
const CONFLICTS = new Set(['cluster-not-running', 'host-in-use', 'host-in-cluster', 'host-unhealthy', 'quorum-at-risk', 'control-plane-removal', 'last-control-plane']);
const reasonOf = (code: string): Failure['reason'] => (code === 'host-unknown' ? 'not-found' : CONFLICTS.has(code) ? 'conflict' : 'invalid');

async function edit(ctx: Ctx, name: string, change: PoolEdit): Promise<{ ok: true; cluster: string } | Failure> {
  const now = ctx.deps.now();
  return ctx.write(async (tx) => {
    const c = await tx.rec.get('cluster', name);
    if (!c) return notFound('name', `cluster ${name}`, 'check the name in the cluster list');
    const hosts = await tx.rec.list('edge-host');
    const views: EdgeHostView[] = hosts.map((h) => ({ id: h.hostId, status: hostStatus(h.registration, h.cluster), project: h.project, ip: h.ip }));
    const plan = planPoolEdit({
      cluster: { name: c.name, status: c.status, project: c.project, vip: c.spec.vip, nodes: c.nodes },
      hosts: views, unhealthy: liveHealthSet(hosts, now), lanAddressOf: (id) => ctx.deps.lanAddressOf?.(id),
    }, change);
    if (!plan.ok) return fail(reasonOf(plan.issues[0]?.code ?? ''), plan.issues);

    const before = { status: c.status, health: c.health };
    const byId = new Map(c.nodes.map((n) => [n.hostId, n]));
    c.nodes = plan.nodes.map((n: PoolNode) => byId.get(n.hostId) ?? { ...n, step: null, failure: null, day2: true, version: null });
    const { added, removed } = plan;
    if (removed) {
      c.removed = [...c.removed.filter((r) => r.hostId !== removed.hostId), { ...removed }];
      const h = (await tx.rec.get('edge-host', removed.hostId))!;
      await tx.rec.put('edge-host', h.hostId, { ...h, assignmentSeen: false });
      await tx.emit('palette.cluster.node-removed', { name: c.name, hostId: removed.hostId, role: removed.role });
      await addNotes(tx, c, [{
        severity: 'info',
        message: `Edge host ${removed.hostId} (node ${removed.nodeName}, ${removed.role}) removed from cluster ${c.name}: the cluster deletes node ${removed.nodeName}${removed.role === 'control-plane' ? ` and its etcd member ${addressOf(removed.lanIp) || ''}`.trimEnd() : ''}; the host resets at its next heartbeat (a powered-off host when it is powered on) and is Ready again`,
      }], now);
    }
    if (added) {
      c.removed = c.removed.filter((r) => r.hostId !== added.hostId);
      const h = (await tx.rec.get('edge-host', added.hostId))!;
      await tx.rec.put('edge-host', h.hostId, { ...h, cluster: c.name, assignmentSeen: false });
      await tx.emit('palette.host.assigned', { hostId: h.hostId, cluster: c.name });
      await tx.emit('palette.cluster.node-added', { name: c.name, hostId: added.hostId, role: added.role });
      await addNotes(tx, c, [{
        severity: 'info',
        message: `Edge host ${added.hostId} assigned as ${added.role} node ${added.nodeName}${added.lanIp ? ` (${added.lanIp})` : ''}${added.role === 'control-plane' ? '; it joins the existing etcd as a new member' : ''}`,
      }], now);
    }
    syncSpec(c);
    await saveCluster(tx, c, before, now);
    wakeAll(ctx, tx, c, removed ? [removed.hostId] : []);
    return { ok: true as const, cluster: c.name };
  });
}

/**
 * A host removed from `c` (not one of its nodes, its record still naming it) is released:
 * it reset (`how`), or its record was deleted.
 */
export async function releaseRemovedHost(tx: Tx, c: ClusterDoc, hostId: string, how: 'reset' | 'record-deleted', now: number): Promise<void> {
  const h = await tx.rec.get('edge-host', hostId);
  if (h && h.cluster === c.name) {
    await tx.rec.put('edge-host', hostId, { ...h, cluster: null, assignmentSeen: false });
    await tx.emit('palette.host.unassigned', { hostId, cluster: c.name });
  }
  await addNotes(tx, c, [{ severity: 'info', message: how === 'reset' ? `Edge host ${hostId} reset after leaving cluster ${c.name}; it is Ready again` : `Edge host ${hostId}'s record was deleted after it left cluster ${c.name}` }], now);
  await tx.rec.put('cluster', c.name, c);
}

/** True when `hostId`'s record names `c` but `c` no longer has it as a node (removed, not reset yet). */
export const isLeaving = (c: ClusterDoc, hostId: string): boolean => !c.nodes.some((n) => n.hostId === hostId);

export function poolsApi(ctx: Ctx): Pick<Palette['clusters'], 'addWorker' | 'removeWorker' | 'replaceControlPlane'> {
  const done = async (r: Awaited<ReturnType<typeof edit>>) => {
    if (!r.ok) return r;
    const [c, hosts] = await Promise.all([ctx.rec.get('cluster', r.cluster), ctx.rec.list('edge-host')]);
    return c ? { ok: true as const, cluster: clusterView(c, liveHealthSet(hosts, ctx.deps.now())) } : notFound('name', `cluster ${r.cluster}`, 'it was deleted meanwhile');
  };
  const text = (v: unknown, path: string) => (typeof v === 'string' && v !== '' ? null : fail('invalid', [{ path, code: 'invalid-field', message: `${path} must be an edge host ID`, hint: 'pick a host from the Edge Hosts grid', severity: 'error' }]));
  return {
    async addWorker(name, hostId) {
      return text(hostId, 'hostId') ?? done(await edit(ctx, name, { action: 'add-worker', hostId }));
    },
    async removeWorker(name, hostId) {
      return text(hostId, 'hostId') ?? done(await edit(ctx, name, { action: 'remove-worker', hostId }));
    },
    async replaceControlPlane(name, hostId, replacement) {
      return text(hostId, 'hostId') ?? text(replacement, 'replacement') ?? done(await edit(ctx, name, { action: 'replace-control-plane', hostId, replacement }));
    },
  };
}

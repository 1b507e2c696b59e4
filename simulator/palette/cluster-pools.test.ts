import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROVISIONING_STEPS } from '../pure/machines/provisioning';
import { clusterSpec, k3sProfile, openKit, registerHosts, STORES, withToken, type Kit } from './test-kit';

const lan = (id: string): string | undefined => (/^edge-[1-9]$/.test(id) ? `10.77.0.1${id.slice(5)}/24` : undefined);

describe.each(STORES)('Day-2 node pools (%s store)', (kind) => {
  let kit: Kit;
  let keys: Record<string, string>;
  const as = (hostId: string) => ({ hostKey: keys[hostId] ?? '' });
  const beat = (hostId: string, extra: Record<string, unknown> = {}) => kit.palette.hosts.agentHeartbeat(hostId, { hostId, ...extra }, as(hostId));
  const report = async (hostId: string) => {
    for (const step of PROVISIONING_STEPS) await kit.palette.hosts.agentProvisioning(hostId, { hostId, cluster: 'store-42', step }, as(hostId));
  };
  const codesOf = (r: { ok: boolean; issues?: { code: string }[] }) => (r.ok ? [] : r.issues!.map((i) => i.code));

  beforeEach(async () => {
    kit = await openKit(kind, { lanAddressOf: lan });
    keys = await registerHosts(kit.palette, await withToken(kit.palette), 6);
    await kit.palette.profiles.save(k3sProfile());
    await kit.palette.clusters.create(clusterSpec({
      controlPlanePool: { hosts: [{ hostId: 'edge-1' }, { hostId: 'edge-2' }, { hostId: 'edge-3' }], allowWorkerCapability: false },
      workerPool: { hosts: [{ hostId: 'edge-4' }] },
    }));
    kit.takeTypes();
  });
  afterEach(async () => { await kit.dispose(); });

  const running = async () => {
    for (const id of ['edge-1', 'edge-2', 'edge-3', 'edge-4']) await report(id);
    expect((await kit.palette.clusters.get('store-42'))?.status).toBe('Running');
    kit.takeTypes();
  };

  it('refuses every edit while the cluster is Provisioning, and names a missing cluster', async () => {
    const r = await kit.palette.clusters.addWorker('store-42', 'edge-5');
    expect(r).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'cluster-not-running' }] });
    expect(r.ok ? '' : r.message).toMatch(/still Provisioning.*Running/);
    expect(await kit.palette.clusters.removeWorker('nope', 'edge-4')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(await kit.palette.clusters.addWorker('store-42', 7 as unknown as string)).toMatchObject({ ok: false, reason: 'invalid', issues: [{ path: 'hostId' }] });
    expect(kit.takeTypes()).toEqual([]);
  });

  it('adds a worker: assigned at once, the cluster stays Running while it provisions, and the other nodes are woken', async () => {
    await running();
    const waiting = beat('edge-1', { wait: 25 });
    const r = await kit.palette.clusters.addWorker('store-42', 'edge-5');
    expect(r).toMatchObject({ ok: true, cluster: { status: 'Running', spec: { workerPool: { hosts: [{ hostId: 'edge-4' }, { hostId: 'edge-5' }] } } } });
    expect(kit.takeTypes()).toEqual(['palette.host.assigned', 'palette.cluster.node-added']);
    // The long poll of a node already in the cluster answers now, not after 25 s.
    const woke = await Promise.race([waiting, new Promise((res) => setTimeout(() => res('still waiting'), 3000))]);
    expect(woke).toMatchObject({ status: 'assigned', nodeName: 'edge-1' });
    expect(await beat('edge-5')).toMatchObject({ status: 'assigned', nodeRole: 'worker', nodeName: 'edge-5', lanIp: '10.77.0.15/24', etcd: '10.77.0.11,10.77.0.12,10.77.0.13', etcdState: 'new' });
    expect((await kit.palette.hosts.get('edge-5'))?.status).toBe('In-Use');
    await report('edge-5');
    expect(await kit.palette.clusters.get('store-42')).toMatchObject({ status: 'Running', health: 'Healthy', nodes: expect.arrayContaining([expect.objectContaining({ hostId: 'edge-5', step: 'node-ready' })]) });
    expect(codesOf(await kit.palette.clusters.addWorker('store-42', 'edge-5'))).toEqual(['host-in-cluster']);
    expect(codesOf(await kit.palette.clusters.addWorker('store-42', 'edge-9'))).toEqual(['host-unknown']);
  });

  it('removes a worker: it leaves the node list, resets at its next heartbeat and is Ready once it says so; the control plane hears which node went', async () => {
    await running();
    expect(await kit.palette.clusters.removeWorker('store-42', 'edge-4')).toMatchObject({ ok: true, cluster: { nodes: [{ hostId: 'edge-1' }, { hostId: 'edge-2' }, { hostId: 'edge-3' }] } });
    expect(kit.takeTypes()).toEqual(['palette.cluster.node-removed']);
    expect(await beat('edge-4', { wait: 25 })).toEqual({ status: 'reset', cluster: 'store-42', why: 'host-removed' });
    expect(await beat('edge-1')).toMatchObject({ status: 'assigned', removedNodes: 'edge-4', removedMembers: '' });
    // Still resetting: In-Use, and not yet available to a cluster.
    expect((await kit.palette.hosts.get('edge-4'))?.status).toBe('In-Use');
    expect(codesOf(await kit.palette.clusters.addWorker('store-42', 'edge-4'))).toEqual(['host-in-use']);
    expect(await kit.palette.hosts.agentProvisioning('edge-4', { hostId: 'edge-4', cluster: 'store-42', step: 'node-ready' }, as('edge-4'))).toMatchObject({ status: 'refused', code: 'not-assigned' });
    expect(await beat('edge-4', { reset: 'store-42' })).toEqual({ status: 'ok' });
    expect(kit.takeTypes()).toContain('palette.host.unassigned');
    expect(await kit.palette.hosts.get('edge-4')).toMatchObject({ status: 'Ready', cluster: null });
    expect((await kit.palette.clusters.get('store-42'))?.events.map((e) => e.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Edge host edge-4 \(node edge-4, worker\) removed from cluster store-42: the cluster deletes node edge-4; the host resets/),
      'Edge host edge-4 reset after leaving cluster store-42; it is Ready again',
    ]));
    // Added again, it is no longer among the removed nodes.
    expect((await kit.palette.clusters.addWorker('store-42', 'edge-4')).ok).toBe(true);
    expect(await beat('edge-1')).toMatchObject({ removedNodes: '' });
  });

  it('refuses to remove a control plane and says to replace it', async () => {
    await running();
    const r = await kit.palette.clusters.removeWorker('store-42', 'edge-2');
    expect(r).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'control-plane-removal', hint: expect.stringMatching(/Replace control plane/) }] });
    expect(r.ok ? '' : r.message).toMatch(/^hostId: control-plane host edge-2 cannot be removed/);
  });

  it('replaces a dead control plane: the new host joins the existing etcd, the others remove the dead member and node; its record can be deleted', async () => {
    await running();
    // edge-2 loses power: the others keep beating, it is Unhealthy after a minute.
    kit.advance(61_000);
    for (const id of ['edge-1', 'edge-3', 'edge-4', 'edge-5']) await beat(id);
    await kit.palette.sweepHealth();
    expect((await kit.palette.clusters.get('store-42'))?.health).toBe('Unhealthy');
    kit.takeTypes();

    expect(codesOf(await kit.palette.clusters.replaceControlPlane('store-42', 'edge-2', 'edge-6'))).toEqual(['host-unhealthy']);
    const r = await kit.palette.clusters.replaceControlPlane('store-42', 'edge-2', 'edge-5');
    expect(r).toMatchObject({ ok: true, cluster: { health: 'Healthy', spec: { controlPlanePool: { hosts: [{ hostId: 'edge-1' }, { hostId: 'edge-5' }, { hostId: 'edge-3' }] } } } });
    expect(kit.takeTypes()).toEqual(['palette.cluster.node-removed', 'palette.host.assigned', 'palette.cluster.node-added', 'palette.cluster.status']);
    expect(await beat('edge-5')).toMatchObject({ nodeRole: 'control-plane', etcdState: 'existing', etcd: '10.77.0.11,10.77.0.15,10.77.0.13' });
    expect(await beat('edge-1')).toMatchObject({ etcdState: 'new', etcd: '10.77.0.11,10.77.0.15,10.77.0.13', removedNodes: 'edge-2', removedMembers: '10.77.0.12' });
    expect(await beat('edge-4')).toMatchObject({ removedMembers: '10.77.0.12' });

    // The dead host will not come back to reset: its record can go, which releases it.
    expect(await kit.palette.hosts.deleteHost('edge-2')).toEqual({ ok: true });
    expect(kit.takeTypes()).toEqual(['palette.host.unassigned', 'palette.host.deleted']);
    expect((await kit.palette.clusters.get('store-42'))?.events.at(-1)?.message).toBe("Edge host edge-2's record was deleted after it left cluster store-42");
  });

  it('refuses a replacement that would cost etcd its quorum, naming the member to bring back', async () => {
    await running();
    kit.advance(61_000);
    for (const id of ['edge-1', 'edge-4', 'edge-5']) await beat(id);
    const r = await kit.palette.clusters.replaceControlPlane('store-42', 'edge-2', 'edge-5');
    expect(r).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'quorum-at-risk', hint: expect.stringMatching(/^bring edge-3 back/) }] });
  });

  it('a removed host not yet reset holds up a later deletion until it resets', async () => {
    await running();
    await kit.palette.clusters.removeWorker('store-42', 'edge-4');
    await kit.palette.clusters.delete('store-42');
    expect(await beat('edge-4')).toEqual({ status: 'reset', cluster: 'store-42', why: 'cluster-deleted' });
    for (const id of ['edge-1', 'edge-2', 'edge-3']) await beat(id, { reset: 'store-42' });
    expect((await kit.palette.clusters.get('store-42'))?.status).toBe('Deleting');
    await beat('edge-4', { reset: 'store-42' });
    expect(await kit.palette.clusters.get('store-42')).toBeUndefined();
    expect((await kit.palette.hosts.get('edge-4'))?.status).toBe('Ready');
  });
});

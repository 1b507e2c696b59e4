import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROVISIONING_STEPS } from '../pure/machines/provisioning';
import { clusterSpec, K3S_IMAGE, k3sProfile, openKit, registerHosts, STATIC, STORES, withToken, type Kit } from './test-kit';

describe.each(STORES)('profiles (%s store)', (kind) => {
  let kit: Kit;
  beforeEach(async () => { kit = await openKit(kind); });
  afterEach(async () => { await kit.dispose(); });

  it('keeps every version, returns the highest by default, and reports issues at their fields', async () => {
    expect(await kit.palette.profiles.save(k3sProfile())).toMatchObject({ ok: true, profile: { name: 'edge-k3s-lab', version: '1.0.0', usedBy: [] }, warnings: [] });
    expect((await kit.palette.profiles.save(k3sProfile({ version: '1.10.0' }))).ok).toBe(true);
    expect((await kit.palette.profiles.save(k3sProfile({ version: '1.9.0' }))).ok).toBe(true);
    expect((await kit.palette.profiles.list()).map((p) => p.version)).toEqual(['1.0.0', '1.9.0', '1.10.0']);
    expect((await kit.palette.profiles.get('edge-k3s-lab'))?.version).toBe('1.10.0');
    expect((await kit.palette.profiles.get('edge-k3s-lab', '1.9.0'))?.version).toBe('1.9.0');
    const bad = await kit.palette.profiles.save(k3sProfile({ name: 'Edge K3s', layers: [
      { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.uri': 'registry.lab/edge-lab-provider:k3s-1.31.8-v4.7.16-lab' } },
      { type: 'k8s', pack: 'edge-k3s', version: '1.32.4' },
      { type: 'cni', pack: 'cni-cilium', version: '1.17.2' },
    ] }));
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    expect(!bad.ok && bad.issues.map((i) => `${i.path} ${i.code}`)).toEqual([
      'name name-invalid', 'layers[2].pack cni-incompatible', 'layers[0].values.system.uri provider-image-k8s-version',
    ]);
    expect(kit.takeTypes()).toEqual(['palette.profile.saved', 'palette.profile.saved', 'palette.profile.saved']);
    expect(await kit.palette.profiles.delete('edge-k3s-lab', '1.9.0')).toEqual({ ok: true, deleted: ['1.9.0'] });
    expect(kit.events.at(-1)).toMatchObject({ type: 'palette.profile.deleted', payload: { name: 'edge-k3s-lab', version: '1.9.0' } });
    expect(await kit.palette.profiles.delete('nope')).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('replaces a version only while no cluster uses it', async () => {
    const token = await withToken(kit.palette);
    await registerHosts(kit.palette, token, 1);
    await kit.palette.profiles.save(k3sProfile());
    expect((await kit.palette.profiles.save(k3sProfile({ description: 'again' }))).ok).toBe(true);
    expect((await kit.palette.clusters.create(clusterSpec())).ok).toBe(true);
    expect(await kit.palette.profiles.save(k3sProfile({ description: 'changed' }))).toMatchObject({ ok: false, reason: 'conflict', issues: [{ path: 'version', code: 'profile-in-use' }] });
    expect(await kit.palette.profiles.delete('edge-k3s-lab')).toMatchObject({ ok: false, reason: 'conflict' });
    expect((await kit.palette.profiles.get('edge-k3s-lab'))?.usedBy).toEqual(['store-42']);
  });
});

describe.each(STORES)('clusters (%s store)', (kind) => {
  let kit: Kit;
  let keys: Record<string, string>;
  /** The host's own key, as its agent sends it. */
  const as = (hostId: string) => ({ hostKey: keys[hostId] ?? '' });
  beforeEach(async () => {
    kit = await openKit(kind, { lanAddressOf: (id) => (id === 'edge-2' ? '10.77.0.12/24' : undefined) });
    const token = await withToken(kit.palette);
    keys = await registerHosts(kit.palette, token, 4);
    await kit.palette.profiles.save(k3sProfile());
    kit.takeTypes();
  });
  afterEach(async () => { await kit.dispose(); });

  const issuesOf = async (spec: Record<string, unknown>) => {
    const r = await kit.palette.clusters.create(spec);
    return r.ok ? [] : r.issues.filter((i) => i.severity === 'error').map((i) => `${i.path} ${i.code}`);
  };

  it('puts each wizard error on its field', async () => {
    expect(await issuesOf(clusterSpec({ name: 'Store 42' }))).toEqual(['name name-invalid']);
    expect(await issuesOf(clusterSpec({ profile: { id: 'nope', version: '1.0.0' } }))).toEqual(['profile.id profile-unknown']);
    expect(await issuesOf(clusterSpec({ profile: { id: 'edge-k3s-lab', version: '2.0.0' } }))).toEqual(['profile.version profile-version-unknown']);
    expect(await issuesOf(clusterSpec({ vip: '10.77.0.11', controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: STATIC(1) }, { hostId: 'edge-2' }, { hostId: 'edge-3' }], allowWorkerCapability: true } }))).toEqual(['vip vip-conflict']);
    expect(await issuesOf(clusterSpec({ controlPlanePool: { hosts: [{ hostId: 'edge-1' }, { hostId: 'edge-2' }], allowWorkerCapability: true } }))).toEqual(['controlPlanePool.hosts control-plane-size']);
    expect(await issuesOf(clusterSpec({ controlPlanePool: { hosts: [{ hostId: 'edge-9' }], allowWorkerCapability: true } }))).toEqual(['controlPlanePool.hosts[0].hostId host-unknown']);
    expect(await issuesOf(clusterSpec({ controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: { ...STATIC(1), gateway: '10.78.0.1' } }], allowWorkerCapability: true } }))).toEqual(['controlPlanePool.hosts[0].staticIp.gateway static-gateway-outside']);
    expect(await issuesOf(clusterSpec({ ntpServers: ['https://pool.ntp.org'] }))).toEqual(['ntpServers[0] ntp-invalid']);
    expect(await issuesOf(clusterSpec({ parameters: { 'edge-native-byoi.system.uri': 'registry.lab/edge-lab-provider:k3s-1.31.8-v4.7.16-lab' } }))).toEqual(['parameters.edge-native-byoi.system.uri provider-image-k8s-version']);
    expect(await issuesOf(clusterSpec({ project: 'Nope' }))).toEqual(['project project-unknown']);
    expect(await issuesOf({ ...clusterSpec(), vip: 7 })).toEqual(['vip invalid-field']);
    expect(kit.takeTypes()).toEqual([]);
  });

  it('refuses a provider image the lab registry cannot serve', async () => {
    await kit.palette.profiles.save(k3sProfile({ name: 'suse', layers: [
      { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.uri': 'registry.lab/edge-lab-provider-opensuse:k3s-1.32.4-v4.7.16-lab' } },
      { type: 'k8s', pack: 'edge-k3s', version: '1.32.4' }, { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
    ] }));
    expect(await issuesOf(clusterSpec({ profile: { id: 'suse', version: '1.0.0' } }))).toEqual(['profile.id provider-image-unavailable']);
  });

  it('assigns its hosts (In-Use), logs it, and answers their heartbeats with the assignment', async () => {
    const r = await kit.palette.clusters.create(clusterSpec({
      controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: STATIC(1) }, { hostId: 'edge-2' }, { hostId: 'edge-3' }], allowWorkerCapability: true },
      workerPool: { hosts: [{ hostId: 'edge-4' }] },
    }));
    expect(r).toMatchObject({ ok: true, cluster: { name: 'store-42', status: 'Provisioning', health: null, image: K3S_IMAGE, k8s: { distribution: 'k3s', version: '1.32.4' } } });
    expect(kit.takeTypes()).toEqual(['palette.cluster.created', ...Array(4).fill('palette.host.assigned'), 'palette.cluster.status']);
    expect(kit.events.find((e) => e.type === 'palette.cluster.created')?.payload).toEqual({ name: 'store-42', nodeCount: 4 });
    expect(kit.events.at(-1)).toMatchObject({ payload: { name: 'store-42', status: 'Provisioning', health: null } });
    expect((await kit.palette.hosts.list()).map((h) => [h.hostId, h.status, h.cluster, h.os])).toEqual([
      ['edge-1', 'In-Use', 'store-42', 'k3s-1.32.4-v4.7.16-lab'], ['edge-2', 'In-Use', 'store-42', 'k3s-1.32.4-v4.7.16-lab'],
      ['edge-3', 'In-Use', 'store-42', 'k3s-1.32.4-v4.7.16-lab'], ['edge-4', 'In-Use', 'store-42', 'k3s-1.32.4-v4.7.16-lab'],
    ]);
    const image = `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}`;
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', wait: 25 }, as('edge-1'))).toEqual({
      status: 'assigned', cluster: 'store-42', nodeRole: 'control-plane', nodeName: 'edge-1', k8sVersion: '1.32.4', distribution: 'k3s',
      image, imageSha256: kit.blob.sha256, lanIp: '10.77.0.11/24', vip: '10.77.0.100', etcd: '10.77.0.11,10.77.0.12',
      // The profile's layers above Kubernetes, for the host to apply after its runtime starts.
      layers: 'cni-calico@3.30.1',
      // The cluster's NTP servers, for the node's clock.
      ntp: 'pool.ntp.org',
      // Created with the cluster: its etcd is bootstrapped, nothing has been removed.
      etcdState: 'new', removedNodes: '', removedMembers: '',
    });
    expect(await kit.palette.hosts.agentHeartbeat('edge-2', { hostId: 'edge-2' }, as('edge-2'))).toMatchObject({ nodeRole: 'control-plane', lanIp: '10.77.0.12/24', etcd: '10.77.0.11,10.77.0.12' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-4', { hostId: 'edge-4' }, as('edge-4'))).toMatchObject({ nodeRole: 'worker', nodeName: 'edge-4', lanIp: '' });
    expect(kit.palette.registry.blob('edge-lab-provider', kit.blob.sha256)).toEqual(kit.blob);
    expect(kit.palette.registry.blobForImage(K3S_IMAGE)).toEqual(kit.blob);
    expect(await kit.palette.hosts.deleteHost('edge-1')).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'host-in-use' }] });
    expect(await issuesOf(clusterSpec({ name: 'other' }))).toEqual(['controlPlanePool.hosts[0].hostId host-in-use']);
    expect(await issuesOf(clusterSpec({ controlPlanePool: { hosts: [{ hostId: 'edge-5' }], allowWorkerCapability: true } }))).toEqual(['name name-taken', 'controlPlanePool.hosts[0].hostId host-unknown']);
  });

  it('goes Running and Healthy once every node reports node-ready, with human events', async () => {
    await kit.palette.clusters.create(clusterSpec({ workerPool: { hosts: [{ hostId: 'edge-2' }] } }));
    kit.takeTypes();
    for (const hostId of ['edge-1', 'edge-2']) {
      for (const step of PROVISIONING_STEPS) {
        expect(await kit.palette.hosts.agentProvisioning(hostId, { hostId, cluster: 'store-42', step }, as(hostId))).toEqual({ status: 'ok' });
      }
      // A repeated report after the reboot changes nothing.
      await kit.palette.hosts.agentProvisioning(hostId, { hostId, cluster: 'store-42', step: 'image-pulled' }, as(hostId));
    }
    const types = kit.takeTypes();
    expect(types.filter((t) => t === 'palette.host.provisioning')).toHaveLength(2 * PROVISIONING_STEPS.length);
    expect(types.at(-1)).toBe('palette.cluster.status');
    expect(kit.events.at(-1)?.payload).toEqual({ name: 'store-42', status: 'Running', health: 'Healthy' });
    const c = await kit.palette.clusters.get('store-42');
    expect(c).toMatchObject({ status: 'Running', health: 'Healthy', nodes: [{ hostId: 'edge-1', step: 'node-ready' }, { hostId: 'edge-2', role: 'worker', step: 'node-ready' }] });
    expect(c?.events.map((e) => e.message)).toEqual(expect.arrayContaining([
      'Cluster store-42 created in project Default from profile edge-k3s-lab 1.0.0 with 2 nodes',
      'Edge host edge-1 assigned as control-plane node edge-1 (10.77.0.11/24)',
      `Edge host edge-1: pulled the provider image ${K3S_IMAGE}`,
      'Edge host edge-2: started k3s as a worker node',
      "Edge host edge-2: applied the network and add-on layers (cni-calico@3.30.1) as far as the lab's runtime allows: recorded on the node, none of them runs (the lab's Kubernetes runs no pods)",
      'All 2 nodes are Ready: cluster store-42 is Running',
    ]));
    expect(c?.events).toHaveLength(2 + 1 + 2 * PROVISIONING_STEPS.length + 1);
    // A node's host going silent makes the running cluster Unhealthy.
    kit.advance(60_000);
    await kit.palette.sweepHealth();
    expect(await kit.palette.clusters.get('store-42')).toMatchObject({ health: 'Unhealthy', events: expect.arrayContaining([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/Unhealthy: edge host edge-1 is Unhealthy/) })]) });
    expect(kit.events.at(-1)?.payload).toEqual({ name: 'store-42', status: 'Running', health: 'Unhealthy' });
  });

  it('shows a failed report in the events, Provisioning and Unhealthy, until the host retries', async () => {
    await kit.palette.clusters.create(clusterSpec());
    await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' }, as('edge-1'));
    kit.takeTypes();
    await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'failed', reason: 'sha256 mismatch' }, as('edge-1'));
    await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'failed', reason: 'sha256 mismatch' }, as('edge-1'));
    expect(kit.takeTypes()).toEqual(['palette.host.provisioning-failed', 'palette.cluster.status']);
    expect(kit.events.at(-2)?.payload).toEqual({ hostId: 'edge-1', cluster: 'store-42', reason: 'sha256 mismatch' });
    const c = await kit.palette.clusters.get('store-42');
    expect(c).toMatchObject({ status: 'Provisioning', health: 'Unhealthy', nodes: [{ failure: 'sha256 mismatch' }] });
    expect(c?.events.at(-1)).toMatchObject({ severity: 'error', message: 'Provisioning failed on edge host edge-1: sha256 mismatch' });
    await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' }, as('edge-1'));
    expect(await kit.palette.clusters.get('store-42')).toMatchObject({ health: null, nodes: [{ failure: null }] });
  });

  it('refuses reports from hosts not assigned to that cluster', async () => {
    await kit.palette.clusters.create(clusterSpec());
    expect(await kit.palette.hosts.agentProvisioning('edge-2', { hostId: 'edge-2', cluster: 'store-42', step: 'image-pulled' }, as('edge-2'))).toMatchObject({ status: 'refused', code: 'not-assigned', message: expect.stringMatching(/not assigned to any cluster/) });
    expect(await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'other', step: 'image-pulled' }, as('edge-1'))).toMatchObject({ status: 'refused', code: 'not-assigned', message: expect.stringMatching(/assigned to cluster store-42/) });
    expect(await kit.palette.hosts.agentProvisioning('edge-9', { hostId: 'edge-9', cluster: 'store-42', step: 'image-pulled' }, as('edge-9'))).toMatchObject({ status: 'refused', code: 'host-unknown' });
    expect(await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'exploded' }, as('edge-1'))).toMatchObject({ error: 'bad-request', message: expect.stringMatching(/step: must be image-pulled/) });
  });

  it('refuses reports without the host key, or with another host\'s, and changes nothing for them', async () => {
    await kit.palette.clusters.create(clusterSpec({ workerPool: { hosts: [{ hostId: 'edge-2' }] } }));
    const before = await kit.palette.clusters.get('store-42');
    kit.takeTypes();
    for (const opts of [undefined, { hostKey: '' }, as('edge-2'), { hostKey: 'x'.repeat(43) }]) {
      expect(await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'failed', reason: 'forged' }, opts), JSON.stringify(opts))
        .toMatchObject({ status: 'refused', code: 'host-credential' });
    }
    expect(await kit.palette.clusters.get('store-42')).toEqual(before);
    expect(kit.takeTypes()).toEqual([]);
    expect(await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' }, as('edge-1'))).toEqual({ status: 'ok' });
  });

  it('deletes a cluster: Deleting while its host resets, the host Ready again, then gone', async () => {
    await kit.palette.clusters.create(clusterSpec());
    kit.takeTypes();
    expect(await kit.palette.clusters.delete('store-42')).toEqual({ ok: true });
    expect(kit.takeTypes()).toEqual(['palette.cluster.status']);
    expect(kit.events.at(-1)?.payload).toEqual({ name: 'store-42', status: 'Deleting', health: null });
    // The host is told at its heartbeat, and told again until it comes back reset.
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, as('edge-1'))).toEqual({ status: 'reset', cluster: 'store-42', why: 'cluster-deleted' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', wait: 25 }, as('edge-1'))).toEqual({ status: 'reset', cluster: 'store-42', why: 'cluster-deleted' });
    expect((await kit.palette.hosts.get('edge-1'))?.status).toBe('In-Use');
    expect(await kit.palette.clusters.delete('store-42')).toEqual({ ok: true });
    expect(kit.takeTypes()).toEqual([]);
    // A reset that is not a cluster's name, or sent without the host's key, is refused and changes nothing.
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', reset: 42 }, as('edge-1'))).toMatchObject({ error: 'bad-request', field: 'reset' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', reset: 'store-42' })).toMatchObject({ status: 'refused', code: 'host-credential' });
    expect(kit.takeTypes()).toEqual([]);
    // A reset out of another cluster changes nothing; out of this one, the host is released and the cluster goes.
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', reset: 'other' }, as('edge-1'))).toEqual({ status: 'reset', cluster: 'store-42', why: 'cluster-deleted' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', reset: 'store-42' }, as('edge-1'))).toEqual({ status: 'ok' });
    expect(kit.takeTypes()).toEqual(['palette.host.unassigned', 'palette.cluster.deleted']);
    expect(await kit.palette.clusters.list()).toEqual([]);
    expect(await kit.palette.clusters.get('store-42')).toBeUndefined();
    expect((await kit.palette.hosts.get('edge-1'))?.status).toBe('Ready');
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, as('edge-1'))).toEqual({ status: 'ok' });
    expect(await kit.palette.clusters.delete('store-42')).toMatchObject({ ok: false, reason: 'not-found' });
    // The name is free again, and the new cluster's events start afresh.
    expect((await kit.palette.clusters.create(clusterSpec())).ok).toBe(true);
    expect((await kit.palette.clusters.get('store-42'))?.events).toHaveLength(2);
  });

  it('lets a host that will not come back be deleted while its cluster is Deleting; the cluster goes with its last host', async () => {
    await kit.palette.clusters.create(clusterSpec({ controlPlanePool: { hosts: [{ hostId: 'edge-1' }, { hostId: 'edge-2' }, { hostId: 'edge-3' }], allowWorkerCapability: true } }));
    await kit.palette.clusters.delete('store-42');
    kit.takeTypes();
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', reset: 'store-42' }, as('edge-1'))).toEqual({ status: 'ok' });
    expect(await kit.palette.hosts.deleteHost('edge-2')).toMatchObject({ ok: true });
    expect((await kit.palette.clusters.get('store-42'))?.status).toBe('Deleting');
    expect((await kit.palette.clusters.get('store-42'))?.events.map((e) => e.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Cluster store-42 is being deleted: edge-1, edge-2, edge-3 will reset/),
      'Edge host edge-1 reset; it is Ready again',
      "Edge host edge-2's record was deleted; it no longer holds up the deletion",
    ]));
    expect(await kit.palette.hosts.agentHeartbeat('edge-3', { hostId: 'edge-3', reset: 'store-42' }, as('edge-3'))).toEqual({ status: 'ok' });
    expect(await kit.palette.clusters.get('store-42')).toBeUndefined();
    expect(kit.takeTypes()).toEqual(['palette.host.unassigned', 'palette.host.unassigned', 'palette.host.deleted', 'palette.host.unassigned', 'palette.cluster.deleted']);
  });
});

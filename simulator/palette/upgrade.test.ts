import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROVISIONING_STEPS } from '../pure/machines/provisioning';
import { clusterSpec, k3sProfile, openKit, registerHosts, STATIC, STORES, withToken, type Kit } from './test-kit';

/** The same provider repository at another Kubernetes version: a repave with the same blob. */
const v = (version: string, k8s = '1.33.1') => k3sProfile({ version, layers: [
  { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.uri': `registry.lab/edge-lab-provider:k3s-${k8s}-v4.7.16-lab` } },
  { type: 'k8s', pack: 'edge-k3s', version: k8s },
  { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
] });
const HOSTS = ['edge-1', 'edge-2', 'edge-3', 'edge-4'];

describe.each(STORES)('rolling upgrade (%s store)', (kind) => {
  let kit: Kit;
  let keys: Record<string, string>;
  const as = (hostId: string) => ({ hostKey: keys[hostId] ?? '' });
  const beat = (hostId: string) => kit.palette.hosts.agentHeartbeat(hostId, { hostId, wait: 0 }, as(hostId));
  const report = (hostId: string, result: string, over: Record<string, unknown> = {}) =>
    kit.palette.hosts.agentUpgrade(hostId, { hostId, cluster: 'store-42', version: '1.1.0', result, slot: 'active', ...over }, as(hostId));
  const upgrade = (version: string, id = 'edge-k3s-lab') => kit.palette.clusters.upgrade('store-42', { profile: { id, version } });
  const messages = async () => (await kit.palette.clusters.get('store-42'))!.events.map((e) => e.message);

  beforeEach(async () => {
    kit = await openKit(kind);
    keys = await registerHosts(kit.palette, await withToken(kit.palette), 4);
    await kit.palette.profiles.save(k3sProfile());
    await kit.palette.profiles.save(v('1.1.0'));
    // Three control planes and a worker, listed worker first: the order comes from the roles.
    await kit.palette.clusters.create(clusterSpec({
      controlPlanePool: { hosts: [1, 2, 3].map((n) => ({ hostId: `edge-${n}`, staticIp: STATIC(n) })), allowWorkerCapability: false },
      workerPool: { hosts: [{ hostId: 'edge-4' }] },
    }));
  });
  afterEach(async () => { await kit.dispose(); });

  const provision = async () => {
    for (const hostId of HOSTS) for (const step of PROVISIONING_STEPS) await kit.palette.hosts.agentProvisioning(hostId, { hostId, cluster: 'store-42', step }, as(hostId));
    expect((await kit.palette.clusters.get('store-42'))?.status).toBe('Running');
    kit.takeTypes();
  };

  it('refuses a cluster that is not Running, another profile, an unknown or older version, and a second roll', async () => {
    expect(await upgrade('1.1.0')).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'cluster-not-running' }] });
    await provision();
    const other = await upgrade('1.1.0', 'other');
    expect(other).toMatchObject({ ok: false, reason: 'invalid', issues: [{ path: 'profile.id', code: 'profile-other' }] });
    expect(!other.ok && other.message).toMatch(/^profile\.id: \[palette\] cluster store-42 was made from profile edge-k3s-lab/);
    expect(await upgrade('9.9.9')).toMatchObject({ ok: false, reason: 'invalid', issues: [{ code: 'version-unknown' }] });
    expect(await upgrade('1.0.0')).toMatchObject({ ok: false, reason: 'invalid', issues: [{ code: 'version-not-newer' }] });
    expect(await kit.palette.clusters.upgrade('store-42', { version: '1.1.0' })).toMatchObject({ ok: false, reason: 'invalid', issues: [{ code: 'profile-missing' }] });
    expect(await kit.palette.clusters.upgrade('nope', { profile: { id: 'edge-k3s-lab', version: '1.1.0' } })).toMatchObject({ ok: false, reason: 'not-found' });
    expect(kit.takeTypes()).toEqual([]);
    expect((await upgrade('1.1.0')).ok).toBe(true);
    expect(await upgrade('1.1.0')).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'upgrade-rolling' }] });
  });

  it('tells one host at a time, control planes first, each after the previous came back; then the cluster runs the new version', async () => {
    await provision();
    const started = await upgrade('1.1.0');
    expect(started).toMatchObject({ ok: true, cluster: { status: 'Upgrading', upgrade: { from: '1.0.0', to: '1.1.0', order: HOSTS, done: [], current: 'edge-1', state: 'rolling' } } });
    expect(kit.takeTypes()).toEqual(['palette.cluster.upgrade-started', 'palette.host.upgrade-turn', 'palette.cluster.status']);
    // The new version is in use while it rolls: it cannot be changed under the hosts.
    expect(await kit.palette.profiles.save(v('1.1.0', '1.31.8'))).toMatchObject({ ok: false, reason: 'conflict' });

    for (const [i, hostId] of HOSTS.entries()) {
      // Only the host whose turn it is hears of the upgrade; the others keep their assignment.
      for (const other of HOSTS) {
        const r = await beat(other);
        expect(r).toMatchObject(other === hostId
          ? { status: 'upgrade', cluster: 'store-42', version: '1.1.0', k8sVersion: '1.33.1', imageSha256: kit.blob.sha256, image: `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}` }
          : { status: 'assigned' });
      }
      expect(await report(hostId, 'started')).toEqual({ status: 'ok' });
      // A report from a host whose turn it is not changes nothing.
      const later = HOSTS[i + 1];
      if (later) expect(await report(later, 'upgraded')).toEqual({ status: 'ok' });
      expect((await kit.palette.clusters.get('store-42'))?.upgrade?.current).toBe(hostId);
      expect(await report(hostId, 'upgraded')).toEqual({ status: 'ok' });
    }
    const c = (await kit.palette.clusters.get('store-42'))!;
    expect(c).toMatchObject({ status: 'Running', health: 'Healthy', profile: { version: '1.1.0' }, k8s: { version: '1.33.1' }, upgrade: { state: 'done', done: HOSTS, current: null } });
    expect(c.nodes.map((n) => n.version)).toEqual(['1.1.0', '1.1.0', '1.1.0', '1.1.0']);
    expect(kit.events.filter((e) => e.type === 'palette.host.upgrade-turn').map((e) => (e.payload as { hostId: string }).hostId)).toEqual(HOSTS);
    expect(kit.events.at(-2)).toMatchObject({ type: 'palette.cluster.upgrade-completed', payload: { name: 'store-42', version: '1.1.0' } });
    expect((await messages()).at(-1)).toBe('Cluster store-42 upgraded to 1.1.0: all 4 hosts repaved, one at a time; it is Running');
    expect(await beat('edge-1')).toMatchObject({ status: 'assigned' });
    // The old version is no longer in use.
    expect((await kit.palette.profiles.get('edge-k3s-lab', '1.0.0'))?.usedBy).toEqual([]);
  });

  it('stops the roll at a host that booted back into its previous partition, and says so', async () => {
    await provision();
    await upgrade('1.1.0');
    await report('edge-1', 'upgraded');
    expect(await report('edge-2', 'failed', { slot: 'passive', reason: 'version 1.1.0 did not come up in the active slot within its boot tries' })).toEqual({ status: 'ok' });
    const c = (await kit.palette.clusters.get('store-42'))!;
    expect(c).toMatchObject({
      status: 'Running', profile: { version: '1.0.0' },
      upgrade: { state: 'failed', done: ['edge-1'], current: null, failed: { hostId: 'edge-2', slot: 'passive' } },
    });
    expect(c.nodes.map((n) => n.version)).toEqual(['1.1.0', '1.0.0', '1.0.0', '1.0.0']);
    expect((await messages()).at(-1)).toMatch(/^Upgrade failed on edge-2: booted back into passive \(version 1\.1\.0 did not come up.*\)\. The roll stopped: edge-1 runs 1\.1\.0, the others 1\.0\.0/);
    expect(kit.events.at(-2)).toMatchObject({ type: 'palette.cluster.upgrade-failed', payload: { name: 'store-42', hostId: 'edge-2', slot: 'passive' } });
    // Nobody else is told, and a newer version may be applied afterwards.
    for (const h of HOSTS) expect(await beat(h)).toMatchObject({ status: 'assigned' });
    await kit.palette.profiles.save(v('1.2.0'));
    expect(await upgrade('1.2.0')).toMatchObject({ ok: true, cluster: { upgrade: { from: '1.0.0', to: '1.2.0', current: 'edge-1' } } });
  });

  it('refuses reports without the host key or from a host outside the cluster', async () => {
    await provision();
    await upgrade('1.1.0');
    expect(await kit.palette.hosts.agentUpgrade('edge-1', { hostId: 'edge-1', cluster: 'store-42', version: '1.1.0', result: 'upgraded' }, { hostKey: keys['edge-2'] })).toMatchObject({ status: 'refused', code: 'host-credential' });
    expect(await report('edge-1', 'upgraded', { cluster: 'other' })).toMatchObject({ status: 'refused', code: 'not-assigned' });
    expect(await report('edge-1', 'done')).toMatchObject({ error: 'bad-request', field: 'result' });
    expect((await kit.palette.clusters.get('store-42'))?.upgrade?.done).toEqual([]);
  });
});

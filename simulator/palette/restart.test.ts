import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabStore } from '../store/types';
import { agentBody, clusterSpec, k3sProfile, keyOf, MAC, openKit, registerHosts, STORES, T0, withToken, type Kit } from './test-kit';

describe('a second Palette on the same SQLite file (a restart, or another process)', () => {
  let kit: Kit;
  beforeEach(async () => { kit = await openKit('sqlite'); });
  afterEach(async () => { await kit.dispose(); });

  it('sees the projects, tokens, profiles, hosts, clusters and their events the first one wrote', async () => {
    const token = await withToken(kit.palette);
    await kit.palette.projects.create({ name: 'Retail-East' });
    const keys = await registerHosts(kit.palette, token, 2);
    await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-waits', token, autoRegister: false, mac: '52:54:00:a0:00:99' }));
    await kit.palette.hosts.addHostId('edge-later', 'Retail-East');
    await kit.palette.profiles.save(k3sProfile());
    await kit.palette.clusters.create(clusterSpec());
    await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' }, { hostKey: keys['edge-1'] });
    await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-x', token: 'wrong' }));

    const before = {
      projects: await kit.palette.projects.list(), tokens: await kit.palette.tokens.list(), profiles: await kit.palette.profiles.list(),
      hosts: await kit.palette.hosts.list(), clusters: await kit.palette.clusters.list(), cluster: await kit.palette.clusters.get('store-42'),
    };
    const { palette: again } = await kit.second();
    expect({
      projects: await again.projects.list(), tokens: await again.tokens.list(), profiles: await again.profiles.list(),
      hosts: await again.hosts.list(), clusters: await again.clusters.list(), cluster: await again.clusters.get('store-42'),
    }).toEqual(before);
    expect(before.hosts.map((h) => [h.hostId, h.status])).toEqual([['edge-1', 'In-Use'], ['edge-2', 'Ready'], ['edge-later', 'Unpaired'], ['edge-waits', 'Unpaired']]);
    expect(before.cluster?.events).toHaveLength(3);

    // It carries on where the first left off: the same host keys, the same token, the same refusal memory.
    expect(await again.hosts.agentHeartbeat('edge-2', { hostId: 'edge-2' }, { hostKey: keys['edge-2'] })).toEqual({ status: 'ok' });
    const rotated = keyOf(await again.hosts.agentRegister(agentBody({ hostId: 'edge-1', token, mac: MAC })));
    expect(await again.hosts.agentRegister(agentBody({ hostId: 'edge-1', token, mac: '52:54:00:ff:ff:ff' }))).toMatchObject({ code: 'duplicate-host-id' });
    expect(await again.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, { hostKey: rotated })).toMatchObject({ status: 'assigned', cluster: 'store-42' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, { hostKey: keys['edge-1'] })).toMatchObject({ code: 'host-credential' });
    const refusedBefore = (await kit.store.eventsSince('lab-1', 0)).filter((e) => e.type === 'palette.host.refused').length;
    await again.hosts.agentRegister(agentBody({ hostId: 'edge-x', token: 'wrong' }));
    expect((await kit.store.eventsSince('lab-1', 0)).filter((e) => e.type === 'palette.host.refused').length).toBe(refusedBefore);
    await again.ensureDefaults();
    expect((await again.projects.list()).map((p) => p.name)).toEqual(['Default', 'Retail-East']);
    expect((await again.projects.list())[0]?.createdAt).toBe(T0);
  });
});

describe.each(STORES)('onEvent (%s store)', (kind) => {
  it('is called after the event is committed: the log already holds it, read from outside the transaction', async () => {
    const checks: Promise<boolean>[] = [];
    let store: LabStore | undefined;
    const kit = await openKit(kind, {
      onEvent: (e) => {
        checks.push(store!.eventsSince('lab-1', e.seq - 1, 1).then((found) => found[0]?.type === e.type));
      },
    });
    store = kit.store;
    try {
      await kit.palette.ensureDefaults();
      await kit.palette.tokens.create({ name: 'lab' });
      expect(checks).toHaveLength(2);
      expect(await Promise.all(checks)).toEqual([true, true]);
    } finally {
      await kit.dispose();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { agentBody, clusterSpec, k3sProfile, keyOf, LAB, openKit, registerHosts, STORES, T0, withToken, type Kit } from './test-kit';

describe.each(STORES)('heartbeats and health (%s store)', (kind) => {
  let kit: Kit;
  let token: string;
  let key: { hostKey: string };
  beforeEach(async () => {
    kit = await openKit(kind);
    token = await withToken(kit.palette);
    key = { hostKey: (await registerHosts(kit.palette, token, 1))['edge-1']! };
    kit.takeTypes();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await kit.dispose();
  });

  it('records a heartbeat without logging it', async () => {
    kit.advance(30_000);
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', ip: '10.0.2.16' }, key)).toEqual({ status: 'ok' });
    expect(await kit.palette.hosts.get('edge-1')).toMatchObject({ lastHeartbeatAt: T0 + 30_000, ip: '10.0.2.16', health: 'Healthy' });
    expect(kit.takeTypes()).toEqual([]);
  });

  it('turns Unhealthy 60 s after the last contact, and Healthy again on the next heartbeat; each change logged once', async () => {
    kit.advance(59_999);
    await kit.palette.sweepHealth();
    expect((await kit.palette.hosts.get('edge-1'))?.health).toBe('Healthy');
    kit.advance(1);
    expect((await kit.palette.hosts.get('edge-1'))?.health).toBe('Unhealthy');
    await kit.palette.sweepHealth();
    await kit.palette.sweepHealth();
    expect(kit.events.slice(-1)).toMatchObject([{ type: 'palette.host.health', payload: { hostId: 'edge-1', health: 'unhealthy' } }]);
    expect(kit.takeTypes()).toEqual(['palette.host.health']);
    await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, key);
    await kit.palette.sweepHealth();
    expect((await kit.palette.hosts.get('edge-1'))?.health).toBe('Healthy');
    expect(kit.events.slice(-1)).toMatchObject([{ type: 'palette.host.health', payload: { hostId: 'edge-1', health: 'healthy' } }]);
    expect(kit.takeTypes()).toEqual(['palette.host.health']);
  });

  it('refuses heartbeats of an unknown host once per change of answer', async () => {
    expect(await kit.palette.hosts.agentHeartbeat('edge-9', { hostId: 'edge-9' })).toMatchObject({ status: 'refused', code: 'host-unknown', message: expect.stringMatching(/has to register first/) });
    await kit.palette.hosts.agentHeartbeat('edge-9', { hostId: 'edge-9' });
    expect(kit.takeTypes()).toEqual(['palette.host.refused']);
  });

  it('refuses heartbeats without the host key, with another host\'s or an old one, and writes nothing for them', async () => {
    const other = keyOf(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-2', token, mac: '52:54:00:a0:00:02' })));
    const before = await kit.palette.hosts.get('edge-1');
    kit.takeTypes();
    kit.advance(30_000);
    for (const opts of [{}, { hostKey: '' }, { hostKey: other }, { hostKey: `${key.hostKey.slice(0, -1)}x` }]) {
      expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', ip: '10.9.9.9' }, opts), JSON.stringify(opts))
        .toMatchObject({ status: 'refused', code: 'host-credential', message: expect.stringMatching(/registers again to get a new one/) });
    }
    expect(await kit.palette.hosts.get('edge-1')).toEqual(before);
    expect(kit.takeTypes()).toEqual([]);
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, key)).toEqual({ status: 'ok' });
  });

  it('rotates the key on every registration: the old one stops working, the new one works', async () => {
    const again = await kit.palette.hosts.agentRegister(agentBody({ token, mac: '52:54:00:a0:00:01' }));
    const fresh = keyOf(again);
    expect(fresh).not.toBe(key.hostKey);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, key)).toMatchObject({ code: 'host-credential' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, { hostKey: fresh })).toEqual({ status: 'ok' });
    expect(await kit.palette.hosts.keyHolder(key.hostKey)).toBeUndefined();
    expect(await kit.palette.hosts.keyHolder(fresh)).toBe('edge-1');
    // The store keeps only the key's hash, never the key.
    const stored = JSON.stringify(await kit.store.list(LAB, 'edge-host'));
    expect(stored).not.toContain(fresh);
    expect(stored).toContain(createHash('sha256').update(fresh).digest('hex'));
  });

  describe('long poll', () => {
    beforeEach(async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
      expect((await kit.palette.profiles.save(k3sProfile())).ok).toBe(true);
    });

    const poll = (wait: number, signal?: AbortSignal) => {
      const state: { reply?: unknown } = {};
      const promise = kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', wait }, { signal, ...key }).then((r) => { state.reply = r; return r; });
      return { state, promise };
    };

    it('answers ok after `wait` seconds when nothing happens', async () => {
      const p = poll(25);
      await vi.advanceTimersByTimeAsync(24_000);
      expect(p.state.reply).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(p.state.reply).toEqual({ status: 'ok' });
    });

    it('answers at once when its host is assigned, with the assignment', async () => {
      const p = poll(25);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(p.state.reply).toBeUndefined();
      const created = await kit.palette.clusters.create(clusterSpec());
      expect(created.ok).toBe(true);
      await vi.advanceTimersByTimeAsync(0);
      expect(p.state.reply).toMatchObject({ status: 'assigned', cluster: 'store-42' });
    });

    it('answers at once while an assignment is news, then waits again once the host reported a step', async () => {
      await kit.palette.clusters.create(clusterSpec());
      expect(await poll(25).promise).toMatchObject({ status: 'assigned' });
      await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' }, key);
      const p = poll(25);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(p.state.reply).toBeUndefined();
      // Deleting the cluster is news too: the host is told to reset at once.
      await kit.palette.clusters.delete('store-42');
      await vi.advanceTimersByTimeAsync(0);
      expect(p.state.reply).toEqual({ status: 'reset', cluster: 'store-42', why: 'cluster-deleted' });
    });

    it('ends when the request is aborted', async () => {
      const ac = new AbortController();
      const p = poll(25, ac.signal);
      await vi.advanceTimersByTimeAsync(1_000);
      ac.abort();
      await vi.advanceTimersByTimeAsync(0);
      expect(p.state.reply).toEqual({ status: 'ok' });
    });

    it('wakes for an assignment made through another Palette on the same database (another process)', async () => {
      const other = await kit.second({ crossProcessPollMs: 500 });
      const p = kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', wait: 25 }, key);
      let reply: unknown;
      void p.then((r) => { reply = r; });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(reply).toBeUndefined();
      expect((await other.palette.clusters.create(clusterSpec())).ok).toBe(true);
      await vi.advanceTimersByTimeAsync(2_500);
      expect(reply).toMatchObject({ status: 'assigned', cluster: 'store-42' });
    });
  });
});

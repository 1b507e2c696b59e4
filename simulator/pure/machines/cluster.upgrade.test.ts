import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { clusterMachine, type ClusterEvent } from './cluster.machine';
import { routeEntry } from './lab-log';
import { toClusterView } from './view';

/** A two-node cluster driven to Running. */
function running() {
  const a = createActor(clusterMachine, { input: { name: 'store-42', nodeCount: 2 } }).start();
  for (const type of ['IMAGE_PULLED', 'PARTITION_SWITCHED', 'REBOOTED_INTO_PROVIDER_OS', 'STAGES_RUN', 'RUNTIME_STARTED', 'LAYERS_APPLIED'] as const) a.send({ type });
  a.send({ type: 'NODE_READY', host: 'a' });
  a.send({ type: 'NODE_READY', host: 'b' });
  expect(a.getSnapshot().value).toEqual({ running: 'healthy' });
  return a;
}

describe('cluster chart: upgrades', () => {
  it('is Upgrading while the hosts are repaved, and Running again when the last is done', () => {
    const a = running();
    a.send({ type: 'UPGRADE_STARTED', version: '1.1.0' });
    expect(a.getSnapshot().value).toBe('upgrading');
    expect(a.getSnapshot().hasTag('busy')).toBe(true);
    a.send({ type: 'NODE_UPGRADED', host: 'a' });
    expect(toClusterView(a.getSnapshot()).label).toBe('Upgrading to 1.1.0 (1 of 2 hosts done)');
    a.send({ type: 'NODE_UPGRADED', host: 'b' });
    a.send({ type: 'UPGRADE_COMPLETED' });
    expect(a.getSnapshot().value).toEqual({ running: 'healthy' });
    expect(a.getSnapshot().context.upgrade).toEqual({ version: '1.1.0', upgraded: ['a', 'b'], failedOn: null });
  });

  it('follows health during the roll and ends Unhealthy when a node still is', () => {
    const a = running();
    a.send({ type: 'UPGRADE_STARTED', version: '1.1.0' });
    a.send({ type: 'NODE_UNHEALTHY', host: 'a' });
    expect(a.getSnapshot().value).toBe('upgrading');
    a.send({ type: 'UPGRADE_COMPLETED' });
    expect(a.getSnapshot().value).toEqual({ running: 'unhealthy' });
    a.send({ type: 'NODE_HEALTHY', host: 'a' });
    expect(a.getSnapshot().value).toEqual({ running: 'healthy' });
  });

  it('keeps a failed upgrade in its context and label after going back to Running', () => {
    const a = running();
    a.send({ type: 'UPGRADE_STARTED', version: '1.2.0' });
    a.send({ type: 'UPGRADE_FAILED', host: 'a', slot: 'active' });
    expect(a.getSnapshot().value).toEqual({ running: 'healthy' });
    expect(a.getSnapshot().context.upgrade?.failedOn).toEqual({ host: 'a', slot: 'active' });
    expect(toClusterView(a.getSnapshot()).label).toBe('Running · Healthy · upgrade to 1.2.0 failed on a');
    // A new upgrade starts afresh.
    a.send({ type: 'UPGRADE_STARTED', version: '1.3.0' });
    expect(a.getSnapshot().context.upgrade).toEqual({ version: '1.3.0', upgraded: [], failedOn: null });
  });

  it('ignores upgrade events outside Running and can be deleted while Upgrading', () => {
    const a = createActor(clusterMachine, { input: { name: 'store-42' } }).start();
    a.send({ type: 'UPGRADE_STARTED', version: '1.1.0' });
    expect(a.getSnapshot().value).toEqual({ provisioning: 'pullingImage' });
    const b = running();
    b.send({ type: 'UPGRADE_STARTED', version: '1.1.0' });
    b.send({ type: 'DELETING' });
    expect(b.getSnapshot().value).toBe('deleting');
  });

  it('is driven by the Palette events of the lab log', () => {
    const vm = (id: string) => (id === 'edge-1' ? 'vm-1' : undefined);
    const events = (e: Record<string, unknown>): ClusterEvent[] =>
      routeEntry({ type: e.type as `palette.${string}`, ...e }, vm).flatMap((i) => (i.to === 'cluster' ? [i.event] : []));
    expect(events({ type: 'palette.cluster.upgrade-started', name: 'c', from: '1.0.0', to: '1.1.0' })).toEqual([{ type: 'UPGRADE_STARTED', version: '1.1.0' }]);
    expect(events({ type: 'palette.host.upgraded', hostId: 'edge-1', cluster: 'c', version: '1.1.0' })).toEqual([{ type: 'NODE_UPGRADED', host: 'edge-1' }]);
    expect(events({ type: 'palette.cluster.upgrade-completed', name: 'c', version: '1.1.0' })).toEqual([{ type: 'UPGRADE_COMPLETED' }]);
    expect(events({ type: 'palette.cluster.upgrade-failed', name: 'c', hostId: 'edge-1', slot: 'active', reason: 'x' })).toEqual([{ type: 'UPGRADE_FAILED', host: 'edge-1', slot: 'active' }]);
    expect(routeEntry({ type: 'palette.cluster.upgrade-failed', name: 'c', hostId: 'edge-1', slot: 'active', reason: 'x' }, vm)[0]).toMatchObject({ to: 'cluster', cluster: 'c' });
  });
});
